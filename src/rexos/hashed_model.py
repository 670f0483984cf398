"""A multinomial logistic-regression classifier over hashed text features: the shape both
learned readers share (the chat intent recogniser and Lense's question reader). Each reader
supplies its own features; this module holds the weights, the softmax and the ``.npz`` file
format, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Self

import numpy as np
import numpy.typing as npt

__all__ = ["HashedLinear"]


@dataclass(frozen=True, eq=False)
class HashedLinear:
    """Labels and their weights over ``dimensions`` hashed features: ``(dimensions,
    len(labels))``. A subclass says how a text becomes features (:meth:`features`)."""

    labels: tuple[str, ...]
    weights: npt.NDArray[np.float32]

    def features(self, text: str) -> dict[int, float]:
        """The hashed feature counts of ``text``."""
        raise NotImplementedError

    def scores(self, text: str) -> dict[str, float]:
        """The probability of each label for ``text`` (they sum to 1)."""
        found = self.features(text)
        index = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
        value = np.fromiter(found.values(), dtype=np.float32, count=len(found))
        logits = value @ self.weights[index]
        odds = np.exp(logits - logits.max())
        probs = odds / odds.sum()
        return {label: float(p) for label, p in zip(self.labels, probs, strict=True)}

    def best(self, text: str) -> tuple[str, float]:
        """The most likely label and its probability."""
        scores = self.scores(text)
        label = max(scores, key=scores.__getitem__)
        return label, scores[label]

    def save(self, path: Path) -> None:
        np.savez_compressed(path, labels=np.array(self.labels), weights=self.weights)

    @classmethod
    def load(cls, path: Path, dimensions: int) -> Self:
        """The model saved at ``path``; a file of another shape is refused."""
        with np.load(path) as data:
            weights = data["weights"].astype(np.float32)
            labels = tuple(str(label) for label in data["labels"])
        if weights.shape != (dimensions, len(labels)):
            raise ValueError(
                f"{path}: weights of shape {weights.shape}, not {(dimensions, len(labels))}"
            )
        return cls(labels, weights)
