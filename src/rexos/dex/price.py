"""DEX-implied prices: what one token is worth in another, from the pools' exact maths.

The price of ``token`` in ``quote`` units is the output of selling a small probe (one
thousandth of a whole token, at least one base unit) through the best route, scaled back: the
marginal price less fees, without the price impact a large trade would add. ``None`` when no
route joins the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rexos.dex.pool import Pool
from rexos.dex.router import find_route
from rexos.errors import DexError

__all__ = ["implied_price"]


def implied_price(
    pools: Sequence[Pool], token: str, token_decimals: int, quote: str, quote_decimals: int
) -> Decimal | None:
    """Whole ``quote`` units per whole ``token``, or ``None`` without a route."""
    if token.lower() == quote.lower():
        return Decimal(1)
    probe = max(1, 10**token_decimals // 1000)
    try:
        route = find_route(pools, token, quote, probe, max_hops=2)
    except DexError:
        return None
    if route.amount_out <= 0:
        return None
    whole_out = Decimal(route.amount_out).scaleb(-quote_decimals)
    whole_in = Decimal(probe).scaleb(-token_decimals)
    return whole_out / whole_in
