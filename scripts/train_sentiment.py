"""Train Lense's sentiment model and write ``src/rexos/lense/data/sentiment_int8.npz``.

Run: ``python scripts/train_sentiment.py`` (a few seconds on 2 cores). It trains on the train
half of ``src/rexos/lense/data/sentiment/items.yaml`` only; the result is deterministic, and
``tests/unit/lense/test_sentiment_model.py`` re-trains and checks that the shipped model is
what this script writes.

``--cv`` prints instead the 5-fold cross-validation on the train half that chose the recipe
and the L2 strength (macro-F1 of the float model and of its int8 quantisation): the shipped
choice, then each choice changed one at a time.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time

from rexos.lense.sentiment_model import MODEL_PATH
from rexos.lense.sentiment_set import load_set
from rexos.lense.sentiment_text import Recipe
from rexos.lense.sentiment_train import L2, RECIPE, cross_validate, train

VARIANTS: list[tuple[str, Recipe, float]] = [
    ("shipped", RECIPE, L2),
    *((f"l2={l2:g}", RECIPE, l2) for l2 in (1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1) if l2 != L2),
    ("dimensions=2**10", dataclasses.replace(RECIPE, dimensions=1 << 10), L2),
    ("dimensions=2**14", dataclasses.replace(RECIPE, dimensions=1 << 14), L2),
    (
        "cashtags=" + ("keep" if RECIPE.cashtags == "mask" else "mask"),
        dataclasses.replace(RECIPE, cashtags="keep" if RECIPE.cashtags == "mask" else "mask"),
        L2,
    ),
    *(
        (
            f"{flag}={not getattr(RECIPE, flag)}",
            dataclasses.replace(RECIPE, **{flag: not getattr(RECIPE, flag)}),
            L2,
        )
        for flag in ("numbers", "emoji", "negation", "chars", "lexicon")
    ),
]


def _cross_validate() -> None:
    items = load_set("train")
    print(f"5-fold cross-validation on the train half ({len(items)} items), macro-F1:")
    for name, recipe, l2 in VARIANTS:
        float_f1, int_f1 = cross_validate(items, recipe, l2)
        print(f"  {name:<24} float {float_f1:.4f}  int8 {int_f1:.4f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="print the cross-validation grid")
    if parser.parse_args().cv:
        _cross_validate()
        return 0
    items = load_set("train")
    started = time.perf_counter()
    _, model = train(items)
    took = time.perf_counter() - started
    model.save(MODEL_PATH)
    print(f"trained on {len(items)} items in {took:.1f} s; scale {model.scale:.4f}")
    print(f"wrote {MODEL_PATH} (rexos-sentiment-int8@{model.digest()[:12]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
