"""ccxt venues on recorded responses: ccxt's real request building and parsing run."""

from __future__ import annotations

from decimal import Decimal

import ccxt
import pytest

from rexos.errors import PerpsError
from rexos.perps import CexVenue, Level, MarketNotListed

from ._support import cex, fixture

D = Decimal


def _levels(rows: list[list[str]], unit: Decimal = Decimal(1)) -> tuple[Level, ...]:
    """``[[price, size, ...], ...]`` rows of a fixture as levels, sizes times ``unit``."""
    return tuple(Level(D(row[0]), D(row[1]) * unit) for row in rows)


def test_binance_usdm() -> None:
    # depth: a real Binance answer (ccxt's static tests, 2024-02-01); premiumIndex and
    # exchangeInfo are hand-written (see tests/fixtures/perps/README.md)
    depth = fixture("binance", "fapi_v1_depth__BTCUSDT.json")
    premium = fixture("binance", "fapi_v1_premiumIndex__BTCUSDT.json")
    source, replayer = cex("binance")
    m = source.market_data("BTC")
    assert (m.venue, m.kind, m.symbol, m.base) == ("binance", "cex", "BTC/USDT:USDT", "BTC")
    assert (m.mark_price, m.index_price) == (D(premium["markPrice"]), D(premium["indexPrice"]))
    assert (m.funding_rate, m.funding_interval_hours) == (D(premium["lastFundingRate"]), D(8))
    assert m.taker_fee_rate == D("0.0005")
    assert m.asks == _levels(depth["asks"]) and len(m.asks) == 5
    assert m.bids == _levels(depth["bids"])
    assert m.asks[0] == Level(D("42878.00"), D("7.011"))  # the file's first ask, by hand
    paths = [u.split("?")[0] for u in replayer.urls]
    assert paths == [
        "https://fapi.binance.com/fapi/v1/exchangeInfo",
        "https://fapi.binance.com/fapi/v1/depth",
        "https://fapi.binance.com/fapi/v1/premiumIndex",
    ]


def test_bybit_linear_reads_interval_and_leverage_from_the_instrument() -> None:
    # orderbook (2024-02-01) and tickers (2024-11-04) are real Bybit answers recorded in
    # ccxt's static tests; instruments-info is hand-written
    book = fixture("bybit", "v5_market_orderbook__BTCUSDT.json")["result"]
    ticker = fixture("bybit", "v5_market_tickers__BTCUSDT.json")["result"]["list"][0]
    instruments = fixture("bybit", "v5_market_instruments-info.json")["result"]["list"]
    btc = next(i for i in instruments if i["symbol"] == "BTCUSDT")
    source, replayer = cex("bybit")
    m = source.market_data("btc")
    assert (m.mark_price, m.index_price) == (D(ticker["markPrice"]), D(ticker["indexPrice"]))
    assert m.funding_rate == D(ticker["fundingRate"])
    assert m.funding_interval_hours == D(btc["fundingInterval"]) / 60  # minutes in the file
    assert m.max_leverage == D(btc["leverageFilter"]["maxLeverage"])
    assert m.asks == _levels(book["a"]) and m.bids == _levels(book["b"])
    assert (m.mark_price, m.asks[0]) == (D("68591.46"), Level(D(42548), D("108.998")))
    assert all("category=linear" in u for u in replayer.urls)


def test_okx_swap_book_is_converted_from_contracts_to_base_units() -> None:
    # market/books is a real OKX answer (ccxt's static tests, 2024-01-30), in contracts;
    # the contract value comes from the (hand-written) instruments file
    book = fixture("okx", "api_v5_market_books__BTC-USDT-SWAP.json")["data"][0]
    instruments = fixture("okx", "api_v5_public_instruments.json")["data"]
    ct_val = D(next(i for i in instruments if i["instId"] == "BTC-USDT-SWAP")["ctVal"])
    funding = fixture("okx", "api_v5_public_funding-rate__BTC-USDT-SWAP.json")["data"][0]
    source, replayer = cex("okx")
    m = source.market_data("BTC")
    assert m.asks == _levels(book["asks"], ct_val) and m.bids == _levels(book["bids"], ct_val)
    assert m.asks[0] == Level(D("43466.4"), D("148.81"))  # 14881 contracts of 0.01 BTC
    # OKX's funding answer has no mark price: the mid of the best bid and ask is used
    assert m.mark_price == (D(book["bids"][0][0]) + D(book["asks"][0][0])) / 2
    assert m.index_price is None
    assert (m.funding_rate, m.funding_interval_hours) == (D(funding["fundingRate"]), D(8))
    assert "instType=SWAP" in replayer.urls[0]


def test_cex_money_is_decimal() -> None:
    for venue in ("binance", "bybit", "okx"):
        m = cex(venue)[0].market_data("BTC")
        numbers = [m.mark_price, m.taker_fee_rate, m.funding_rate, m.funding_interval_hours]
        numbers += [x for level in m.bids + m.asks for x in level]
        assert all(type(x) is Decimal for x in numbers), venue


def test_unlisted_base_is_market_not_listed() -> None:
    source, _ = cex("binance")
    with pytest.raises(MarketNotListed, match="binance: no DOGE perpetual listed"):
        source.market_data("DOGE")


def test_outage_then_success_is_retried_by_ccxt() -> None:
    funding = fixture("okx", "api_v5_public_funding-rate__BTC-USDT-SWAP.json")["data"][0]
    source, replayer = cex("okx", ccxt.ExchangeNotAvailable("okx 503"))
    assert source.market_data("BTC").funding_rate == D(funding["fundingRate"])
    assert len(replayer.urls) == 4  # the failed instruments call, then three answers


def test_outage_past_the_retries_is_one_perps_error() -> None:
    failures = [ccxt.RequestTimeout("slow")] * 3
    source, replayer = cex("bybit", *failures)
    with pytest.raises(PerpsError, match="bybit: RequestTimeout: slow") as info:
        source.market_data("BTC")
    assert isinstance(info.value.__cause__, ccxt.RequestTimeout)
    assert len(replayer.urls) == 3


def test_malformed_answer_is_a_perps_error() -> None:
    def garbage(url: str, method: str = "GET", headers: object = None, body: object = None) -> str:
        return "<html>502 Bad Gateway</html>"

    source = CexVenue("binance", fetch=garbage, enable_rate_limit=False)
    with pytest.raises(PerpsError, match="binance"):
        source.market_data("BTC")


def test_unknown_cex_id() -> None:
    with pytest.raises(PerpsError, match="unknown centralised venue"):
        CexVenue("kraken")
