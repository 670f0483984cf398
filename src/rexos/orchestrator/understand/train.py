"""Training the intent recogniser: L2-regularised softmax regression fitted with L-BFGS.

Deterministic: the same data give the same weights (the start is zero, the examples are
taken in file order, and the optimiser draws nothing at random). ``scripts/train_intents.py``
runs it and writes ``data/model.npz``; a test re-trains and compares.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import yaml
from scipy import optimize, sparse

from rexos.orchestrator.understand.features import DIMENSIONS, features, mask
from rexos.orchestrator.understand.model import Recogniser
from rexos.orchestrator.understand.normalise import normalise
from rexos.orchestrator.understand.vocab import symbols

__all__ = ["TRAIN_PATHS", "load_examples", "train"]

DATA = Path(__file__).with_name("data")
TRAIN_PATHS = (DATA / "train.yaml", DATA / "train2.yaml")
"""The training files, each written blind to the evaluation sets (see data/README.md)."""
L2 = 1e-3
MAX_ITERATIONS = 400


def load_examples(paths: tuple[Path, ...] = TRAIN_PATHS) -> list[tuple[str, str]]:
    """``(text, label)`` pairs of the training files, in order."""
    found = []
    for path in paths:
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += [(str(item["text"]), str(item["intent"])) for item in items]
    return found


def prepare(text: str) -> str:
    """What the recogniser reads of a request: normalised, then masked."""
    return mask(normalise(text), symbols())


def train(examples: Sequence[tuple[str, str]], l2: float = L2) -> Recogniser:
    """Fit the recogniser to ``examples``."""
    labels = tuple(sorted({label for _, label in examples}))
    rows, cols, vals = [], [], []
    for i, (text, _) in enumerate(examples):
        for index, value in features(prepare(text)).items():
            rows.append(i)
            cols.append(index)
            vals.append(value)
    x = sparse.csr_matrix((vals, (rows, cols)), shape=(len(examples), DIMENSIONS))
    y = np.array([labels.index(label) for _, label in examples])
    onehot = np.zeros((len(examples), len(labels)))
    onehot[np.arange(len(examples)), y] = 1.0
    n = float(len(examples))

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        w = flat.reshape(DIMENSIONS, len(labels))
        logits = x @ w
        logits -= logits.max(axis=1, keepdims=True)
        log_z = np.log(np.exp(logits).sum(axis=1, keepdims=True))
        log_p = logits - log_z
        value = -(onehot * log_p).sum() / n + 0.5 * l2 * float((w * w).sum())
        grad = x.T @ (np.exp(log_p) - onehot) / n + l2 * w
        return value, np.asarray(grad).ravel()

    start = np.zeros(DIMENSIONS * len(labels))
    fitted = optimize.minimize(
        loss, start, jac=True, method="L-BFGS-B", options={"maxiter": MAX_ITERATIONS}
    )
    weights = fitted.x.reshape(DIMENSIONS, len(labels)).astype(np.float32)
    return Recogniser(labels, weights)
