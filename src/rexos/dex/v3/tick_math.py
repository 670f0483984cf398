"""Ticks ↔ Q64.96 square-root prices, bit-exact with the TickMath library.

A tick ``i`` stands for the price ``1.0001^i``; the pool stores
``√price · 2^96`` rounded as follows. For ``|i|`` written in binary, the
reciprocal ``2^128 / √1.0001^|i|`` is the product of one factor per set bit,
``c_k = 2^128 / √1.0001^(2^k)`` rounded to the nearest integer, each
multiplication truncated back to Q128. A positive tick takes
``⌊(2^256 − 1) / ratio⌋``, and the Q128 ratio becomes Q96 by dropping 32 bits
and rounding up. The inverse, :func:`tick_at_sqrt_ratio`, is the greatest tick
whose square-root ratio does not exceed the given one.
"""

from __future__ import annotations

from math import isqrt

from rexos.dex.v3.full_math import MAX_UINT256
from rexos.errors import UsageError

__all__ = [
    "MAX_SQRT_RATIO",
    "MAX_TICK",
    "MIN_SQRT_RATIO",
    "MIN_TICK",
    "sqrt_ratio_at_tick",
    "tick_at_sqrt_ratio",
]

MIN_TICK = -887272
"""The lowest tick: ``1.0001^MIN_TICK`` is about ``2^-128``."""
MAX_TICK = -MIN_TICK
"""The highest tick."""


def bit_factor(k: int) -> int:
    """``2^128 / √(1.0001^(2^k))`` rounded to the nearest integer (exact, but slow for
    large ``k``: ``1.0001^(2^19)`` has millions of digits)."""
    power = 2**k
    numerator = 2**256 * 10_000**power
    denominator = 10_001**power
    low = isqrt(numerator // denominator)
    # the exact value lies in [low, low + 1); round half up: compare with low + 1/2
    return low + 1 if 4 * numerator >= (2 * low + 1) ** 2 * denominator else low


_FACTORS: tuple[int, ...] = (
    0xFFFCB933BD6FAD37AA2D162D1A594001,
    0xFFF97272373D413259A46990580E213A,
    0xFFF2E50F5F656932EF12357CF3C7FDCC,
    0xFFE5CACA7E10E4E61C3624EAA0941CD0,
    0xFFCB9843D60F6159C9DB58835C926644,
    0xFF973B41FA98C081472E6896DFB254C0,
    0xFF2EA16466C96A3843EC78B326B52861,
    0xFE5DEE046A99A2A811C461F1969C3053,
    0xFCBE86C7900A88AEDCFFC83B479AA3A4,
    0xF987A7253AC413176F2B074CF7815E54,
    0xF3392B0822B70005940C7A398E4B70F3,
    0xE7159475A2C29B7443B29C7FA6E889D9,
    0xD097F3BDFD2022B8845AD8F792AA5825,
    0xA9F746462D870FDF8A65DC1F90E061E5,
    0x70D869A156D2A1B890BB3DF62BAF32F7,
    0x31BE135F97D08FD981231505542FCFA6,
    0x09AA508B5B7A84E1C677DE54F3E99BC9,
    0x005D6AF8DEDB81196699C329225EE604,
    0x00002216E584F5FA1EA926041BEDFE98,
    0x00000000048A170391F7DC42444E8FA2,
)
"""``bit_factor(k)`` for every bit of ``MAX_TICK``, computed once and written out: computing
them takes seconds, which every command would pay at start-up. A unit test recomputes them."""
_Q128 = 2**128
_Q32 = 2**32


def sqrt_ratio_at_tick(tick: int) -> int:
    """``√(1.0001^tick) · 2^96`` as TickMath.getSqrtRatioAtTick computes it."""
    if not MIN_TICK <= tick <= MAX_TICK:
        raise UsageError(f"tick {tick} outside [{MIN_TICK}, {MAX_TICK}]")
    magnitude = abs(tick)
    ratio = _FACTORS[0] if magnitude & 1 else _Q128
    for k in range(1, len(_FACTORS)):
        if magnitude >> k & 1:
            ratio = ratio * _FACTORS[k] >> 128
    if tick > 0:
        ratio = MAX_UINT256 // ratio
    return (ratio >> 32) + (1 if ratio % _Q32 else 0)


MIN_SQRT_RATIO = sqrt_ratio_at_tick(MIN_TICK)
"""The lowest square-root price a pool can hold (4295128739)."""
MAX_SQRT_RATIO = sqrt_ratio_at_tick(MAX_TICK)
"""One above the highest square-root price a pool can hold."""

_LOG_FRACTION_BITS = 24
_TICKS_PER_LOG2_Q64 = 255738958999603826347140
"""``2 / log2(1.0001)`` in Q64: ticks per doubling of the square-root price.

It only seeds the search in :func:`tick_at_sqrt_ratio`; the answer is then
fixed by exact comparisons, so its precision affects speed, not results.
"""


def _tick_estimate(sqrt_price_x96: int) -> int:
    """An estimate of the tick, within a few units, from a fixed-point log2."""
    msb = sqrt_price_x96.bit_length() - 1
    mantissa = sqrt_price_x96 << (127 - msb) if msb < 127 else sqrt_price_x96 >> (msb - 127)
    log2 = msb - 96  # integer part of log2(√price), the fraction follows bit by bit
    fraction = 0
    for _ in range(_LOG_FRACTION_BITS):
        mantissa = mantissa * mantissa >> 127
        fraction <<= 1
        if mantissa >> 128:
            mantissa >>= 1
            fraction |= 1
    log2_q = (log2 << _LOG_FRACTION_BITS) + fraction
    return log2_q * _TICKS_PER_LOG2_Q64 >> (64 + _LOG_FRACTION_BITS)


def tick_at_sqrt_ratio(sqrt_price_x96: int) -> int:
    """The greatest tick whose :func:`sqrt_ratio_at_tick` is ``≤ sqrt_price_x96``.

    Defined, as in TickMath.getTickAtSqrtRatio, for
    ``MIN_SQRT_RATIO ≤ sqrt_price_x96 < MAX_SQRT_RATIO``.
    """
    if not MIN_SQRT_RATIO <= sqrt_price_x96 < MAX_SQRT_RATIO:
        raise UsageError(
            f"sqrt price {sqrt_price_x96} outside [{MIN_SQRT_RATIO}, {MAX_SQRT_RATIO})"
        )
    tick = min(max(_tick_estimate(sqrt_price_x96), MIN_TICK), MAX_TICK - 1)
    while sqrt_ratio_at_tick(tick) > sqrt_price_x96:
        tick -= 1
    while tick < MAX_TICK - 1 and sqrt_ratio_at_tick(tick + 1) <= sqrt_price_x96:
        tick += 1
    return tick
