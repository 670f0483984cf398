"""Property test: random action sequences keep the sREX model solvent and conserved."""

from __future__ import annotations

import copy

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from rexos.economy import DAY, WAD, StakingModel
from rexos.errors import UsageError

ACCOUNTS = st.sampled_from(["alice", "bob", "carol"])
AMOUNTS = st.integers(min_value=1, max_value=10**6 * WAD)
STEPS = st.integers(min_value=0, max_value=40 * DAY)


class StakingMachine(RuleBasedStateMachine):
    """Tracks REX flowing in and out of the model as the token contract would see it."""

    def __init__(self) -> None:
        super().__init__()
        self.model = StakingModel([30 * DAY, 90 * DAY, 180 * DAY], [2000, 1000, 500, 0], 7 * DAY)
        self.now = 1_000
        self.held = 0  # REX the staking contract would hold
        self.claimed = 0

    @rule(dt=STEPS)
    def wait(self, dt: int) -> None:
        self.now += dt

    @rule(account=ACCOUNTS, amount=AMOUNTS)
    def stake(self, account: str, amount: int) -> None:
        self.model.stake(account, amount, self.now)
        self.held += amount

    @rule(account=ACCOUNTS, share=st.integers(1, 100))
    def unstake(self, account: str, share: int) -> None:
        balance = self.model.balance_of(account)
        if balance == 0:
            return
        amount = max(1, balance * share // 100)
        preview = self.model.preview_unstake(account, amount, self.now)
        result = self.model.unstake(account, amount, self.now)
        assert result == preview
        assert result.received + result.deduction == amount
        self.held -= result.received + result.burned

    @rule(account=ACCOUNTS)
    def claim(self, account: str) -> None:
        expected = self.model.earned(account, self.now)
        paid = self.model.claim(account, self.now)
        assert paid == expected
        self.held -= paid
        self.claimed += paid

    @rule(amount=AMOUNTS)
    def fund(self, amount: int) -> None:
        self.model.fund(amount, self.now)
        self.held += amount

    @rule(amount=AMOUNTS, duration=st.integers(1, 200 * DAY))
    def start_stream(self, amount: int, duration: int) -> None:
        before = copy.deepcopy(vars(self.model))
        try:
            self.model.start_stream(amount, duration, self.now)
        except UsageError as exc:
            assert "STREAM_ACTIVE" in str(exc) or "ZERO_RATE" in str(exc)
            assert vars(self.model) == before
        else:
            self.held += amount

    @rule()
    def poke(self) -> None:
        self.model.poke(self.now)

    @invariant()
    def conserved(self) -> None:
        m = self.model
        assert m.total_staked + m.reward_reserve + m.pending_rewards == self.held

    @invariant()
    def solvent(self) -> None:
        m = self.model
        owed = sum(m.earned(a, self.now) for a in m.accounts)
        assert owed <= m.reward_reserve
        assert m.pending_rewards >= 0
        assert m.total_claimed == self.claimed <= m.total_notified
        assert sum(acc.balance for acc in m.accounts.values()) == m.total_staked


TestStakingProperties = StakingMachine.TestCase
TestStakingProperties.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
