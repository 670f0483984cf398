"""Serve the recorded fixtures in tests/fixtures/perps to the venue adapters.

Where each file comes from (real responses, or hand-written where none was
found) is in ``tests/fixtures/perps/README.md``.

ccxt venues: :func:`replayer` stands in for the exchange's ``fetch(url, method,
headers, body)``, so ccxt's own request building and parsing run. httpx venues:
:func:`dex_transport` is an ``httpx.MockTransport`` over the same files.
Files are named after the URL path (``/`` → ``_``), then ``__VALUE`` for the
instrument parameter (``symbol``, ``instId``, ``status``, ``ticker``) or, for
Hyperliquid's ``POST /info``, the body's ``type`` and ``coin``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from rexos.perps import (
    CexVenue,
    DydxVenue,
    HyperliquidVenue,
    Level,
    PerpMarketData,
    PerpSource,
    VenueCost,
    cost_of,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "perps"
_KEY_PARAMS = ("symbol", "instId", "status", "ticker")

FetchFn = Callable[[str, str, Mapping[str, str] | None, str | None], Any]


def fixture(venue: str, name: str) -> Any:
    """The decoded JSON of one fixture file, for computing a test's expected values."""
    return json.loads((FIXTURES / venue / name).read_text(encoding="utf-8"))


def _key(path: str, params: Mapping[str, str]) -> str:
    key = path.strip("/").replace("/", "_")
    for name in _KEY_PARAMS:
        if name in params:
            key += "__" + params[name]
    return key


class Replayer:
    """A ccxt ``fetch`` replacement; ``failures`` are raised first, then fixtures served."""

    def __init__(self, venue: str, *failures: Exception) -> None:
        self.venue = venue
        self.failures = list(failures)
        self.urls: list[str] = []

    def __call__(
        self,
        url: str,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        body: str | None = None,
    ) -> Any:
        self.urls.append(url)
        if self.failures:
            raise self.failures.pop(0)
        parts = urlsplit(url)
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = FIXTURES / self.venue / f"{_key(parts.path, params)}.json"
        if not path.exists():
            import ccxt

            raise ccxt.BadSymbol(f"no recorded response for {url}")
        return json.loads(path.read_text(encoding="utf-8"))


class DexHandler:
    """A MockTransport handler: scripted responses first, then the fixture files."""

    def __init__(self, venue: str, *scripted: httpx.Response) -> None:
        self.venue = venue
        self.scripted = list(scripted)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.scripted:
            return self.scripted.pop(0)
        key = _key(request.url.path, dict(request.url.params))
        if request.method == "POST":
            body = json.loads(request.content)
            key += "__" + body["type"] + ("__" + body["coin"] if "coin" in body else "")
        path = FIXTURES / self.venue / f"{key}.json"
        if not path.exists():
            return httpx.Response(404, json={"errors": [{"msg": "not found"}]})
        return httpx.Response(200, content=path.read_bytes())

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def no_sleep(_: float) -> None:
    return None


def cex(venue: str, *failures: Exception) -> tuple[CexVenue, Replayer]:
    replayer = Replayer(venue, *failures)
    source = CexVenue(venue, fetch=replayer, enable_rate_limit=False, retry_delay_ms=0)
    return source, replayer


def hyperliquid(*scripted: httpx.Response) -> tuple[HyperliquidVenue, DexHandler]:
    handler = DexHandler("hyperliquid", *scripted)
    return HyperliquidVenue(transport=handler.transport(), sleep=no_sleep), handler


def dydx(*scripted: httpx.Response) -> tuple[DydxVenue, DexHandler]:
    handler = DexHandler("dydx", *scripted)
    return DydxVenue(transport=handler.transport(), sleep=no_sleep), handler


def recorded_sources(names: list[str] | None = None) -> list[PerpSource]:
    """Every built-in venue (or ``names``) on the recorded fixtures."""
    makers: dict[str, Callable[[], PerpSource]] = {
        "binance": lambda: cex("binance")[0],
        "bybit": lambda: cex("bybit")[0],
        "okx": lambda: cex("okx")[0],
        "hyperliquid": lambda: hyperliquid()[0],
        "dydx": lambda: dydx()[0],
    }
    return [makers[n]() for n in (names or list(makers))]


def book_market(
    *,
    venue: str = "test",
    bids: tuple[tuple[str, str], ...] = (("99", "1"), ("98", "2")),
    asks: tuple[tuple[str, str], ...] = (("101", "1"), ("102", "2")),
    mark: str = "100",
    taker: str = "0.001",
    funding: str = "0.0001",
    interval: str = "8",
) -> PerpMarketData:
    """A small hand-made market for the cost-model tests."""
    return PerpMarketData(
        venue=venue,
        kind="cex",
        symbol="TEST",
        base="BTC",
        mark_price=Decimal(mark),
        index_price=None,
        taker_fee_rate=Decimal(taker),
        funding_rate=Decimal(funding),
        funding_interval_hours=Decimal(interval),
        bids=tuple(Level(Decimal(p), Decimal(s)) for p, s in bids),
        asks=tuple(Level(Decimal(p), Decimal(s)) for p, s in asks),
    )


def priced_cost(market: PerpMarketData, size: str = "2", hours: str = "24") -> VenueCost:
    """``market`` priced for a long of ``size`` held ``hours``, round trip."""
    result = cost_of(market, "long", Decimal(size), Decimal(hours))
    assert isinstance(result, VenueCost), result
    return result
