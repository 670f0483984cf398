"""The Chart agent: a typed request → ChartSpec (by rule) → checked Vega-Lite → SVG.

``make_chart(ChartRequest(subject="REX", days=30), sources)`` is what the orchestrator
and the CLI call; ``render_chart(spec)`` draws a ChartSpec built elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rexos.agents.chart.render import to_png, to_svg
from rexos.agents.chart.rules import portfolio_chart, price_chart
from rexos.agents.chart.sources import ChartSources
from rexos.agents.chart.spec import ChartKind, ChartSpec
from rexos.agents.chart.vegalite import to_vega_lite
from rexos.bounds import MAX_CHART_DAYS
from rexos.errors import UsageError

__all__ = [
    "DEFAULT_DAYS",
    "MAX_DAYS",
    "PORTFOLIO",
    "ChartRequest",
    "ChartResult",
    "build_spec",
    "make_chart",
    "render_chart",
]

DEFAULT_DAYS = 30
MAX_DAYS = MAX_CHART_DAYS
PORTFOLIO = "portfolio"
"""The subject that charts holdings by token instead of a token's price."""


class ChartRequest(BaseModel):
    """What to chart: a token's price over ``days`` days, or ``"portfolio"`` of ``address``.

    ``kind`` overrides the rule's mark where it makes sense (``area`` for a price).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    subject: str = Field(
        pattern=r"^\$?[A-Za-z0-9]{1,11}$", description="A token symbol, or 'portfolio'."
    )
    days: int | None = Field(default=None, ge=1, le=MAX_DAYS, description="Default 30.")
    kind: ChartKind | None = None
    address: str | None = Field(
        default=None, pattern=r"^0x[0-9a-fA-F]{40}$", description="Whose portfolio."
    )

    @property
    def is_portfolio(self) -> bool:
        return self.subject.lower() == PORTFOLIO


@dataclass(frozen=True, slots=True)
class ChartResult:
    """The ChartSpec, the Vega-Lite document drawing it, and the SVG."""

    spec: ChartSpec
    vega_lite: dict[str, Any]
    svg: str

    def png(self, scale: float = 1.0) -> bytes:
        """The chart as a PNG image."""
        return to_png(self.vega_lite, scale)

    def to_json(self, out: str | None = None) -> dict[str, Any]:
        """``{"spec": <Vega-Lite>, "chart": <ChartSpec>, "out": out}`` (Decimals as text)."""
        return {"spec": self.vega_lite, "chart": self.spec.model_dump(mode="json"), "out": out}


def build_spec(request: ChartRequest, sources: ChartSources) -> ChartSpec:
    """The ChartSpec the rules choose for ``request``, with data from ``sources``."""
    if request.is_portfolio:
        if request.address is None:
            raise UsageError("whose portfolio? a portfolio chart needs an address")
        return portfolio_chart(sources.portfolio(request.address), request.kind or "bar")
    days = request.days or DEFAULT_DAYS
    history = sources.price_history(request.subject.lstrip("$").upper(), days)
    return price_chart(history, request.kind or "line")


def render_chart(spec: ChartSpec) -> ChartResult:
    """Compile ``spec`` to checked Vega-Lite and render it to SVG."""
    doc = to_vega_lite(spec)
    return ChartResult(spec, doc, to_svg(doc))


def make_chart(request: ChartRequest, sources: ChartSources) -> ChartResult:
    """Chart ``request`` from ``sources``: rule → ChartSpec → Vega-Lite (checked) → SVG."""
    return render_chart(build_spec(request, sources))
