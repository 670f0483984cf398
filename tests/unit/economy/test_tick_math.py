"""The tick maths against an independent computation: ``Decimal`` powers of 1.0001 at 100
digits, and the constants compiled into the FeeRouter's ``TickPrice`` library."""

from __future__ import annotations

import re
from decimal import ROUND_FLOOR, Decimal, localcontext
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rexos.economy.tick_math import (
    INVERSE_POWERS,
    MAX_TICK,
    Q128,
    inverse_ratio_x128,
    mean_tick,
    rex_for_usd,
    scale_by_tick,
)
from rexos.errors import UsageError

_SOL = Path(__file__).parents[3] / "contracts" / "src" / "economy" / "TickPrice.sol"


def _power(tick: int) -> Decimal:
    """``1.0001**tick`` at 100 significant digits."""
    with localcontext() as ctx:
        ctx.prec = 100
        return Decimal("1.0001") ** tick


def test_the_contract_holds_the_same_constants() -> None:
    found = [int(h, 16) for h in re.findall(r"ratio \* (0x[0-9a-f]+)\) >> 128", _SOL.read_text())]
    assert found == list(INVERSE_POWERS)
    assert len(found) == 20 and 2**19 < MAX_TICK < 2**20


@given(st.integers(0, MAX_TICK))
def test_inverse_ratio_is_the_truncated_power(tick: int) -> None:
    with localcontext() as ctx:
        ctx.prec = 100
        exact = _power(-tick) * Q128
        got = inverse_ratio_x128(tick)
        # each set bit loses under two units (its floored constant, the floored product),
        # and the later factors, all below 1, never grow an earlier loss
        assert exact - 2 * bin(tick).count("1") <= got <= exact


@pytest.mark.parametrize("tick", [0, 1, 2**19, MAX_TICK])
def test_inverse_ratio_edges(tick: int) -> None:
    assert inverse_ratio_x128(tick) <= Q128
    assert inverse_ratio_x128(0) == Q128


def test_ticks_beyond_the_range_are_refused() -> None:
    with pytest.raises(UsageError, match="outside"):
        inverse_ratio_x128(MAX_TICK + 1)
    with pytest.raises(UsageError, match="positive"):
        mean_tick([0, 10], 0)


@given(st.integers(1, 10**30), st.integers(-400_000, 400_000))
def test_scale_by_tick_rounds_up_within_a_relative_hair(x: int, tick: int) -> None:
    with localcontext() as ctx:
        ctx.prec = 100
        exact = Decimal(x) * _power(-tick)
        got = scale_by_tick(x, tick)
        assert got >= exact.to_integral_value(ROUND_FLOOR)
        assert abs(Decimal(got) - exact) <= exact * Decimal("1e-15") + 1


@given(st.integers(-(2**40), 2**40), st.integers(-(2**40), 2**40), st.integers(1, 86_400))
def test_mean_tick_rounds_toward_negative_infinity(a: int, b: int, window: int) -> None:
    with localcontext() as ctx:
        ctx.prec = 60
        exact = (Decimal(b) - Decimal(a)) / window
    assert mean_tick([a, b], window) == int(exact.to_integral_value(ROUND_FLOOR))


@given(
    usd=st.integers(10**12, 10**24),
    usd_tick=st.integers(-250_000, 250_000),
    rex_tick=st.integers(-250_000, 250_000),
    decimals=st.sampled_from([6, 8, 18]),
    bridge0=st.booleans(),
    rex0=st.booleans(),
)
def test_rex_for_usd_matches_decimal(
    usd: int, usd_tick: int, rex_tick: int, decimals: int, bridge0: bool, rex0: bool
) -> None:
    """USD → USD base units → bridge (÷ its USD price) → REX (÷ its bridge price)."""
    with localcontext() as ctx:
        ctx.prec = 100
        bridge_price = _power(usd_tick if bridge0 else -usd_tick)  # USD units per bridge unit
        rex_price = _power(rex_tick if rex0 else -rex_tick)  # bridge units per REX wei
        exact = Decimal(usd) * 10**decimals / bridge_price / rex_price / 10**18
        got = rex_for_usd(
            usd,
            usd_tick=usd_tick,
            rex_tick=rex_tick,
            usd_decimals=decimals,
            bridge_is_token0=bridge0,
            rex_is_token0=rex0,
        )
        assert got >= exact.to_integral_value(ROUND_FLOOR)
        assert abs(Decimal(got) - exact) <= exact * Decimal("1e-14") + 2


def test_the_devnet_price_reads_ten_cents() -> None:
    """The devnet's seeded ticks (REX token0 of REX/WETH, WETH token1 of WETH/USDC) give
    $0.10 a REX: one USD buys 10 REX."""
    got = rex_for_usd(
        10**18,
        usd_tick=196_256,
        rex_tick=-103_095,
        usd_decimals=6,
        bridge_is_token0=False,
        rex_is_token0=True,
    )
    assert abs(Decimal(got) / 10**18 - 10) < Decimal("0.01")
