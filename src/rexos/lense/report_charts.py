"""The report's five charts, drawn by the Chart agent from facts only.

Each chart is a :class:`~rexos.agents.chart.ChartSpec` whose every point's ``y`` is a fact's
value (:func:`chart_specs` also returns which fact each point came from, so a test can check
it): allocation (value per counted holding), value per chain, price divergence per asset,
the sentiment of news items over time, unrealised profit per asset. A chart without data is
left out. The Chart agent compiles each spec to Vega-Lite and renders it (SVG for HTML, PNG
for PDF); the report only sizes it for a page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rexos.agents.chart import Axis, ChartSpec, Point, to_png, to_svg, to_vega_lite
from rexos.lense.facts import FactSet
from rexos.lense.report_index import chain_ids, decimal_of, holdings, news_ids, price_keys
from rexos.lense.report_sections import symbol_of

__all__ = ["CHART_NAMES", "Chart", "PlannedChart", "chart_specs", "render_charts"]

CHART_NAMES = ("allocation", "chains", "price_sources", "sentiment", "pnl")


@dataclass(frozen=True, slots=True)
class PlannedChart:
    """A chart's spec and, per point, the fact id its ``y`` is."""

    name: str
    spec: ChartSpec
    fact_ids: tuple[str, ...]


class Chart:
    """A chart drawn on demand: SVG for the page, PNG (twice its size) for the PDF; each is
    rendered once, when first asked for."""

    def __init__(self, name: str, title: str, vega_lite: dict[str, Any]) -> None:
        self.name = name
        self.title = title
        self.vega_lite = vega_lite
        self._svg: str | None = None
        self._png: bytes | None = None

    @property
    def svg(self) -> str:
        if self._svg is None:
            self._svg = to_svg(self.vega_lite)
        return self._svg

    @property
    def png(self) -> bytes:
        if self._png is None:
            self._png = to_png(self.vega_lite, 2.0)
        return self._png


_Rows = list[tuple[str, str]]
"""(x, fact id) pairs."""


def _category_x(facts: FactSet, asset: str) -> str:
    symbol = symbol_of(facts, asset)
    if symbol is None:
        return asset
    chain = facts.value(symbol.removesuffix(".symbol") + ".chain")
    return f"{facts.value(symbol)} ({chain})"


def _unique(rows: _Rows, facts: FactSet) -> _Rows:
    """Rows with a numeric fact and each category once (later twins named by their key)."""
    seen: set[str] = set()
    kept: _Rows = []
    for x, fact_id in rows:
        if decimal_of(facts, fact_id) is None:
            continue
        label = x if x not in seen else f"{x} {fact_id.split('.')[1][:14]}"
        seen.add(label)
        kept.append((label[:80], fact_id))
    return kept


def _bars(name: str, title: str, x: str, y: str, rows: _Rows, facts: FactSet) -> PlannedChart:
    points = tuple(Point(x=label, y=decimal_of(facts, i) or Decimal(0)) for label, i in rows)
    spec = ChartSpec(
        kind="bar", title=title,
        x=Axis(field="category", title=x, type="nominal"),
        y=Axis(field="value", title=y, type="quantitative", unit="USD" if "USD" in y else None),
        points=points,
    )  # fmt: skip
    return PlannedChart(name, spec, tuple(i for _, i in rows))


def _allocation(facts: FactSet) -> _Rows:
    return [(h.label, h.id("usd")) for h in holdings(facts) if h.counted == "yes"]


def _chains(facts: FactSet) -> _Rows:
    return [(str(facts.value(f"chain.{c}.name")), f"chain.{c}.usd") for c in chain_ids(facts)]


def _divergence(facts: FactSet) -> _Rows:
    return [(_category_x(facts, k), f"price.{k}.divergence_bps") for k in price_keys(facts)]


def _pnl(facts: FactSet) -> _Rows:
    keys = [i.split(".")[1] for i in facts.ids("perf.") if i.endswith(".unrealised_usd")]
    return [(_category_x(facts, k), f"perf.{k}.unrealised_usd") for k in keys if k != "total"]


def _sentiment(facts: FactSet) -> PlannedChart | None:
    dated = sorted(
        (str(facts.value(f"{n}.published")), f"{n}.score")
        for n in news_ids(facts)
        if decimal_of(facts, f"{n}.score") is not None
        and facts.value(f"{n}.published") != "unknown"
    )
    rows = [row for k, row in enumerate(dated) if k == 0 or row[0] != dated[k - 1][0]]
    if len(rows) < 2:
        return None
    spec = ChartSpec(
        kind="line", title="Sentiment of news and posts over time",
        x=Axis(field="time", title="Published (UTC)", type="temporal", unit="UTC"),
        y=Axis(field="score", title="Sentiment score", type="quantitative"),
        points=tuple(Point(x=t, y=decimal_of(facts, i) or Decimal(0)) for t, i in rows),
    )  # fmt: skip
    return PlannedChart("sentiment", spec, tuple(i for _, i in rows))


_BARS: dict[str, tuple[str, str, str, Callable[[FactSet], _Rows]]] = {
    "allocation": ("Allocation of net worth", "Holding", "Value (USD)", _allocation),
    "chains": ("Value by chain", "Chain", "Value (USD)", _chains),
    "price_sources": ("How far price sources disagree", "Asset", "Divergence (bps)", _divergence),
    "pnl": ("Unrealised profit by asset", "Asset", "Unrealised (USD)", _pnl),
}


def chart_specs(facts: FactSet) -> list[PlannedChart]:
    """The charts that have data, in :data:`CHART_NAMES` order."""
    planned: list[PlannedChart] = []
    for name in CHART_NAMES:
        if name == "sentiment":
            chart = _sentiment(facts)
            if chart is not None:
                planned.append(chart)
            continue
        title, x, y, rows_of = _BARS[name]
        rows = _unique(rows_of(facts), facts)
        if rows:
            planned.append(_bars(name, title, x, y, rows, facts))
    return planned


def render_charts(facts: FactSet) -> dict[str, Chart]:
    """Each chart compiled to Vega-Lite by the Chart agent, by name (drawn when first used)."""
    return {
        plan.name: Chart(plan.name, plan.spec.title, _fitted(to_vega_lite(plan.spec), plan.spec))
        for plan in chart_specs(facts)
    }


def _fitted(doc: dict[str, Any], spec: ChartSpec) -> dict[str, Any]:
    """The Chart agent's Vega-Lite sized for a report page, bar labels slanted when many."""
    doc = {**doc, "width": 500, "height": 240}
    if spec.kind == "bar" and len(spec.points) > 4:
        encoding = doc["encoding"]
        x_axis = {**encoding["x"].get("axis", {}), "labelAngle": -35}
        doc["encoding"] = {**encoding, "x": {**encoding["x"], "axis": x_axis}}
    return doc
