"""The perpetuals plug-in: rank perp venues for one position (fees, funding, slippage).

The tool is untrusted (the default): venue and market names come from the exchanges' APIs.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from rexos import __version__
from rexos.agents.tool import ToolContext, ToolParams, tool
from rexos.perps import PerpRequest, compare, live_sources, venue_ids
from rexos.plugins.spec import Plugin

__all__ = ["plugin"]


class CompareParams(ToolParams):
    market: str = Field(min_length=2, max_length=30, description="BTC, ETH-PERP, BTC/USDT:USDT…")
    size: str = Field(description="Size in base units (2.5) or USD notional ($50000).")
    side: Literal["long", "short"] = "long"
    hours: str = Field(default="24", description="Holding time in hours.")
    venues: list[str] | None = Field(default=None, description="Venue ids; default: all.")


class CompareResult(BaseModel):
    comparison: dict[str, Any] = Field(description="Ranked venues with every cost term.")


@tool(
    "perps.compare",
    "Rank perpetual-futures venues for one position by taker fees, expected funding over the "
    "holding time and order-book slippage, and explain the winner. Reads public market data.",
    CompareParams,
    CompareResult,
    needs=["network"],
    examples=[{"market": "BTC", "size": "1", "side": "long"}],
)
def compare_venues(_: ToolContext, p: CompareParams) -> CompareResult:
    request = PerpRequest.parse(p.market, p.size, side=p.side, hours=p.hours)
    result = compare(request, live_sources(venue_ids(p.venues) if p.venues else None))
    return CompareResult(comparison=result.to_json())


def plugin() -> Plugin:
    return Plugin.of("perps", __version__, "Perpetual-venue comparison.", [compare_venues])
