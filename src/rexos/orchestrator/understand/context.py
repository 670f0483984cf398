"""Sentences told around a read, set aside so the read is answered on its own.

People write a line of background before (or after) what they ask: "gas was insane
yesterday. what's eth trading at today?", "my cousin keeps talking about link. what does it
trade at" is not one (it points back). A sentence is background only when it is a plain
statement: it starts with who or what it is about ("i", "my", "everyone", "gas", a wallet's
name), has a verb, asks nothing (no question mark, no "please"/"can you"), names no action,
wishes nothing ("i want", "i need"), negates, delays or conditions nothing ("not", "don't",
"wait", "if", "later"), and carries no value: no number, address, handle, and no token or
chain that the rest does not name itself. Nothing is ever taken from a background sentence,
and the rest must not point back at it ("it", "him", "mine"). The caller sets background
aside for reads only: a request that moves funds keeps the whole text's checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rexos.orchestrator.understand.normalise import CHAIN_NAME
from rexos.orchestrator.understand.vocab import is_token_word

__all__ = ["Background", "pointed_token", "without_background"]

_SENTENCES = re.compile(r"(?<=[.!?,])\s+|\s*[\u2600-\u27bf\U0001f000-\U0001faff]+\s*")
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
_VERB = re.compile(
    r"\b(?:is|was|are|were|am|be|been|has|have|had|does|did|got|gets|keeps?|kept|said|says|told"
    r"|tells|loves?|hates?|thinks?|thought|feels?|felt|seems?|seemed|goes|went|made|makes|came"
    r"|comes|knows?|knew|won|lost|ate|bought|sold|sent|saw|heard|needs)\b|\w'(?:s|re|m|ve)\b"
    r"|\b\w{3,}ed\b",
    re.IGNORECASE,
)
"""A finite verb: background is a statement ("gas was insane"), never a bare noun phrase
("the price of link"), which may be the request itself."""
_QUESTION = re.compile(
    rf"^{_FILLER}(?:what|who|how|where|when|why|which|whats|hows|is|are|am|do|does|did|can|could"
    r"|will|would|should|shall|may|have|has)\b",
    re.IGNORECASE,
)
"""A question, with or without its question mark ("what's my usdc balance")."""
_CHAIN = re.compile(rf"\b{CHAIN_NAME}\b", re.IGNORECASE)
_POINTER = re.compile(
    r"\b(?:it|its|it's|them|they|that|this|those|these|mine|one|ones|there|him|her|his)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Background:
    """``rest``: the request without its background; ``told``: the background sentences."""

    rest: str
    told: tuple[str, ...]


def _is_background(sentence: str, names: frozenset[str]) -> bool:
    plain = sentence.strip(" .!,")
    if _QUESTION.match(plain):
        return False
    first = re.match(rf"{_FILLER}([a-z]+)", plain, re.IGNORECASE)
    about = _SUBJECT.match(plain) is not None or (
        first is not None and first.group(1).lower() in names
    )
    return (
        bool(plain)
        and "?" not in plain
        and about
        and _VERB.search(plain) is not None
        and _ACTS.search(plain) is None
        and _VALUE.search(plain) is None
    )


def _carried(sentence: str, rest: str) -> set[str]:
    """The tokens and chains ``sentence`` names that ``rest`` does not: values the request
    may lean on ("i'm bullish on arb, where should i open a long"), so never set aside."""
    words = {w.lower() for w in re.findall(r"\$?[a-z][a-z0-9]*", rest, re.IGNORECASE)}
    said = re.findall(r"(?<![\w'’])\$?[a-z][a-z0-9]+", sentence, re.IGNORECASE)
    named = {w for w in said if is_token_word(w)} | {m.group(0) for m in _CHAIN.finditer(sentence)}
    return {w for w in named if w.lower() not in words and w.lower() not in rest.lower()}


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
    if any(_carried(sentence, kept) for sentence in told):
        return None
    if _POINTER.search(kept):
        return None  # "… earn points here. how many does mine have": it needs what was told
    return Background(kept, told)


_ACTS_ON = re.compile(
    r"\b(?:send|swap|sell|buy|bridge|stake|unstake|claim|pay|transfer|move|trade|convert"
    r"|exchange|if|when|then)\b",
    re.IGNORECASE,
)
_FULL_STOPS = re.compile(r"(?<=[.!?])\s+|\s*[\u2600-\u27bf\U0001f000-\U0001faff]+\s*")
_IT = re.compile(r"\b(?:its|it's|it|that\s+(?:one|coin|token))\b", re.IGNORECASE)


def pointed_token(text: str) -> str | None:
    """The last sentence of ``text`` with its "it"/"its" replaced by the one token the
    sentences before it name ("my friend won't shut up about wif. what's its price?" → "what's
    wif price?"), or ``None`` when they name none or several, or nothing points back. For
    reads only: the caller never acts on it."""
    sentences = [s for s in _FULL_STOPS.split(text.strip()) if s and s.strip(" .!")]
    if len(sentences) < 2 or _IT.search(sentences[-1]) is None or _ACTS_ON.search(sentences[-1]):
        return None
    before = " ".join(sentences[:-1])
    if _ACTS_ON.search(before):
        return None  # "sell 5 link. what's its price?": a request is never dropped
    words = re.findall(r"(?<![\w'’])\$?[a-z][a-z0-9]+", before, re.IGNORECASE)
    named = {w.lower().lstrip("$") for w in words if is_token_word(w)}
    if len(named) != 1:
        return None
    token = next(iter(named))
    return _IT.sub(token, sentences[-1], count=1)
