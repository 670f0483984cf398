"""Differential test: StakedRex on chain and ``StakingModel`` agree on every number.

Hypothesis draws a sequence of actions (stake, unstake, claim, fund, poke,
startStream by the owner, time jumps, jumps to just around the end of the
current reward period). Each action goes to the contract through the
``Transactor`` and to the model at the mined block's timestamp. A revert on
chain must be a model error with the same reason, at the timestamp the
simulation ran at (the latest block), and the other way round. After every
step all global state, every user's ``accountOf``, ``earned`` and ``points``
and ``rewardPerToken`` must be equal, read at the latest block's timestamp:
eth-tester's ``eth_call`` runs with the latest block's ``block.timestamp``.
"""

from __future__ import annotations

from dataclasses import astuple
from typing import Any

from eth_account.signers.local import LocalAccount
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from rexos.economy import DAY, WAD, StakingModel
from rexos.errors import RexosError, TransactionReverted
from tests.integration.economy.harness import Deployment

GLOBALS = (
    ("totalStaked", "total_staked"),
    ("lastUpdateTime", "last_update_time"),
    ("periodFinish", "period_finish"),
    ("rewardRate", "reward_rate"),
    ("rewardPerTokenStored", "reward_per_token_stored"),
    ("rewardReserve", "reward_reserve"),
    ("pendingRewards", "pending_rewards"),
    ("totalNotified", "total_notified"),
    ("totalClaimed", "total_claimed"),
    ("totalDeductionBurned", "total_deduction_burned"),
)

USER = st.integers(min_value=0, max_value=2)
# How much, relative to what the sender holds (REX) or has staked (sREX):
# nothing, a few wei, an arbitrary part (odd amounts make every rounding count),
# everything, or more than staked.
ANY_PART = st.tuples(st.just("part"), st.integers(min_value=0, max_value=2**128))
AMOUNT = st.one_of(
    ANY_PART,
    st.tuples(st.just("wei"), st.integers(min_value=1, max_value=10**6)),
    ANY_PART,
    st.just(("all", 0)),
    st.tuples(st.just("over"), st.integers(min_value=1, max_value=WAD)),
    st.just(("zero", 0)),
)
SECONDS = st.one_of(
    st.integers(min_value=1, max_value=3_600),
    st.integers(min_value=1, max_value=45 * DAY),
    st.sampled_from([7 * DAY, 30 * DAY, 90 * DAY, 180 * DAY]),
)
STAKE = st.tuples(st.just("stake"), USER, AMOUNT)
UNSTAKE = st.tuples(st.just("unstake"), USER, AMOUNT)
TRAVEL = st.tuples(st.just("travel"), SECONDS)
# Jump so that the next transaction lands at the current period's end (plus 0, -1 or 1 s):
# where the stream stops and the next epoch rolls.
TO_FINISH = st.tuples(st.just("to_period_finish"), st.sampled_from([0, 0, -1, 1]))
ACTION = st.one_of(
    STAKE,
    TRAVEL,
    UNSTAKE,
    TO_FINISH,
    STAKE,
    UNSTAKE,
    st.tuples(st.just("claim"), USER),
    TRAVEL,
    st.tuples(st.just("fund"), st.integers(min_value=0, max_value=3), AMOUNT),
    UNSTAKE,
    st.tuples(st.just("poke"), USER),
    TO_FINISH,
    st.tuples(
        st.just("start_stream"),
        st.integers(min_value=0, max_value=10**6 * WAD),
        st.integers(min_value=0, max_value=30 * DAY),
    ),
)


def _resolve(spec: tuple[str, int], base: int, *, may_exceed: bool) -> int:
    kind, n = spec
    if kind == "zero":
        return 0
    if kind == "wei":
        return min(n, base)
    if kind == "part":
        return 1 + n % base if base else 0
    if kind == "over" and may_exceed:
        return base + n
    return base


class Differential:
    """Applies one action to the chain and to the model, checking they agree."""

    def __init__(self, d: Deployment) -> None:
        self.d = d
        self.f = d.staked.functions
        self.model = StakingModel.from_genesis(d.genesis)
        # Genesis started the foundation stream; nothing has touched sREX since.
        started = self.f.lastUpdateTime().call()
        duration = d.genesis.staking.foundation_stream_days * DAY
        self.model.start_stream(d.genesis.staking.foundation_stream_wei, duration, started)

    def apply(self, action: tuple[Any, ...]) -> None:
        kind, *args = action
        d, f, model = self.d, self.f, self.model
        if kind == "travel":
            d.travel(args[0])
        elif kind == "to_period_finish":
            target = f.periodFinish().call() + args[0] - 1  # the next block is 1 s later
            if target > d.now():
                d.travel_to(target)
        elif kind == "stake":
            user = d.users[args[0]]
            amount = _resolve(args[1], d.rex_balance(user.address), may_exceed=False)
            self._both(user, f.stake(amount), lambda now: model.stake(user.address, amount, now))
        elif kind == "unstake":
            user = self._staker(args[0])
            staked = model.balance_of(user.address)
            amount = _resolve(args[1], staked, may_exceed=True)
            receipt, expected = self._both(
                user, f.unstake(amount), lambda now: model.unstake(user.address, amount, now)
            )
            if receipt is not None:
                [event] = receipt.events(d.staked, "Unstaked")
                got = (event["received"], event["deduction"], event["burned"])
                assert got == (expected.received, expected.deduction, expected.burned)
        elif kind == "claim":
            user = d.users[args[0]]
            receipt, expected = self._both(
                user, f.claim(), lambda now: model.claim(user.address, now)
            )
            if receipt is not None:
                [event] = receipt.events(d.staked, "RewardClaimed")
                assert event["amount"] == expected
        elif kind == "fund":
            funder = d.deployer if args[0] == 3 else d.users[args[0]]
            amount = _resolve(args[1], d.rex_balance(funder.address), may_exceed=False)
            self._both(funder, f.fund(amount), lambda now: model.fund(amount, now))
        elif kind == "poke":
            self._both(d.users[args[0]], f.poke(), model.poke)
        elif kind == "start_stream":
            amount, duration = args
            amount = min(amount, d.rex_balance(d.deployer.address))  # custody is not modelled
            self._both(
                d.deployer,
                f.startStream(amount, duration),
                lambda now: model.start_stream(amount, duration, now),
            )
        else:  # pragma: no cover - the strategy draws only the kinds above
            raise AssertionError(f"unknown action {kind}")

    def _staker(self, index: int) -> LocalAccount:
        """User ``index``, or the next user round that has a stake, if any has."""
        users = self.d.users
        for k in range(len(users)):
            user = users[(index + k) % len(users)]
            if self.model.balance_of(user.address):
                return user
        return users[index]

    def _both(self, sender: LocalAccount, call: Any, on_model: Any) -> tuple[Any, Any]:
        """Send ``call``; run ``on_model`` at the same ``now``; both succeed or both fail."""
        simulated_at = self.d.now()
        try:
            receipt = self.d.send(sender, call)
        except TransactionReverted as reverted:
            try:
                on_model(simulated_at)
            except RexosError as refused:
                assert str(refused) == reverted.reason
                return None, None
            raise AssertionError(
                f"chain reverted ({reverted.reason}) at {simulated_at}; the model did not"
            ) from reverted
        try:
            return receipt, on_model(receipt.timestamp)
        except RexosError as refused:
            raise AssertionError(
                f"chain accepted at {receipt.timestamp}; the model refused: {refused}"
            ) from refused

    def assert_same(self) -> None:
        f, model, now = self.f, self.model, self.d.now()
        chain = {name: getattr(f, name)().call() for name, _ in GLOBALS}
        modelled = {name: getattr(model, attr) for name, attr in GLOBALS}
        assert chain == modelled, f"globals at {now}"
        assert f.rewardPerToken().call() == model.reward_per_token(now)
        for user in self.d.users:
            a = user.address
            assert tuple(f.accountOf(a).call()) == astuple(model.account_of(a)), a
            assert f.earned(a).call() == model.earned(a, now), a
            assert f.points(a).call() == model.points(a, now), a


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    opening=st.lists(STAKE, min_size=1, max_size=3),
    actions=st.lists(ACTION, min_size=3, max_size=10),
)
def test_contract_matches_model(
    deployment: Deployment, opening: list[tuple[Any, ...]], actions: list[tuple[Any, ...]]
) -> None:
    with deployment.rollback():
        run = Differential(deployment)
        run.assert_same()
        for step, action in enumerate([*opening, *actions]):
            note(f"step {step}: {action} at latest block time {deployment.now()}")
            run.apply(action)
            run.assert_same()


def test_views_read_the_latest_block_time(economy: Deployment) -> None:
    """What the comparison above relies on: ``eth_call`` sees the latest block's timestamp."""
    f, alice = economy.staked.functions, economy.users[0]
    staked_at = economy.send(alice, f.stake(10 * WAD)).timestamp
    assert economy.now() == staked_at
    assert f.holdingAge(alice.address).call() == 0
    later = economy.travel(1_000)
    assert f.holdingAge(alice.address).call() == later - staked_at
    assert f.points(alice.address).call() == 10 * WAD * (later - staked_at) // DAY
