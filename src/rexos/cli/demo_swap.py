"""The demo's SmartWallet chapter: a split route beats the best single pool, to the wei."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from rich.table import Table

from rexos.cli.console import out
from rexos.types import format_units

if TYPE_CHECKING:
    from rexos.chain import ChainClient, Manifest
    from rexos.dex import TokenRegistry

__all__ = ["swap_chapter"]

SELL, BUY, AMOUNT = "WETH", "USDC", 15 * 10**18
GAS_COST_USDC = 200_000
"""What one more fill costs, in USDC base units ($0.20): dust legs are not worth their gas."""


def swap_chapter(chain: ChainClient, manifest: Manifest, trader: int) -> None:
    """``trader`` (a funded dev account) sells 15 WETH for USDC across the devnet's venues."""
    from rexos.chain import Transactor, dev_account
    from rexos.dex import PoolWatcher, SwapExecutor, TokenRegistry, find_route, quote_swap

    web3 = chain.web3
    tokens = TokenRegistry.from_manifest(manifest)
    weth, usdc = tokens.symbol(SELL), tokens.symbol(BUY)
    watcher = PoolWatcher(web3, manifest)
    route = find_route(
        watcher.pools, weth.address, usdc.address, AMOUNT, gas_cost_per_fill=GAS_COST_USDC
    )
    quote = quote_swap(route, watcher.pools, slippage_bps=50, block=watcher.block)

    def usd(value: int) -> str:
        return f"{format_units(value, usdc.decimals, 2)} USDC"

    table = Table(
        "venue", "hop", "fee", "sells", "buys", title="The split route", title_justify="left"
    )
    for f in quote.fills:
        table.add_row(
            watcher.venue.get(f.pool, "?"),
            _hop(f.token_in, f.token_out, weth.address, usdc.address, tokens),
            f"{f.fee_bps} bps",
            f"{format_units(f.amount_in, tokens.address(f.token_in).decimals, 4)} "
            f"{tokens.address(f.token_in).symbol}",
            f"{format_units(f.amount_out, tokens.address(f.token_out).decimals, 4)} "
            f"{tokens.address(f.token_out).symbol}",
        )
    out.print(table)
    if any(_hop(f.token_in, f.token_out, weth.address, usdc.address, tokens) != "direct"
           for f in quote.fills):  # fmt: skip
        out.print(
            f"Multi-hop paths sell {SELL} for another token, then sell that on until their "
            f"last hop buys {BUY}: each later hop sells what the hop before it bought."
        )
    gain = Decimal((route.amount_out - route.best_single_out) * 10_000) / route.best_single_out
    out.print(
        f"Best single pool: {usd(route.best_single_out)}; the split: {usd(route.amount_out)} "
        f"({gain:+.1f} bps), within {route.gap_bps} bps of the best possible "
        f"({usd(route.upper_bound_out)})."
    )
    executor = SwapExecutor(Transactor(web3, dev_account(trader)), manifest.address("RexRouter"))
    result = executor.execute(quote)
    exact = "exactly as quoted" if result.amount_out == route.amount_out else "differs!"
    out.print(
        f"Executed atomically through RexRouter: received {usd(result.amount_out)}, {exact} "
        f"(gas {result.gas_used:,})."
    )


def _hop(token_in: str, token_out: str, sell: str, buy: str, tokens: TokenRegistry) -> str:
    """Where a fill sits on its path: the whole path, its first, middle or last hop."""
    starts, ends = token_in.lower() == sell.lower(), token_out.lower() == buy.lower()
    if starts and ends:
        return "direct"
    if starts:
        return f"1st hop, to {tokens.address(token_out).symbol}"
    if ends:
        return f"last hop, from {tokens.address(token_in).symbol}"
    return f"middle hop, {tokens.address(token_in).symbol} to {tokens.address(token_out).symbol}"
