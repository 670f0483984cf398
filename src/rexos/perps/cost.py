"""What a position costs on one venue, in US dollars, with every term kept.

For a size ``S`` (base units), a side and a holding period of ``H`` hours:

* each leg walks the book from the best level: a long opens against the asks
  and closes against the bids, a short the other way round. The leg's
  ``vwap = Σ price·taken / S``; its slippage is measured against the mid
  ``M = (best bid + best ask) / 2``: ``(vwap − M)·S`` when buying,
  ``(M − vwap)·S`` when selling, so it includes half the spread; in basis
  points it is ``slippage / (M·S) · 10⁴``. A book too thin for ``S`` does not
  price the leg: the venue is reported as *insufficient depth*.
* the taker fee of a leg is ``taker_fee_rate · vwap · S``.
* funding over the holding period is
  ``sign · funding_rate · H / interval_hours · mark_price · S`` with
  ``sign = +1`` for a long and ``−1`` for a short: positive funding is a cost
  to longs and an income to shorts.
* ``total = fees + slippage + funding``; ``round_trip`` adds the closing leg
  (priced on today's book), otherwise only the opening leg is counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from rexos.errors import InvalidAmount
from rexos.perps.schema import Level, PerpMarketData, Side

__all__ = ["InsufficientDepth", "LegCost", "VenueCost", "cost_of", "walk_book"]

_BPS = Decimal(10_000)


@dataclass(frozen=True, slots=True)
class LegCost:
    """One market order of the position: open or close."""

    action: Literal["buy", "sell"]
    vwap: Decimal
    slippage_usd: Decimal
    slippage_bps: Decimal
    fee_usd: Decimal


@dataclass(frozen=True, slots=True)
class VenueCost:
    """Every term of the cost of holding the position on one venue."""

    market: PerpMarketData
    side: Side
    size: Decimal
    holding_hours: Decimal
    mid_price: Decimal
    notional_usd: Decimal
    open: LegCost
    close: LegCost | None
    funding_periods: Decimal
    funding_usd: Decimal

    @property
    def venue(self) -> str:
        """The venue id."""
        return self.market.venue

    @property
    def fee_usd(self) -> Decimal:
        """Taker fees of every counted leg."""
        return self.open.fee_usd + (self.close.fee_usd if self.close else Decimal(0))

    @property
    def slippage_usd(self) -> Decimal:
        """Slippage against the mid of every counted leg."""
        return self.open.slippage_usd + (self.close.slippage_usd if self.close else Decimal(0))

    @property
    def total_usd(self) -> Decimal:
        """Fees + slippage + funding: what the position is expected to cost."""
        return self.fee_usd + self.slippage_usd + self.funding_usd

    @property
    def total_bps(self) -> Decimal:
        """The total in basis points of the notional at mark."""
        return self.total_usd / self.notional_usd * _BPS


@dataclass(frozen=True, slots=True)
class InsufficientDepth:
    """The book cannot fill the size on one side; the venue is not priced."""

    market: PerpMarketData
    action: Literal["buy", "sell"]
    wanted: Decimal
    available: Decimal

    @property
    def venue(self) -> str:
        """The venue id."""
        return self.market.venue

    @property
    def reason(self) -> str:
        """One line for people."""
        book = "asks" if self.action == "buy" else "bids"
        return (
            f"insufficient depth: {self.available.normalize():f} {self.market.base} on the "
            f"{book}, {self.wanted.normalize():f} needed"
        )


def walk_book(levels: tuple[Level, ...], size: Decimal) -> Decimal | None:
    """The volume-weighted price of taking ``size`` from ``levels`` (best first); None if thin."""
    if size <= 0:
        raise InvalidAmount(f"size must be positive, got {size}")
    left = size
    paid = Decimal(0)
    for level in levels:
        taken = min(left, level.size)
        paid += taken * level.price
        left -= taken
        if left == 0:
            return paid / size
    return None


def _leg(
    market: PerpMarketData, action: Literal["buy", "sell"], size: Decimal, mid: Decimal
) -> LegCost | InsufficientDepth:
    book = market.asks if action == "buy" else market.bids
    vwap = walk_book(book, size)
    if vwap is None:
        return InsufficientDepth(market, action, size, sum((lv.size for lv in book), Decimal(0)))
    slippage = (vwap - mid) * size if action == "buy" else (mid - vwap) * size
    return LegCost(
        action=action,
        vwap=vwap,
        slippage_usd=slippage,
        slippage_bps=slippage / (mid * size) * _BPS,
        fee_usd=market.taker_fee_rate * vwap * size,
    )


def cost_of(
    market: PerpMarketData,
    side: Side,
    size: Decimal,
    holding_hours: Decimal,
    *,
    round_trip: bool = True,
) -> VenueCost | InsufficientDepth:
    """Price the position on ``market``; see the module docstring for the formulas."""
    if size <= 0:
        raise InvalidAmount(f"size must be positive, got {size}")
    opening: Literal["buy", "sell"] = "buy" if side == "long" else "sell"
    closing: Literal["buy", "sell"] = "sell" if side == "long" else "buy"
    mid = market.mid_price
    if mid is None:
        empty = opening if not (market.asks if opening == "buy" else market.bids) else closing
        return InsufficientDepth(market, empty, size, Decimal(0))
    open_leg = _leg(market, opening, size, mid)
    if isinstance(open_leg, InsufficientDepth):
        return open_leg
    close_leg = _leg(market, closing, size, mid) if round_trip else None
    if isinstance(close_leg, InsufficientDepth):
        return close_leg
    periods = holding_hours / market.funding_interval_hours
    sign = 1 if side == "long" else -1
    notional = market.mark_price * size
    return VenueCost(
        market=market,
        side=side,
        size=size,
        holding_hours=holding_hours,
        mid_price=mid,
        notional_usd=notional,
        open=open_leg,
        close=close_leg,
        funding_periods=periods,
        funding_usd=sign * market.funding_rate * periods * notional,
    )
