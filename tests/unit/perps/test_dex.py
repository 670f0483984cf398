"""Hyperliquid and dYdX v4 clients on recorded responses through httpx.MockTransport."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from rexos.errors import PerpsError
from rexos.perps import Level, MarketNotListed, parse_dydx, parse_hyperliquid

from ._support import FIXTURES, dydx, hyperliquid

D = Decimal


def load(venue: str, name: str) -> object:
    return json.loads((FIXTURES / venue / name).read_text(encoding="utf-8"))


def test_hyperliquid_parses_and_sends_documented_bodies() -> None:
    # metaAndAssetCtxs is Hyperliquid's docs example (its BTC context has markPx 14.3161);
    # the BTC l2Book is hand-written (see tests/fixtures/perps/README.md)
    meta = load("hyperliquid", "info__metaAndAssetCtxs.json")
    book = load("hyperliquid", "info__l2Book__BTC.json")
    assert isinstance(meta, list) and isinstance(book, dict)
    names = [asset["name"] for asset in meta[0]["universe"]]
    asset, ctx = meta[0]["universe"][names.index("BTC")], meta[1][names.index("BTC")]
    source, handler = hyperliquid()
    m = source.market_data("BTC")
    assert (m.venue, m.kind, m.symbol) == ("hyperliquid", "dex", "BTC")
    assert (m.mark_price, m.index_price) == (D(ctx["markPx"]), D(ctx["oraclePx"]))
    assert (m.mark_price, m.index_price) == (D("14.3161"), D("14.32"))  # by hand
    assert (m.funding_rate, m.funding_interval_hours) == (D(ctx["funding"]), D(1))
    assert (m.taker_fee_rate, m.max_leverage) == (D("0.00045"), D(asset["maxLeverage"]))
    bids, asks = book["levels"]
    assert m.bids == tuple(Level(D(lv["px"]), D(lv["sz"])) for lv in bids)
    assert m.asks == tuple(Level(D(lv["px"]), D(lv["sz"])) for lv in asks)
    bodies = [json.loads(r.content) for r in handler.requests]
    assert bodies == [{"type": "metaAndAssetCtxs"}, {"type": "l2Book", "coin": "BTC"}]
    assert all(r.method == "POST" and r.url.host == "api.hyperliquid.xyz" for r in handler.requests)


def test_hyperliquid_unknown_coin() -> None:
    source, _ = hyperliquid()
    with pytest.raises(MarketNotListed):
        source.market_data("DOGE")


def test_hyperliquid_book_for_another_coin_is_rejected() -> None:
    meta = load("hyperliquid", "info__metaAndAssetCtxs.json")
    book = load("hyperliquid", "info__l2Book__BTC.json")
    with pytest.raises(PerpsError, match="another coin"):
        parse_hyperliquid(meta, book, "ETH")


def test_dydx_parses_and_queries_the_ticker() -> None:
    # both files are real indexer answers recorded in ccxt's static tests (2025-07-29)
    markets = load("dydx", "v4_perpetualMarkets__BTC-USD.json")
    book = load("dydx", "v4_orderbooks_perpetualMarket_BTC-USD.json")
    assert isinstance(markets, dict) and isinstance(book, dict)
    market = markets["markets"]["BTC-USD"]
    source, handler = dydx()
    m = source.market_data("BTC")
    assert (m.symbol, m.mark_price) == ("BTC-USD", D(market["oraclePrice"]))
    assert m.funding_rate == D(market["nextFundingRate"])
    assert (m.funding_interval_hours, m.taker_fee_rate) == (D(1), D("0.0005"))
    assert m.max_leverage == 1 / D(market["initialMarginFraction"])
    assert m.max_leverage == D(50)  # 1 / 0.02
    assert m.asks == tuple(Level(D(r["price"]), D(r["size"])) for r in book["asks"])
    assert m.bids == tuple(Level(D(r["price"]), D(r["size"])) for r in book["bids"])
    first, second = handler.requests
    assert first.url.path == "/v4/perpetualMarkets" and first.url.params["ticker"] == "BTC-USD"
    assert second.url.path == "/v4/orderbooks/perpetualMarket/BTC-USD"


def test_dydx_keeps_every_digit_of_the_recorded_strings() -> None:
    # the indexer sends 20 significant digits; a float would keep about 16
    m = dydx()[0].market_data("BTC")
    assert m.funding_rate == Decimal("0.00016451111111111111")
    assert m.mark_price == Decimal("118700.5426")
    assert type(m.funding_rate) is Decimal and type(m.asks[0].price) is Decimal


def test_dydx_unknown_ticker_404_is_not_listed() -> None:
    source, _ = dydx()
    with pytest.raises(MarketNotListed, match="dydx: no DOGE perpetual"):
        source.market_data("DOGE")


def test_dydx_inactive_market() -> None:
    markets = load("dydx", "v4_perpetualMarkets__BTC-USD.json")
    assert isinstance(markets, dict)
    markets["markets"]["BTC-USD"]["status"] = "PAUSED"
    with pytest.raises(PerpsError, match="not trading"):
        parse_dydx(markets, {"bids": [], "asks": []}, "BTC")


def test_http_500_then_success_is_retried() -> None:
    source, handler = dydx(httpx.Response(500), httpx.Response(503))
    assert source.market_data("BTC").venue == "dydx"
    assert len(handler.requests) == 4  # two failures, then markets and book


def test_http_500_past_the_retries() -> None:
    source, handler = hyperliquid(*[httpx.Response(500)] * 3)
    with pytest.raises(PerpsError, match="hyperliquid: HTTP 500 from /info after 3 tries"):
        source.market_data("BTC")
    assert len(handler.requests) == 3


def test_malformed_json_is_a_perps_error() -> None:
    source, _ = hyperliquid(httpx.Response(200, content=b"{not json"))
    with pytest.raises(PerpsError, match="not JSON"):
        source.market_data("BTC")


def test_wrong_shape_is_a_perps_error() -> None:
    source, _ = dydx(httpx.Response(200, json={"markets": {"BTC-USD": {"status": "ACTIVE"}}}))
    with pytest.raises(PerpsError, match="lacks field oraclePrice"):
        source.market_data("BTC")


def test_bad_level_is_a_perps_error() -> None:
    meta = load("hyperliquid", "info__metaAndAssetCtxs.json")
    book = {"coin": "BTC", "levels": [[{"px": "abc", "sz": "1"}], []]}
    with pytest.raises(PerpsError, match=r"bids\[0\].px is not a number"):
        parse_hyperliquid(meta, book, "BTC")


def test_transport_error_then_success() -> None:
    calls: list[int] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        body = json.loads(request.content)
        meta = body["type"] == "metaAndAssetCtxs"
        name = "info__metaAndAssetCtxs.json" if meta else "info__l2Book__BTC.json"
        return httpx.Response(200, content=(FIXTURES / "hyperliquid" / name).read_bytes())

    from rexos.perps import HyperliquidVenue

    source = HyperliquidVenue(transport=httpx.MockTransport(flaky), sleep=lambda _: None)
    assert source.market_data("BTC").symbol == "BTC"
    assert len(calls) == 3


def test_hyperliquid_real_l2book_parses() -> None:
    # a real l2Book answer (DYDX, 17 Jul 2023, hyperliquid-python-sdk's VCR cassette); the
    # universe entry is the same cassette's `meta` answer for DYDX, the context is made up
    book = load("hyperliquid", "info__l2Book__DYDX.json")
    assert isinstance(book, dict)
    meta = [
        {"universe": [{"maxLeverage": 50, "name": "DYDX", "szDecimals": 1}]},
        [{"funding": "0.0000125", "markPx": "2.1115", "oraclePx": "2.1116"}],
    ]
    m = parse_hyperliquid(meta, book, "dydx")
    bids, asks = book["levels"]
    assert m.bids == tuple(Level(D(lv["px"]), D(lv["sz"])) for lv in bids)
    assert m.asks == tuple(Level(D(lv["px"]), D(lv["sz"])) for lv in asks)
    assert (len(m.bids), len(m.asks)) == (20, 20)
    assert (m.bids[0], m.asks[0]) == (Level(D("2.111"), D("134.4")), Level(D("2.1124"), D("352.3")))
    assert (m.symbol, m.max_leverage) == ("DYDX", D(50))
