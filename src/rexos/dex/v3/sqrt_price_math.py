"""Moving a Q64.96 square-root price by token amounts, rounded as SqrtPriceMath does.

Within one tick range the pool is the curve ``x·y = L²`` with price ``P = y/x``,
so (v3 whitepaper, section 6; ``√P`` below in Q64.96)

    Δx = L·2^96·(√P_b − √P_a) / (√P_a·√P_b)
    Δy = L·(√P_b − √P_a) / 2^96

and the price after adding or removing an amount is

    √P' = L·2^96·√P / (L·2^96 ± Δx·√P)     (token0)
    √P' = √P ± Δy·2^96 / L                 (token1)

Every rounding favours the pool: amounts it receives round up, amounts it pays
round down, and the new price rounds so that an input always covers the move
and a move always covers the output. Where the
contracts would revert (an overflow, a price leaving uint160, a price pushed
through zero) these functions raise :class:`~rexos.errors.DexError`.
"""

from __future__ import annotations

from rexos.dex.v3.full_math import (
    MAX_UINT160,
    MAX_UINT256,
    div_rounding_up,
    mul_div,
    mul_div_rounding_up,
)
from rexos.errors import DexError

__all__ = [
    "Q96",
    "amount0_delta",
    "amount1_delta",
    "next_sqrt_price_from_amount0",
    "next_sqrt_price_from_amount1",
    "next_sqrt_price_from_input",
    "next_sqrt_price_from_output",
]

Q96 = 2**96
"""The fixed-point scale of ``sqrt_price_x96``."""


def _uint160(value: int) -> int:
    if value > MAX_UINT160:
        raise DexError("sqrt price overflows uint160")
    return value


def next_sqrt_price_from_amount0(sqrt_price: int, liquidity: int, amount: int, add: bool) -> int:
    """√P after adding (``add``) or removing ``amount`` of token0; rounds up."""
    if amount == 0:
        return sqrt_price
    numerator = liquidity << 96
    product = amount * sqrt_price
    if add:
        if product <= MAX_UINT256 and numerator + product <= MAX_UINT256:
            return mul_div_rounding_up(numerator, sqrt_price, numerator + product)
        # the contracts' overflow-free form: L·2^96 / (L·2^96/√P + Δx)
        denominator = numerator // sqrt_price + amount
        if denominator > MAX_UINT256:
            raise DexError("token0 amount too large for the price")
        return div_rounding_up(numerator, denominator)
    if product > MAX_UINT256 or numerator <= product:
        raise DexError("removing more token0 than the range holds")
    return _uint160(mul_div_rounding_up(numerator, sqrt_price, numerator - product))


def next_sqrt_price_from_amount1(sqrt_price: int, liquidity: int, amount: int, add: bool) -> int:
    """√P after adding (``add``) or removing ``amount`` of token1; rounds down."""
    if add:
        return _uint160(sqrt_price + mul_div(amount, Q96, liquidity))
    quotient = mul_div_rounding_up(amount, Q96, liquidity)
    if sqrt_price <= quotient:
        raise DexError("removing more token1 than the range holds")
    return sqrt_price - quotient


def _check(sqrt_price: int, liquidity: int) -> None:
    if sqrt_price <= 0 or liquidity <= 0:
        raise DexError("sqrt price and liquidity must be positive")


def next_sqrt_price_from_input(
    sqrt_price: int, liquidity: int, amount_in: int, zero_for_one: bool
) -> int:
    """√P after selling ``amount_in`` of token0 (``zero_for_one``) or token1 into the range."""
    _check(sqrt_price, liquidity)
    if zero_for_one:
        return next_sqrt_price_from_amount0(sqrt_price, liquidity, amount_in, True)
    return next_sqrt_price_from_amount1(sqrt_price, liquidity, amount_in, True)


def next_sqrt_price_from_output(
    sqrt_price: int, liquidity: int, amount_out: int, zero_for_one: bool
) -> int:
    """√P after buying ``amount_out`` of token1 (``zero_for_one``) or token0 from the range."""
    _check(sqrt_price, liquidity)
    if zero_for_one:
        return next_sqrt_price_from_amount1(sqrt_price, liquidity, amount_out, False)
    return next_sqrt_price_from_amount0(sqrt_price, liquidity, amount_out, False)


def amount0_delta(sqrt_a: int, sqrt_b: int, liquidity: int, round_up: bool) -> int:
    """Token0 between two square-root prices for ``liquidity`` (order-free)."""
    low, high = (sqrt_a, sqrt_b) if sqrt_a <= sqrt_b else (sqrt_b, sqrt_a)
    if low <= 0:
        raise DexError("sqrt price must be positive")
    numerator = liquidity << 96
    if round_up:
        return div_rounding_up(mul_div_rounding_up(numerator, high - low, high), low)
    return mul_div(numerator, high - low, high) // low


def amount1_delta(sqrt_a: int, sqrt_b: int, liquidity: int, round_up: bool) -> int:
    """Token1 between two square-root prices for ``liquidity`` (order-free)."""
    low, high = (sqrt_a, sqrt_b) if sqrt_a <= sqrt_b else (sqrt_b, sqrt_a)
    if round_up:
        return mul_div_rounding_up(liquidity, high - low, Q96)
    return mul_div(liquidity, high - low, Q96)
