"""What one more fill of a route costs in gas, in base units of the token bought.

:func:`find_route` drops every fill (a split leg, a hop, an arbitrage loop's step) that
gains less than ``gas_cost_per_fill``; :func:`fill_gas_cost` prices that from the chain's
gas price and :data:`GAS_PER_FILL`, the gas one more RexRouter step takes (receipts in
``benchmarks/routing.json`` ``router_gas``: a second V2 pair about 44k, a V2 hop about 57k,
a V3 leg about 49k over a V2 one, a StableSwap step more), converted at WETH's price in
the pools themselves. Every swap a user makes (``rexos swap``, chat swaps) uses it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rexos.dex.pool import Pool
from rexos.dex.router import find_route
from rexos.errors import DexError, UsageError

__all__ = ["GAS_PER_FILL", "fill_gas_cost"]

GAS_PER_FILL = 60_000
"""Gas one more fill costs RexRouter, about (see the module docstring)."""


def fill_gas_cost(pools: Sequence[Pool], gas_price: int, weth: str, buy: str) -> int:
    """``GAS_PER_FILL`` at ``gas_price`` (wei per gas) in base units of ``buy``, priced by
    selling one WETH for ``buy`` on ``pools`` (at most two hops); 0 when no pool prices it."""
    if gas_price < 0:
        raise UsageError(f"gas price must not be negative, got {gas_price}")
    wei = GAS_PER_FILL * gas_price
    if buy.lower() == weth.lower() or wei == 0:
        return wei
    try:
        unit = find_route(pools, weth, buy, 10**18, max_hops=2)
    except DexError:
        return 0
    return wei * unit.amount_out // 10**18
