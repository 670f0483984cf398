"""The DEX plug-in: SmartWallet's router as tools.

``dex.route`` splits a swap over pools given inline (the ``rexos route`` pools-file format) and
runs offline; ``dex.quote`` quotes the best split over the deployment's venues. Neither signs:
swapping goes through the Wallet agent.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from rexos import __version__
from rexos.agents.tool import ToolContext, ToolParams, tool
from rexos.dex import PoolWatcher, TokenRegistry, find_route, quote_swap
from rexos.dex.pools_file import parse_pools
from rexos.plugins.spec import Plugin
from rexos.types import format_units, parse_units

__all__ = ["plugin"]

_UNITS = r"^[1-9][0-9]*$"


class RouteParams(ToolParams):
    pools: list[dict[str, Any]] = Field(description="Pools, as in a `rexos route` pools file.")
    sell: str = Field(min_length=1, description="Token sold (as named in the pools).")
    buy: str = Field(min_length=1, description="Token bought.")
    amount_in: str = Field(pattern=_UNITS, description="Exact input, base units.")
    max_hops: int | None = Field(
        default=None, ge=1, le=6, description="Pools per path at most (default: any)."
    )


class FillOut(BaseModel):
    pool: str
    token_in: str
    token_out: str
    amount_in: str
    amount_out: str


class RouteResult(BaseModel):
    amount_in: str
    amount_out: str
    fills: list[FillOut]
    upper_bound_out: str
    gap_bps: str
    best_single_out: str


_EXAMPLE_POOLS = [
    {"id": "a", "kind": "v2", "token0": "WETH", "token1": "USDC",
     "reserve0": "1000000000000000000000", "reserve1": "3000000000000", "fee_bps": 30},
    {"id": "b", "kind": "v2", "token0": "WETH", "token1": "USDC",
     "reserve0": "400000000000000000000", "reserve1": "1210000000000", "fee_bps": 25},
]  # fmt: skip


@tool(
    "dex.route",
    "Best split of an exact-input swap over the given pools, with an upper bound on the "
    "achievable output (gap in bps). Pure maths: nothing is read from or sent to a chain.",
    RouteParams,
    RouteResult,
    trusted="pure maths over the pools given; no third-party text",
    examples=[{"pools": _EXAMPLE_POOLS, "sell": "WETH", "buy": "USDC", "amount_in": str(10**19)}],
)
def route(_: ToolContext, p: RouteParams) -> RouteResult:
    found = find_route(parse_pools({"pools": p.pools}), p.sell, p.buy, int(p.amount_in),
                       max_hops=p.max_hops)  # fmt: skip
    doc = found.to_json()
    return RouteResult(
        amount_in=doc["amount_in"],
        amount_out=doc["amount_out"],
        fills=[FillOut(**f) for f in doc["fills"]],
        upper_bound_out=doc["upper_bound_out"],
        gap_bps=doc["gap_bps"],
        best_single_out=str(found.best_single_out),
    )


class QuoteParams(ToolParams):
    sell: str = Field(min_length=1, max_length=11, description="Symbol sold, e.g. WETH.")
    buy: str = Field(min_length=1, max_length=11, description="Symbol bought, e.g. USDC.")
    amount: str = Field(description="Whole tokens sold, e.g. 1.5.")
    slippage_bps: int = Field(default=50, ge=0, lt=10_000)


class QuoteResult(BaseModel):
    sell: str
    buy: str
    amount_in: str
    amount_out: str
    min_out: str
    price_impact_bps: str
    gap_bps: str
    venues: list[str]
    block: int | None


@tool(
    "dex.quote",
    "Quote the best split of a swap over the deployment's DEX venues (amounts in whole tokens). "
    "Reads pool state; sends nothing.",
    QuoteParams,
    QuoteResult,
    needs=["chain"],
    trusted="computed from the deployment's pool reserves on chain and its own symbols",
    examples=[{"sell": "WETH", "buy": "USDC", "amount": "1"}],
)
def quote(ctx: ToolContext, p: QuoteParams) -> QuoteResult:
    manifest = ctx.manifest()
    tokens = TokenRegistry.from_manifest(manifest)
    tin, tout = tokens.symbol(p.sell), tokens.symbol(p.buy)
    watcher = PoolWatcher(ctx.chain().web3, manifest)
    found = find_route(
        watcher.pools, tin.address, tout.address, parse_units(p.amount, tin.decimals)
    )
    q = quote_swap(found, watcher.pools, slippage_bps=p.slippage_bps, block=watcher.block)
    return QuoteResult(
        sell=tin.symbol,
        buy=tout.symbol,
        amount_in=format_units(found.amount_in, tin.decimals),
        amount_out=format_units(found.amount_out, tout.decimals),
        min_out=format_units(q.min_out, tout.decimals),
        price_impact_bps=str(q.price_impact_bps),
        gap_bps=str(found.gap_bps),
        venues=sorted({watcher.venue.get(f.pool, "?") for f in q.fills}),
        block=q.block,
    )


def plugin() -> Plugin:
    return Plugin.of("dex", __version__, "Swap routing and quotes (SmartWallet).", [route, quote])
