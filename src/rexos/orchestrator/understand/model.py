"""A multinomial logistic-regression intent recogniser over hashed features, trained in
this repository (``scripts/train_intents.py``) and shipped as ``data/model.npz``.

It runs offline in well under a millisecond per request on a laptop core. It only names a
command: it never reads an amount, a token or an address (the features cannot see them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from rexos.orchestrator.understand.features import DIMENSIONS, features

__all__ = ["MODEL_PATH", "Recogniser", "load_recogniser"]

MODEL_PATH = Path(__file__).with_name("data") / "model.npz"


@dataclass(frozen=True)
class Recogniser:
    labels: tuple[str, ...]
    weights: npt.NDArray[np.float32]
    """``(DIMENSIONS, len(labels))``."""

    def scores(self, masked: str) -> dict[str, float]:
        """The probability of each label for a masked request (they sum to 1)."""
        found = features(masked)
        index = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
        value = np.fromiter(found.values(), dtype=np.float32, count=len(found))
        logits = value @ self.weights[index]
        logits = logits - logits.max()
        odds = np.exp(logits)
        probs = odds / odds.sum()
        return {label: float(p) for label, p in zip(self.labels, probs, strict=True)}

    def best(self, masked: str) -> tuple[str, float]:
        """The most likely label and its probability."""
        scores = self.scores(masked)
        label = max(scores, key=scores.__getitem__)
        return label, scores[label]

    def save(self, path: Path) -> None:
        np.savez_compressed(path, labels=np.array(self.labels), weights=self.weights)


@cache
def load_recogniser(path: Path = MODEL_PATH) -> Recogniser:
    """The shipped recogniser (read once per process)."""
    with np.load(path) as data:
        weights = data["weights"].astype(np.float32)
        labels = tuple(str(label) for label in data["labels"])
    if weights.shape != (DIMENSIONS, len(labels)):
        raise ValueError(
            f"{path}: weights of shape {weights.shape}, not {(DIMENSIONS, len(labels))}"
        )
    return Recogniser(labels, weights)
