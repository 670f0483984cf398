"""Curve-style StableSwap pools: the invariant of the StableSwap whitepaper, in integers.

For ``n`` coins with normalised balances ``x_k`` (all in 18-decimal units), the
amplification ``A`` and the invariant ``D``, the whitepaper's curve is

    A·nⁿ·Σx_k + D = A·D·nⁿ + D^(n+1) / (nⁿ·Πx_k)

``D`` is found by Newton's method from ``D = Σx_k`` (:func:`get_d`); after a
trade changes ``x_i``, the new ``x_j`` is the positive root of a quadratic,
again found by Newton's method from ``y = D`` (:func:`get_y`). In exact
arithmetic the iterates for ``D`` fall monotonically onto the root (the
invariant is concave and decreasing in ``D`` and ``Σx`` lies right of its root),
and so do those for ``y`` after the first step (which may rise past the root:
``y`` can exceed ``D`` in an imbalanced pool). So each loop stops at the first
iterate that moves by at most one wei, or that rises when it should fall
(floor-division noise). This ends the limit cycles of a few wei that a
``|step| ≤ 1`` rule alone can enter in very imbalanced pools.

Every step is uint256 integer arithmetic in the same order as
``contracts/src/dex/StableSwapPool.sol``, so
the quotes match the contract to the wei, and where the contract would revert
(an overflow, an empty balance, no convergence, a zero output) the Python
raises :class:`~rexos.errors.InsufficientLiquidity`.

Units:

- ``amp`` is ``A · A_PRECISION`` with ``A_PRECISION = 100`` (``A = 200`` is
  ``amp = 20_000``). ``A`` is in Curve's on-chain convention (what a Curve
  pool's ``A()`` returns): the whitepaper's ``A·nⁿ`` is ``A·n`` here, i.e. the
  whitepaper's amplification is ``A / n^(n−1)``.
- ``rates[k]`` scales token ``k``'s base units to 18 decimals, itself scaled by
  1e18: ``10**(36 - decimals)`` (1e18 for an 18-decimal token, 1e30 for USDC).
- ``fee`` is in units of 1e-10 (``FEE_DENOMINATOR = 10**10``): 4_000_000 is
  0.04 %. The whole fee stays in the pool (no admin share).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TypeVar

from rexos.dex.pool import check_pair, require_positive
from rexos.errors import InsufficientLiquidity, UsageError

__all__ = [
    "A_PRECISION",
    "FEE_DENOMINATOR",
    "MAX_A",
    "MAX_FEE",
    "PRECISION",
    "StablePool",
    "get_d",
    "get_y",
]

PRECISION = 10**18
"""Scale of ``rates`` and of normalised balances."""
FEE_DENOMINATOR = 10**10
"""``fee`` is in units of ``1 / FEE_DENOMINATOR``."""
MAX_FEE = 5 * 10**9
"""The largest fee a pool may charge: 50 %."""
A_PRECISION = 100
"""``amp`` is ``A · A_PRECISION``."""
MAX_A = 10**6
"""The largest amplification ``A`` (``amp ≤ MAX_A · A_PRECISION``)."""
MAX_ITERATIONS = 255
_UINT256_MAX = 2**256 - 1
_T = TypeVar("_T")


class _Revert(InsufficientLiquidity):
    """Where the contract would revert; a pool re-raises it with its id in the message."""


def _mul(a: int, b: int) -> int:
    product = a * b
    if product > _UINT256_MAX:
        raise _Revert("arithmetic overflow")
    return product


def _add(a: int, b: int) -> int:
    total = a + b
    if total > _UINT256_MAX:
        raise _Revert("arithmetic overflow")
    return total


def _sub(a: int, b: int) -> int:
    if b > a:
        raise _Revert("arithmetic underflow")
    return a - b


def _div(a: int, b: int) -> int:
    if b == 0:
        raise _Revert("division by zero")
    return a // b


def get_d(xp: Sequence[int], amp: int) -> int:
    """The invariant ``D`` of normalised balances ``xp`` (Newton's method, as the contract).

    Raises :class:`~rexos.errors.InsufficientLiquidity` where the contract reverts: an
    empty balance, a uint256 overflow, no convergence in 255 steps.
    """
    n = len(xp)
    total = 0
    for x in xp:
        if x == 0:
            raise _Revert("a balance is empty")
        total = _add(total, x)
    d = total
    ann = _mul(amp, n)
    for _ in range(MAX_ITERATIONS):
        d_p = d
        for x in xp:
            d_p = _mul(d_p, d) // _mul(x, n)
        previous = d
        numerator = _mul(_add(_mul(ann, total) // A_PRECISION, _mul(d_p, n)), d)
        denominator = _add(_mul(_sub(ann, A_PRECISION), d) // A_PRECISION, _mul(n + 1, d_p))
        d = _div(numerator, denominator)
        if d + 1 >= previous:
            return d
    raise _Revert("D did not converge")


def get_y(i: int, j: int, x: int, xp: Sequence[int], amp: int) -> int:
    """The normalised balance of coin ``j`` that keeps ``D`` when coin ``i``'s becomes ``x``.

    Raises :class:`~rexos.errors.InsufficientLiquidity` where the contract reverts.
    """
    n = len(xp)
    d = get_d(xp, amp)
    ann = _mul(amp, n)
    c = d
    others = 0
    for k in range(n):
        if k == j:
            continue
        x_k = x if k == i else xp[k]
        others = _add(others, x_k)
        c = _mul(c, d) // _mul(x_k, n)
    c = _mul(_mul(c, d), A_PRECISION) // _mul(ann, n)
    b = _add(others, _mul(d, A_PRECISION) // ann)
    y = d
    for step in range(MAX_ITERATIONS):
        previous = y
        y = _div(_add(_mul(y, y), c), _sub(_add(_mul(2, y), b), d))
        if y + 1 >= previous and (step > 0 or y <= previous + 1):
            return y
    raise _Revert("y did not converge")


@dataclass(frozen=True, slots=True)
class StablePool:
    """A StableSwap pool of 2 to 4 tokens; see the module docstring for the units.

    ``block``: the block the state was read at, for a pool read from a chain (provenance,
    not compared).
    """

    id: str
    tokens: tuple[str, ...]
    balances: tuple[int, ...]
    rates: tuple[int, ...]
    amp: int
    fee: int
    block: int | None = dataclass_field(default=None, compare=False)

    def __post_init__(self) -> None:
        name = f"stable pool {self.id}"
        if not self.id:
            raise UsageError("stable pool id must not be empty")
        for field in ("tokens", "balances", "rates"):
            value = getattr(self, field)
            if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
                raise UsageError(f"{name}: {field} must be a sequence, got {value!r}")
            object.__setattr__(self, field, tuple(value))
        n = len(self.tokens)
        if not 2 <= n <= 4:
            raise UsageError(f"{name}: needs 2 to 4 tokens, got {n}")
        if len(set(self.tokens)) != n or not all(self.tokens):
            raise UsageError(f"{name}: tokens must be distinct and non-empty")
        if len(self.balances) != n or len(self.rates) != n:
            raise UsageError(f"{name}: needs one balance and one rate per token")
        if not all(_is_int(b) and 0 <= b <= _UINT256_MAX for b in self.balances):
            raise UsageError(f"{name}: balances must be non-negative uint256 integers")
        if not all(_is_int(r) and 0 < r <= _UINT256_MAX for r in self.rates):
            raise UsageError(f"{name}: rates must be positive uint256 integers")
        if not _is_int(self.amp) or not A_PRECISION <= self.amp <= MAX_A * A_PRECISION:
            raise UsageError(
                f"{name}: amp is A·{A_PRECISION} and must be in "
                f"[{A_PRECISION}, {MAX_A * A_PRECISION}], got {self.amp!r}"
            )
        if not _is_int(self.fee) or not 0 <= self.fee <= MAX_FEE:
            raise UsageError(
                f"{name}: fee is in units of 1e-10 and must be in [0, {MAX_FEE}], got {self.fee!r}"
            )

    def normalised(self) -> tuple[int, ...]:
        """Balances in 18-decimal units: ``balance · rate // 1e18`` per coin."""
        return tuple(self._revert_as_liquidity(self._xp))

    def invariant(self) -> int:
        """The invariant ``D`` of the current balances."""
        return self._revert_as_liquidity(lambda: get_d(self._xp(), self.amp))

    def amount_out(self, token_in: str, token_out: str, amount_in: int) -> int:
        """What the contract's ``get_dy`` returns: the output after the fee, in base units."""
        i, j = check_pair(self, token_in, token_out)
        require_positive(self, amount_in)
        return self._revert_as_liquidity(lambda: self._dy(i, j, amount_in))

    def swap(self, token_in: str, token_out: str, amount_in: int) -> tuple[int, StablePool]:
        """Sell exactly ``amount_in`` of ``token_in``; the output and the pool after the swap.

        The fee stays in the pool: ``token_in``'s balance grows by ``amount_in``
        and ``token_out``'s falls by exactly the output.
        """
        i, j = check_pair(self, token_in, token_out)
        out = self.amount_out(token_in, token_out, amount_in)
        balances = list(self.balances)
        balances[i] += amount_in
        balances[j] -= out
        after = StablePool(
            self.id, self.tokens, tuple(balances), self.rates, self.amp, self.fee, self.block
        )
        return out, after

    def _xp(self) -> list[int]:
        return [_mul(b, r) // PRECISION for b, r in zip(self.balances, self.rates, strict=True)]

    def _dy(self, i: int, j: int, dx: int) -> int:
        xp = self._xp()
        x = _add(xp[i], _mul(dx, self.rates[i]) // PRECISION)
        y = get_y(i, j, x, xp, self.amp)
        if y + 1 >= xp[j]:
            raise _Revert(f"{dx} in buys nothing")
        dy = xp[j] - y - 1
        dy_after_fee = dy - _mul(dy, self.fee) // FEE_DENOMINATOR
        out = _mul(dy_after_fee, PRECISION) // self.rates[j]
        if out == 0:
            raise _Revert(f"{dx} in buys nothing")
        return out

    def _revert_as_liquidity(self, compute: Callable[[], _T]) -> _T:
        try:
            return compute()
        except _Revert as exc:
            raise InsufficientLiquidity(f"stable pool {self.id}: {exc}") from None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
