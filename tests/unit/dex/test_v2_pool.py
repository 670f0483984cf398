"""V2Pool: constant-product maths with the fee per pool, checked against the pair's K rule."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from rexos.dex.pool import Pool
from rexos.dex.v2 import BPS, MAX_RESERVE, V2Pool
from rexos.errors import DexError, InsufficientLiquidity, UsageError

A, B = "0xA", "0xB"

reserves = st.integers(min_value=1, max_value=2**100)
amounts = st.integers(min_value=1, max_value=2**100)
fees = st.sampled_from([0, 1, 25, 30, 100, 1000, 9999]) | st.integers(0, BPS - 1)


def pool(r0: int, r1: int, fee_bps: int = 30) -> V2Pool:
    return V2Pool("pair", A, B, r0, r1, fee_bps)


def k_check_passes(r_in: int, r_out: int, fee_bps: int, amount_in: int, out: int) -> bool:
    """The pair's own acceptance rule, written as the contract checks it after a swap."""
    if out >= r_out:
        return False
    balance_in, balance_out = r_in + amount_in, r_out - out
    adjusted_in = balance_in * BPS - amount_in * fee_bps
    adjusted_out = balance_out * BPS
    return adjusted_in * adjusted_out >= r_in * r_out * BPS**2


def quote_or_zero(p: V2Pool, token: str, amount: int) -> int:
    try:
        return p.amount_out(token, amount)
    except InsufficientLiquidity:
        return 0


def test_v2_pool_is_a_pool() -> None:
    p = pool(10**18, 2 * 10**18)
    assert isinstance(p, Pool)
    assert p.tokens == (A, B)


def test_uniswap_and_pancakeswap_reference_values() -> None:
    # getAmountOut(1e18, 100e18, 200e18) on Uniswap (997/1000) and PancakeSwap (9975/10000)
    assert pool(100 * 10**18, 200 * 10**18, 30).amount_out(A, 10**18) == 1974316068794122597
    assert pool(100 * 10**18, 200 * 10**18, 25).amount_out(A, 10**18) == 1975296418228173964
    assert pool(100 * 10**18, 200 * 10**18, 0).amount_out(A, 10**18) == 1980198019801980198


@given(r_in=reserves, r_out=reserves, fee=fees, amount=amounts)
def test_output_is_the_largest_the_k_check_accepts(
    r_in: int, r_out: int, fee: int, amount: int
) -> None:
    p = pool(r_in, r_out, fee)
    out = quote_or_zero(p, A, amount)
    assert 0 <= out < r_out
    assert k_check_passes(r_in, r_out, fee, amount, out)
    assert not k_check_passes(r_in, r_out, fee, amount, out + 1)


@given(r_in=reserves, r_out=reserves, fee=fees, a=amounts, b=amounts)
def test_output_monotone_and_concave_within_rounding(
    r_in: int, r_out: int, fee: int, a: int, b: int
) -> None:
    p = pool(r_in, r_out, fee)
    small, large = sorted((a, b))
    assert quote_or_zero(p, A, small) <= quote_or_zero(p, A, large)
    both = quote_or_zero(p, A, a + b)
    assert both <= quote_or_zero(p, A, a) + quote_or_zero(p, A, b) + 1
    if (a + b) % 2 == 0:
        middle = quote_or_zero(p, A, (a + b) // 2)
        assert 2 * middle + 2 >= quote_or_zero(p, A, a) + quote_or_zero(p, A, b)


@given(r0=reserves, r1=reserves, fee=fees, amount=amounts, sell_token0=st.booleans())
def test_swap_moves_reserves_by_exactly_the_amounts(
    r0: int, r1: int, fee: int, amount: int, sell_token0: bool
) -> None:
    p = pool(r0, r1, fee)
    token_in, token_out = (A, B) if sell_token0 else (B, A)
    try:
        out, after = p.swap(token_in, token_out, amount)
    except InsufficientLiquidity:
        assert quote_or_zero(p, token_in, amount) == 0
        return
    assert isinstance(after, V2Pool)
    assert out == p.amount_out(token_in, amount) > 0
    if sell_token0:
        assert (after.reserve0, after.reserve1) == (r0 + amount, r1 - out)
    else:
        assert (after.reserve0, after.reserve1) == (r0 - out, r1 + amount)
    assert after.reserve0 * after.reserve1 >= r0 * r1
    assert (after.id, after.tokens, after.fee_bps) == (p.id, p.tokens, p.fee_bps)


@given(r_in=reserves, r_out=reserves, fee=fees, a=amounts, b=amounts)
def test_splitting_a_trade_on_one_pool_never_pays_more(
    r_in: int, r_out: int, fee: int, a: int, b: int
) -> None:
    p = pool(r_in, r_out, fee)
    try:
        first, after = p.swap(A, B, a)
        second, _ = after.swap(A, B, b)
    except InsufficientLiquidity:
        assume(False)
        return
    assert first + second <= p.amount_out(A, a + b)


@given(r_in=reserves, r_out=reserves, fee=fees, data=st.data())
def test_amount_in_for_buys_at_least_the_amount(
    r_in: int, r_out: int, fee: int, data: st.DataObject
) -> None:
    assume(r_out > 1)
    want = data.draw(st.integers(1, r_out - 1))
    p = pool(r_in, r_out, fee)
    needed = p.amount_in_for(B, want)
    assume(needed <= MAX_RESERVE - r_in)
    assert p.amount_out(A, needed) >= want
    expected = r_in * want * BPS // ((r_out - want) * (BPS - fee)) + 1
    assert needed == expected


def test_a_higher_fee_never_pays_more() -> None:
    cheap, dear = pool(10**21, 10**21, 25), pool(10**21, 10**21, 30)
    for amount in (10**6, 10**18, 10**21, 10**24):
        assert cheap.amount_out(A, amount) > dear.amount_out(A, amount)


@pytest.mark.parametrize(
    ("r0", "r1", "amount", "match"),
    [
        (10**18, 10**18, 0, "must be positive"),
        (10**18, 10**18, -5, "must be positive"),
        (0, 10**18, 10**18, "reserve is empty"),
        (10**18, 0, 10**18, "reserve is empty"),
        (10**18, 1000, 1, "buys nothing"),
        (MAX_RESERVE - 10, 10**18, 11, "overflow"),
    ],
)
def test_where_the_pair_reverts(r0: int, r1: int, amount: int, match: str) -> None:
    with pytest.raises(InsufficientLiquidity, match=match):
        pool(r0, r1).swap(A, B, amount)


def test_amount_in_for_rejects_the_whole_reserve() -> None:
    p = pool(10**18, 10**18)
    with pytest.raises(InsufficientLiquidity, match="cannot buy"):
        p.amount_in_for(B, 10**18)
    with pytest.raises(InsufficientLiquidity, match="must be positive"):
        p.amount_in_for(B, 0)


def test_unknown_tokens_are_dex_errors() -> None:
    p = pool(10**18, 10**18)
    with pytest.raises(DexError, match="does not trade"):
        p.swap(A, "0xC", 10)
    with pytest.raises(DexError, match="for itself"):
        p.swap(A, A, 10)
    with pytest.raises(DexError, match="does not trade"):
        p.amount_out("0xC", 10)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"id": ""}, "id must not be empty"),
        ({"token1": A}, "two distinct tokens"),
        ({"token0": ""}, "two distinct tokens"),
        ({"token1": 7}, "two distinct tokens"),
        ({"reserve0": -1}, "reserve0 must be"),
        ({"reserve1": MAX_RESERVE + 1}, "reserve1 must be"),
        ({"reserve1": True}, "reserve1 must be"),
        ({"fee_bps": BPS}, "fee_bps must be"),
        ({"fee_bps": -1}, "fee_bps must be"),
    ],
)
def test_invalid_fields_are_usage_errors(kwargs: dict[str, object], match: str) -> None:
    fields: dict[str, object] = {
        "id": "p",
        "token0": A,
        "token1": B,
        "reserve0": 1,
        "reserve1": 1,
        "fee_bps": 30,
    }
    fields.update(kwargs)
    with pytest.raises(UsageError, match=match):
        V2Pool(**fields)  # type: ignore[arg-type]
