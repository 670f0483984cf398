"""Token-mention scoring: precision, recall and F1 of (span, symbol) pairs.

A predicted mention is right when its text (case-insensitive, without surrounding
punctuation) and its symbol equal an expected mention's; each expected mention is matched
at most once. Only mentions the extractor names a token for count: an address it could not
match to a listed token (symbol ``None``) is reported as a possible token, not claimed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MentionTally", "score_mentions"]


def _key(text: str, symbol: str | None) -> tuple[str, str]:
    return (text.strip(" .,!?;:()'\"").lower(), (symbol or "").upper())


@dataclass
class MentionTally:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    misses: list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]] = field(
        default_factory=list
    )

    def summary(self) -> dict[str, Any]:
        tp, fp, fn = self.true_positive, self.false_positive, self.false_negative
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "mentions_expected": tp + fn,
            "mentions_found": tp + fp,
        }


def score_mentions(
    items: Iterable[dict[str, Any]], extract: Callable[[str], list[tuple[str, str | None]]]
) -> MentionTally:
    tally = MentionTally()
    for item in items:
        expected = Counter(_key(m["text"], m["symbol"]) for m in item["mentions"])
        found = Counter(_key(text, symbol) for text, symbol in extract(str(item["text"])) if symbol)
        hit = sum((expected & found).values())
        tally.true_positive += hit
        tally.false_positive += sum(found.values()) - hit
        tally.false_negative += sum(expected.values()) - hit
        if expected != found:
            tally.misses.append((str(item["text"]), sorted(expected), sorted(found)))
    return tally
