"""Which chart a request gets, by rule.

* a token's price over time → a **line** (or an **area** if asked): time on x, USD on y;
* a portfolio by token → **bars**: one per token held with a price, USD value on y,
  largest first; tokens held without a price are named in the subtitle.
"""

from __future__ import annotations

import datetime as dt
from decimal import Context, Decimal

from rexos.agents.chart.errors import NoChartData
from rexos.agents.chart.history import PriceHistory
from rexos.agents.chart.portfolio import Portfolio
from rexos.agents.chart.spec import Axis, ChartKind, ChartSpec, Point
from rexos.errors import UsageError

__all__ = ["SIGNIFICANT_DIGITS", "portfolio_chart", "price_chart"]

SIGNIFICANT_DIGITS = 8
"""Digits kept of each plotted number, and never less than cents (a chart is display; the
sources stay exact)."""

_ONE = Decimal(1)
_TIME = Axis(field="time", title="Time (UTC)", type="temporal", unit="UTC")


def price_chart(history: PriceHistory, kind: ChartKind = "line") -> ChartSpec:
    """A line (or area) of ``history``'s USD prices over time."""
    if kind == "bar":
        raise UsageError("a price history is drawn as a line or an area, not bars")
    if not history.points:
        raise NoChartData(f"no {history.symbol} prices to chart")
    first, last = history.points[0], history.points[-1]
    swaps = history.swaps
    return ChartSpec(
        kind=kind,
        title=f"{history.symbol} price, last {history.days} day{'s' if history.days != 1 else ''}",
        subtitle=(
            f"Executed swap prices in {history.quote} ($1): {swaps} swap"
            f"{'s' if swaps != 1 else ''} in {len(history.points)} block"
            f"{'s' if len(history.points) != 1 else ''}",
            f"{_day(first.timestamp)} to {_day(last.timestamp)}",
        ),
        x=_TIME,
        y=Axis(
            field="price_usd", title=f"{history.symbol} price (USD)", type="quantitative",
            unit="USD",
        ),
        points=tuple(Point(x=p.time, y=_shown(p.usd)) for p in history.points),
    )  # fmt: skip


def portfolio_chart(portfolio: Portfolio, kind: ChartKind = "bar") -> ChartSpec:
    """Bars of ``portfolio``'s USD value per token, largest first."""
    if kind != "bar":
        raise UsageError(f"a portfolio by token is drawn as bars, not a {kind}")
    valued = [
        (h.symbol, value)
        for h in portfolio.holdings
        if h.amount > 0 and (value := h.usd) is not None and value > 0
    ]
    unpriced = sorted(h.symbol for h in portfolio.holdings if h.amount > 0 and h.usd is None)
    if not valued:
        extra = f" (held without a price: {', '.join(unpriced)})" if unpriced else ""
        raise NoChartData(f"{portfolio.address} holds nothing with a USD price{extra}")
    valued.sort(key=lambda item: (-item[1], item[0]))
    total = sum((v for _, v in valued), Decimal(0))
    subtitle = [f"{portfolio.address}: ${total:,.2f} at DEX-implied prices (USDC = $1)"]
    if unpriced:
        subtitle.append(f"Held without a price: {', '.join(unpriced)}")
    return ChartSpec(
        kind="bar",
        title="Portfolio by token",
        subtitle=tuple(subtitle),
        x=Axis(field="token", title="Token", type="nominal"),
        y=Axis(field="value_usd", title="Value (USD)", type="quantitative", unit="USD"),
        points=tuple(Point(x=symbol, y=_shown(value)) for symbol, value in valued),
    )


def _shown(value: Decimal) -> Decimal:
    """``value`` to :data:`SIGNIFICANT_DIGITS` digits or cents, whichever keeps more, without
    trailing zeros or exponent."""
    if not value:
        return Decimal(0)
    digits = max(SIGNIFICANT_DIGITS, value.adjusted() + 3)
    rounded = Context(prec=digits).plus(value).normalize()
    return rounded.quantize(_ONE) if rounded == rounded.to_integral_value() else rounded


def _day(timestamp: int) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
