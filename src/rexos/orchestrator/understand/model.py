"""A multinomial logistic-regression intent recogniser over hashed features, trained in
this repository (``scripts/train_intents.py``) and shipped as ``data/model.npz``.

It runs offline in well under a millisecond per request on a laptop core. It only names a
command: it never reads an amount, a token or an address (the features cannot see them).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rexos.hashed_model import HashedLinear
from rexos.orchestrator.understand.features import DIMENSIONS, features

__all__ = ["MODEL_PATH", "Recogniser", "load_recogniser"]

MODEL_PATH = Path(__file__).with_name("data") / "model.npz"


class Recogniser(HashedLinear):
    """Command labels over the hashed features of a masked request."""

    def features(self, text: str) -> dict[int, float]:
        return features(text)


@cache
def load_recogniser(path: Path = MODEL_PATH) -> Recogniser:
    """The shipped recogniser (read once per process)."""
    return Recogniser.load(path, DIMENSIONS)
