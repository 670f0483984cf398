"""Uniswap V3 oracle ticks to prices, in the same integers as ``FeeRouter``'s ``TickPrice``.

The price of a pool's token0 in token1 base units at tick ``t`` is ``1.0001**t``.
:func:`inverse_ratio_x128` computes ``1.0001**-|t|`` as a 128-bit binary fixed-point number
by binary exponentiation over the bits of ``|t|``, each factor one of :data:`INVERSE_POWERS`
(``floor(1.0001**-(2**i) * 2**128)``, derived below with :mod:`decimal` at 120 digits, the
derivation the contract's constants came from). :func:`rex_for_usd` is the contract's
``rexForUsd`` step for step, so a quote computed here equals the chain's to the wei.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext

from rexos.errors import UsageError

__all__ = [
    "INVERSE_POWERS",
    "MAX_TICK",
    "Q128",
    "inverse_ratio_x128",
    "mean_tick",
    "rex_for_usd",
    "scale_by_tick",
]

MAX_TICK = 887_272
"""Largest tick magnitude (Uniswap V3's range)."""

Q128 = 1 << 128
_WAD = 10**18


def _inverse_powers() -> tuple[int, ...]:
    with localcontext() as ctx:
        ctx.prec = 120
        base = Decimal("1.0001")
        return tuple(int(Q128 / base ** (2**i)) for i in range(20))


INVERSE_POWERS = _inverse_powers()
"""``floor(1.0001**-(2**i) * 2**128)`` for ``i`` in 0..19 (the contract's constants)."""


def inverse_ratio_x128(abs_tick: int) -> int:
    """``1.0001**-abs_tick`` in Q128, truncated at each of its binary factors."""
    if not 0 <= abs_tick <= MAX_TICK:
        raise UsageError(f"tick magnitude {abs_tick} outside [0, {MAX_TICK}]")
    ratio = Q128
    for bit, factor in enumerate(INVERSE_POWERS):
        if abs_tick >> bit & 1:
            ratio = ratio * factor >> 128
    return ratio


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def scale_by_tick(x: int, tick: int) -> int:
    """``x * 1.0001**-tick`` rounded up, as the contract computes it."""
    if tick >= 0:
        return _ceil_div(x * inverse_ratio_x128(tick), Q128)
    return _ceil_div(x * Q128, inverse_ratio_x128(-tick))


def mean_tick(cumulatives: Sequence[int], window: int) -> int:
    """The arithmetic-mean tick of ``observe([window, 0])``'s tick cumulatives, rounded toward
    negative infinity (Python's ``//``), as the contract rounds it."""
    if window <= 0:
        raise UsageError("a TWAP window is a positive number of seconds")
    return (cumulatives[1] - cumulatives[0]) // window


def rex_for_usd(
    usd: int,
    *,
    usd_tick: int,
    rex_tick: int,
    usd_decimals: int,
    bridge_is_token0: bool,
    rex_is_token0: bool,
) -> int:
    """REX wei worth ``usd`` (18 decimals) at the two pools' mean ticks, rounded up: USD base
    units, then bridge units, then REX, as ``FeeRouter.rexForUsd``."""
    x = usd * 10**usd_decimals
    x = scale_by_tick(x, usd_tick if bridge_is_token0 else -usd_tick)
    x = scale_by_tick(x, rex_tick if rex_is_token0 else -rex_tick)
    return _ceil_div(x, _WAD)
