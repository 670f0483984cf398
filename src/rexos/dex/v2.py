"""Uniswap-V2-family constant-product pools with the fee stored per pool.

The maths of the Uniswap v2 whitepaper: a pair holds reserves ``(x, y)`` and
accepts a trade when the fee-adjusted balances keep ``x·y`` from falling. With
the fee ``f`` in basis points, selling ``a`` of one token yields the largest
integer ``out`` with ``(x·10000 + a·(10000 − f)) · (y − out) ≥ x·y·10000``,
which is

    out = ⌊a·(10000 − f)·y / (x·10000 + a·(10000 − f))⌋

For ``f = 30`` this is exactly UniswapV2Library.getAmountOut (997/1000 is
9970/10000), and ``out + 1`` fails the pair's ``UniswapV2: K`` check. PancakeSwap
uses ``f = 25`` on the same 10000 scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rexos.dex.pool import check_pair, require_positive
from rexos.errors import DexError, InsufficientLiquidity, UsageError

__all__ = ["BPS", "MAX_RESERVE", "V2Pool"]

BPS = 10_000
"""Fee denominator: ``fee_bps`` is in units of 1/10000."""
MAX_RESERVE = 2**112 - 1
"""The pair stores reserves as uint112; a balance above it reverts (``UniswapV2: OVERFLOW``)."""


@dataclass(frozen=True, slots=True)
class V2Pool:
    """A constant-product pair: two tokens, their reserves (base units) and the fee.

    ``fee_bps`` is the swap fee in basis points: 30 for Uniswap V2 (0.30 %),
    25 for PancakeSwap (0.25 %), any ``0 ≤ fee_bps < 10000``. ``block``: the block the
    reserves were read at, for a pair read from a chain (provenance, not compared).
    """

    id: str
    token0: str
    token1: str
    reserve0: int
    reserve1: int
    fee_bps: int
    block: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.id:
            raise UsageError("V2 pool id must not be empty")
        tokens_ok = all(isinstance(t, str) and t for t in (self.token0, self.token1))
        if not tokens_ok or self.token0 == self.token1:
            raise UsageError(
                f"V2 pool {self.id}: needs two distinct tokens, got "
                f"{self.token0!r} and {self.token1!r}"
            )
        for name, reserve in (("reserve0", self.reserve0), ("reserve1", self.reserve1)):
            if not _is_int(reserve) or not 0 <= reserve <= MAX_RESERVE:
                raise UsageError(
                    f"V2 pool {self.id}: {name} must be an integer in [0, 2**112 - 1], "
                    f"got {reserve!r}"
                )
        if not _is_int(self.fee_bps) or not 0 <= self.fee_bps < BPS:
            raise UsageError(
                f"V2 pool {self.id}: fee_bps must be an integer in [0, 9999], got {self.fee_bps!r}"
            )

    @property
    def tokens(self) -> tuple[str, ...]:
        """``(token0, token1)``, the pair's own order."""
        return (self.token0, self.token1)

    def reserves(self, token_in: str) -> tuple[int, int]:
        """``(reserve_in, reserve_out)`` for a sale of ``token_in``; ``DexError`` if not traded."""
        return self._reserves(token_in, self._other(token_in))

    def amount_out(self, token_in: str, amount_in: int) -> int:
        """The largest output the pair accepts for exactly ``amount_in`` of ``token_in``.

        Equal to UniswapV2Library.getAmountOut for a 0.30 % pool. Raises
        :class:`InsufficientLiquidity` where a swap would revert: no input, an
        empty reserve, a zero output, or a balance beyond uint112.
        """
        require_positive(self, amount_in)
        reserve_in, reserve_out = self.reserves(token_in)
        self._require_liquidity(reserve_in, reserve_out)
        if amount_in > MAX_RESERVE - reserve_in:
            raise InsufficientLiquidity(
                f"pool {self.id}: {amount_in} in would overflow the uint112 reserve"
            )
        in_with_fee = amount_in * (BPS - self.fee_bps)
        out = in_with_fee * reserve_out // (reserve_in * BPS + in_with_fee)
        if out == 0:
            raise InsufficientLiquidity(f"pool {self.id}: {amount_in} in buys nothing")
        return out

    def amount_in_for(self, token_out: str, amount_out: int) -> int:
        """The input UniswapV2Library.getAmountIn asks to receive ``amount_out`` of ``token_out``.

        ``⌊x·out·10000 / ((y − out)·(10000 − f))⌋ + 1``; enough for the pair's K
        check, though not always the least that is. Raises
        :class:`InsufficientLiquidity` for ``amount_out ≥`` the reserve.
        """
        if amount_out <= 0:
            raise InsufficientLiquidity(
                f"pool {self.id}: amount out must be positive, got {amount_out}"
            )
        reserve_in, reserve_out = self._reserves(self._other(token_out), token_out)
        self._require_liquidity(reserve_in, reserve_out)
        if amount_out >= reserve_out:
            raise InsufficientLiquidity(
                f"pool {self.id}: cannot buy {amount_out}, the reserve is {reserve_out}"
            )
        numerator = reserve_in * amount_out * BPS
        denominator = (reserve_out - amount_out) * (BPS - self.fee_bps)
        return numerator // denominator + 1

    def swap(self, token_in: str, token_out: str, amount_in: int) -> tuple[int, V2Pool]:
        """Sell exactly ``amount_in`` of ``token_in``; the output and the pair after the swap."""
        check_pair(self, token_in, token_out)
        out = self.amount_out(token_in, amount_in)
        if token_in == self.token0:
            after = replace(self, reserve0=self.reserve0 + amount_in, reserve1=self.reserve1 - out)
        else:
            after = replace(self, reserve0=self.reserve0 - out, reserve1=self.reserve1 + amount_in)
        return out, after

    def _other(self, token: str) -> str:
        if token == self.token0:
            return self.token1
        if token == self.token1:
            return self.token0
        raise DexError(f"pool {self.id} does not trade {token}")

    def _reserves(self, token_in: str, token_out: str) -> tuple[int, int]:
        index_in, _ = check_pair(self, token_in, token_out)
        if index_in == 0:
            return self.reserve0, self.reserve1
        return self.reserve1, self.reserve0

    def _require_liquidity(self, reserve_in: int, reserve_out: int) -> None:
        if reserve_in == 0 or reserve_out == 0:
            raise InsufficientLiquidity(f"pool {self.id}: a reserve is empty")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
