"""``opml-sentiment-v1``: Lense's trained sentiment classifier as a verifiable opML program.

The model is Lense's int8 linear classifier (``rexos.lense.sentiment_model``, trained by
``rexos.lense.sentiment_train`` on the hand-written set described in
``docs/explanation/lense-sentiment.md``), exported by ``scripts/export_opml_sentiment.py``
into :data:`WEIGHTS_PATH`: only the 3,041 hashed features whose weight is not zero for some
class, with their int8 weights. The program computes, in the VM's integers, exactly the
Lense label: the three class sums ``Σ count_i · w_ik`` and their arg-max, a tie going to
the first of neutral, positive, negative.

**What the VM reads.** Feature extraction (NFKC folding, regular expressions, the lexicon,
FNV-1a hashing over variable-length words) needs loops and branches a straight-line VM does
not have, so the *asker* extracts the features and the prompt carries them (see
:func:`encode_prompt`)::

    HEADER ‖ count of feature 0 ‖ … ‖ count of feature N−1 ‖ "\\n" ‖ the text (UTF-8)

each count in :data:`COUNT_BYTES` bytes of 7 bits (big-endian), so the prompt stays valid
UTF-8 and a zero count costs zero bytes of calldata. The game verifies *features → label*:
a provider cannot answer anything but the model's label of the counts in the prompt. That
the counts are the text's features is not checked on chain; the asker computed them itself
(``rexos ask`` does) and anyone can recompute them from the text in the prompt.

**The answer** is one byte: ``+`` positive, ``-`` negative, ``0`` neutral (:data:`ANSWERS`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from rexos.opml.program import Program, ProgramBuilder
from rexos.opml.vm import Op

__all__ = [
    "ANSWERS",
    "COUNT_BYTES",
    "HEADER",
    "MAX_COUNT",
    "MAX_PROMPT_BYTES",
    "MAX_TEXT_CHARS",
    "MODEL_ID",
    "WEIGHTS_PATH",
    "SentimentLabel",
    "SentimentWeights",
    "decode_prompt",
    "encode_prompt",
    "label_of",
    "load_weights",
    "reference_label",
    "sentiment_program",
]

MODEL_ID = "opml-sentiment-v1"
"""The model id the default genesis registers the program under."""
WEIGHTS_PATH = Path(__file__).with_name("data") / "sentiment_v1.npz"
HEADER = b"rexos-sentiment/1\n"
"""The fixed start of a prompt; the counts follow at fixed offsets."""
COUNT_BYTES = 3
"""Bytes per count; each byte holds 7 bits, so a count is below :data:`MAX_COUNT`."""
MAX_COUNT = 1 << (7 * COUNT_BYTES)
MAX_TEXT_CHARS = 2_000
"""Lense reads at most this many characters of a text (``sentiment_text.MAX_CHARS``)."""
SentimentLabel = Literal["neutral", "positive", "negative"]
LABEL_ORDER: tuple[SentimentLabel, ...] = ("neutral", "positive", "negative")
ANSWERS: dict[SentimentLabel, bytes] = {"positive": b"+", "negative": b"-", "neutral": b"0"}
"""The answer byte of each label."""
_FORMAT = "rexos-opml-sentiment/1"


class SentimentWeights:
    """The exported model: feature indices and their int8 weights (columns: neutral,
    positive, negative), with the digest of the Lense model they came from."""

    def __init__(
        self, features: npt.NDArray[np.int32], weights: npt.NDArray[np.int8], source: str
    ) -> None:
        if weights.dtype != np.int8 or weights.shape != (len(features), len(LABEL_ORDER)):
            raise ValueError(f"weights must be int8 of shape ({len(features)}, 3)")
        if len(features) and (np.any(np.diff(features) <= 0) or features[0] < 0):
            raise ValueError("feature indices must be distinct, ascending and non-negative")
        self.features = features
        self.weights = weights
        self.source = source

    @classmethod
    def export(cls, weights: npt.NDArray[np.int8], source: str) -> SentimentWeights:
        """Keep the rows of a dense ``(dimensions, 3)`` int8 matrix that are not all zero."""
        rows = np.flatnonzero(np.any(weights != 0, axis=1)).astype(np.int32)
        return cls(rows, np.ascontiguousarray(weights[rows]), source)

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            format=np.array(_FORMAT),
            source=np.array(self.source),
            features=self.features,
            weights=self.weights,
        )

    def digest(self) -> str:
        """sha256 over the format, the source digest, the indices and the weights."""
        head = f"{_FORMAT}\n{self.source}\n".encode()
        body = self.features.astype("<i4").tobytes() + self.weights.tobytes()
        return hashlib.sha256(head + body).hexdigest()


@cache
def load_weights(path: Path = WEIGHTS_PATH) -> SentimentWeights:
    """The shipped export (read once per process)."""
    with np.load(path, allow_pickle=False) as data:
        if str(data["format"]) != _FORMAT:
            raise ValueError(f"{path}: not a {_FORMAT} file")
        return SentimentWeights(
            data["features"].astype(np.int32), data["weights"], str(data["source"])
        )


def encode_prompt(
    counts: Mapping[int, int], text: str, model: SentimentWeights | None = None
) -> bytes:
    """The prompt carrying ``counts`` (feature index → count) and ``text``.

    Counts of features the model gives no weight are left out (they add nothing); a count
    must be below :data:`MAX_COUNT` (``ValueError`` otherwise).
    """
    model = model or load_weights()
    block = bytearray(COUNT_BYTES * len(model.features))
    for slot, feature in enumerate(model.features.tolist()):
        count = counts.get(feature, 0)
        if not 0 <= count < MAX_COUNT:
            raise ValueError(f"feature {feature}: count {count} outside [0, {MAX_COUNT})")
        for j in range(COUNT_BYTES):
            block[COUNT_BYTES * slot + j] = count >> (7 * (COUNT_BYTES - 1 - j)) & 127
    return HEADER + bytes(block) + b"\n" + text.encode("utf-8")


MAX_PROMPT_BYTES = 17_142
"""The genesis ``max_prompt_bytes``: header, counts, newline and 2,000 four-byte characters
(a test checks it against the shipped export)."""


def decode_prompt(
    prompt: bytes, model: SentimentWeights | None = None
) -> tuple[dict[int, int], str]:
    """``(counts, text)`` of a prompt :func:`encode_prompt` made (``ValueError`` otherwise)."""
    model = model or load_weights()
    size = COUNT_BYTES * len(model.features)
    block, sep = prompt[len(HEADER) : len(HEADER) + size], len(HEADER) + size
    if not prompt.startswith(HEADER) or len(block) != size or prompt[sep : sep + 1] != b"\n":
        raise ValueError("not an opml-sentiment-v1 prompt")
    if any(b > 127 for b in block):
        raise ValueError("an opml-sentiment-v1 prompt's counts are 7-bit bytes")
    counts = {}
    for slot, feature in enumerate(model.features.tolist()):
        count = 0
        for b in block[COUNT_BYTES * slot : COUNT_BYTES * (slot + 1)]:
            count = count << 7 | b
        if count:
            counts[feature] = count
    return counts, prompt[sep + 1 :].decode("utf-8", errors="replace")


def reference_label(
    counts: Mapping[int, int], model: SentimentWeights | None = None
) -> SentimentLabel:
    """The label in plain Python integers (no VM): the largest class sum, first on a tie."""
    model = model or load_weights()
    sums = [0, 0, 0]
    for feature, row in zip(model.features.tolist(), model.weights.tolist(), strict=True):
        count = counts.get(feature, 0)
        for k in range(3):
            sums[k] += count * row[k]
    return LABEL_ORDER[sums.index(max(sums))]


def label_of(answer: bytes) -> SentimentLabel | None:
    """The label of an answer byte; ``None`` for anything else."""
    for label, byte in ANSWERS.items():
        if answer == byte:
            return label
    return None


@cache
def sentiment_program(model: SentimentWeights | None = None) -> Program:
    """The program: decode each count, multiply-accumulate the three class sums, arg-max.

    Per feature: ``INPUT`` its bytes and fold them (``MAC t = next + t·128``), then one
    ``MAC`` per non-zero weight. The arg-max tags each sum with ``2 − k`` (so equal sums
    keep the first class), keeps the largest with ``MAX`` and recovers ``i`` with
    ``AND 255``; the answer byte is ``y0 + (y1 − y0)·i + (y2 − 2y1 + y0)·i(i−1)/2``, the
    quadratic through the three answer bytes.
    """
    model = model or load_weights()
    pb = ProgramBuilder(mem_depth=4)
    sums, t, u = pb.alloc(3), pb.alloc(), pb.alloc()
    best, index, half, answer = pb.alloc(), pb.alloc(), pb.alloc(), pb.alloc()
    offset = len(HEADER)
    for slot, row in enumerate(model.weights.tolist()):
        at = offset + COUNT_BYTES * slot
        pb.emit(Op.INPUT, t, imm=at)
        for j in range(1, COUNT_BYTES):
            pb.emit(Op.INPUT, u, imm=at + j)
            pb.emit(Op.MAC, t, u, t, 128)
        for k, weight in enumerate(row):
            if weight:
                pb.emit(Op.MAC, sums + k, sums + k, t, weight)
    for k in range(3):
        pb.emit(Op.TAG, sums + k, sums + k, imm=2 - k)
    pb.emit(Op.MAX, best, sums, sums + 1)
    pb.emit(Op.MAX, best, best, sums + 2)
    pb.emit(Op.AND, index, best, imm=255)
    # index 2: neutral, 1: positive, 0: negative
    y0, y1, y2 = ANSWERS["negative"][0], ANSWERS["positive"][0], ANSWERS["neutral"][0]
    pb.emit(Op.MUL, half, index, index)
    pb.emit(Op.MAC, half, half, index, -1)
    pb.emit(Op.SAR, half, half, imm=1)
    pb.emit(Op.CONST, answer, imm=y0)
    pb.emit(Op.MAC, answer, answer, index, y1 - y0)
    pb.emit(Op.MAC, answer, answer, half, y2 - 2 * y1 + y0)
    return pb.build(out_start=answer, out_count=1)
