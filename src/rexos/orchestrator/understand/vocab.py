"""The token words the understanding pipeline knows: symbols and names from the Ticker
agent's token list, and the few names people use for the chains' own coins.

Intents name a chain's own coin as people do (ETH, BTC); the Ticker agent maps them to the
wrapped tokens when it resolves addresses.
"""

from __future__ import annotations

import re
from functools import cache

from rexos.agents.ticker.tokenlist import load_snapshot
from rexos.agents.ticker.words import COMMON_WORDS

__all__ = ["NAMES", "is_token_word", "symbols", "token_names"]

NAMES: dict[str, str] = {
    "ether": "ETH",
    "ethereum": "ETH",
    "eth": "ETH",
    "bitcoin": "BTC",
    "btc": "BTC",
    "tether": "USDT",
    "usd coin": "USDC",
    "solana": "SOL",
    "dogecoin": "DOGE",
    "rex": "REX",
    "srex": "SREX",
    "wrapped bitcoin": "WBTC",
    "wrapped btc": "WBTC",
    "wrapped ether": "WETH",
    "wrapped eth": "WETH",
}
"""Names and spellings of the coins people most often name by word."""

_EXTRA = ("ETH", "BTC", "REX", "SREX", "SOL", "AVAX", "BNB", "MATIC", "DOT", "ADA", "XRP")
_NAME_NOISE = re.compile(r"\s*\((?:[^)]*)\)|\s+token$|\s+coin$|\s+protocol$|\s+network$", re.I)


@cache
def symbols() -> frozenset[str]:
    """Every known token symbol, upper case."""
    listed = {t.symbol.upper() for t in load_snapshot().tokens if t.symbol.isascii()}
    return frozenset(listed | set(_EXTRA))


@cache
def token_names() -> dict[str, str]:
    """Lower-case token names (one to three words) → symbol, plus :data:`NAMES`."""
    found: dict[str, str] = {}
    for token in load_snapshot().tokens:
        name = _NAME_NOISE.sub("", token.name).strip().lower()
        if len(name) >= 3 and len(name.split()) <= 3 and name.isascii():
            found.setdefault(name, token.symbol.upper())
            if name.startswith("the ") and len(name) >= 10:  # "the sandbox" is "sandbox"
                found.setdefault(name.removeprefix("the "), token.symbol.upper())
    found.update(NAMES)
    return found


def is_token_word(word: str) -> bool:
    """Whether ``word`` (as written) names a token in a command: a cashtag or a known symbol
    or name that is not an ordinary word of a request ("one", "time", "send", "all")."""
    bare = word.removeprefix("$")
    if word.startswith("$") and bare.upper() in symbols():
        return True
    known = bare.upper() in symbols() or bare.lower() in NAMES
    return known and bare.upper() not in COMMON_WORDS
