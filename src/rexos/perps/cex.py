"""Centralised venues through ccxt: Binance USDⓈ-M, Bybit linear and OKX swap.

This is the only module that imports ``ccxt``, and it does so lazily. Each
venue loads only its linear-swap markets, then calls ``fetch_order_book`` and
``fetch_funding_rate``; the taker fee is ccxt's ``market["taker"]`` (the
venue's base tier). ccxt's own retry (``maxRetriesOnFailure``) covers
network errors and outages. Order-book sizes are multiplied by the market's
``contractSize`` (OKX quotes its books in contracts of 0.01 BTC, say).

The fixture answers in ``tests/fixtures/perps/{binance,bybit,okx}/`` are
served through the exchange's ``fetch`` method, so ccxt's real parsing runs on
them. The order books (Binance ``/fapi/v1/depth``, Bybit
``/v5/market/orderbook``, OKX ``/api/v5/market/books``) and Bybit's
``/v5/market/tickers`` are real answers recorded in ccxt's static tests;
Binance's ``exchangeInfo`` (which lists BLZUSDT only) and ``premiumIndex``,
Bybit's ``instruments-info`` and OKX's ``funding-rate`` are the example
responses of the venues' own API docs; OKX's ``public/instruments`` is still
hand-written, its docs example being a SPOT instrument
(``tests/fixtures/perps/README.md`` says which file is which and where it
comes from).

When a venue's funding answer names no interval (Binance's ``premiumIndex``
does not), the documented default of 8 hours for these markets is used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rexos.perps._fields import levels, number
from rexos.perps.errors import MarketNotListed, PerpsError
from rexos.perps.schema import PerpMarketData

__all__ = ["CEX_VENUES", "CexSpec", "CexVenue", "FetchFn"]

#: ccxt's single HTTP entry point: ``fetch(url, method, headers, body)`` → decoded JSON.
FetchFn = Callable[[str, str, Mapping[str, str] | None, str | None], Any]


@dataclass(frozen=True, slots=True)
class CexSpec:
    """How to reach one venue's USD-margined perpetuals through ccxt."""

    name: str
    exchange_id: str
    settle: str
    options: Mapping[str, Any] = field(default_factory=dict)
    funding_interval_hours: Decimal = Decimal(8)
    book_limit: int = 100

    def symbol(self, base: str) -> str:
        """ccxt's unified symbol of the ``base`` perpetual, e.g. ``BTC/USDT:USDT``."""
        return f"{base.upper()}/{self.settle}:{self.settle}"


CEX_VENUES: Mapping[str, CexSpec] = {
    "binance": CexSpec(
        "binance",
        "binance",
        "USDT",
        {"defaultType": "swap", "fetchMarkets": {"types": ["linear"]}},
    ),
    "bybit": CexSpec(
        "bybit",
        "bybit",
        "USDT",
        {"defaultType": "swap", "fetchMarkets": {"types": ["linear"]}},
    ),
    "okx": CexSpec(
        "okx",
        "okx",
        "USDT",
        {"defaultType": "swap", "fetchMarkets": {"types": ["swap"]}},
    ),
}

_INTERVAL = re.compile(r"^(\d+)h$")


class CexVenue:
    """One centralised venue; ``fetch`` replaces ccxt's HTTP call (recorded responses)."""

    def __init__(
        self,
        venue: str | CexSpec,
        *,
        timeout_s: float = 10.0,
        max_retries: int = 2,
        retry_delay_ms: int = 500,
        enable_rate_limit: bool = True,
        fetch: FetchFn | None = None,
    ) -> None:
        if isinstance(venue, str):
            if venue not in CEX_VENUES:
                raise PerpsError(f"unknown centralised venue {venue!r}")
            venue = CEX_VENUES[venue]
        self.spec = venue
        self._config: dict[str, Any] = {
            "timeout": int(timeout_s * 1000),
            "enableRateLimit": enable_rate_limit,
            "options": {
                **venue.options,
                "maxRetriesOnFailure": max(0, max_retries),
                "maxRetriesOnFailureDelay": retry_delay_ms,
            },
        }
        self._fetch = fetch
        self._exchange: Any = None

    @property
    def name(self) -> str:
        """The venue id, e.g. ``"okx"``."""
        return self.spec.name

    def market_data(self, base: str) -> PerpMarketData:
        """Markets, book and funding of the ``base`` perpetual."""
        import ccxt

        exchange = self._client(ccxt)
        symbol = self.spec.symbol(base)
        try:
            markets = exchange.load_markets()
            if symbol not in markets:
                raise MarketNotListed(self.name, base)
            market = exchange.market(symbol)
            book = exchange.fetch_order_book(symbol, self.spec.book_limit)
            funding = exchange.fetch_funding_rate(symbol)
        except ccxt.BaseError as exc:
            raise PerpsError(f"{self.name}: {type(exc).__name__}: {_first_line(exc)}") from exc
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise PerpsError(f"{self.name}: unusable answer ({type(exc).__name__}: {exc})") from exc
        return self._parse(base, symbol, market, book, funding)

    def _client(self, ccxt: Any) -> Any:
        if self._exchange is None:
            exchange = getattr(ccxt, self.spec.exchange_id)(dict(self._config))
            if self._fetch is not None:
                exchange.fetch = self._fetch
            self._exchange = exchange
        return self._exchange

    def _parse(
        self, base: str, symbol: str, market: Any, book: Any, funding: Any
    ) -> PerpMarketData:
        name = self.name
        if not isinstance(market, dict) or not isinstance(book, dict):
            raise PerpsError(f"{name}: unusable market or order book")
        if not isinstance(funding, dict):
            raise PerpsError(f"{name}: unusable funding answer")
        unit = number(market.get("contractSize") or 1, name, "contractSize")
        bids = levels(book.get("bids"), name, "bids", unit=unit)
        asks = levels(book.get("asks"), name, "asks", unit=unit)
        if funding.get("fundingRate") is None:
            raise PerpsError(f"{name}: funding answer lacks fundingRate")
        mark = funding.get("markPrice")
        if mark is None:
            if not bids or not asks:
                raise PerpsError(f"{name}: no mark price and an empty book side")
            mark_price = (bids[0].price + asks[0].price) / 2
        else:
            mark_price = number(mark, name, "markPrice")
        index = funding.get("indexPrice")
        taker = market.get("taker")
        leverage = (market.get("limits") or {}).get("leverage", {}).get("max")
        return PerpMarketData(
            venue=name,
            kind="cex",
            symbol=symbol,
            base=base.upper(),
            mark_price=mark_price,
            index_price=None if index is None else number(index, name, "indexPrice"),
            taker_fee_rate=number(taker, name, "taker"),
            funding_rate=number(funding["fundingRate"], name, "fundingRate"),
            funding_interval_hours=self._interval(funding.get("interval")),
            bids=bids,
            asks=asks,
            max_leverage=None if leverage is None else number(leverage, name, "leverage.max"),
        )

    def _interval(self, text: Any) -> Decimal:
        if isinstance(text, str):
            match = _INTERVAL.match(text)
            if match and int(match.group(1)) > 0:
                return Decimal(match.group(1))
        return self.spec.funding_interval_hours


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    line = text.splitlines()[0] if text else ""
    return line[:200]
