"""ccxt venues on recorded responses: ccxt's real request building and parsing run."""

from __future__ import annotations

from decimal import Decimal

import ccxt
import pytest

from rexos.errors import PerpsError
from rexos.perps import CexVenue, Level, MarketNotListed

from ._support import cex

D = Decimal


def test_binance_usdm() -> None:
    source, replayer = cex("binance")
    m = source.market_data("BTC")
    assert (m.venue, m.kind, m.symbol, m.base) == ("binance", "cex", "BTC/USDT:USDT", "BTC")
    assert (m.mark_price, m.index_price) == (D(60000), D(59990))
    assert (m.funding_rate, m.funding_interval_hours) == (D("0.0001"), D(8))
    assert m.taker_fee_rate == D("0.0005")
    assert m.asks[0] == Level(D("60000.1"), D("0.8")) and len(m.asks) == 4
    assert m.bids[0] == Level(D("59999.9"), D(1))
    paths = [u.split("?")[0] for u in replayer.urls]
    assert paths == [
        "https://fapi.binance.com/fapi/v1/exchangeInfo",
        "https://fapi.binance.com/fapi/v1/depth",
        "https://fapi.binance.com/fapi/v1/premiumIndex",
    ]


def test_bybit_linear_reads_interval_and_leverage_from_the_instrument() -> None:
    source, replayer = cex("bybit")
    m = source.market_data("btc")
    assert (m.mark_price, m.index_price, m.funding_rate) == (D(60001), D(59992), D("-0.00005"))
    assert m.funding_interval_hours == D(8)
    assert m.max_leverage == D(100)
    assert m.asks == (
        Level(D("60000.5"), D("0.7")),
        Level(D(60002), D(1)),
        Level(D(60005), D(2)),
    )
    assert all("category=linear" in u for u in replayer.urls)


def test_okx_swap_book_is_converted_from_contracts_to_base_units() -> None:
    source, replayer = cex("okx")
    m = source.market_data("BTC")
    # 60 contracts of 0.01 BTC = 0.6 BTC; OKX's funding answer has no mark: mid is used
    assert m.asks[0] == Level(D("60000.4"), D("0.6"))
    assert m.bids[2] == Level(D(59996), D(3))
    assert m.mark_price == D(60000) and m.index_price is None
    assert (m.funding_rate, m.funding_interval_hours) == (D("0.00002"), D(8))
    assert "instType=SWAP" in replayer.urls[0]


def test_unlisted_base_is_market_not_listed() -> None:
    source, _ = cex("binance")
    with pytest.raises(MarketNotListed, match="binance: no DOGE perpetual listed"):
        source.market_data("DOGE")


def test_outage_then_success_is_retried_by_ccxt() -> None:
    source, replayer = cex("okx", ccxt.ExchangeNotAvailable("okx 503"))
    assert source.market_data("BTC").funding_rate == D("0.00002")
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
