"""What the sentiment model reads of a text: normalised words, then hashed integer counts.

Normalisation (each choice was made by cross-validation on the train half, see
``sentiment_train.cross_validate``): the text is cut to :data:`MAX_CHARS`, NFKC-folded and
lower-cased; a few emoji become words (🚀 → ``rocket``), any other pictograph ``<emoji>``;
a percentage becomes ``<pct>`` (``<pct_up>``/``<pct_down>`` with a written sign), an amount of
dollars ``<usd>``, any other number ``<num>``; a cashtag ``$eth`` is read as the word ``eth``
(or ``<tok>``); the words after a negator, up to three or the next punctuation, carry a
``not_`` prefix.

Nothing here depends on the process (no salted ``hash()``), so every machine reads the same
words; ``sentiment_features`` turns them into hashed counts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

__all__ = ["EMOJI", "MAX_CHARS", "NEGATORS", "Recipe", "fnv1a32", "words"]

MAX_CHARS = 2000
"""Texts are cut to this many characters before anything else: third-party text is untrusted."""
EMOJI = {
    "🚀": "rocket", "📈": "chart_up", "📉": "chart_down", "💀": "skull", "🤡": "clown",
    "🙃": "upside_down", "🙄": "eye_roll", "👏": "clap", "😎": "cool", "😤": "huff",
    "🔥": "fire", "💎": "diamond", "🙌": "raised_hands", "😭": "crying", "😢": "sad",
    "🩸": "blood", "🐂": "bull", "🐻": "bear", "🎉": "party", "🤝": "handshake",
    "⚠": "warning", "✅": "check", "❌": "cross", "👀": "eyes", "🤔": "thinking",
    "😂": "laughing", "🤣": "laughing", "💰": "money_bag", "🟢": "green", "🔴": "red",
    "😱": "scream", "🥳": "party", "💪": "strong", "🫠": "melting", "🤑": "money_face",
}  # fmt: skip
"""Pictographs read as words; any other becomes ``<emoji>``."""
NEGATORS = frozenset(
    {"not", "no", "never", "nobody", "nothing", "neither", "nor", "without", "hardly"}
)
"""Words that negate what follows (and any word ending in ``n't``)."""
_NEGATED_SPAN = 3

_PERCENT = re.compile(r"([+\-−]?)\s?\d[\d,]*(?:\.\d+)?\s?%")
_DOLLARS = re.compile(r"\$\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|b|bn|million|billion|trillion)?\b")
_NUMBER = re.compile(r"\b\d[\d,]*(?:\.\d+)?(?:k|m|b|bn|x)?\b")
_CASHTAG = re.compile(r"\$([a-z][a-z0-9]{0,9})\b")
_TOKEN = re.compile(r"<[a-z_]+>|[a-z0-9_]+(?:'[a-z]+)?|[.,;:!?]")
_BOUNDARY = frozenset(".,;:!?")


@dataclass(frozen=True)
class Recipe:
    """The choices that shape the features (the shipped model's recipe is the default)."""

    dimensions: int = 1 << 12
    cashtags: Literal["keep", "mask"] = "keep"
    numbers: bool = True
    emoji: bool = True
    negation: bool = True
    chars: bool = False
    lexicon: bool = True


def fnv1a32(data: bytes) -> int:
    """32-bit FNV-1a of ``data``."""
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def _pictographs(text: str, recipe: Recipe) -> str:
    out = []
    for char in text:
        if char in EMOJI:
            out.append(f" {EMOJI[char]} " if recipe.emoji else " ")
        elif unicodedata.category(char) == "So":
            out.append(" <emoji> " if recipe.emoji else " ")
        else:
            out.append(char)
    return "".join(out)


def _percent(match: re.Match[str]) -> str:
    sign = match.group(1)
    return " <pct_up> " if sign == "+" else " <pct_down> " if sign else " <pct> "


def words(text: str, recipe: Recipe = Recipe()) -> list[str]:
    """The normalised words of ``text`` (punctuation dropped after it has ended negations)."""
    clean = unicodedata.normalize("NFKC", text[:MAX_CHARS])
    clean = _pictographs(clean, recipe).lower()
    if recipe.numbers:
        clean = _PERCENT.sub(_percent, clean)
        clean = _DOLLARS.sub(" <usd> ", clean)
        clean = _NUMBER.sub(" <num> ", clean)
    clean = _CASHTAG.sub(r" <tok> " if recipe.cashtags == "mask" else r" \1 ", clean)
    found: list[str] = []
    negated = 0
    for token in _TOKEN.findall(clean):
        if token in _BOUNDARY:
            negated = 0
            continue
        found.append(f"not_{token}" if negated and not token.startswith("<") else token)
        negated = max(negated - 1, 0)
        if recipe.negation and (token in NEGATORS or token.endswith("n't")):
            negated = _NEGATED_SPAN
    return found
