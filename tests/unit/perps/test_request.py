from __future__ import annotations

from decimal import Decimal

import pytest

from rexos.errors import InvalidAmount, UsageError
from rexos.perps import PerpRequest, parse_market, parse_size


@pytest.mark.parametrize(
    "text",
    ["BTC", "btc", " BTC-PERP ", "BTC-USD", "BTCUSDT", "BTC/USDT:USDT", "BTC-USDT-SWAP", "BTC_USD"],
)
def test_market_spellings_name_the_base(text: str) -> None:
    assert parse_market(text) == "BTC"


@pytest.mark.parametrize("text", ["", "BTC/ETH", "B T C", "BTC/USDT:EUR", "---", "123", "$$$"])
def test_garbage_market_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="cannot read market"):
        parse_market(text)


def test_sizes() -> None:
    assert parse_size("2.5") == (Decimal("2.5"), "base")
    assert parse_size("$50,000") == (Decimal(50000), "usd")
    assert parse_size("1000usd") == (Decimal(1000), "usd")
    for bad in ("0", "-1", "abc", "nan", "inf", "$"):
        with pytest.raises(InvalidAmount):
            parse_size(bad)


def test_request_parse_and_validation() -> None:
    r = PerpRequest.parse("eth-perp", "$3000", side="SHORT", hours="8", round_trip=False)
    assert (r.base, r.side, r.size, r.notional_usd) == ("ETH", "short", None, Decimal(3000))
    assert (r.holding_hours, r.round_trip) == (Decimal(8), False)
    assert r.size_at(Decimal(1500)) == Decimal(2)
    assert PerpRequest.parse("BTC", "2").size_at(Decimal(1)) == Decimal(2)
    with pytest.raises(UsageError, match="side"):
        PerpRequest.parse("BTC", "1", side="sideways")
    with pytest.raises(UsageError, match="hours"):
        PerpRequest.parse("BTC", "1", hours="soon")
    with pytest.raises(UsageError, match="hours"):
        PerpRequest.parse("BTC", "1", hours="-1")
    with pytest.raises(UsageError, match="exactly one"):
        PerpRequest("BTC", "long")
    with pytest.raises(InvalidAmount):
        PerpRequest("BTC", "long", size=Decimal(0))
