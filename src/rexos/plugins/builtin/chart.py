"""The chart plug-in: the Chart agent's tools.

``chart.make`` charts a token's price (from the swaps in the Database agent's index) or an
address's portfolio by token (balances on the chain at DEX-implied prices); ``chart.render``
draws a ChartSpec given in full, offline. Both answer the ChartSpec, the checked Vega-Lite
document and the SVG.

Neither is declared ``changes_state``: ``chart.make`` brings the local swap index up to date
from the chain before reading it, but that index is a cache derived from the chain (the next
read would do the same), and neither tool writes a file or alters anything the user made.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from rexos import __version__
from rexos.agents.chart import (
    MAX_DAYS,
    ChartKind,
    ChartRequest,
    ChartResult,
    ChartSpec,
    IndexedSources,
    make_chart,
    render_chart,
)
from rexos.agents.database import index_path
from rexos.agents.tool import ToolContext, ToolParams, tool
from rexos.plugins.spec import Plugin

__all__ = ["plugin"]


class ChartOutput(BaseModel):
    chart: ChartSpec
    vega_lite: dict[str, Any] = Field(description="The Vega-Lite v5 document.")
    svg: str = Field(description="The rendered chart, an SVG document.")

    @classmethod
    def of(cls, result: ChartResult) -> ChartOutput:
        return cls(chart=result.spec, vega_lite=result.vega_lite, svg=result.svg)


class MakeParams(ToolParams):
    subject: str = Field(
        pattern=r"^\$?[A-Za-z0-9]{1,11}$",
        description="A token symbol of the deployment (price over time), or 'portfolio'.",
    )
    days: int | None = Field(default=None, ge=1, le=MAX_DAYS, description="Default 30.")
    kind: ChartKind | None = Field(default=None, description="Override: 'area' for a price.")
    address: str | None = Field(
        default=None, pattern=r"^0x[0-9a-fA-F]{40}$", description="Whose portfolio."
    )


@tool(
    "chart.make",
    "Chart a token's USD price over the last N days (executed swap prices from the indexed "
    "chain, a line) or an address's portfolio by token (USD value per token, bars).",
    MakeParams,
    ChartOutput,
    needs=["chain"],
    trusted="drawn from our own index and chain balances, with the deployment's own symbols",
    examples=[  # a price chart needs indexed swaps; a portfolio works on any devnet
        {"subject": "portfolio", "address": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"},
    ],
)
def make(ctx: ToolContext, p: MakeParams) -> ChartOutput:
    chain, manifest = ctx.chain(), ctx.manifest()
    index = index_path(ctx.settings.home, int(manifest.chain_id))
    request = ChartRequest(subject=p.subject, days=p.days, kind=p.kind, address=p.address)
    return ChartOutput.of(make_chart(request, IndexedSources(chain.web3, manifest, index)))


class RenderParams(ToolParams):
    chart: ChartSpec = Field(description="The chart: kind, title, axes and points.")


@tool(
    "chart.render",
    "Draw a chart given in full (line or area over time, bars per category): returns the "
    "checked Vega-Lite v5 document and the SVG. Offline.",
    RenderParams,
    ChartOutput,
    trusted="draws the chart it is given: nothing but its own arguments comes back",
    examples=[
        {
            "chart": {
                "kind": "bar",
                "title": "Portfolio by token",
                "x": {"field": "token", "title": "Token", "type": "nominal"},
                "y": {
                    "field": "value_usd",
                    "title": "Value (USD)",
                    "type": "quantitative",
                    "unit": "USD",
                },
                "points": [{"x": "WETH", "y": "3000"}, {"x": "REX", "y": "250.5"}],
            }
        },
        {
            "chart": {
                "kind": "line",
                "title": "REX price",
                "x": {"field": "time", "title": "Time (UTC)", "type": "temporal"},
                "y": {"field": "price_usd", "title": "USD", "type": "quantitative"},
                "points": [
                    {"x": "2025-01-01T00:00:00Z", "y": "0.10"},
                    {"x": "2025-01-02T00:00:00Z", "y": "0.12"},
                ],
            }
        },
    ],
)
def render(ctx: ToolContext, p: RenderParams) -> ChartOutput:
    return ChartOutput.of(render_chart(p.chart))


def plugin() -> Plugin:
    return Plugin.of(
        "chart", __version__, "Charts: price history and portfolio, Vega-Lite and SVG.",
        [make, render],
    )  # fmt: skip
