"""Training the sentiment model: softmax regression in float, then int8 quantisation.

L2-regularised multinomial logistic regression over the hashed counts, fitted with L-BFGS
from zero on the train half of the set in file order, so the same data give the same
weights. The float weights are quantised with one scale for the whole matrix
(``127 / max |w|``) and rounded half to even; the shipped model is the integer one.
``scripts/train_sentiment.py`` writes it; ``tests/unit/lense/test_sentiment_model.py``
re-trains and checks the shipped file is what training makes.

Every choice (the recipe and the L2 strength) was made by :func:`cross_validate` on the
train half only (``python scripts/train_sentiment.py --cv`` prints the grid).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import optimize, sparse

from rexos.lense.sentiment_features import features
from rexos.lense.sentiment_model import IntModel
from rexos.lense.sentiment_scoring import macro_f1
from rexos.lense.sentiment_set import LABELS, Label, Labelled, load_set
from rexos.lense.sentiment_text import Recipe

__all__ = ["L2", "RECIPE", "FloatModel", "cross_validate", "fit", "quantise", "train"]

RECIPE = Recipe()
"""The shipped model's features (chosen by cross-validation on the train half)."""
L2 = 1e-2
"""The shipped model's L2 strength (chosen by cross-validation on the train half)."""
_MAX_ITERATIONS = 500
_INT8 = 127


@dataclass(frozen=True, eq=False)
class FloatModel:
    """The model before quantisation (kept for reference figures, never shipped)."""

    recipe: Recipe
    weights: npt.NDArray[np.float64]

    def label(self, text: str) -> Label:
        """The class with the largest float sum; the first in ``LABELS`` order on a tie."""
        row = _matrix([text], self.recipe)
        return LABELS[int(np.argmax((row @ self.weights)[0]))]


def _matrix(texts: Sequence[str], recipe: Recipe) -> sparse.csr_matrix:
    rows, cols, vals = [], [], []
    for row, text in enumerate(texts):
        for index, count in features(text, recipe).items():
            rows.append(row)
            cols.append(index)
            vals.append(float(count))
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), recipe.dimensions))


def _fit(x: sparse.csr_matrix, y: npt.NDArray[np.int64], l2: float) -> npt.NDArray[np.float64]:
    n, shape = float(x.shape[0]), (x.shape[1], len(LABELS))
    onehot = np.zeros((x.shape[0], len(LABELS)))
    onehot[np.arange(x.shape[0]), y] = 1.0

    def loss(flat: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        w = flat.reshape(shape)
        logits = x @ w
        logits -= logits.max(axis=1, keepdims=True)
        log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        value = -(onehot * log_p).sum() / n + 0.5 * l2 * float((w * w).sum())
        grad = x.T @ (np.exp(log_p) - onehot) / n + l2 * w
        return float(value), np.asarray(grad).ravel()

    fitted = optimize.minimize(
        loss,
        np.zeros(shape[0] * shape[1]),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": _MAX_ITERATIONS},
    )
    return np.asarray(fitted.x, dtype=np.float64).reshape(shape)


def _classes(items: Sequence[Labelled]) -> npt.NDArray[np.int64]:
    return np.array([LABELS.index(item.label) for item in items], dtype=np.int64)


def fit(items: Sequence[Labelled], recipe: Recipe = RECIPE, l2: float = L2) -> FloatModel:
    """Fit float weights to ``items``."""
    x = _matrix([item.text for item in items], recipe)
    return FloatModel(recipe, _fit(x, _classes(items), l2))


def quantise(model: FloatModel) -> IntModel:
    """The int8 model: every weight times ``127 / max |w|``, rounded half to even. The scale
    keeps 12 significant digits, so the last bits of a float fit (which differ between BLAS
    builds) do not change the shipped file."""
    largest = float(np.abs(model.weights).max())
    scale = float(f"{_INT8 / largest:.12g}") if largest > 0 else 1.0
    weights = np.clip(np.rint(model.weights * scale), -_INT8, _INT8).astype(np.int8)
    return IntModel(model.recipe, weights, scale)


def train(items: Sequence[Labelled] | None = None) -> tuple[FloatModel, IntModel]:
    """The float model and the shipped int8 model, trained on ``items`` (the train half)."""
    found = fit(load_set("train") if items is None else items)
    return found, quantise(found)


def cross_validate(
    items: Sequence[Labelled], recipe: Recipe, l2: float, folds: int = 5
) -> tuple[float, float]:
    """Mean macro-F1 over ``folds`` folds (item ``i`` in fold ``i % folds``) of the float
    model and of its int8 quantisation."""
    x, y = _matrix([item.text for item in items], recipe), _classes(items)
    float_f1: list[float] = []
    int_f1: list[float] = []
    for fold in range(folds):
        held = np.arange(len(items)) % folds == fold
        weights = _fit(x[~held], y[~held], l2)
        integer = quantise(FloatModel(recipe, weights)).weights.astype(np.int64)
        gold = [LABELS[k] for k in y[held]]
        for found, sink in ((weights, float_f1), (integer, int_f1)):
            sums = np.asarray(x[held] @ found)
            sink.append(macro_f1(gold, [LABELS[int(k)] for k in sums.argmax(axis=1)]))
    return float(np.mean(float_f1)), float(np.mean(int_f1))
