"""Lense figures. So far: sentiment on the test half of the blind labelled set.

Run: ``python benchmarks/lense.py``. Prints the figures and writes them into
``benchmarks/lense.json`` under ``"sentiment"`` (the file's other keys are kept: other parts
of Lense add theirs).

The set (``src/rexos/lense/data/sentiment/``) was written blind and split by the sha256 of
each text; the model, its recipe, its L2 strength, the lexicon and its band were made from
the train half only (5-fold cross-validation for every choice); the test half is only scored
here. Three classifiers are scored: the shipped int8 model (integer arithmetic, what
``rexos.lense.classify`` runs), the float model it was quantised from (reference only), and
the hand-written lexicon baseline. Latency is ``classify`` per item on this machine, the
model already loaded; the load average is recorded because other work lengthens it.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

from rexos.lense import classify, lexicon_label, load_model, load_set, model_id
from rexos.lense.sentiment_scoring import score
from rexos.lense.sentiment_train import L2, RECIPE, cross_validate, train

OUT = Path(__file__).with_suffix(".json")
LATENCY_ROUNDS = 5


def _latency(texts: list[str]) -> dict[str, float]:
    classify(texts[0])
    times = []
    for _ in range(LATENCY_ROUNDS):
        for text in texts:
            started = time.perf_counter()
            classify(text)
            times.append(time.perf_counter() - started)
    times.sort()
    return {
        "mean_us": round(statistics.fmean(times) * 1e6, 1),
        "p50_us": round(times[len(times) // 2] * 1e6, 1),
        "p95_us": round(times[int(len(times) * 0.95)] * 1e6, 1),
        "items_timed": len(times),
    }


def sentiment() -> dict[str, Any]:
    train_items, test_items = load_set("train"), load_set("test")
    shipped = load_model()
    float_model, fresh = train(train_items)
    gold = [item.label for item in test_items]
    texts = [item.text for item in test_items]
    cv_float, cv_int = cross_validate(train_items, RECIPE, L2)
    return {
        "set": "src/rexos/lense/data/sentiment/items.yaml (blind, hand-written, MIT)",
        "split": "sha256(text) even -> train, odd -> test",
        "train_size": len(train_items),
        "test_size": len(test_items),
        "model": model_id(shipped),
        "shipped_model_is_what_training_makes": fresh.same_as(shipped),
        "int8_model": score(gold, [shipped.label(t) for t in texts]),
        "float_model": score(gold, [float_model.label(t) for t in texts]),
        "lexicon_baseline": score(gold, [lexicon_label(t) for t in texts]),
        "train_cv_macro_f1": {"float": round(cv_float, 4), "int8": round(cv_int, 4)},
        "latency": _latency(texts),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        },
    }


def main() -> None:
    figures = sentiment()
    data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    data["sentiment"] = figures
    OUT.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"sentiment, test half ({figures['test_size']} items; trained on "
          f"{figures['train_size']}), {figures['model']}:")  # fmt: skip
    for key, name in (
        ("int8_model", "int8 model (shipped)"),
        ("float_model", "float model (before quantisation)"),
        ("lexicon_baseline", "lexicon baseline"),
    ):
        found = figures[key]
        per = "  ".join(
            f"{label} P {c['precision']:.3f} R {c['recall']:.3f} F1 {c['f1']:.3f}"
            for label, c in found["per_class"].items()
        )
        print(f"  {name:<34} macro-F1 {found['macro_f1']:.4f}  accuracy {found['accuracy']:.4f}")
        print(f"    {per}")
        print(f"    confusion (gold -> predicted): {json.dumps(found['confusion'])}")
    cv = figures["train_cv_macro_f1"]
    print(f"  5-fold CV on the train half, macro-F1: float {cv['float']:.4f}, "
          f"int8 {cv['int8']:.4f}")  # fmt: skip
    lat = figures["latency"]
    print(f"  classify latency: mean {lat['mean_us']} us, p50 {lat['p50_us']} us, "
          f"p95 {lat['p95_us']} us per item")  # fmt: skip
    same = figures["shipped_model_is_what_training_makes"]
    print(f"  shipped model is what training makes: {same}")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
