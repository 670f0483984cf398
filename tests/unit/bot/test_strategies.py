"""Strategy validation and firing rules, with made-up prices and times."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rexos.bot import (
    Dca,
    Limit,
    Progress,
    TakeProfitStopLoss,
    check_tokens,
    parse_interval,
    parse_strategy,
)
from rexos.dex import TokenInfo, TokenRegistry
from rexos.errors import DexError, InvalidAmount, UsageError
from rexos.types import Address

HOUR, DAY = 3600, 86_400
T0 = 1_700_000_000


def dca(**extra: object) -> Dca:
    fields: dict[str, object] = {"kind": "dca", "sell": "usdc", "buy": "$weth", "amount": "100",
                                 "interval": "1d", "count": 3}  # fmt: skip
    strategy = parse_strategy({**fields, **extra})
    assert isinstance(strategy, Dca)
    return strategy


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("30m", 1800), ("1h", HOUR), ("1d", DAY), ("2w", 14 * DAY), ("3600", HOUR),
     (" 1D ", DAY), (120, 120)],
)  # fmt: skip
def test_intervals(text: str | int, seconds: int) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "1y", "0h", "-1h", "1.5h", "h", "1 h"])
def test_bad_intervals(text: str) -> None:
    with pytest.raises(ValueError, match="not an interval"):
        parse_interval(text)


def test_dca_normalises_symbols_and_keeps_exact_amounts() -> None:
    s = dca(amount="0.1", budget="0.3")
    assert (s.sell, s.buy, s.interval) == ("USDC", "WETH", DAY)
    assert s.amount == Decimal("0.1") and s.budget == Decimal("0.3")
    assert s.describe() == "sell 0.1 USDC for WETH every 1d, 3 times or at most 0.3 USDC"
    assert parse_strategy(s.model_dump_json()) == s  # the store's round trip


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"amount": "0"}, "amount: Input should be greater than 0"),
        ({"amount": "-5"}, "amount: Input should be greater than 0"),
        ({"amount": 0.1}, "amount: give amounts and prices as strings"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"interval": "30s"}, "interval: Input should be greater than or equal to 60"),
        ({"interval": "soon"}, "interval: not an interval"),
        ({"count": 0}, "count"),
        ({"count": None}, "needs a count, a budget or both"),
        ({"budget": "50"}, "budget is smaller than one trade"),
        ({"buy": "USDC"}, "cannot trade USDC for itself"),
        ({"sell": "not a token!"}, "sell: not a token symbol"),
        ({"slippage_bps": 5000}, "slippage_bps"),
        ({"surprise": 1}, "surprise: Extra inputs are not permitted"),
        ({"kind": "martingale"}, "does not match any of the expected tags"),
    ],
)
def test_invalid_dca_is_refused_naming_the_field(change: dict[str, object], needle: str) -> None:
    with pytest.raises(UsageError, match="invalid strategy") as caught:
        dca(**change)
    assert needle in str(caught.value)


def test_limit_and_tpsl_validation() -> None:
    limit = parse_strategy({"kind": "limit", "side": "buy", "token": "WETH", "quote": "USDC",
                            "amount": "1000", "price": "2500"})  # fmt: skip
    assert isinstance(limit, Limit) and (limit.sold, limit.bought) == ("USDC", "WETH")
    assert limit.describe() == "buy WETH with 1000 USDC when 1 WETH ≤ 2500 USDC"
    for bad, needle in [
        ({"side": "hold"}, "side"),
        ({"quote": "WETH"}, "cannot price WETH in itself"),
        ({"price": "0"}, "price"),
    ]:
        with pytest.raises(UsageError, match=needle):
            parse_strategy({"kind": "limit", "side": "sell", "token": "WETH", "quote": "USDC",
                            "amount": "1", "price": "3500", **bad})  # fmt: skip
    base = {"kind": "tpsl", "token": "WETH", "quote": "USDC", "amount": "2"}
    with pytest.raises(UsageError, match="take-profit level, a stop-loss level or both"):
        parse_strategy(base)
    with pytest.raises(UsageError, match="stop-loss must be below the take-profit"):
        parse_strategy({**base, "take_profit": "3000", "stop_loss": "3000"})
    tpsl = parse_strategy({**base, "take_profit": "3600", "stop_loss": "2400"})
    assert isinstance(tpsl, TakeProfitStopLoss)
    assert tpsl.describe() == "sell 2 WETH for USDC when 1 WETH ≥ 3600 or ≤ 2400 USDC"


def test_dca_fires_at_once_then_once_per_interval_up_to_count() -> None:
    s = dca()
    p = Progress(started_at=T0)
    first = s.trigger(p, T0, None)
    assert first is not None and first.amount == Decimal(100) and first.why == "DCA trade 1"
    p = Progress(T0, 1, Decimal(100), T0 + 5)  # fired 5 s into the first slot
    assert s.next_at(p) == T0 + DAY  # the slot grid, not "5 s + a day"
    assert s.trigger(p, T0 + DAY - 1, None) is None
    assert s.trigger(p, T0 + DAY, None) is not None
    # a bot that was down for three days trades once, not three times
    p = Progress(T0, 2, Decimal(200), T0 + 4 * DAY + 7)
    assert s.next_at(p) == T0 + 5 * DAY
    done = Progress(T0, 3, Decimal(300), T0 + 5 * DAY)
    assert s.finished(done) and s.trigger(done, T0 + 99 * DAY, None) is None


def test_dca_budget_sells_the_remainder_last_then_stops() -> None:
    s = dca(count=None, amount="40", budget="100", interval="1h")
    p = Progress(T0, 2, Decimal(80), T0 + HOUR)
    last = s.trigger(p, T0 + 2 * HOUR, None)
    assert last is not None and last.amount == Decimal(20)
    assert s.finished(Progress(T0, 3, Decimal(100), T0 + 2 * HOUR))
    assert not s.finished(p)


@pytest.mark.parametrize(
    ("side", "price", "fires"),
    [("sell", "3499.99", False), ("sell", "3500", True), ("sell", "4000", True),
     ("buy", "2500.01", False), ("buy", "2500", True), ("buy", "2000", True)],
)  # fmt: skip
def test_limit_fires_once_the_price_reaches_the_level(side: str, price: str, fires: bool) -> None:
    level = "3500" if side == "sell" else "2500"
    s = parse_strategy({"kind": "limit", "side": side, "token": "WETH", "quote": "USDC",
                        "amount": "1", "price": level})  # fmt: skip
    p = Progress(T0)
    got = s.trigger(p, T0, Decimal(price))
    assert (got is not None) == fires
    assert s.trigger(p, T0, None) is None  # no price, no trade
    assert s.trigger(Progress(T0, 1, Decimal(1), T0), T0, Decimal(price)) is None  # once


def test_tpsl_is_one_shot_whichever_level_first() -> None:
    s = parse_strategy({"kind": "tpsl", "token": "WETH", "quote": "USDC", "amount": "2",
                        "take_profit": "3600", "stop_loss": "2400"})  # fmt: skip
    p = Progress(T0)
    assert s.trigger(p, T0, Decimal(3000)) is None
    tp = s.trigger(p, T0, Decimal(3600))
    assert tp is not None and tp.why.startswith("take-profit") and tp.amount == Decimal(2)
    sl = s.trigger(p, T0, Decimal("2399.5"))
    assert sl is not None and sl.why.startswith("stop-loss")
    assert s.trigger(Progress(T0, 1, Decimal(2), T0), T0, Decimal(1)) is None
    only_sl = parse_strategy({"kind": "tpsl", "token": "WETH", "quote": "USDC", "amount": "2",
                              "stop_loss": "2400"})  # fmt: skip
    assert only_sl.trigger(p, T0, Decimal(10**6)) is None


def _registry() -> TokenRegistry:
    def at(n: int) -> Address:
        return Address(f"0x{n:040x}")  # type: ignore[arg-type]

    return TokenRegistry([TokenInfo("USDC", at(1), 6), TokenInfo("WETH", at(2), 18)])


def test_tokens_and_decimals_are_checked_against_the_deployment() -> None:
    tokens = _registry()
    check_tokens(dca(amount="0.000001", budget="1"), tokens.symbol)
    with pytest.raises(InvalidAmount, match="more than 6 decimal places"):
        check_tokens(dca(amount="0.0000001"), tokens.symbol)
    with pytest.raises(InvalidAmount, match="more than 6 decimal places"):
        check_tokens(dca(amount="1", budget="1.0000001"), tokens.symbol)
    with pytest.raises(DexError, match="unknown token 'LINK'"):
        check_tokens(dca(buy="LINK"), tokens.symbol)
