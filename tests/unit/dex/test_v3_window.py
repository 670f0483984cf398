"""A V3 pool read around its price (a tick window) swaps exactly inside it and refuses past it.

A pool with ranges on both sides is cut to the bitmap words around its price, as discovery
reads it; every swap the cut pool fills must equal the whole pool's to the wei, and a swap
that would move the price past the window raises rather than guess.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rexos.dex.v3 import Tick, V3Pool, sqrt_ratio_at_tick
from rexos.dex.v3.sqrt_price_math import Q96
from rexos.errors import InsufficientLiquidity, UsageError

A, B = "0xA", "0xB"
SPACING = 10
RANGES = ((-40_000, 40_000, 10**20), (-3_000, 2_000, 5 * 10**21), (-120, 90, 10**23))
"""(lower, upper, liquidity): a wide range and two narrow ones around tick 0."""


def whole() -> V3Pool:
    nets: dict[int, int] = {}
    for lower, upper, liquidity in RANGES:
        nets[lower] = nets.get(lower, 0) + liquidity
        nets[upper] = nets.get(upper, 0) - liquidity
    ticks = tuple(Tick(i, n) for i, n in sorted(nets.items()))
    active = sum(liq for lower, upper, liq in RANGES if lower <= 0 < upper)
    return V3Pool("pool", A, B, 3000, SPACING, Q96, active, 0, ticks)


def cut(pool: V3Pool, words: int) -> V3Pool:
    """The pool as read over ``words`` bitmap words each side of its current word."""
    here = (pool.tick // SPACING) >> 8
    low = (here - words) * 256 * SPACING
    high = ((here + words) * 256 + 255) * SPACING
    inside = tuple(t for t in pool.ticks if low <= t.index <= high)
    return V3Pool(
        pool.id, A, B, pool.fee, SPACING, pool.sqrt_price_x96, pool.liquidity, pool.tick,
        inside, window=(low, high),
    )  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    words=st.integers(0, 3),
    zero_for_one=st.booleans(),
    amount=st.integers(1, 10**26),
)
def test_inside_the_window_a_cut_pool_swaps_as_the_whole_pool(
    words: int, zero_for_one: bool, amount: int
) -> None:
    full, part = whole(), cut(whole(), words)
    token_in, token_out = (A, B) if zero_for_one else (B, A)
    try:
        ours = part.swap(token_in, token_out, amount)
    except InsufficientLiquidity:
        # refused only where the whole pool's price would leave the window
        after = full.swap_exact_in(zero_for_one, amount).pool_after.sqrt_price_x96
        assert part.window is not None
        edge = sqrt_ratio_at_tick(part.window[0] if zero_for_one else part.window[1])
        assert after <= edge if zero_for_one else after >= edge
        return
    out, after = full.swap(token_in, token_out, amount)
    assert ours[0] == out
    assert isinstance(ours[1], V3Pool) and isinstance(after, V3Pool)
    assert ours[1].sqrt_price_x96 == after.sqrt_price_x96
    assert ours[1].liquidity == after.liquidity


def test_segments_end_at_the_window_edge() -> None:
    part = cut(whole(), 0)
    assert part.window == (0, 2550)
    up = list(part.segments(False))
    assert up[-1].sqrt_price_end_x96 == sqrt_ratio_at_tick(2550)
    assert up[-1].liquidity == 10**20  # past the medium range (2000) only the wide one goes on
    down = list(part.segments(True))
    assert down == []  # the price sits on the window's lower edge


def test_a_window_must_hold_the_price_and_the_ticks() -> None:
    part = cut(whole(), 1)
    with pytest.raises(UsageError, match="must hold tick"):
        V3Pool("p", A, B, 3000, SPACING, Q96, part.liquidity, 0, part.ticks, window=(10, 20))
    with pytest.raises(UsageError, match="outside the window"):
        V3Pool(
            "p", A, B, 3000, SPACING, Q96, part.liquidity, 0, whole().ticks, window=(-2560, 5110)
        )
