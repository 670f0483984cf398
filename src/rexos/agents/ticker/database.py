"""The ticker database: tokens from token lists and the devnet, indexed for lookup.

Tokens are indexed by symbol (case-insensitive), by normalised name and by address. The
devnet's tokens come from its deployment manifest (``RexToken``, ``DevToken:<SYMBOL>``,
``BridgedToken:<SYMBOL>``) with decimals the caller supplies; a token whose decimals are
unknown is left out, never guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from rexos.agents.ticker.tokenlist import TokenInfo, TokenList, load_snapshot
from rexos.chain.manifest import Manifest
from rexos.types import parse_address

__all__ = [
    "DEVNET_CHAIN_ID",
    "WIDELY_TRADED",
    "DevnetEntry",
    "TickerDB",
    "devnet_tokens",
    "manifest_entries",
    "normalize_name",
]

DEVNET_CHAIN_ID = 31337
"""The devnet's main chain: the preferred chain whenever devnet tokens are loaded."""

WIDELY_TRADED = frozenset(
    {"XRP", "OP", "BONK", "DOGE", "WIF", "PAXG", "WAVAX", "WBNB", "AERO", "WLD", "ZK", "KAITO",
     "XAUT", "SHIB", "PEPE", "ARB"}
)  # fmt: skip
"""Widely traded tokens (among the largest by market value and trading volume, 2024–2026, from
public market data) that the shipped token list may list on one chain only; none is an
English word in lower case. Facts, written here by hand."""

DevnetEntry = tuple[int, str, str, int, str]
"""``(chain_id, symbol, address, decimals, name)`` of one devnet token."""

_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")
_NOT_WORD = re.compile(r"[^0-9a-z.]+")


def normalize_name(name: str) -> str:
    """``"ChainLink Token"`` → ``"chainlink"``; ``"Wrapped Ether (dev)"`` → ``"wrapped ether"``."""
    text = _SUFFIX.sub("", name.casefold())
    words = _NOT_WORD.sub(" ", text).replace(". ", " ").split()
    if len(words) > 1 and words[-1] == "token":
        words.pop()
    return " ".join(words)


def devnet_tokens(entries: Iterable[DevnetEntry]) -> tuple[TokenInfo, ...]:
    """Devnet tokens from ``(chain_id, symbol, address, decimals, name)`` tuples."""
    return tuple(
        TokenInfo(chain_id, parse_address(address), symbol, name, decimals, devnet=True)
        for chain_id, symbol, address, decimals, name in entries
    )


def manifest_entries(
    manifest: Manifest, decimals: Mapping[str, int], names: Mapping[str, str] | None = None
) -> list[DevnetEntry]:
    """The tokens of one deployment manifest; ``decimals`` (and ``names``) by symbol."""
    entries: list[DevnetEntry] = []
    for key, address in sorted(manifest.contracts.items()):
        kind, _, symbol = key.partition(":")
        if key == "RexToken":
            symbol = "REX"
        elif kind not in ("DevToken", "BridgedToken") or not symbol:
            continue
        if symbol not in decimals:
            continue
        name = (names or {}).get(symbol, symbol)
        if kind == "BridgedToken":
            name = f"{name} (bridged)"
        entries.append((manifest.chain_id, symbol, address, decimals[symbol], name))
    return entries


class TickerDB:
    """An in-memory index of tokens; the first token seen for a (chain, address) wins."""

    def __init__(self, tokens: Iterable[TokenInfo]) -> None:
        kept: dict[tuple[int, str], TokenInfo] = {}
        for token in tokens:
            kept.setdefault((token.chain_id, token.address.lower()), token)
        self.tokens: tuple[TokenInfo, ...] = tuple(kept.values())
        self._symbol: dict[str, list[TokenInfo]] = defaultdict(list)
        self._name: dict[str, list[TokenInfo]] = defaultdict(list)
        self._address: dict[str, list[TokenInfo]] = defaultdict(list)
        chains: dict[tuple[str, str], set[int]] = defaultdict(set)
        for token in self.tokens:
            self._symbol[token.symbol.upper()].append(token)
            name = normalize_name(token.name)
            self._name[name].append(token)
            if name.startswith("the ") and len(name) > 8:  # "The Sandbox" is "sandbox" too
                self._name[name.removeprefix("the ")].append(token)
            self._address[token.address.lower()].append(token)
            chains[(token.symbol.upper(), normalize_name(token.name))].add(token.chain_id)
        self._chains = {key: len(ids) for key, ids in chains.items()}
        devnet = [t for t in self.tokens if t.devnet]
        rex = [t.chain_id for t in devnet if t.symbol == "REX"]
        self.home_chain: int = min(rex or [t.chain_id for t in devnet] or [1])

    @classmethod
    def build(cls, lists: Iterable[TokenList] = (), devnet: Iterable[DevnetEntry] = ()) -> TickerDB:
        """Devnet tokens first, then each list in order."""
        tokens = list(devnet_tokens(devnet))
        for token_list in lists:
            tokens.extend(token_list.tokens)
        return cls(tokens)

    @classmethod
    def default(cls, devnet: Iterable[DevnetEntry] = ()) -> TickerDB:
        """The shipped snapshot plus ``devnet`` tokens."""
        return cls.build([load_snapshot()], devnet)

    def __len__(self) -> int:
        return len(self.tokens)

    @property
    def has_devnet(self) -> bool:
        return any(t.devnet for t in self.tokens)

    def by_symbol(self, symbol: str) -> tuple[TokenInfo, ...]:
        """Tokens whose symbol is ``symbol``, ignoring case."""
        return tuple(self._symbol.get(symbol.upper(), ()))

    def by_name(self, name: str) -> tuple[TokenInfo, ...]:
        """Tokens whose normalised name is ``normalize_name(name)``."""
        return tuple(self._name.get(normalize_name(name), ()))

    def by_address(self, address: str) -> tuple[TokenInfo, ...]:
        """Tokens at ``address`` (any case) on any chain."""
        return tuple(self._address.get(address.lower(), ()))

    def chains_listed(self, token: TokenInfo) -> int:
        """On how many chains a token with this symbol and name is listed."""
        return self._chains[(token.symbol.upper(), normalize_name(token.name))]

    def is_popular(self, token: TokenInfo) -> bool:
        """A devnet token, one listed on several chains, or one of the widely traded tokens a
        token list happens to list on one chain only (XRP, OP, DOGE): a fair target for
        misspellings and for its ticker in lower case."""
        return (
            token.devnet or self.chains_listed(token) >= 2 or token.symbol.upper() in WIDELY_TRADED
        )

    def symbols(self, *, popular: bool = False) -> frozenset[str]:
        """Upper-case symbols (only those of popular tokens with ``popular``)."""
        return frozenset(
            key
            for key, found in self._symbol.items()
            if not popular or any(map(self.is_popular, found))
        )

    def names(self, *, popular: bool = False) -> frozenset[str]:
        """Normalised names (only those of popular tokens with ``popular``)."""
        return frozenset(
            key
            for key, found in self._name.items()
            if not popular or any(map(self.is_popular, found))
        )

    def with_devnet(self, devnet: Iterable[DevnetEntry]) -> TickerDB:
        """A copy with ``devnet`` tokens in front."""
        return TickerDB([*devnet_tokens(devnet), *self.tokens])
