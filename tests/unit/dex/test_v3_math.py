"""Uniswap V3 fixed-point maths: FullMath, TickMath, SqrtPriceMath, SwapMath."""

from __future__ import annotations

from math import isqrt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rexos.dex.v3 as v3
from rexos.dex.v3 import (
    MAX_SQRT_RATIO,
    MAX_TICK,
    MIN_SQRT_RATIO,
    MIN_TICK,
    compute_swap_step,
    mul_div,
    mul_div_rounding_up,
    sqrt_ratio_at_tick,
    tick_at_sqrt_ratio,
    tick_math,
)
from rexos.dex.v3.sqrt_price_math import (
    Q96,
    amount0_delta,
    amount1_delta,
    next_sqrt_price_from_input,
    next_sqrt_price_from_output,
)
from rexos.errors import DexError, UsageError

UINT256 = 2**256 - 1
ticks = st.integers(MIN_TICK, MAX_TICK)
prices = st.integers(MIN_SQRT_RATIO, MAX_SQRT_RATIO - 1)
liquidities = st.integers(1, 2**128 - 1)
amounts = st.integers(0, 2**200)
fees = st.sampled_from([0, 1, 100, 500, 2500, 3000, 10_000, 999_999])


def test_public_names_exist() -> None:
    assert sorted(v3.__all__) == sorted(set(v3.__all__))
    for name in v3.__all__:
        assert hasattr(v3, name), name


@given(st.integers(0, UINT256), st.integers(0, UINT256), st.integers(1, UINT256))
def test_mul_div_rounds_down_and_up(a: int, b: int, d: int) -> None:
    if a * b // d > UINT256:
        with pytest.raises(DexError, match="overflows"):
            mul_div(a, b, d)
        return
    down = mul_div(a, b, d)
    assert down * d <= a * b < (down + 1) * d
    up = mul_div_rounding_up(a, b, d) if -(-a * b // d) <= UINT256 else None
    if up is not None:
        assert up == down + (1 if a * b % d else 0)


def test_mul_div_limits() -> None:
    assert mul_div(UINT256, UINT256, UINT256) == UINT256
    assert mul_div_rounding_up(UINT256, UINT256, UINT256) == UINT256
    assert mul_div_rounding_up(1, 1, 2) == 1
    assert mul_div(1, 1, 2) == 0
    with pytest.raises(DexError, match="overflows"):
        mul_div_rounding_up(UINT256, UINT256, UINT256 - 1)
    with pytest.raises(DexError, match="denominator"):
        mul_div(1, 1, 0)


def test_tick_math_boundaries() -> None:
    assert MIN_SQRT_RATIO == 4295128739
    assert MAX_SQRT_RATIO == 1461446703485210103287273052203988822378723970342
    assert sqrt_ratio_at_tick(0) == Q96
    assert tick_at_sqrt_ratio(MIN_SQRT_RATIO) == MIN_TICK
    assert tick_at_sqrt_ratio(MAX_SQRT_RATIO - 1) == MAX_TICK - 1
    assert tick_at_sqrt_ratio(Q96) == 0
    assert tick_at_sqrt_ratio(Q96 - 1) == -1
    for bad in (MIN_TICK - 1, MAX_TICK + 1):
        with pytest.raises(UsageError, match="outside"):
            sqrt_ratio_at_tick(bad)
    for bad_price in (MIN_SQRT_RATIO - 1, MAX_SQRT_RATIO):
        with pytest.raises(UsageError, match="outside"):
            tick_at_sqrt_ratio(bad_price)


@pytest.mark.parametrize("tick", [-100_000, -3001, -1, 1, 2, 3000, 49_999, 100_000])
def test_sqrt_ratio_is_within_2_pow_minus_80_of_the_exact_root(tick: int) -> None:
    num, den = (10_001**tick, 10_000**tick) if tick > 0 else (10_000**-tick, 10_001**-tick)
    exact = isqrt(num * 2**192 // den)
    assert abs(sqrt_ratio_at_tick(tick) - exact) <= (exact >> 80) + 1


@given(ticks)
def test_tick_round_trip(tick: int) -> None:
    price = sqrt_ratio_at_tick(tick)
    if tick < MAX_TICK:
        assert tick_at_sqrt_ratio(price) == tick
        assert sqrt_ratio_at_tick(tick + 1) > price
    if tick > MIN_TICK:
        assert tick_at_sqrt_ratio(price - 1) == tick - 1


@given(prices)
def test_tick_at_sqrt_ratio_is_the_greatest_tick_below(price: int) -> None:
    tick = tick_at_sqrt_ratio(price)
    assert sqrt_ratio_at_tick(tick) <= price < sqrt_ratio_at_tick(tick + 1)


@given(prices, liquidities, amounts, st.booleans())
def test_next_price_from_input_never_gives_more_than_paid_for(
    price: int, liquidity: int, amount: int, zero_for_one: bool
) -> None:
    try:
        after = next_sqrt_price_from_input(price, liquidity, amount, zero_for_one)
    except DexError:
        return  # the contract reverts too: the price would leave uint160
    if zero_for_one:
        assert after <= price
        assert amount0_delta(after, price, liquidity, True) <= amount
    else:
        assert after >= price
        assert amount1_delta(price, after, liquidity, True) <= amount


@given(prices, liquidities, amounts, st.booleans())
def test_next_price_from_output_always_covers_the_output(
    price: int, liquidity: int, amount: int, zero_for_one: bool
) -> None:
    try:
        after = next_sqrt_price_from_output(price, liquidity, amount, zero_for_one)
    except DexError:
        return  # more than the range holds: the contract reverts
    if zero_for_one:
        assert amount1_delta(after, price, liquidity, False) >= amount
    else:
        assert amount0_delta(price, after, liquidity, False) >= amount


def test_deltas_round_in_the_pools_favour() -> None:
    low, high = sqrt_ratio_at_tick(-10), sqrt_ratio_at_tick(10)
    assert amount0_delta(low, high, 10**18, True) == amount0_delta(low, high, 10**18, False) + 1
    assert amount1_delta(high, low, 10**18, True) == amount1_delta(low, high, 10**18, False) + 1
    assert amount0_delta(low, low, 10**18, True) == 0
    with pytest.raises(DexError, match="range holds"):
        next_sqrt_price_from_output(Q96, 1, 2, True)


@given(prices, prices, st.integers(0, 2**128 - 1), st.integers(-(2**200), 2**200), fees)
def test_swap_step_conserves_the_amount(
    price: int, target: int, liquidity: int, remaining: int, fee: int
) -> None:
    try:
        step = compute_swap_step(price, target, liquidity, remaining, fee)
    except DexError:
        return
    low, high = min(price, target), max(price, target)
    assert low <= step.sqrt_price_next <= high
    if remaining >= 0:
        assert step.amount_in + step.fee_amount <= remaining
        if step.sqrt_price_next != target:
            assert step.amount_in + step.fee_amount == remaining
    else:
        assert step.amount_out <= -remaining


def test_swap_step_fee_rounding() -> None:
    # reaches the target: fee = ⌈amount_in·fee/(10^6 − fee)⌉
    step = compute_swap_step(Q96, sqrt_ratio_at_tick(-1), 10**18, 10**18, 3000)
    assert step.sqrt_price_next == sqrt_ratio_at_tick(-1)
    assert step.fee_amount == -(-step.amount_in * 3000 // 997_000)
    # stops inside the range: the whole remainder beyond amount_in is fee
    step = compute_swap_step(Q96, sqrt_ratio_at_tick(-1000), 10**18, 10**15, 3000)
    assert step.amount_in + step.fee_amount == 10**15
    assert step.amount_in == amount0_delta(step.sqrt_price_next, Q96, 10**18, True)
    # 1 wei: less than one wei after fee, so nothing moves and the wei is fee
    step = compute_swap_step(Q96, sqrt_ratio_at_tick(-1), 10**18, 1, 500)
    assert (step.sqrt_price_next, step.amount_in, step.amount_out, step.fee_amount) == (
        Q96,
        0,
        0,
        1,
    )


def test_written_out_bit_factors_are_the_definition() -> None:
    assert (
        tuple(tick_math.bit_factor(k) for k in range(tick_math.MAX_TICK.bit_length()))
        == tick_math._FACTORS
    )
