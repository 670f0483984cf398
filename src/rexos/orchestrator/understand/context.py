"""Sentences told around a request, set aside so the request is read on its own.

People write a line of background before (or after) what they ask: "gas was insane
yesterday. what's eth trading at today?", "alice covered my coffee all week lol. send 40
usdc to alice". A sentence is background only when it is a plain statement: it starts with
who or what it is about ("i", "my", "everyone", "gas", "alice", "it's"), asks nothing (no
question mark, no "please"/"can you"), names no action verb, wishes nothing ("i want", "i
need") and negates, delays or conditions nothing ("not", "don't", "wait", "if", "later").
Nothing is ever taken from a background sentence: the request left must stand on its own,
and the caller still vets it against the whole text (a time or a condition anywhere is
still asked about). A pronoun in the request that points back ("send him 25 usdc") names
the one wallet the background names, and only then (:func:`pointed_wallet`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Background", "without_background"]

_SENTENCES = re.compile(r"(?<=[.!?])\s+|\s*[\u2600-\u27bf\U0001f000-\U0001faff]+\s*")
_FILLER = r"(?:(?:ugh|lol|lmao|haha|man|dude|wow|ok|okay|anyway|so|well|btw|fyi|hmm|oh)[,!.\s]+)*"
_SUBJECT = re.compile(
    rf"^{_FILLER}(?:i|i'm|im|i've|ive|i'd|i\s+was|my|we|we're|our|he|he's|she|she's|they"
    r"|they're|it|it's|its|this|that|there|there's|everyone|everybody|someone|somebody"
    r"|people|gas|fees|the\s+[a-z]+|a\s+[a-z]+|[a-z]+'s|[a-z]+s')\b",
    re.IGNORECASE,
)
_ACTS = re.compile(
    r"\b(?:send|swap|bridge|stake|unstake|claim|buy|sell|pay|transfer|move|trade|convert"
    r"|exchange|show|check|tell|give|get\s+me|list|chart|graph|plot|ask|withdraw|deposit"
    r"|want|need|wanna|like\s+to|looking\s+to|wish|should|must|please|pls|plz|can\s+you"
    r"|could\s+you|can\s+u|could\s+u|not|n't|dont|never|no|wait|stop|cancel|hold|if|unless"
    r"|when|once|after|before|later|tomorrow|tonight|schedule|every|until|maybe|might|perhaps)\b",
    re.IGNORECASE,
)
_VALUE = re.compile(r"0x[0-9a-f]{4,}|\b[\w-]+\.[a-z]{2,}\b|@|\d", re.IGNORECASE)
"""An address, a name with a dot (ENS, e-mail, a site), a handle or a number: a value, which
background never carries (values are never taken from it, and never left behind)."""
_WALLET_POINTER = re.compile(r"\b(?:him|her)\b", re.IGNORECASE)
_OTHER_POINTER = re.compile(
    r"\b(?:it|its|it's|them|they|that|this|those|these|mine|one|ones|there)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Background:
    """``rest``: the request without its background; ``told``: the background sentences."""

    rest: str
    told: tuple[str, ...]


def _is_background(sentence: str, names: frozenset[str]) -> bool:
    plain = sentence.strip(" .!,")
    first = re.match(rf"{_FILLER}([a-z]+)", plain, re.IGNORECASE)
    about = _SUBJECT.match(plain) is not None or (
        first is not None and first.group(1).lower() in names
    )
    return (
        bool(plain)
        and "?" not in plain
        and about
        and _ACTS.search(plain) is None
        and _VALUE.search(plain) is None
    )


def without_background(text: str, names: frozenset[str] = frozenset()) -> Background | None:
    """``text`` without its background sentences, or ``None`` when it has none, or is
    nothing but background (a remark: the pipeline replies to it). ``names`` are the
    wallets a sentence may be about ("alice covered my coffee all week")."""
    sentences = [s for s in _SENTENCES.split(text.strip()) if s and s.strip(" .!")]
    if len(sentences) < 2:
        return None
    told = tuple(s for s in sentences if _is_background(s, names))
    rest = [s for s in sentences if not _is_background(s, names)]
    if not told or not rest:
        return None
    kept = " ".join(rest)
    if _OTHER_POINTER.search(kept):
        return None  # "… earn points here. how many does mine have": it needs what was told
    return Background(kept, told)


def pointed_wallet(background: Background, wallets: frozenset[str]) -> str | None:
    """The one wallet the background names, when the request points back at someone
    ("it's dave's birthday. send him 25 usdc"); ``None`` when it names none or several."""
    if _WALLET_POINTER.search(background.rest) is None:
        return None
    named = {
        name
        for sentence in background.told
        for name in wallets
        if re.search(rf"\b{re.escape(name)}(?:'s)?\b", sentence, re.IGNORECASE)
    }
    return next(iter(named)) if len(named) == 1 else None
