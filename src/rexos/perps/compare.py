"""Ask every venue, price the position on each, rank best first and explain the winner."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rexos.errors import PerpsError, UsageError
from rexos.perps.cost import InsufficientDepth, VenueCost, cost_of
from rexos.perps.errors import MarketNotListed
from rexos.perps.explain import explain
from rexos.perps.request import PerpRequest
from rexos.perps.schema import PerpMarketData
from rexos.perps.source import PerpSource

__all__ = ["Comparison", "Unavailable", "compare", "rank"]

_SIZE_QUANTUM = Decimal("1e-8")


@dataclass(frozen=True, slots=True)
class Unavailable:
    """A venue that could not be asked: the reason, and whether it lists no such market."""

    venue: str
    reason: str
    not_listed: bool = False


@dataclass(frozen=True, slots=True)
class Comparison:
    """Priced venues best first, venues too thin for the size, and venues that failed."""

    request: PerpRequest
    size: Decimal
    reference_price: Decimal
    ranked: tuple[VenueCost, ...]
    thin: tuple[InsufficientDepth, ...]
    unavailable: tuple[Unavailable, ...]
    explanation: str

    @property
    def winner(self) -> VenueCost | None:
        """The cheapest venue, or None when none could price the size."""
        return self.ranked[0] if self.ranked else None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready document; every amount is a decimal string."""
        return {
            "market": self.request.base,
            "side": self.request.side,
            "size": _s(self.size),
            "holding_hours": _s(self.request.holding_hours),
            "round_trip": self.request.round_trip,
            "reference_price": _s(self.reference_price),
            "recommendation": self.winner.venue if self.winner else None,
            "explanation": self.explanation,
            "ranked": [_cost_json(c) for c in self.ranked],
            "insufficient_depth": [
                {"venue": t.venue, "kind": t.market.kind, "reason": t.reason} for t in self.thin
            ],
            "unavailable": [
                {"venue": u.venue, "reason": u.reason, "not_listed": u.not_listed}
                for u in self.unavailable
            ],
        }


def rank(costs: Iterable[VenueCost]) -> list[VenueCost]:
    """Cheapest total first; equal totals in venue-name order."""
    return sorted(costs, key=lambda c: (c.total_usd, c.venue))


def _ask(source: PerpSource, base: str) -> PerpMarketData | Unavailable:
    try:
        return source.market_data(base)
    except MarketNotListed as exc:
        return Unavailable(source.name, str(exc), not_listed=True)
    except PerpsError as exc:
        return Unavailable(source.name, str(exc))


def compare(request: PerpRequest, sources: Sequence[PerpSource]) -> Comparison:
    """Ask ``sources`` (concurrently) about ``request.base`` and rank them.

    A venue that fails is kept as :class:`Unavailable` and the others still
    rank. A USD notional becomes one size for every venue at the median of the
    venues' mark prices. Raises :class:`UsageError` when no venue lists the
    market and :class:`PerpsError` when every venue failed.
    """
    if not sources:
        raise UsageError("no venue to compare")
    with ThreadPoolExecutor(max_workers=len(sources)) as pool:
        answers = list(pool.map(lambda s: _ask(s, request.base), sources))
    markets = [a for a in answers if isinstance(a, PerpMarketData)]
    failed = tuple(a for a in answers if isinstance(a, Unavailable))
    if not markets:
        if all(u.not_listed for u in failed):
            raise UsageError(f"unknown market {request.base}: no venue lists a perpetual on it")
        raise PerpsError("no venue answered: " + "; ".join(u.reason for u in failed))
    reference = Decimal(statistics.median(m.mark_price for m in markets))
    size = request.size_at(reference)
    if request.size is None:
        size = size.quantize(_SIZE_QUANTUM)
    priced = [
        cost_of(m, request.side, size, request.holding_hours, round_trip=request.round_trip)
        for m in markets
    ]
    ranked = tuple(rank(c for c in priced if isinstance(c, VenueCost)))
    thin = tuple(
        sorted((c for c in priced if isinstance(c, InsufficientDepth)), key=lambda t: t.venue)
    )
    return Comparison(
        request=request,
        size=size,
        reference_price=reference,
        ranked=ranked,
        thin=thin,
        unavailable=failed,
        explanation=explain(ranked, thin, [(u.venue, u.reason) for u in failed]),
    )


def _s(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.000001')).normalize():f}"


def _cost_json(c: VenueCost) -> dict[str, Any]:
    legs = [c.open] + ([c.close] if c.close else [])
    return {
        "venue": c.venue,
        "kind": c.market.kind,
        "symbol": c.market.symbol,
        "mark_price": _s(c.market.mark_price),
        "mid_price": _s(c.mid_price),
        "notional_usd": _money(c.notional_usd),
        "taker_fee_rate": _s(c.market.taker_fee_rate),
        "funding_rate": _s(c.market.funding_rate),
        "funding_interval_hours": _s(c.market.funding_interval_hours),
        "legs": [
            {
                "action": leg.action,
                "vwap": _money(leg.vwap),
                "slippage_usd": _money(leg.slippage_usd),
                "slippage_bps": _money(leg.slippage_bps),
                "fee_usd": _money(leg.fee_usd),
            }
            for leg in legs
        ],
        "fee_usd": _money(c.fee_usd),
        "slippage_usd": _money(c.slippage_usd),
        "funding_usd": _money(c.funding_usd),
        "total_usd": _money(c.total_usd),
        "total_bps": _money(c.total_bps),
    }
