"""The bridge plug-in: rank LI.FI, Across and Bungee quotes for a transfer between chains.

It only recommends (nothing is signed): utility = received − gas on both chains − value of
time × expected time − trust penalty, with the winner explained. The tool is untrusted (the
default): route and bridge names, and the reasons a source gave no quote, are the providers'
text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from rexos import __version__
from rexos.agents.tool import ToolContext, ToolParams, tool
from rexos.bridges.recommend import recommend
from rexos.plugins.spec import Plugin

__all__ = ["plugin"]


class CompareParams(ToolParams):
    token: str = Field(description="Token symbol, e.g. USDC.", min_length=1, max_length=12)
    amount: str = Field(description="Whole tokens, e.g. '1000'.", pattern=r"^\d+(\.\d+)?$")
    from_chain: str = Field(description="e.g. optimism, arbitrum, base, ethereum.")
    to_chain: str = Field(description="Destination chain name.")
    address: str = Field(description="The sender's address (quotes are for a sender).",
                         pattern=r"^0x[0-9a-fA-F]{40}$")  # fmt: skip
    price_usd: Decimal | None = Field(default=None, gt=0, description="Stablecoins: 1.")
    value_of_time_usd_per_hour: Decimal = Field(default=Decimal(10), ge=0)


class CompareResult(BaseModel):
    quotes: list[dict[str, Any]]
    unavailable: dict[str, str]
    why: str


@tool(
    "bridge.compare",
    "Rank bridge routes (LI.FI, Across, Bungee) for moving a token between two chains by what "
    "arrives minus gas, time and a trust penalty; explains the winner. Signs nothing.",
    CompareParams,
    CompareResult,
    needs=["network"],
    examples=[
        {
            "token": "USDC",
            "amount": "1000",
            "from_chain": "optimism",
            "to_chain": "arbitrum",
            "address": "0x" + "11" * 20,
        }
    ],
)
def compare(ctx: ToolContext, p: CompareParams) -> CompareResult:
    found = recommend(ctx.settings, p.token, p.amount, p.from_chain, p.to_chain, p.address,
                      p.price_usd, p.value_of_time_usd_per_hour)  # fmt: skip
    return CompareResult.model_validate(found.to_json())


plugin = Plugin.of(
    "bridge",
    __version__,
    "Bridge routes between chains, ranked and explained (recommendation only).",
    [compare],
)
