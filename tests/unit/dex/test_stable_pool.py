"""StablePool: StableSwap invariant maths in integers, the properties the whitepaper promises."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from rexos.dex.pool import Pool
from rexos.dex.stable import (
    A_PRECISION,
    FEE_DENOMINATOR,
    MAX_FEE,
    PRECISION,
    StablePool,
    get_d,
)
from rexos.errors import DexError, InsufficientLiquidity, UsageError

TOKENS = ("DAI", "USDC", "USDT", "FRAX")
RATE_18, RATE_6 = 10**18, 10**30  # 10**(36 - decimals)

amps = st.sampled_from([1, 10, 100, 2000]).map(lambda a: a * A_PRECISION) | st.integers(
    A_PRECISION, 10**4 * A_PRECISION
)
fees = st.integers(0, 5 * 10**7)


@st.composite
def pools(draw: st.DrawFn, *, min_fee: int = 0) -> StablePool:
    n = draw(st.integers(2, 4))
    decimals = draw(st.lists(st.sampled_from([6, 8, 18]), min_size=n, max_size=n))
    units = draw(st.lists(st.integers(1, 10**9), min_size=n, max_size=n))
    wei = draw(st.lists(st.integers(0, 10**6 - 1), min_size=n, max_size=n))
    balances = tuple(u * 10**d + w % 10**d for u, d, w in zip(units, decimals, wei, strict=True))
    rates = tuple(10 ** (36 - d) for d in decimals)
    fee = draw(st.integers(min_fee, 5 * 10**7))
    return StablePool("stable", TOKENS[:n], balances, rates, draw(amps), fee)


def quote_or_zero(p: StablePool, i: int, j: int, amount: int) -> int:
    try:
        return p.amount_out(p.tokens[i], p.tokens[j], amount)
    except InsufficientLiquidity:
        return 0


def invariant_residual_sign(xp: tuple[int, ...], amp: int, d: int) -> int:
    """Sign of f(D) = Ann·S + D − Ann·D − D^(n+1)/(nⁿ·Πx), exactly.

    ``Ann`` is the whitepaper's A·nⁿ; in Curve's convention for A it is ``A·n``.
    """
    n = len(xp)
    ann = Fraction(amp * n, A_PRECISION)
    product = Fraction(1)
    for x in xp:
        product *= x
    value = ann * sum(xp) + d - ann * d - Fraction(d ** (n + 1)) / (n**n * product)
    return (value > 0) - (value < 0)


def n_imbalance(xp: tuple[int, ...]) -> int:
    return len(xp) * (max(xp) // min(xp) + 1)


def test_stable_pool_is_a_pool() -> None:
    p = StablePool("s", ("A", "B"), (10**18, 10**18), (RATE_18, RATE_18), 100 * A_PRECISION, 0)
    assert isinstance(p, Pool)


@given(p=pools())
def test_d_is_the_root_of_the_invariant(p: StablePool) -> None:
    xp = p.normalised()
    d = p.invariant()
    assert 0 < d <= sum(xp)
    # f is decreasing in D, so the root lies within ``tolerance`` of Newton's answer; the
    # floor divisions in D^(n+1)/(nⁿ·Πx) bias the integer fixed point by a few wei per
    # unit of imbalance
    tolerance = 2 + n_imbalance(xp)
    assert invariant_residual_sign(xp, p.amp, d - tolerance) >= 0
    assert invariant_residual_sign(xp, p.amp, d + tolerance) <= 0


@given(p=pools(min_fee=1), data=st.data())
def test_a_fee_paying_swap_never_lowers_d(p: StablePool, data: st.DataObject) -> None:
    n = len(p.tokens)
    i, j = data.draw(st.permutations(range(n)))[:2]
    amount = data.draw(st.integers(1, 3 * p.balances[i] + 10))
    try:
        out, after = p.swap(p.tokens[i], p.tokens[j], amount)
    except InsufficientLiquidity:
        assume(False)
        return
    assert 0 < out < p.balances[j]
    assert after.balances[i] == p.balances[i] + amount
    assert after.balances[j] == p.balances[j] - out
    assert all(after.balances[k] == p.balances[k] for k in range(n) if k not in (i, j))
    # D itself is exact only to a few wei (see the root test); once the fee kept in the pool
    # outweighs that, D must not fall at all
    xp = p.normalised()
    tolerance = 2 + n_imbalance(xp)
    fee_kept = out * p.rates[j] // PRECISION * p.fee // FEE_DENOMINATOR
    if fee_kept > 4 * tolerance * (max(xp) // min(xp) + 1):
        assert after.invariant() >= p.invariant()
    else:
        assert after.invariant() + tolerance >= p.invariant()


@given(p=pools(), data=st.data())
def test_output_monotone_in_input_and_below_the_balance(p: StablePool, data: st.DataObject) -> None:
    i, j = data.draw(st.permutations(range(len(p.tokens))))[:2]
    small = data.draw(st.integers(1, 2 * p.balances[i] + 10))
    large = small + data.draw(st.integers(0, 2 * p.balances[i] + 10))
    low, high = quote_or_zero(p, i, j, small), quote_or_zero(p, i, j, large)
    assert 0 <= low <= high < p.balances[j]


@given(p=pools(), data=st.data())
def test_concave_within_rounding(p: StablePool, data: st.DataObject) -> None:
    i, j = data.draw(st.permutations(range(len(p.tokens))))[:2]
    a = data.draw(st.integers(1, p.balances[i] + 10))
    b = data.draw(st.integers(1, p.balances[i] + 10))
    # rounding: D and y are each within a few wei (more in imbalanced pools), then the
    # fee's and the rate's floors
    slack = 4 * n_imbalance(p.normalised()) * max(1, PRECISION // p.rates[j]) + 3
    whole = quote_or_zero(p, i, j, a + b)
    assert whole <= quote_or_zero(p, i, j, a) + quote_or_zero(p, i, j, b) + slack


@given(
    amp=st.integers(10 * A_PRECISION, 5000 * A_PRECISION),
    units=st.integers(10**6, 10**12),
    n=st.integers(2, 4),
)
def test_balanced_pool_trades_about_one_to_one(amp: int, units: int, n: int) -> None:
    rates = (RATE_18, RATE_6, RATE_6, RATE_18)[:n]
    balances = (units * 10**18, units * 10**6, units * 10**6, units * 10**18)[:n]
    p = StablePool("s", TOKENS[:n], balances, rates, amp, 0)
    sell = units // 1000 * 10**6  # 0.1 % of the depth, in USDC (6 decimals)
    out = p.amount_out("USDC", "DAI", sell)
    expected = sell * 10**12
    assert expected * 9995 // 10000 <= out <= expected
    back = p.amount_out("DAI", "USDC", out)
    assert sell * 9990 // 10000 <= back <= sell


def test_fee_is_taken_from_the_output_in_units_of_1e_10() -> None:
    balances, rates = (10**24, 10**12), (RATE_18, RATE_6)
    free = StablePool("s", ("DAI", "USDC"), balances, rates, 200 * A_PRECISION, 0)
    paid = StablePool("s", ("DAI", "USDC"), balances, rates, 200 * A_PRECISION, 4_000_000)
    gross = free.amount_out("DAI", "USDC", 10**21)
    net = paid.amount_out("DAI", "USDC", 10**21)
    assert gross - net == pytest.approx(gross * 4 // 10_000, abs=2)


def test_get_d_of_a_balanced_pool_is_the_sum() -> None:
    assert get_d([10**18, 10**18, 10**18], 100 * A_PRECISION) == 3 * 10**18
    with pytest.raises(InsufficientLiquidity, match="empty"):
        get_d([10**18, 0], 100 * A_PRECISION)


def test_lists_become_tuples() -> None:
    p = StablePool("s", ["A", "B"], [10**18, 10**18], [RATE_18, RATE_18], A_PRECISION, 0)  # type: ignore[arg-type]
    assert (p.tokens, p.balances, p.rates) == (("A", "B"), (10**18, 10**18), (RATE_18, RATE_18))
    assert p.swap("A", "B", 10**15)[1].tokens == ("A", "B")


@pytest.mark.parametrize(
    ("balances", "amount", "match"),
    [
        ((10**18, 10**18), 0, "must be positive"),
        ((0, 10**18), 10**18, "empty"),
        ((10**18, 0), 10**18, "empty"),
        ((10**18, 10**18), 1, "buys nothing"),
        ((1, 10**70), 10**18, "overflow"),
    ],
)
def test_where_the_contract_reverts(balances: tuple[int, int], amount: int, match: str) -> None:
    p = StablePool("s", ("A", "B"), balances, (RATE_18, RATE_18), 100 * A_PRECISION, 10**6)
    with pytest.raises(InsufficientLiquidity, match=match):
        p.swap("A", "B", amount)


def test_unknown_tokens_are_dex_errors() -> None:
    p = StablePool("s", ("A", "B"), (10**18, 10**18), (RATE_18, RATE_18), A_PRECISION, 0)
    with pytest.raises(DexError, match="does not trade"):
        p.swap("A", "C", 10)
    with pytest.raises(DexError, match="for itself"):
        p.swap("A", "A", 10)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"id": ""}, "id must not be empty"),
        ({"tokens": ("A",), "balances": (1,), "rates": (1,)}, "2 to 4 tokens"),
        ({"tokens": ("A", "A")}, "distinct"),
        ({"tokens": "AB"}, "tokens must be a sequence"),
        ({"balances": 5}, "balances must be a sequence"),
        ({"balances": (1,)}, "one balance and one rate"),
        ({"balances": (1, -1)}, "balances must be"),
        ({"rates": (RATE_18, 0)}, "rates must be"),
        ({"amp": A_PRECISION - 1}, "amp is A"),
        ({"amp": 10**6 * A_PRECISION + 1}, "amp is A"),
        ({"fee": MAX_FEE + 1}, "fee is in units of 1e-10"),
        ({"fee": -1}, "fee is in units of 1e-10"),
    ],
)
def test_invalid_fields_are_usage_errors(kwargs: dict[str, object], match: str) -> None:
    fields: dict[str, object] = {
        "id": "s",
        "tokens": ("A", "B"),
        "balances": (1, 1),
        "rates": (RATE_18, RATE_18),
        "amp": A_PRECISION,
        "fee": 0,
    }
    fields.update(kwargs)
    with pytest.raises(UsageError, match=match):
        StablePool(**fields)  # type: ignore[arg-type]
