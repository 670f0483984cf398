"""One swap step inside a single tick range, with the fee rounded as SwapMath does.

A step moves the price from ``sqrt_price`` towards ``sqrt_target`` (the next
tick boundary or the price limit) and stops early when the amount runs out.
For an exact input the fee is taken first (``amount·(10^6 − fee)/10^6``,
rounded down); the step then either reaches the target, and pays the fee
``⌈amount_in·fee/(10^6 − fee)⌉``, or stops inside the range, and keeps the
whole rest of the amount as fee. Amounts the pool receives round up, amounts
it pays round down.
"""

from __future__ import annotations

from dataclasses import dataclass

from rexos.dex.v3.full_math import mul_div, mul_div_rounding_up
from rexos.dex.v3.sqrt_price_math import (
    amount0_delta,
    amount1_delta,
    next_sqrt_price_from_input,
    next_sqrt_price_from_output,
)

__all__ = ["FEE_DENOMINATOR", "SwapStep", "compute_swap_step"]

FEE_DENOMINATOR = 1_000_000
"""Fees are in hundredths of a basis point: 3000 is 0.30 %."""


@dataclass(frozen=True, slots=True)
class SwapStep:
    """Where a step ended and what moved: input excluding fee, output, fee."""

    sqrt_price_next: int
    amount_in: int
    amount_out: int
    fee_amount: int


def compute_swap_step(
    sqrt_price: int, sqrt_target: int, liquidity: int, amount_remaining: int, fee: int
) -> SwapStep:
    """Swap within one range; ``amount_remaining`` ≥ 0 is exact input, < 0 exact output.

    The direction follows from the prices: token0 in when ``sqrt_price ≥ sqrt_target``.
    """
    zero_for_one = sqrt_price >= sqrt_target
    exact_in = amount_remaining >= 0
    full_in = full_out = 0
    if exact_in:
        budget = mul_div(amount_remaining, FEE_DENOMINATOR - fee, FEE_DENOMINATOR)
        full_in = (
            amount0_delta(sqrt_target, sqrt_price, liquidity, True)
            if zero_for_one
            else amount1_delta(sqrt_price, sqrt_target, liquidity, True)
        )
        next_price = (
            sqrt_target
            if budget >= full_in
            else next_sqrt_price_from_input(sqrt_price, liquidity, budget, zero_for_one)
        )
    else:
        full_out = (
            amount1_delta(sqrt_target, sqrt_price, liquidity, False)
            if zero_for_one
            else amount0_delta(sqrt_price, sqrt_target, liquidity, False)
        )
        next_price = (
            sqrt_target
            if -amount_remaining >= full_out
            else next_sqrt_price_from_output(sqrt_price, liquidity, -amount_remaining, zero_for_one)
        )
    reached = next_price == sqrt_target
    if zero_for_one:
        amount_in = (
            full_in
            if reached and exact_in
            else amount0_delta(next_price, sqrt_price, liquidity, True)
        )
        amount_out = (
            full_out
            if reached and not exact_in
            else amount1_delta(next_price, sqrt_price, liquidity, False)
        )
    else:
        amount_in = (
            full_in
            if reached and exact_in
            else amount1_delta(sqrt_price, next_price, liquidity, True)
        )
        amount_out = (
            full_out
            if reached and not exact_in
            else amount0_delta(sqrt_price, next_price, liquidity, False)
        )
    if not exact_in and amount_out > -amount_remaining:
        amount_out = -amount_remaining
    if exact_in and not reached:
        fee_amount = amount_remaining - amount_in
    else:
        fee_amount = mul_div_rounding_up(amount_in, fee, FEE_DENOMINATOR - fee)
    return SwapStep(next_price, amount_in, amount_out, fee_amount)
