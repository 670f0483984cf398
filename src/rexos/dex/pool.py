"""What every pool kind offers the router: exact swaps on an immutable state.

A pool is a frozen value. :meth:`Pool.swap` returns the exact output in base
units (integer arithmetic identical to the pool's contract, to the wei) and the
pool's state after the swap, so a route can be replayed leg by leg. Tokens are
named by the strings the pools come with: checksummed addresses for pools read
from a chain, any id in a pools file.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from rexos.errors import DexError, InsufficientLiquidity

__all__ = ["Pool", "check_pair", "require_positive"]


@runtime_checkable
class Pool(Protocol):
    """One liquidity pool: its id, its tokens and an exact swap."""

    @property
    def id(self) -> str:
        """Unique id (pool address on a chain, any string in a pools file)."""
        ...

    @property
    def tokens(self) -> tuple[str, ...]:
        """The tokens the pool trades, in the pool's own order."""
        ...

    def swap(self, token_in: str, token_out: str, amount_in: int) -> tuple[int, Pool]:
        """Sell exactly ``amount_in`` of ``token_in``; return the output and the pool after.

        Raises :class:`~rexos.errors.InsufficientLiquidity` when the pool cannot
        fill the amount (where its contract would revert), and
        :class:`~rexos.errors.DexError` for a token it does not trade.
        """
        ...


def check_pair(pool: Pool, token_in: str, token_out: str) -> tuple[int, int]:
    """The indices of ``token_in`` and ``token_out`` in ``pool.tokens``; ``DexError`` if absent."""
    tokens = pool.tokens
    if token_in == token_out:
        raise DexError(f"pool {pool.id}: cannot swap {token_in} for itself")
    try:
        return tokens.index(token_in), tokens.index(token_out)
    except ValueError:
        raise DexError(f"pool {pool.id} does not trade {token_in} for {token_out}") from None


def require_positive(pool: Pool, amount_in: int) -> None:
    """``InsufficientLiquidity``-free guard: a swap needs at least one base unit in."""
    if amount_in <= 0:
        raise InsufficientLiquidity(f"pool {pool.id}: amount in must be positive, got {amount_in}")
