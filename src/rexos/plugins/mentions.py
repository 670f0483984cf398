"""Which items of third-party text (posts, news) talk about the tokens a user holds.

Each item's text goes through the Ticker agent's :class:`TickerExtractor`; a mention names a
held symbol when it resolves to it, when one of its candidates is it (the holdings settle a
tie the ticker database leaves open: DESIGN's "the user's holdings are the strongest prior";
misspellings excepted), or when its own words are the symbol (``$ETH`` for a held ``ETH``
that the database reads as WETH; ``$REX`` for a token it does not list). The extractor
decides what is a mention at all, so a common word (``one``, ``time``) counts only as a
cashtag or next to a cue. The items stay data: nothing here acts on their words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from rexos.agents.ticker import Mention, TickerExtractor

__all__ = ["HeldMention", "HoldingMatch", "match_holdings"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class HeldMention:
    """One mention of a held token: the symbol, the words as written and where they are."""

    symbol: str
    text: str
    start: int
    end: int
    confidence: float

    def to_json(self) -> dict[str, object]:
        return {
            "symbol": self.symbol,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "confidence": self.confidence,
        }


@dataclass(frozen=True, slots=True)
class HoldingMatch(Generic[T]):
    """An item that mentions held tokens; ``symbols`` in the order they first appear."""

    item: T
    symbols: tuple[str, ...]
    mentions: tuple[HeldMention, ...]


def match_holdings(
    items: Iterable[T],
    held: Iterable[str],
    extractor: TickerExtractor,
    *,
    text: Callable[[T], str],
) -> list[HoldingMatch[T]]:
    """The items whose ``text(item)`` mentions a symbol of ``held`` (any case), in order.

    Items that mention no held token are left out; an empty ``held`` matches nothing.
    """
    wanted = {s.strip().upper() for s in held if s.strip()}
    found: list[HoldingMatch[T]] = []
    if not wanted:
        return found
    for item in items:
        body = text(item)
        hits = [
            HeldMention(symbol, m.text, m.start, m.end, m.confidence)
            for m in extractor.extract(body).mentions
            for symbol in _held_names(m, wanted)
        ]
        if hits:
            symbols = tuple(dict.fromkeys(h.symbol for h in hits))
            found.append(HoldingMatch(item, symbols, tuple(hits)))
    return found


def _held_names(mention: Mention, wanted: set[str]) -> list[str]:
    """The held symbols ``mention`` may name, best first, each once."""
    names = [mention.symbol.upper()] if mention.symbol else []
    names += [c.token.symbol.upper() for c in mention.candidates if c.kind != "typo"]
    names.append(mention.text.removeprefix("$").upper())
    return [n for n in dict.fromkeys(names) if n in wanted]
