"""V3Pool: the swap loop, bitmap-word steps, partial fills, validation and segments."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rexos.dex.pool import Pool
from rexos.dex.v3 import (
    MAX_SQRT_RATIO,
    MAX_TICK,
    MIN_SQRT_RATIO,
    MIN_TICK,
    Tick,
    V3Pool,
    sqrt_ratio_at_tick,
    tick_at_sqrt_ratio,
)
from rexos.dex.v3.sqrt_price_math import Q96, amount0_delta, amount1_delta
from rexos.dex.v3.tick_bitmap import next_initialized_tick_within_one_word
from rexos.errors import DexError, InsufficientLiquidity, UsageError

A, B = "0xA", "0xB"
L = 2907577358035392076061


def one_range(liquidity: int = L, lower: int = -500, upper: int = 700, **kw: int) -> V3Pool:
    fields = {"fee": 100, "tick_spacing": 1, "sqrt_price_x96": Q96, "tick": 0} | kw
    return V3Pool(
        id="pool",
        token0=A,
        token1=B,
        liquidity=liquidity,
        ticks=(Tick(lower, liquidity), Tick(upper, -liquidity)),
        **fields,
    )


def test_v3_pool_is_a_pool() -> None:
    pool = one_range()
    assert isinstance(pool, Pool)
    assert pool.tokens == (A, B)
    with pytest.raises(DexError, match="does not trade"):
        pool.swap(A, "0xC", 1)
    with pytest.raises(InsufficientLiquidity, match="positive"):
        pool.swap(A, B, 0)


def test_reference_values_from_the_contracts() -> None:
    # QuoterV2.quoteExactInputSingle on anvil for this very pool (fee 100, spacing 1)
    out, after = one_range().swap(A, B, 10**19)
    assert out == 9964731830557016332
    assert isinstance(after, V3Pool)
    assert after.sqrt_price_x96 == 78956634951738579291710234837
    assert after.tick == tick_at_sqrt_ratio(after.sqrt_price_x96)


def test_exhaustion_fills_partially_and_swap_refuses() -> None:
    pool = one_range()
    result = pool.swap_exact_in(True, 10**30)
    full = amount0_delta(sqrt_ratio_at_tick(-500), Q96, L, True)
    assert full < result.amount_in_used < 10**30  # the range plus its fee
    # two steps, each rounded down: to the bitmap word's edge at -256, then to -500
    edge, end = sqrt_ratio_at_tick(-256), sqrt_ratio_at_tick(-500)
    steps = amount1_delta(edge, Q96, L, False) + amount1_delta(end, edge, L, False)
    assert result.amount_out == steps == amount1_delta(end, Q96, L, False) - 1
    after = result.pool_after
    assert (after.sqrt_price_x96, after.tick, after.liquidity) == (MIN_SQRT_RATIO + 1, MIN_TICK, 0)
    assert result.ticks_crossed == 1
    with pytest.raises(InsufficientLiquidity, match="can be sold"):
        pool.swap(A, B, 10**30)
    with pytest.raises(InsufficientLiquidity, match="limit"):
        after.swap_exact_in(True, 1)
    back = after.swap_exact_in(False, 10**30).pool_after
    assert (back.sqrt_price_x96, back.tick, back.liquidity) == (MAX_SQRT_RATIO - 1, MAX_TICK - 1, 0)


def test_price_limit_on_a_tick_leaves_the_tick_below() -> None:
    pool = one_range()
    limit = sqrt_ratio_at_tick(-500)
    result = pool.swap_exact_in(True, 10**30, limit)
    after = result.pool_after
    # stopped exactly on tick -500 going down: crossed it, slot0.tick is one below
    assert (after.sqrt_price_x96, after.tick, after.liquidity) == (limit, -501, 0)
    assert result.ticks_crossed == 1
    up = after.swap_exact_in(False, 10**6)
    assert up.ticks_crossed == 1
    assert up.amount_out > 0
    with pytest.raises(UsageError, match="outside"):
        pool.swap_exact_in(True, 1, MIN_SQRT_RATIO)
    with pytest.raises(InsufficientLiquidity, match="limit"):
        pool.swap_exact_in(True, 1, Q96)


def test_steps_stop_at_bitmap_word_edges() -> None:
    compressed = (-300, 5, 600)
    assert next_initialized_tick_within_one_word(compressed, 50, 10, True) == (50, True)
    assert next_initialized_tick_within_one_word(compressed, 49, 10, True) == (0, False)
    assert next_initialized_tick_within_one_word(compressed, -1, 10, True) == (-2560, False)
    assert next_initialized_tick_within_one_word(compressed, -2561, 10, True) == (-3000, True)
    assert next_initialized_tick_within_one_word(compressed, 50, 10, False) == (2550, False)
    assert next_initialized_tick_within_one_word(compressed, 2550, 10, False) == (5110, False)
    assert next_initialized_tick_within_one_word(compressed, 5110, 10, False) == (6000, True)
    assert next_initialized_tick_within_one_word(compressed, -3001, 10, False) == (-3000, True)


def test_segments_follow_the_ranges() -> None:
    pool = V3Pool(
        "p", A, B, 3000, 60, sqrt_ratio_at_tick(30), 7, 30,
        (Tick(-120, 5), Tick(0, 2), Tick(60, -2), Tick(180, -5)),
    )  # fmt: skip
    up = [(s.liquidity, s.sqrt_price_start_x96, s.sqrt_price_end_x96) for s in pool.segments(False)]
    assert up == [
        (7, sqrt_ratio_at_tick(30), sqrt_ratio_at_tick(60)),
        (5, sqrt_ratio_at_tick(60), sqrt_ratio_at_tick(180)),
    ]
    down = [(s.liquidity, s.sqrt_price_end_x96) for s in pool.segments(True)]
    assert down == [(7, sqrt_ratio_at_tick(0)), (5, sqrt_ratio_at_tick(-120))]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"token1": A}, "both"),
        ({"fee": 1_000_000}, "fee"),
        ({"tick_spacing": 0}, "spacing"),
        ({"sqrt_price_x96": MIN_SQRT_RATIO - 1}, "sqrt price"),
        ({"tick": 1}, "does not match"),
        ({"tick": MAX_TICK + 1}, "outside"),
        ({"liquidity": L - 1}, "differs"),
        ({"ticks": (Tick(700, -L), Tick(-500, L))}, "sorted"),
        ({"ticks": (Tick(-500, L), Tick(700, 1 - L))}, "sums to"),
        ({"ticks": (Tick(-500, -L), Tick(700, L))}, "would be"),
        ({"tick_spacing": 3}, "multiple of spacing"),
        ({"ticks": (Tick(-900_000, L), Tick(700, -L))}, "outside"),
    ],
)
def test_invalid_states_are_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        replace(one_range(), **change)  # type: ignore[arg-type]


@st.composite
def pools(draw: st.DrawFn) -> V3Pool:
    spacing = draw(st.sampled_from([1, 10, 60, 200]))
    nets: dict[int, int] = {}
    for _ in range(draw(st.integers(1, 6))):
        lower = draw(st.integers(-2000, 2000))
        width = draw(st.integers(1, 1200))
        liquidity = draw(st.integers(1, 2**90))
        nets[lower * spacing] = nets.get(lower * spacing, 0) + liquidity
        nets[(lower + width) * spacing] = nets.get((lower + width) * spacing, 0) - liquidity
    tick = draw(st.integers(-2200, 2200)) * spacing + draw(st.integers(0, spacing - 1))
    low, high = sqrt_ratio_at_tick(tick), sqrt_ratio_at_tick(tick + 1)
    ticks = tuple(Tick(i, n) for i, n in sorted(nets.items()))
    return V3Pool(
        id="h",
        token0=A,
        token1=B,
        fee=draw(st.sampled_from([100, 500, 3000, 10_000]) | st.integers(0, 50_000)),
        tick_spacing=spacing,
        sqrt_price_x96=draw(st.integers(low, high - 1)),
        liquidity=sum(t.liquidity_net for t in ticks if t.index <= tick),
        tick=tick,
        ticks=ticks,
    )


swap_amounts = st.integers(1, 10**6) | st.integers(1, 2**100)


@settings(max_examples=60, deadline=None)
@given(pools(), st.booleans(), swap_amounts, swap_amounts)
def test_more_in_never_gives_less_out(pool: V3Pool, zero_for_one: bool, a: int, b: int) -> None:
    small, large = sorted((a, b))
    first = pool.swap_exact_in(zero_for_one, small)
    second = pool.swap_exact_in(zero_for_one, large)
    assert first.amount_out <= second.amount_out
    assert first.amount_in_used <= second.amount_in_used


@settings(max_examples=60, deadline=None)
@given(pools(), st.booleans(), swap_amounts)
def test_price_moves_against_the_seller(pool: V3Pool, zero_for_one: bool, amount: int) -> None:
    result = pool.swap_exact_in(zero_for_one, amount)
    after = result.pool_after.sqrt_price_x96
    assert after <= pool.sqrt_price_x96 if zero_for_one else after >= pool.sqrt_price_x96
    assert 0 <= result.amount_in_used <= amount
    if result.amount_in_used < amount:  # only a partial fill stops short: at the extreme price
        assert after in (MIN_SQRT_RATIO + 1, MAX_SQRT_RATIO - 1)


@settings(max_examples=60, deadline=None)
@given(pools(), st.booleans(), swap_amounts)
def test_a_round_trip_never_profits(pool: V3Pool, zero_for_one: bool, amount: int) -> None:
    there = pool.swap_exact_in(zero_for_one, amount)
    if there.amount_out == 0:
        return
    back = there.pool_after.swap_exact_in(not zero_for_one, there.amount_out)
    assert back.amount_out <= there.amount_in_used


@settings(max_examples=60, deadline=None)
@given(pools(), st.booleans(), swap_amounts)
def test_swap_refuses_exactly_the_partial_fills(
    pool: V3Pool, zero_for_one: bool, amount: int
) -> None:
    result = pool.swap_exact_in(zero_for_one, amount)
    token_in, token_out = (A, B) if zero_for_one else (B, A)
    if result.amount_in_used < amount:
        with pytest.raises(InsufficientLiquidity, match="can be sold"):
            pool.swap(token_in, token_out, amount)
    else:
        assert pool.swap(token_in, token_out, amount) == (result.amount_out, result.pool_after)
