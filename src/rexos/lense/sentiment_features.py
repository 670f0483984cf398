"""The model's features: hashed integer counts over a text's normalised words.

Counts of word unigrams (``w:``), word bigrams with start and end marks (``b:``), the
character 3- to 5-grams of each word (``c:``, the ``not_`` mark left out), a ``bias`` and,
with the lexicon, ``lex:pos`` / ``lex:neg`` counted once per unit of the lexicon's positive
and negative weight. Each name is hashed by 32-bit FNV-1a over its UTF-8 bytes and reduced
modulo the power-of-two width, so every machine computes the same integers.
"""

from __future__ import annotations

import itertools

from rexos.lense.sentiment_lexicon import polarity
from rexos.lense.sentiment_text import Recipe, fnv1a32, words

__all__ = ["features"]

_SHIPPED = Recipe()


def features(text: str, recipe: Recipe = _SHIPPED) -> dict[int, int]:
    """Hashed integer counts of ``text``'s features, by index in ``range(recipe.dimensions)``."""
    mask = recipe.dimensions - 1
    found: dict[int, int] = {}

    def add(feature: str, count: int = 1) -> None:
        if count:
            index = fnv1a32(feature.encode("utf-8")) & mask
            found[index] = found.get(index, 0) + count

    seen = words(text, recipe)
    add("bias")
    for word in seen:
        add("w:" + word)
    for a, b in itertools.pairwise(["<s>", *seen, "</s>"]):
        add(f"b:{a} {b}")
    if recipe.chars:
        for word in seen:
            if word.startswith("<"):
                continue
            padded = f" {word.removeprefix('not_')} "
            for n in (3, 4, 5):
                for i in range(len(padded) - n + 1):
                    add("c:" + padded[i : i + n])
    if recipe.lexicon:
        hits = polarity(seen)
        add("lex:pos", sum(h for h in hits if h > 0))
        add("lex:neg", -sum(h for h in hits if h < 0))
    return found
