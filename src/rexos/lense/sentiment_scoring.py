"""Scoring a classifier's labels against gold labels: accuracy, per-class P/R/F1, macro-F1."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rexos.lense.sentiment_set import LABELS, Label

__all__ = ["macro_f1", "score"]


def score(gold: Sequence[Label], predicted: Sequence[Label]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix
    (``confusion[gold][predicted]``), rounded to four places."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    confusion = {g: {p: 0 for p in LABELS} for g in LABELS}
    for g, p in zip(gold, predicted, strict=True):
        confusion[g][p] += 1
    per_class, f1s = {}, []
    for label in LABELS:
        hit = confusion[label][label]
        said = sum(confusion[g][label] for g in LABELS)
        true = sum(confusion[label].values())
        precision = hit / said if said else 0.0
        recall = hit / true if true else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        per_class[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": true,
        }
    right = sum(confusion[label][label] for label in LABELS)
    return {
        "n": len(gold),
        "accuracy": round(right / len(gold), 4) if gold else 0.0,
        "macro_f1": round(sum(f1s) / len(LABELS), 4),
        "per_class": per_class,
        "confusion": confusion,
    }


def macro_f1(gold: Sequence[Label], predicted: Sequence[Label]) -> float:
    """The mean of the per-class F1 scores."""
    value: float = score(gold, predicted)["macro_f1"]
    return value
