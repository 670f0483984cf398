"""Two prices for one token, and whether they disagree."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = ["DEFAULT_DIVERGENCE_BPS", "PriceCheck", "compare_prices"]

DEFAULT_DIVERGENCE_BPS = Decimal(200)
"""2 %: above this the two sources are flagged as diverging."""


@dataclass(frozen=True, slots=True)
class PriceCheck:
    symbol: str
    dex_usd: Decimal | None
    feed_usd: Decimal | None
    divergence_bps: Decimal | None
    diverges: bool

    @property
    def best(self) -> Decimal | None:
        """The DEX price when the sources agree or only it exists; else the feed."""
        if self.diverges:
            return None
        return self.dex_usd if self.dex_usd is not None else self.feed_usd


def compare_prices(
    symbol: str,
    dex_usd: Decimal | None,
    feed_usd: Decimal | None,
    threshold_bps: Decimal = DEFAULT_DIVERGENCE_BPS,
) -> PriceCheck:
    """|dex − feed| / feed in basis points, flagged above ``threshold_bps``."""
    if dex_usd is None or feed_usd is None or feed_usd <= 0:
        return PriceCheck(symbol, dex_usd, feed_usd, None, False)
    bps = (abs(dex_usd - feed_usd) / feed_usd * 10_000).quantize(Decimal("0.01"))
    return PriceCheck(symbol, dex_usd, feed_usd, bps, bps > threshold_bps)
