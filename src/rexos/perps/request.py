"""What the user asks: a market, a side, a size and how long the position is held.

``parse_market`` reads the spellings venues and users write ("BTC",
"btc-perp", "BTC-USD", "BTCUSDT", "BTC/USDT:USDT", "BTC-USDT-SWAP") and keeps
the base asset; every venue adapter maps that base to its own symbol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal, get_args

from rexos.errors import InvalidAmount, UsageError
from rexos.perps.schema import Side

__all__ = ["SIDES", "PerpRequest", "parse_market", "parse_size"]

SIDES: tuple[Side, ...] = get_args(Side)
_QUOTES = ("USDT", "USDC", "USD")
_PERP_SUFFIXES = frozenset({"PERP", "PERPETUAL", "SWAP"})
_BASE = re.compile(r"^[A-Z0-9]{1,15}$")


def parse_market(text: str) -> str:
    """The base asset named by ``text``; :class:`UsageError` when it names none."""
    raw = text.strip().upper()
    market, _, settle = raw.partition(":")
    if settle and settle not in _QUOTES:
        raise UsageError(f"cannot read market {text!r}: unknown settlement asset {settle!r}")
    parts = re.split(r"[-/_]", market)
    if len(parts) > 1 and parts[-1] in _PERP_SUFFIXES:
        parts.pop()
    if len(parts) == 2 and parts[1] in _QUOTES:
        parts.pop()
    if len(parts) == 1:
        base = parts[0]
        for quote in _QUOTES:
            if base.endswith(quote) and len(base) > len(quote):
                base = base.removesuffix(quote)
                break
        if _BASE.match(base) and any(c.isalpha() for c in base):
            return base
    raise UsageError(
        f"cannot read market {text!r}: write a base asset like BTC, BTC-PERP or BTC/USDT:USDT"
    )


def parse_size(text: str) -> tuple[Decimal, Literal["base", "usd"]]:
    """``"2.5"`` is 2.5 base units; ``"$50000"`` or ``"50000usd"`` a notional in US dollars."""
    raw = text.strip().lower().replace(",", "").replace("_", "")
    unit: Literal["base", "usd"] = "base"
    if raw.startswith("$"):
        raw, unit = raw[1:], "usd"
    elif raw.endswith("usd"):
        raw, unit = raw.removesuffix("usd").strip(), "usd"
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidAmount(f"size must be a number like 2.5 or $50000, got {text!r}") from None
    if not value.is_finite() or value <= 0:
        raise InvalidAmount(f"size must be positive, got {text!r}")
    return value, unit


@dataclass(frozen=True, slots=True)
class PerpRequest:
    """Open ``side`` on ``base`` for ``size`` base units (or ``notional_usd``), hold it.

    Exactly one of ``size`` and ``notional_usd`` is given; a notional is turned
    into one size for every venue at a reference price (see
    :func:`rexos.perps.compare`). ``round_trip`` counts closing the position
    on the same book as well as opening it.
    """

    base: str
    side: Side = "long"
    size: Decimal | None = None
    notional_usd: Decimal | None = None
    holding_hours: Decimal = Decimal(24)
    round_trip: bool = True

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise UsageError(f"side must be long or short, got {self.side!r}")
        if (self.size is None) == (self.notional_usd is None):
            raise UsageError("give exactly one of a size in base units and a USD notional")
        for name, value in (("size", self.size), ("notional", self.notional_usd)):
            if value is not None and (not value.is_finite() or value <= 0):
                raise InvalidAmount(f"{name} must be positive, got {value}")
        if not self.holding_hours.is_finite() or self.holding_hours < 0:
            raise UsageError(f"holding hours must be zero or more, got {self.holding_hours}")

    @classmethod
    def parse(
        cls,
        market: str,
        size: str,
        *,
        side: str = "long",
        hours: str = "24",
        round_trip: bool = True,
    ) -> PerpRequest:
        """Build a request from command-line text; every mistake is a :class:`UsageError`."""
        base = parse_market(market)
        amount, unit = parse_size(size)
        wanted = side.strip().lower()
        if wanted not in SIDES:
            raise UsageError(f"side must be long or short, got {side!r}")
        try:
            holding = Decimal(hours.strip())
        except InvalidOperation:
            raise UsageError(f"hours must be a number, got {hours!r}") from None
        return cls(
            base=base,
            side="long" if wanted == "long" else "short",
            size=amount if unit == "base" else None,
            notional_usd=amount if unit == "usd" else None,
            holding_hours=holding,
            round_trip=round_trip,
        )

    def size_at(self, price: Decimal) -> Decimal:
        """The size in base units, converting a notional at ``price``."""
        if self.size is not None:
            return self.size
        assert self.notional_usd is not None
        if price <= 0:
            raise UsageError(f"cannot convert a notional at price {price}")
        return self.notional_usd / price
