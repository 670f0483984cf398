"""The cost model against hand-computed figures (see each test's arithmetic)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rexos.errors import InvalidAmount, PerpsError
from rexos.perps import InsufficientDepth, Level, VenueCost, cost_of, walk_book

from ._support import book_market

D = Decimal


def priced(*args: object, **kwargs: object) -> VenueCost:
    result = cost_of(*args, **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, VenueCost), result
    return result


def test_walk_book_vwap_across_levels() -> None:
    levels = (Level(D(101), D(1)), Level(D(102), D(2)))
    assert walk_book(levels, D(2)) == D("101.5")  # (101 + 102) / 2
    assert walk_book(levels, D(3)) == D(305) / 3  # exactly the whole book
    assert walk_book(levels, D("3.0001")) is None
    with pytest.raises(InvalidAmount):
        walk_book(levels, D(0))


def test_long_round_trip_breakdown() -> None:
    # mid 100; buy 2: vwap 101.5, slippage 1.5*2 = 3 (150 bps), fee 0.001*203 = 0.203
    # sell 2: vwap 98.5, slippage 3, fee 0.197; funding 0.0001 * 24/8 * 100*2 = 0.06
    c = priced(book_market(), "long", D(2), D(24))
    assert c.mid_price == D(100)
    assert c.notional_usd == D(200)
    assert (c.open.action, c.open.vwap, c.open.slippage_usd) == ("buy", D("101.5"), D(3))
    assert c.open.slippage_bps == D(150)
    assert c.open.fee_usd == D("0.203")
    assert c.close is not None
    assert (c.close.action, c.close.vwap, c.close.fee_usd) == ("sell", D("98.5"), D("0.197"))
    assert c.funding_periods == D(3)
    assert c.funding_usd == D("0.06")
    assert c.fee_usd == D("0.4")
    assert c.slippage_usd == D(6)
    assert c.total_usd == D("6.46")
    assert c.total_bps == D("323")


def test_short_receives_positive_funding_and_pays_negative() -> None:
    short = priced(book_market(), "short", D(2), D(24))
    assert short.open.action == "sell" and short.close is not None
    assert short.close.action == "buy"
    assert short.funding_usd == D("-0.06")
    assert short.total_usd == D("6.34")
    negative = book_market(funding="-0.0002")
    assert priced(negative, "long", D(2), D(24)).funding_usd == D("-0.12")
    assert priced(negative, "short", D(2), D(24)).funding_usd == D("0.12")


def test_entry_only_counts_one_leg() -> None:
    c = priced(book_market(), "long", D(2), D(24), round_trip=False)
    assert c.close is None
    assert c.total_usd == D("3.263")  # 0.203 + 3 + 0.06


def test_funding_scales_with_hours_over_interval() -> None:
    hourly = book_market(funding="0.00001", interval="1")
    assert priced(hourly, "long", D(1), D(36)).funding_usd == D("0.036")  # 1e-5 * 36 * 100
    assert priced(hourly, "long", D(1), D(0)).funding_usd == 0


def test_thin_book_is_insufficient_depth_not_cheap() -> None:
    thin = cost_of(book_market(), "long", D(4), D(24))
    assert isinstance(thin, InsufficientDepth)
    assert (thin.action, thin.available, thin.wanted) == ("buy", D(3), D(4))
    assert thin.reason == "insufficient depth: 3 BTC on the asks, 4 needed"
    closing = cost_of(book_market(bids=(("99", "1"),)), "long", D(2), D(24))
    assert isinstance(closing, InsufficientDepth) and closing.action == "sell"
    entry_only = cost_of(book_market(bids=(("99", "1"),)), "long", D(2), D(1), round_trip=False)
    assert isinstance(entry_only, VenueCost)


def test_empty_side_is_insufficient_depth() -> None:
    result = cost_of(book_market(asks=()), "long", D(1), D(1))
    assert isinstance(result, InsufficientDepth)
    assert result.action == "buy" and result.available == 0


def test_book_is_sorted_and_crossed_books_rejected() -> None:
    m = book_market(asks=(("103", "1"), ("101", "1"), ("102", "0")))
    assert [lv.price for lv in m.asks] == [D(101), D(103)]
    with pytest.raises(PerpsError, match="crossed book"):
        book_market(bids=(("101", "1"),), asks=(("100", "1"),))
    with pytest.raises(PerpsError, match="mark price"):
        book_market(mark="0")
