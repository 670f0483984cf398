"""The shipped sentiment model: int8 weights per class over hashed integer counts.

A text's label is computed in integers only: its feature counts (``sentiment_text``) times
the int8 weight of each feature and class, summed in int32 (a bound: at most
:data:`~rexos.lense.sentiment_text.MAX_CHARS` characters give far fewer than 2**31 / 127
counts), then the class with the largest sum, ties going to the first class in
:data:`~rexos.lense.sentiment_set.LABELS` order (neutral, positive, negative). So the same
text gets the same label on every machine, which is what a later opML dispute needs.

The float ``scale`` (integer weight = round(float weight × scale)) is recorded only to turn
sums back into probabilities for the shown ``score``; the label never depends on it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from rexos.lense.sentiment_features import features
from rexos.lense.sentiment_set import LABELS, Label
from rexos.lense.sentiment_text import Recipe

__all__ = ["MODEL_PATH", "IntModel", "load_model"]

MODEL_PATH = Path(__file__).with_name("data") / "sentiment_int8.npz"
_FORMAT = "rexos-sentiment-int8/1"


@dataclass(frozen=True, eq=False)
class IntModel:
    recipe: Recipe
    weights: npt.NDArray[np.int8]
    """``(recipe.dimensions, len(LABELS))``, columns in ``LABELS`` order."""
    scale: float

    def __post_init__(self) -> None:
        shape = (self.recipe.dimensions, len(LABELS))
        if self.weights.dtype != np.int8 or self.weights.shape != shape:
            raise ValueError(f"weights must be int8 of shape {shape}")

    def sums(self, text: str) -> tuple[int, ...]:
        """The int32 sum of each class (``LABELS`` order) for ``text``."""
        found = features(text, self.recipe)
        index = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
        count = np.fromiter(found.values(), dtype=np.int32, count=len(found))
        total = count @ self.weights[index].astype(np.int32)
        return tuple(int(v) for v in total)

    def label(self, text: str) -> Label:
        """The class with the largest sum; the first in ``LABELS`` order on a tie."""
        sums = self.sums(text)
        return LABELS[sums.index(max(sums))]

    def probabilities(self, sums: tuple[int, ...]) -> tuple[float, ...]:
        """Softmax of the sums read back in float (``sums / scale``)."""
        logits = np.array(sums, dtype=np.float64) / self.scale
        odds = np.exp(logits - logits.max())
        return tuple(float(p) for p in odds / odds.sum())

    def digest(self) -> str:
        """sha256 over the format tag, the recipe, the labels, the scale and the weights."""
        header = json.dumps(
            {"format": _FORMAT, "recipe": asdict(self.recipe), "labels": LABELS,
             "scale": repr(self.scale)},
            sort_keys=True,
        )  # fmt: skip
        body = np.ascontiguousarray(self.weights).tobytes()
        return hashlib.sha256(header.encode("utf-8") + body).hexdigest()

    def same_as(self, other: IntModel) -> bool:
        """Whether ``other`` computes exactly what this model computes."""
        return self.digest() == other.digest()

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            format=np.array(_FORMAT),
            recipe=np.array(json.dumps(asdict(self.recipe), sort_keys=True)),
            scale=np.array(self.scale, dtype=np.float64),
            weights=self.weights,
        )


@cache
def load_model(path: Path = MODEL_PATH) -> IntModel:
    """The shipped model (read once per process)."""
    with np.load(path, allow_pickle=False) as data:
        if str(data["format"]) != _FORMAT:
            raise ValueError(f"{path}: not a {_FORMAT} file")
        recipe = Recipe(**json.loads(str(data["recipe"])))
        scale = float(data["scale"])
        weights = data["weights"]
    return IntModel(recipe, weights, scale)
