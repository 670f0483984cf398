"""Invariants of REX and sREX under random stake / unstake / claim / fund / time / poke steps."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from rexos.economy import DAY, WAD, StakingModel
from rexos.economy.deploy import REX_SUPPLY_WEI
from tests.integration.economy.harness import Deployment

USER = st.integers(min_value=0, max_value=2)
PERMILLE = st.integers(min_value=1, max_value=1_000)
SMALL_WEI = st.integers(min_value=1, max_value=10**6)
SECONDS = st.one_of(
    st.integers(min_value=1, max_value=3_600),
    st.integers(min_value=1, max_value=60 * DAY),
    st.sampled_from([29 * DAY, 30 * DAY, 7 * DAY, 90 * DAY, 180 * DAY]),
)
# Holding ages around every threshold of the default schedule, plus the extremes.
# Holding ages in the first, a middle and the last tier of the default schedule.
AGE_SAMPLE = (0, 90 * DAY, 2**64)

MACHINE_SETTINGS = settings(
    max_examples=25,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class StakedRexInvariants(RuleBasedStateMachine):
    """Drives the deployed contracts; checks conservation after every step."""

    def __init__(self, deployment: Deployment) -> None:
        super().__init__()
        self.d = deployment
        self.snapshot = deployment.chain.snapshot()
        self.f = deployment.staked.functions
        self.burned_at_start = deployment.rex.functions.totalBurned().call()
        self.claimed_at_start = self.f.totalClaimed().call()
        self.burned_in_events = 0
        self.claimed_in_events = 0
        self.staked_in_events = [self.f.balanceOf(u.address).call() for u in deployment.users]

    def teardown(self) -> None:
        self.d.chain.revert(self.snapshot)

    # ----------------------------------------------------------------- rules

    @rule(user=USER, permille=PERMILLE, small=SMALL_WEI, use_small=st.booleans())
    def stake(self, user: int, permille: int, small: int, use_small: bool) -> None:
        account = self.d.users[user]
        held = self.d.rex_balance(account.address)
        amount = min(small, held) if use_small else held * permille // 1_000
        if amount == 0:
            return
        receipt = self.d.execute(account, self.f.stake(amount))
        assert self.d.rex_balance(account.address) == held - amount
        [event] = receipt.events(self.d.staked, "Staked")
        assert event["amount"] == amount
        self.staked_in_events[user] += amount

    @rule(user=USER, permille=PERMILLE)
    def unstake(self, user: int, permille: int) -> None:
        account = self.d.users[user]
        staked = self.staked_in_events[user]
        if staked == 0:
            return
        amount = max(1, staked * permille // 1_000)
        held = self.d.rex_balance(account.address)
        receipt = self.d.execute(account, self.f.unstake(amount))
        [event] = receipt.events(self.d.staked, "Unstaked")
        received, deduction, burned = event["received"], event["deduction"], event["burned"]
        assert event["amount"] == amount
        assert received + deduction == amount
        assert burned == deduction // 2
        entry_time = self.f.accountOf(account.address).call()[1]
        rate = self.f.deductionRate(receipt.timestamp - entry_time).call()
        assert deduction == amount * rate // 10_000
        assert self.d.rex_balance(account.address) == held + received
        self.burned_in_events += burned
        self.staked_in_events[user] -= amount

    @rule(user=USER)
    def claim(self, user: int) -> None:
        account = self.d.users[user]
        held = self.d.rex_balance(account.address)
        receipt = self.d.execute(account, self.f.claim())
        [event] = receipt.events(self.d.staked, "RewardClaimed")
        assert self.d.rex_balance(account.address) == held + event["amount"]
        assert self.f.earned(account.address).call() == 0
        self.claimed_in_events += event["amount"]

    @rule(funder=st.integers(min_value=0, max_value=3), amount=st.integers(1, 10_000 * WAD))
    def fund(self, funder: int, amount: int) -> None:
        account = self.d.deployer if funder == 3 else self.d.users[funder]
        amount = min(amount, self.d.rex_balance(account.address))
        if amount == 0:
            return
        receipt = self.d.execute(account, self.f.fund(amount))
        [event] = receipt.events(self.d.staked, "RewardFunded")
        assert event["amount"] == amount

    @rule(seconds=SECONDS)
    def time_travel(self, seconds: int) -> None:
        before = self.d.now()
        assert self.d.travel(seconds) >= before + seconds

    @rule(user=USER)
    def poke(self, user: int) -> None:
        self.d.execute(self.d.users[user], self.f.poke())

    # ------------------------------------------------------------ invariants

    @invariant()
    def supply_is_conserved(self) -> None:
        rex = self.d.rex.functions
        burned = rex.totalBurned().call()
        assert rex.totalSupply().call() + burned == REX_SUPPLY_WEI
        assert burned == self.burned_at_start + self.burned_in_events
        assert self.f.totalDeductionBurned().call() == burned

    @invariant()
    def staking_holds_what_it_owes(self) -> None:
        f = self.f
        total_staked = f.totalStaked().call()
        held = self.d.rex_balance(self.d.staked.address)
        assert held == total_staked + f.rewardReserve().call() + f.pendingRewards().call()
        assert f.totalSupply().call() == total_staked
        balances = [f.balanceOf(u.address).call() for u in self.d.users]
        assert balances == self.staked_in_events
        assert sum(balances) == total_staked
        claimed = f.totalClaimed().call()
        assert claimed <= f.totalNotified().call()
        assert claimed == self.claimed_at_start + self.claimed_in_events

    @invariant()
    def deduction_rate_never_rises_with_age(self) -> None:
        rates = [self.f.deductionRate(age).call() for age in AGE_SAMPLE]
        assert all(a >= b for a, b in pairwise(rates))


def test_staking_invariants_hold(deployment: Deployment) -> None:
    with deployment.rollback():
        run_state_machine_as_test(
            lambda: StakedRexInvariants(deployment), settings=MACHINE_SETTINGS
        )


@settings(max_examples=60, deadline=None)
@given(a=st.integers(0, 2**256 - 1), b=st.integers(0, 2**256 - 1))
def test_deduction_rate_is_monotone(deployment: Deployment, a: int, b: int) -> None:
    younger, older = min(a, b), max(a, b)
    rate = deployment.staked.functions.deductionRate
    model = StakingModel.from_genesis(deployment.genesis)
    assert rate(younger).call() >= rate(older).call()
    assert rate(younger).call() == model.deduction_rate(younger)
    assert rate(older).call() == model.deduction_rate(older)
