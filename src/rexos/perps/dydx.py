"""dYdX v4 perpetuals through the public indexer REST API.

``GET /v4/perpetualMarkets?ticker=BTC-USD`` gives the market and
``GET /v4/orderbooks/perpetualMarket/BTC-USD`` its book. The recorded
responses in ``tests/fixtures/perps/dydx/`` are real indexer answers kept in
ccxt's static tests (see the fixtures' README.md); ``nextFundingRate`` comes
with up to 20 significant digits and is read as a ``Decimal`` from the string,
never through ``float``.

Confirmed in the dYdX indexer docs: ``markets`` is an object keyed by ticker;
each market has ``ticker``, ``status``, ``oraclePrice``, ``nextFundingRate``,
``initialMarginFraction``, ``stepSize``, ``tickSize``; the book is ``bids`` and
``asks`` arrays of ``{"price", "size"}`` strings. Assumed, not confirmed on the
pages read: ``nextFundingRate`` is a rate per one-hour funding interval (dYdX
v4 pays funding hourly), and an unknown ticker answers 404 or an empty
``markets`` object (both read as "not listed"). The indexer reports no mark
price apart from the oracle price (which dYdX uses for margin and funding), and
no fee: :attr:`DydxVenue.taker_fee_rate` defaults to the published base-tier
taker fee (0.05 %).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rexos.perps._fields import array, field, number
from rexos.perps._http import HttpNotFound, HttpVenue
from rexos.perps.errors import MarketNotListed, PerpsError
from rexos.perps.schema import Level, PerpMarketData

__all__ = ["DydxVenue", "parse_dydx"]

NAME = "dydx"
_FUNDING_INTERVAL_HOURS = Decimal(1)
DEFAULT_TAKER_FEE_RATE = Decimal("0.0005")


def ticker_of(base: str) -> str:
    """dYdX v4 lists USD-quoted perpetuals as ``BASE-USD``."""
    return f"{base.upper()}-USD"


def _side(rows: Any, name: str) -> tuple[Level, ...]:
    out: list[Level] = []
    for i, row in enumerate(array(rows, NAME, name)):
        price = number(field(row, NAME, "price"), NAME, f"{name}[{i}].price")
        size = number(field(row, NAME, "size"), NAME, f"{name}[{i}].size")
        out.append(Level(price, size))
    return tuple(out)


def market_of(markets: Any, base: str) -> dict[str, Any]:
    """The market object for ``base``; :class:`MarketNotListed` when absent."""
    listed = field(markets, NAME, "markets")
    ticker = ticker_of(base)
    if not isinstance(listed, dict):
        raise PerpsError(f"{NAME}: markets is not an object")
    market = listed.get(ticker)
    if market is None:
        raise MarketNotListed(NAME, base)
    if not isinstance(market, dict):
        raise PerpsError(f"{NAME}: market {ticker} is not an object")
    status = market.get("status")
    if status != "ACTIVE":
        raise PerpsError(f"{NAME}: {ticker} is not trading (status {status!r})")
    return market


def parse_dydx(
    markets: Any,
    orderbook: Any,
    base: str,
    *,
    taker_fee_rate: Decimal = DEFAULT_TAKER_FEE_RATE,
) -> PerpMarketData:
    """Combine the market and book answers for ``base`` into one :class:`PerpMarketData`."""
    market = market_of(markets, base)
    oracle = number(field(market, NAME, "oraclePrice"), NAME, "oraclePrice")
    imf = market.get("initialMarginFraction")
    imf_value = None if imf is None else number(imf, NAME, "initialMarginFraction")
    return PerpMarketData(
        venue=NAME,
        kind="dex",
        symbol=ticker_of(base),
        base=base.upper(),
        mark_price=oracle,
        index_price=oracle,
        taker_fee_rate=taker_fee_rate,
        funding_rate=number(field(market, NAME, "nextFundingRate"), NAME, "nextFundingRate"),
        funding_interval_hours=_FUNDING_INTERVAL_HOURS,
        bids=_side(field(orderbook, NAME, "bids"), "bids"),
        asks=_side(field(orderbook, NAME, "asks"), "asks"),
        max_leverage=1 / imf_value if imf_value else None,
    )


class DydxVenue(HttpVenue):
    """The dYdX v4 mainnet indexer (no key needed)."""

    name = NAME
    default_base_url = "https://indexer.dydx.trade"
    taker_fee_rate = DEFAULT_TAKER_FEE_RATE

    def market_data(self, base: str) -> PerpMarketData:
        """The market, then its book."""
        ticker = ticker_of(base)
        try:
            markets = self._call("GET", "/v4/perpetualMarkets", params={"ticker": ticker})
            market_of(markets, base)
            book = self._call("GET", f"/v4/orderbooks/perpetualMarket/{ticker}")
        except HttpNotFound as exc:
            raise MarketNotListed(NAME, base) from exc
        return parse_dydx(markets, book, base, taker_fee_rate=self.taker_fee_rate)
