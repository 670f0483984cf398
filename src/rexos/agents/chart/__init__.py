"""The Chart agent: a request becomes a typed ChartSpec, checked Vega-Lite and an SVG/PNG.

``make_chart(ChartRequest(subject="REX", days=30), sources)`` picks the chart by rule (a
token's price over time: a line; a portfolio by token: bars), fills it from ``sources``
(:class:`IndexedSources`: swaps in the Database agent's index and balances on the chain;
:class:`FixedSources`: given data), compiles it to Vega-Lite v5, checks that document and
renders it offline with vl-convert. Nothing is invented: no data is :class:`NoChartData`.
"""

from rexos.agents.chart.agent import (
    DEFAULT_DAYS,
    MAX_DAYS,
    PORTFOLIO,
    ChartRequest,
    ChartResult,
    build_spec,
    make_chart,
    render_chart,
)
from rexos.agents.chart.errors import ChartError, NoChartData
from rexos.agents.chart.history import (
    DOLLAR,
    PriceHistory,
    PricePoint,
    Swap,
    executed_prices,
    read_price_history,
)
from rexos.agents.chart.portfolio import Holding, Portfolio, read_portfolio
from rexos.agents.chart.render import to_png, to_svg
from rexos.agents.chart.rules import portfolio_chart, price_chart
from rexos.agents.chart.sources import ChartSources, FixedSources, IndexedSources
from rexos.agents.chart.spec import Axis, ChartKind, ChartSpec, FieldType, Point
from rexos.agents.chart.vegalite import check_vega_lite, to_vega_lite
from rexos.agents.chart.vl_schema import VEGA_LITE_SCHEMA_URL, VEGA_LITE_SUBSET

__all__ = [
    "DEFAULT_DAYS",
    "DOLLAR",
    "MAX_DAYS",
    "PORTFOLIO",
    "VEGA_LITE_SCHEMA_URL",
    "VEGA_LITE_SUBSET",
    "Axis",
    "ChartError",
    "ChartKind",
    "ChartRequest",
    "ChartResult",
    "ChartSources",
    "ChartSpec",
    "FieldType",
    "FixedSources",
    "Holding",
    "IndexedSources",
    "NoChartData",
    "Point",
    "Portfolio",
    "PriceHistory",
    "PricePoint",
    "Swap",
    "build_spec",
    "check_vega_lite",
    "executed_prices",
    "make_chart",
    "portfolio_chart",
    "price_chart",
    "read_portfolio",
    "read_price_history",
    "render_chart",
    "to_png",
    "to_svg",
    "to_vega_lite",
]
