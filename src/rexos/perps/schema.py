"""One venue's view of a perpetual market, normalised for every venue.

Money and rates are ``Decimal``, never ``float``. Sizes are in units of the
base asset (BTC for a BTC perpetual) even where the venue quotes its book in
contracts; the adapters convert.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, NamedTuple

from rexos.errors import PerpsError

__all__ = ["Level", "PerpMarketData", "Side", "VenueKind"]

Side = Literal["long", "short"]
VenueKind = Literal["cex", "dex"]


class Level(NamedTuple):
    """One price level of an order book: ``size`` base units resting at ``price``."""

    price: Decimal
    size: Decimal


@dataclass(frozen=True, slots=True)
class PerpMarketData:
    """Everything the cost model needs from one venue for one market.

    ``funding_rate`` is the fraction of position value a long pays a short
    each ``funding_interval_hours`` (negative: shorts pay longs).
    ``bids`` are sorted best (highest) first and ``asks`` best (lowest) first;
    the constructor sorts them and drops empty levels.
    """

    venue: str
    kind: VenueKind
    symbol: str
    base: str
    mark_price: Decimal
    index_price: Decimal | None
    taker_fee_rate: Decimal
    funding_rate: Decimal
    funding_interval_hours: Decimal
    bids: tuple[Level, ...]
    asks: tuple[Level, ...]
    max_leverage: Decimal | None = None

    def __post_init__(self) -> None:
        if self.mark_price <= 0:
            raise PerpsError(f"{self.venue}: mark price must be positive, got {self.mark_price}")
        if self.funding_interval_hours <= 0:
            raise PerpsError(f"{self.venue}: funding interval must be positive")
        if not 0 <= self.taker_fee_rate < 1:
            raise PerpsError(f"{self.venue}: taker fee {self.taker_fee_rate} is not a fraction")
        for name, levels in (("bid", self.bids), ("ask", self.asks)):
            for level in levels:
                if level.price <= 0 or level.size < 0:
                    raise PerpsError(f"{self.venue}: bad {name} level {level}")
        bids = tuple(sorted((lv for lv in self.bids if lv.size > 0), key=lambda lv: -lv.price))
        asks = tuple(sorted((lv for lv in self.asks if lv.size > 0), key=lambda lv: lv.price))
        if bids and asks and bids[0].price >= asks[0].price:
            raise PerpsError(
                f"{self.venue}: crossed book (bid {bids[0].price} >= ask {asks[0].price})"
            )
        object.__setattr__(self, "bids", bids)
        object.__setattr__(self, "asks", asks)

    @property
    def mid_price(self) -> Decimal | None:
        """Half-way between the best bid and the best ask; None when a side is empty."""
        if not self.bids or not self.asks:
            return None
        return (self.bids[0].price + self.asks[0].price) / 2
