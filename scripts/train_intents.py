"""Train the intent recogniser and write ``src/rexos/orchestrator/understand/data/model.npz``.

Run: ``python scripts/train_intents.py`` (a few seconds on 2 cores). The training data is
``data/train.yaml`` and ``data/train2.yaml`` (written blind to the evaluation sets);
the result is deterministic, and ``tests/unit/orchestrator/understand/test_model.py``
re-trains and checks that the shipped model is what this script writes.
"""

from __future__ import annotations

import sys
import time

from rexos.orchestrator.understand.model import MODEL_PATH
from rexos.orchestrator.understand.train import load_examples, train


def main() -> int:
    examples = load_examples()
    started = time.perf_counter()
    model = train(examples)
    took = time.perf_counter() - started
    model.save(MODEL_PATH)
    labels = ", ".join(model.labels)
    print(f"trained on {len(examples)} examples in {took:.1f} s: {labels}")
    print(f"wrote {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
