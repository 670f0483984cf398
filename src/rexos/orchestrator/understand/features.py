"""What the intent recogniser sees of a request: hashed word and character n-grams.

Values a request carries are replaced by their kind before anything is counted (an address
by ``<addr>``, an ENS name by ``<ens>``, a number by ``<num>``, a known token by ``<tok>``),
so the recogniser learns how people ask, never which token or amount they named: the words
decide the command, and the exact extractors read its values. Hashing uses CRC-32, so the
same text gives the same features in every process and on every machine.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Iterable

__all__ = ["DIMENSIONS", "features", "mask"]

DIMENSIONS = 1 << 14
"""Width of the hashed feature space."""

_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")
_ENS = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.eth\b", re.IGNORECASE)
_NUMBER = re.compile(r"\$?\d[\d,]*(?:\.\d+)?(?:k|m|mm|b|bn|x|%)?\b|\$\d", re.IGNORECASE)
_WORD = re.compile(r"<\w+>|[a-z]+(?:'[a-z]+)?|[?!$%]")


def mask(text: str, tokens: Iterable[str] = ()) -> str:
    """``text`` lower-cased with its values replaced by their kinds."""
    known = {t.lower() for t in tokens}
    clean = _ADDRESS.sub(" <addr> ", text)
    clean = _ENS.sub(" <ens> ", clean)
    clean = _NUMBER.sub(" <num> ", clean)
    words = []
    for word in clean.lower().split():
        bare = word.strip(".,;:!?()\"'").removeprefix("$")
        words.append("<tok>" if bare in known else word)
    return " ".join(words)


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % DIMENSIONS


def features(masked: str) -> dict[int, float]:
    """Hashed counts of word unigrams and bigrams and of character 3- to 5-grams."""
    words = _WORD.findall(masked)
    found: dict[int, float] = {}

    def add(feature: str, weight: float = 1.0) -> None:
        index = _hash(feature)
        found[index] = found.get(index, 0.0) + weight

    padded = ["<s>", *words, "</s>"]
    for word in words:
        add("w:" + word)
    for a, b in itertools.pairwise(padded):
        add(f"b:{a} {b}")
    for word in words:
        if word.startswith("<"):
            continue
        text = f" {word} "
        for n in (3, 4, 5):
            for i in range(len(text) - n + 1):
                add(f"c:{text[i : i + n]}", 0.5)
    add("bias")
    return found
