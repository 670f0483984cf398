"""The perp rule: compare venues for a position, or open one.

``compare perps for BTC 2 long`` → ``action="compare"``; ``long 1 BTC``,
``go short $5k of ETH`` → ``action="open"``. Market, side and size are read in any
order; the size is a number of the base token or a dollar notional, never a share
of a balance. RexOS compares venues and opens nothing, so only the market is required:
without a side both are compared, and without a size the comparison says it uses a
reference size (nothing is assumed about the user's position).
"""

from __future__ import annotations

import re

from rexos.orchestrator.intent.result import JsonValue
from rexos.orchestrator.intent.rule import Rule, trigger
from rexos.orchestrator.intent.slots import (
    Context,
    Unclear,
    amount_json,
    is_symbol_shaped,
    parse_symbol,
    read_amount,
)

__all__ = ["PERP"]

_SIDES = {"long", "short"}
_NOISE = {"for", "on", "of", "a", "an", "the", "with", "worth", "position", "size", "perp", "perps",
          "venue", "venues", "exchanges", "dexes", "dex"}  # fmt: skip
_MARKET_SUFFIX = re.compile(r"(?:-perp|-usdt?|/usdt?(?::usdt?)?)$", re.IGNORECASE)


def _read(match: re.Match[str], ctx: Context) -> dict[str, JsonValue]:
    opened = match["side"]
    words = [w for w in match["rest"].split() if w.lower() not in _NOISE]
    sides = {w.lower() for w in words if w.lower() in _SIDES} | (
        {opened.lower()} if opened else set()
    )
    words = [w for w in words if w.lower() not in _SIDES]
    if len(sides) > 1:
        raise Unclear("Long or short? You said both.", "side")
    markets = [w for w in words if is_symbol_shaped(_MARKET_SUFFIX.sub("", w))]
    if len(markets) > 1:
        raise Unclear(f"One market at a time: {' or '.join(markets)}?", "market")
    if not markets:
        raise Unclear("Which market (e.g. BTC or ETH)?", "market")
    market = parse_symbol(_MARKET_SUFFIX.sub("", markets[0]), "market", ctx)
    size_text = " ".join(w for w in words if w != markets[0])
    side = sides.pop() if sides else None
    size = read_amount(size_text, "size") if size_text else None
    if size is not None and size.kind == "fraction":
        raise Unclear(
            f"A perp size is a number of {market} or a dollar notional, not '{size_text}': "
            "how big?",
            "size",
        )
    return {
        "action": "open" if opened else "compare",
        "market": market,
        "side": side,
        "size": amount_json(size) if size else None,
    }


PERP = Rule(
    "perp",
    trigger(
        r"(?:compare\s+(?:the\s+)?perps?\b|perps?\s+(?:for|on)\b|"
        r"(?:go\s+|open\s+(?:a\s+)?)?(?P<side>long|short)\b)\s*(?P<rest>.*)"
    ),
    _read,
)
