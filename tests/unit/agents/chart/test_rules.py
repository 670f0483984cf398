"""The rules: a price history is a line over time, a portfolio is bars by value."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rexos.agents.chart import (
    Holding,
    NoChartData,
    Portfolio,
    PriceHistory,
    portfolio_chart,
    price_chart,
)
from rexos.errors import UsageError
from tests.unit.agents.chart._support import ALICE, NOW, PORTFOLIO, REX_POINTS


def history() -> PriceHistory:
    return PriceHistory("REX", 30, NOW - 30 * 86_400, NOW, REX_POINTS)


def test_a_price_history_is_a_line_of_usd_over_utc_time() -> None:
    chart = price_chart(history())
    assert chart.kind == "line"
    assert (chart.x.type, chart.x.unit, chart.y.type, chart.y.unit) == (
        "temporal",
        "UTC",
        "quantitative",
        "USD",
    )
    assert chart.title == "REX price, last 30 days"
    assert "10 swaps in 10 blocks" in chart.subtitle[0]
    assert chart.points[0].x == "2024-12-23T00:00:00Z"
    assert [p.y for p in chart.points] == [Decimal("0.1") + n * Decimal("0.001") for n in range(10)]


def test_a_price_may_be_an_area_but_never_bars() -> None:
    assert price_chart(history(), "area").kind == "area"
    with pytest.raises(UsageError, match="line or an area"):
        price_chart(history(), "bar")


def test_plotted_numbers_keep_eight_significant_digits() -> None:
    point = REX_POINTS[0]
    exact = PriceHistory("REX", 1, 0, NOW, (type(point)(1, NOW, Decimal(1) / Decimal(3)),))
    assert price_chart(exact).points[0].y == Decimal("0.33333333")


def test_a_portfolio_is_bars_of_usd_value_largest_first() -> None:
    chart = portfolio_chart(PORTFOLIO)
    assert chart.kind == "bar" and chart.x.type == "nominal"
    assert [(p.x, p.y) for p in chart.points] == [
        ("ETH", Decimal(6000)),
        ("USDC", Decimal(250)),
        ("REX", Decimal(100)),
    ]
    assert chart.subtitle == (
        f"{ALICE}: $6,350.00 at DEX-implied prices (USDC = $1)",
        "Held without a price: ODD",
    )


def test_a_portfolio_is_never_a_line() -> None:
    with pytest.raises(UsageError, match="bars"):
        portfolio_chart(PORTFOLIO, "line")


def test_nothing_valued_is_no_chart() -> None:
    empty = Portfolio(ALICE, (Holding("WBTC", 0, 8, Decimal(1)), Holding("ODD", 7, 0, None)))
    with pytest.raises(NoChartData, match=r"nothing with a USD price .*ODD"):
        portfolio_chart(empty)
    with pytest.raises(NoChartData, match="no REX prices"):
        price_chart(PriceHistory("REX", 30, 0, NOW, ()))
