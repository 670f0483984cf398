"""Uniswap V3: exact swap maths, to the wei, on a frozen pool state.

Written from the v3 whitepaper and the documented behaviour of the core
libraries: :mod:`~rexos.dex.v3.tick_math` (ticks ↔ Q64.96 prices),
:mod:`~rexos.dex.v3.sqrt_price_math` (prices ↔ amounts),
:mod:`~rexos.dex.v3.swap_math` (one step with its fee),
:mod:`~rexos.dex.v3.tick_bitmap` (where a step ends) and
:mod:`~rexos.dex.v3.pool` (the swap loop).
"""

from rexos.dex.v3.full_math import mul_div, mul_div_rounding_up
from rexos.dex.v3.pool import Segment, SwapResult, V3Pool
from rexos.dex.v3.swap_math import FEE_DENOMINATOR, SwapStep, compute_swap_step
from rexos.dex.v3.tick_math import (
    MAX_SQRT_RATIO,
    MAX_TICK,
    MIN_SQRT_RATIO,
    MIN_TICK,
    sqrt_ratio_at_tick,
    tick_at_sqrt_ratio,
)
from rexos.dex.v3.validation import Tick

__all__ = [
    "FEE_DENOMINATOR",
    "MAX_SQRT_RATIO",
    "MAX_TICK",
    "MIN_SQRT_RATIO",
    "MIN_TICK",
    "Segment",
    "SwapResult",
    "SwapStep",
    "Tick",
    "V3Pool",
    "compute_swap_step",
    "mul_div",
    "mul_div_rounding_up",
    "sqrt_ratio_at_tick",
    "tick_at_sqrt_ratio",
]
