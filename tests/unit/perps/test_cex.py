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


def _binance_perpetuals() -> dict[str, str]:
    """symbol → base asset of every USDT-margined perpetual in the exchangeInfo fixture."""
    info = fixture("binance", "fapi_v1_exchangeInfo.json")
    return {
        s["symbol"]: s["baseAsset"]
        for s in info["symbols"]
        if s["contractType"] == "PERPETUAL" and s["marginAsset"] == "USDT"
    }


def test_binance_docs_market_list_has_no_btc_perpetual() -> None:
    # exchangeInfo is Binance's docs example, which lists one symbol (BLZUSDT): against
    # it BTC is "not listed", and no book or funding request is made
    assert "BTC" not in _binance_perpetuals().values()
    source, replayer = cex("binance")
    with pytest.raises(MarketNotListed, match="binance: no BTC perpetual listed"):
        source.market_data("BTC")
    assert replayer.urls == ["https://fapi.binance.com/fapi/v1/exchangeInfo"]


def test_binance_lists_the_docs_symbol_and_asks_for_its_book() -> None:
    # ccxt reads the docs' BLZUSDT entry as a linear perpetual: the next request is its
    # depth, for which nothing is recorded (a PerpsError, not "not listed")
    symbol, base = next(iter(_binance_perpetuals().items()))
    assert (symbol, base) == ("BLZUSDT", "BLZ")
    source, replayer = cex("binance")
    with pytest.raises(PerpsError, match="binance: BadSymbol: no recorded response") as info:
        source.market_data(base)
    assert not isinstance(info.value, MarketNotListed)
    depth = replayer.urls[1]
    assert depth.startswith("https://fapi.binance.com/fapi/v1/depth?")
    assert f"symbol={symbol}" in depth


def test_binance_depth_and_premium_index_read_by_ccxt() -> None:
    # depth: a real answer (ccxt's static tests, 2024-02-01); premiumIndex: Binance's docs
    # example for BTCUSDT. With the docs market list neither is reached for BTC, so ccxt's
    # Binance parsers are run on them directly.
    depth = fixture("binance", "fapi_v1_depth__BTCUSDT.json")
    premium = fixture("binance", "fapi_v1_premiumIndex__BTCUSDT.json")
    exchange = ccxt.binance({"options": {"defaultType": "swap"}})
    book = exchange.parse_order_book(depth, "BTC/USDT:USDT")
    assert _levels([[str(p), str(s)] for p, s in book["asks"]]) == _levels(depth["asks"])
    assert _levels([[str(p), str(s)] for p, s in book["bids"]]) == _levels(depth["bids"])
    assert book["asks"][0] == [42878.0, 7.011]  # the file's first ask, by hand
    funding = exchange.parse_funding_rate(premium)
    assert D(str(funding["markPrice"])) == D(premium["markPrice"]) == D("11793.63104562")
    assert D(str(funding["indexPrice"])) == D(premium["indexPrice"])
    assert D(str(funding["fundingRate"])) == D(premium["lastFundingRate"])
    assert funding["interval"] is None  # premiumIndex names no interval: CexSpec's 8 h applies


def test_bybit_linear_reads_interval_and_leverage_from_the_instrument() -> None:
    # orderbook (2024-02-01) and tickers (2024-11-04) are real Bybit answers recorded in
    # ccxt's static tests; instruments-info is Bybit's docs example (BTCUSDT)
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


def test_bybit_pre_market_contract_from_the_prelaunch_answer_is_listed() -> None:
    # the status=PreLaunch answer is Bybit's docs example of a pre-market perpetual
    # (BIOUSDT); ccxt adds it to the markets, so the next request is BIOUSDT's book
    pre = fixture("bybit", "v5_market_instruments-info__PreLaunch.json")["result"]["list"]
    assert [(i["symbol"], i["status"]) for i in pre] == [("BIOUSDT", "PreLaunch")]
    source, replayer = cex("bybit")
    with pytest.raises(PerpsError, match="bybit: BadSymbol: no recorded response") as info:
        source.market_data(pre[0]["baseCoin"])
    assert not isinstance(info.value, MarketNotListed)
    assert any("status=PreLaunch" in u for u in replayer.urls)
    assert "symbol=BIOUSDT" in replayer.urls[-1] and "/v5/market/orderbook" in replayer.urls[-1]


def test_okx_swap_book_is_converted_from_contracts_to_base_units() -> None:
    # market/books is a real OKX answer (ccxt's static tests, 2024-01-30), in contracts;
    # the contract value comes from the (hand-written) instruments file; funding-rate is
    # OKX's docs example for BTC-USDT-SWAP
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
    # ccxt derives the interval from the two funding times in the answer
    interval = (D(funding["nextFundingTime"]) - D(funding["fundingTime"])) / 3_600_000
    assert (m.funding_rate, m.funding_interval_hours) == (D(funding["fundingRate"]), interval)
    assert (m.funding_rate, interval) == (D("0.0000182221218054"), D(8))
    assert "instType=SWAP" in replayer.urls[0]


def test_cex_money_is_decimal() -> None:
    for venue in ("bybit", "okx"):  # Binance's docs market list has no BTC perpetual
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
