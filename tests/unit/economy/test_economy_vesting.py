"""Vesting arithmetic (OpenZeppelin VestingWalletCliff) for both cliff readings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rexos.economy import DAY, WAD, load_genesis, schedule_for, vested_amount
from rexos.errors import UsageError

TGE = 1_700_000_000
CLIFF = 180 * DAY
VESTED = {"community_staking": 1460, "team_advisors": 1460, "investors": 730}


def test_vested_amount_formula() -> None:
    assert vested_amount(1000, 100, 1000, 0, 0) == 0
    assert vested_amount(1000, 100, 1000, 0, 100) == 0
    assert vested_amount(1000, 100, 1000, 0, 600) == 500
    assert vested_amount(1000, 100, 1000, 0, 1099) == 999
    assert vested_amount(1000, 100, 1000, 0, 1100) == 1000
    assert vested_amount(1000, 100, 1000, 0, 10**12) == 1000
    assert vested_amount(7, 0, 3, 0, 1) == 2  # floor of 7 / 3


def test_oz_cliff_catch_up() -> None:
    assert vested_amount(1000, 100, 1000, 200, 299) == 0
    assert vested_amount(1000, 100, 1000, 200, 300) == 200


def test_cliff_longer_than_duration_is_rejected() -> None:
    with pytest.raises(UsageError, match="InvalidCliffDuration"):
        vested_amount(1000, 0, 10, 11, 5)


@pytest.mark.parametrize("name", sorted(VESTED))
def test_cliff_end_reading(name: str) -> None:
    schedule = {s.name: s for s in schedule_for(load_genesis(), TGE, "cliff_end")}[name]
    linear = VESTED[name] * DAY
    allocation = schedule.allocation
    assert schedule.vested_at(TGE) == 0
    assert schedule.vested_at(TGE + CLIFF - 1) == 0
    assert schedule.vested_at(TGE + CLIFF) == 0
    assert schedule.vested_at(TGE + CLIFF + 1) == allocation // linear
    assert schedule.vested_at(TGE + CLIFF + linear // 2) == allocation // 2
    assert schedule.vested_at(TGE + CLIFF + linear - 1) < allocation
    assert schedule.vested_at(TGE + CLIFF + linear) == allocation
    assert schedule.vested_at(TGE + CLIFF + linear + 10**9) == allocation


@pytest.mark.parametrize("name", sorted(VESTED))
def test_oz_cliff_reading(name: str) -> None:
    schedule = {s.name: s for s in schedule_for(load_genesis(), TGE, "oz_cliff")}[name]
    total = CLIFF + VESTED[name] * DAY
    allocation = schedule.allocation
    assert schedule.vested_at(TGE) == 0
    assert schedule.vested_at(TGE + CLIFF - 1) == 0
    assert schedule.vested_at(TGE + CLIFF) == allocation * CLIFF // total
    mid = CLIFF + VESTED[name] * DAY // 2
    assert schedule.vested_at(TGE + mid) == allocation * mid // total
    assert schedule.vested_at(TGE + total - 1) < allocation
    assert schedule.vested_at(TGE + total) == allocation
    assert schedule.vested_at(TGE + total + 10**9) == allocation


def test_both_readings_end_at_the_same_moment() -> None:
    genesis = load_genesis()
    ends = {
        r: {s.name: s.end for s in schedule_for(genesis, TGE, r)} for r in ("cliff_end", "oz_cliff")
    }
    assert ends["cliff_end"] == ends["oz_cliff"]
    assert ends["cliff_end"]["investors"] == TGE + (180 + 730) * DAY


def test_tge_buckets_are_unlocked_at_tge() -> None:
    schedules = {s.name: s for s in schedule_for(load_genesis(), TGE)}
    airdrop = schedules["community_airdrop"]
    assert airdrop.tge_unlock and airdrop.beneficiary == "airdrop"
    assert airdrop.vested_at(TGE - 1) == 0
    assert airdrop.vested_at(TGE) == 300_000_000 * WAD
    assert schedules["liquidity_marketing"].vested_at(TGE) == 150_000_000 * WAD


@given(st.integers(min_value=0, max_value=2000 * DAY))
def test_oz_reading_never_behind_cliff_end(offset: int) -> None:
    genesis = load_genesis()
    cliff_end = schedule_for(genesis, TGE, "cliff_end")
    oz = schedule_for(genesis, TGE, "oz_cliff")
    for a, b in zip(cliff_end, oz, strict=True):
        assert 0 <= a.vested_at(TGE + offset) <= b.vested_at(TGE + offset) <= b.allocation


@given(
    st.integers(min_value=1, max_value=10**30),
    st.integers(0, 10**6),
    st.integers(1, 10**6),
    st.integers(0, 3 * 10**6),
    st.integers(0, 3 * 10**6),
)
def test_vested_is_monotone(allocation: int, cliff: int, duration: int, t1: int, t2: int) -> None:
    cliff = min(cliff, duration)
    low, high = sorted((t1, t2))
    a = vested_amount(allocation, 1000, duration, cliff, low)
    b = vested_amount(allocation, 1000, duration, cliff, high)
    assert 0 <= a <= b <= allocation
