"""The sREX reference model: entry time, deductions, rewards, epochs, points, failures."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rexos.economy import DAY, WAD, StakingModel, UnstakeResult, load_genesis
from rexos.errors import ConfigError, InsufficientBalance, InvalidAmount, UsageError

EPOCH = 7 * DAY


def model(points_per_day: int = WAD) -> StakingModel:
    return StakingModel(
        [30 * DAY, 90 * DAY, 180 * DAY], [2000, 1000, 500, 0], EPOCH, points_per_day
    )


def state(m: StakingModel) -> dict[str, object]:
    return copy.deepcopy(vars(m))


def test_from_genesis_matches_defaults() -> None:
    m = StakingModel.from_genesis(load_genesis())
    assert m.thresholds == (30 * DAY, 90 * DAY, 180 * DAY)
    assert m.rates == (2000, 1000, 500, 0)
    assert m.epoch_duration == EPOCH
    assert m.points_per_day == WAD


def test_weighted_average_entry_time() -> None:
    m = model()
    m.stake("a", 100, 1000)
    assert m.accounts["a"].entry_time == 1000
    m.stake("a", 300, 2000)
    assert m.accounts["a"].entry_time == (100 * 1000 + 300 * 2000) // 400 == 1750
    m.stake("a", 1, 2001)
    assert m.accounts["a"].entry_time == (400 * 1750 + 2001) // 401  # floor: 1750
    assert m.holding_age("a", 2001 + DAY) == 2001 + DAY - m.accounts["a"].entry_time


def test_entry_time_kept_on_unstake_and_reset_after_full_exit() -> None:
    m = model()
    m.stake("a", 100, 0)
    m.unstake("a", 40, 10 * DAY)
    assert m.accounts["a"].entry_time == 0
    m.unstake("a", 60, 20 * DAY)
    assert m.holding_age("a", 20 * DAY) == 0
    m.stake("a", 5, 25 * DAY)
    assert m.accounts["a"].entry_time == 25 * DAY


@pytest.mark.parametrize(
    ("age", "rate"),
    [
        (0, 2000),
        (30 * DAY - 1, 2000),
        (30 * DAY, 1000),
        (90 * DAY - 1, 1000),
        (90 * DAY, 500),
        (180 * DAY - 1, 500),
        (180 * DAY, 0),
        (10 * 365 * DAY, 0),
    ],
)
def test_deduction_tiers_at_each_boundary(age: int, rate: int) -> None:
    m = model()
    assert m.deduction_rate(age) == rate
    m.stake("a", 10 * WAD, 1000)
    result = m.unstake("a", 10 * WAD, 1000 + age)
    assert result.deduction == 10 * WAD * rate // 10_000
    assert result.received == 10 * WAD - result.deduction


def test_odd_deduction_burns_half_rounded_down() -> None:
    m = model()
    m.stake("a", 100, 0)
    preview = m.preview_unstake("a", 15, 0)
    result = m.unstake("a", 15, 0)
    assert result == preview == UnstakeResult(received=12, deduction=3, burned=1, to_pool=2)
    assert m.total_deduction_burned == 1
    assert m.pending_rewards == 2
    assert m.total_staked == m.balance_of("a") == 85


@given(st.integers(1, 10**30), st.integers(0, 400 * DAY))
def test_received_plus_deduction_is_amount(amount: int, age: int) -> None:
    m = model()
    m.stake("a", amount, 0)
    r = m.unstake("a", amount, age)
    assert r.received + r.deduction == amount
    assert r.burned == r.deduction // 2 and r.burned + r.to_pool == r.deduction


def test_rewards_accrue_pro_rata_during_a_stream() -> None:
    m = model()
    m.stake("a", 1 * WAD, 0)
    m.stake("b", 3 * WAD, 0)
    m.start_stream(1000 * WAD, 1000, 0)
    assert m.reward_rate == WAD and m.period_finish == 1000
    assert m.earned("a", 400) == 100 * WAD
    assert m.earned("b", 400) == 300 * WAD
    assert m.claim("a", 1000) == 250 * WAD
    assert m.earned("b", 5000) == 750 * WAD  # nothing accrues after period_finish
    assert m.claim("b", 5000) == 750 * WAD
    assert m.reward_reserve == 0
    assert m.total_claimed == m.total_notified == 1000 * WAD


def test_same_timestamp_stake_and_unstake_earns_nothing() -> None:
    m = model()
    m.stake("a", WAD, 0)
    m.start_stream(1000 * WAD, 1000, 0)
    m.stake("c", 10 * WAD, 500)
    m.unstake("c", 10 * WAD, 500)
    assert m.claim("c", 500) == 0
    assert m.points("c", 500) == 0
    assert m.earned("c", 900) == 0 and m.points("c", 900) == 0
    assert m.claim("a", 1000) == 1000 * WAD


def test_recycling_when_nobody_is_staked() -> None:
    m = model()
    m.start_stream(1000 * WAD, 1000, 0)
    m.poke(400)
    assert m.reward_reserve == 600 * WAD
    assert m.pending_rewards == 400 * WAD
    assert m.total_notified == 1000 * WAD
    m.stake("a", WAD, 400)
    assert m.claim("a", 1000) == 600 * WAD
    # the recycled 400 REX roll into an epoch once the stream has ended
    assert m.pending_rewards == 400 * WAD - (400 * WAD // EPOCH) * EPOCH
    assert m.reward_rate == 400 * WAD // EPOCH and m.period_finish == 1000 + EPOCH


def test_epoch_roll_amounts() -> None:
    m = model()
    funded = 10 * WAD + 5
    m.fund(funded, 100)
    assert m.pending_rewards == funded and m.reward_rate == 0  # streams from the next update
    m.poke(101)
    rate = funded // EPOCH
    assert m.reward_rate == rate
    assert m.reward_reserve == m.total_notified == rate * EPOCH
    assert m.pending_rewards == funded - rate * EPOCH
    assert m.period_finish == 101 + EPOCH
    assert m.last_update_time == 101


def test_no_roll_below_one_wei_per_second_or_during_a_stream() -> None:
    m = model()
    m.fund(EPOCH - 1, 0)
    m.poke(1)
    assert (m.reward_rate, m.pending_rewards, m.total_notified) == (0, EPOCH - 1, 0)
    m.fund(EPOCH, 2)
    m.poke(3)
    assert m.reward_rate == 1 and m.period_finish == 3 + EPOCH
    assert m.pending_rewards == EPOCH - 1
    m.fund(10 * EPOCH, 4)
    m.poke(5)
    # no roll while the epoch runs; its 1 wei/s is recycled (nobody staked) for 2 s
    assert m.pending_rewards == 11 * EPOCH - 1 + 2
    assert m.reward_rate == 1 and m.period_finish == 3 + EPOCH


def test_points_for_one_srex_for_one_day() -> None:
    m = model()
    m.stake("a", WAD, 0)
    assert m.points("a", DAY) == 10**18
    assert m.points("a", DAY // 2) == 5 * 10**17
    m.unstake("a", WAD // 2, DAY)
    assert m.points("a", 2 * DAY) == 15 * 10**17
    doubled = model(points_per_day=2 * WAD)
    doubled.stake("a", WAD, 0)
    assert doubled.points("a", DAY) == 2 * 10**18


def test_start_stream_remainder_goes_to_pending() -> None:
    m = model()
    m.start_stream(1001, 10, 0)
    assert (m.reward_rate, m.reward_reserve, m.pending_rewards) == (100, 1000, 1)


def test_start_stream_after_a_due_roll_is_active() -> None:
    m = model()
    m.fund(EPOCH, 0)
    before = state(m)
    with pytest.raises(UsageError, match="StakedRex: STREAM_ACTIVE"):
        m.start_stream(10 * WAD, DAY, 1)  # the same call rolls an epoch first
    assert state(m) == before


FAILURES: list[tuple[str, Callable[[StakingModel], object], type[Exception], str]] = [
    ("stake zero", lambda m: m.stake("a", 0, 10), InvalidAmount, "StakedRex: ZERO_AMOUNT"),
    ("stake negative", lambda m: m.stake("a", -1, 10), InvalidAmount, "non-negative"),
    ("unstake zero", lambda m: m.unstake("a", 0, 10), InvalidAmount, "StakedRex: ZERO_AMOUNT"),
    (
        "unstake too much",
        lambda m: m.unstake("a", 101, 10),
        InsufficientBalance,
        "StakedRex: INSUFFICIENT_STAKE",
    ),
    (
        "unstake unknown",
        lambda m: m.unstake("z", 1, 10),
        InsufficientBalance,
        "StakedRex: INSUFFICIENT_STAKE",
    ),
    ("fund zero", lambda m: m.fund(0, 10), InvalidAmount, "StakedRex: ZERO_AMOUNT"),
    (
        "stream active",
        lambda m: m.start_stream(10**6, 10, 10),
        UsageError,
        "StakedRex: STREAM_ACTIVE",
    ),
    ("time goes back", lambda m: m.claim("a", 4), UsageError, "before the last update"),
    ("view in the past", lambda m: m.earned("a", 4), UsageError, "before the last update"),
]


@pytest.mark.parametrize(
    ("action", "error", "reason"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES]
)
def test_failures_leave_state_unchanged(
    action: Callable[[StakingModel], object], error: type[Exception], reason: str
) -> None:
    m = model()
    m.stake("a", 100, 0)
    m.start_stream(10**6, 100, 5)
    before = state(m)
    with pytest.raises(error, match=reason):
        action(m)
    assert state(m) == before


@pytest.mark.parametrize(("amount", "duration"), [(9, 10), (10, 0), (0, 10)])
def test_zero_rate(amount: int, duration: int) -> None:
    m = model()
    before = state(m)
    with pytest.raises(InvalidAmount, match="StakedRex: ZERO_RATE"):
        m.start_stream(amount, duration, 0)
    assert state(m) == before


@pytest.mark.parametrize(
    ("thresholds", "rates", "epoch", "reason"),
    [
        ([], [0], EPOCH, "BAD_SCHEDULE"),
        ([10, 10], [3, 2, 1], EPOCH, "BAD_SCHEDULE"),
        ([10, 20], [1, 2, 0], EPOCH, "BAD_SCHEDULE"),
        ([10], [10_001, 0], EPOCH, "BAD_SCHEDULE"),
        ([10], [5], EPOCH, "BAD_SCHEDULE"),
        ([10], [5, 0], 0, "ZERO_EPOCH"),
    ],
)
def test_constructor_rejects_bad_schedules(
    thresholds: list[int], rates: list[int], epoch: int, reason: str
) -> None:
    with pytest.raises(ConfigError, match=f"StakedRex: {reason}"):
        StakingModel(thresholds, rates, epoch)


def test_preview_does_not_check_the_balance_like_the_contract() -> None:
    m = model()
    m.stake("a", 100, 0)
    assert m.preview_unstake("a", 1000, 31 * DAY) == UnstakeResult(900, 100, 50, 50)
    assert m.account_of("nobody").balance == 0 and "nobody" not in m.accounts
