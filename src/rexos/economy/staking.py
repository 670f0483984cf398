"""Reference model of the ``StakedRex`` (sREX) contract, integer for integer.

Every method follows ``docs/explanation/economy-spec.md`` step by step, with
the same floor divisions, so a differential test can replay an action
sequence against the contract and this model and compare every number.
Time is passed explicitly (``now`` = ``block.timestamp``) and must never go
back. A failing call raises the ``rexos.errors`` exception whose message
holds the contract's revert reason (``"StakedRex: INSUFFICIENT_STAKE"``) and
leaves the model exactly as it was, like a reverted transaction. Token
custody and ``Ownable`` are not modelled: ``start_stream`` is owner-only on chain.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import pairwise

from rexos.economy.genesis import DAY, WAD, Genesis, staking_args
from rexos.errors import ConfigError, InsufficientBalance, InvalidAmount, UsageError

__all__ = ["AccountState", "StakingModel", "UnstakeResult"]

BPS = 10_000


@dataclass(slots=True)
class AccountState:
    """Per-account state, named like the contract's ``accountOf`` fields."""

    balance: int = 0
    entry_time: int = 0
    points_time: int = 0
    balance_seconds: int = 0
    rewards: int = 0
    reward_per_token_paid: int = 0


@dataclass(frozen=True, slots=True)
class UnstakeResult:
    """What an unstake of ``received + deduction`` wei pays, burns and recycles."""

    received: int
    deduction: int
    burned: int
    to_pool: int


def _uint(value: int) -> None:
    """Reject what a ``uint256`` argument cannot hold."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidAmount(f"StakedRex: not a non-negative integer: {value!r}")


def _amount(amount: int) -> None:
    _uint(amount)
    if amount == 0:
        raise InvalidAmount("StakedRex: ZERO_AMOUNT")


class StakingModel:
    """The sREX contract's state and arithmetic, in Python integers."""

    def __init__(
        self,
        thresholds: Sequence[int],
        rates: Sequence[int],
        epoch_seconds: int,
        points_per_day: int = WAD,
    ) -> None:
        """Validate the schedule like the contract's constructor (``ConfigError``).

        ``thresholds``: holding ages in seconds, strictly increasing, non-empty;
        ``rates``: bps, one more than the thresholds, non-increasing, each ≤ 10,000;
        ``epoch_seconds`` > 0; ``points_per_day`` scaled by 1e18.
        """
        increasing = all(b > a for a, b in pairwise(thresholds))
        falling = all(b <= a for a, b in pairwise(rates))
        if not (
            thresholds
            and increasing
            and falling
            and len(rates) == len(thresholds) + 1
            and thresholds[0] >= 0
            and thresholds[-1] < 2**64
            and rates[-1] >= 0
            and rates[0] <= BPS
        ):
            raise ConfigError(
                "StakedRex: BAD_SCHEDULE (thresholds strictly increasing and non-empty; "
                "len(thresholds) + 1 rates, non-increasing, each <= 10000)"
            )
        if epoch_seconds <= 0:
            raise ConfigError("StakedRex: ZERO_EPOCH")
        if points_per_day < 0:
            raise ConfigError("StakedRex: points_per_day must not be negative")
        self.thresholds: tuple[int, ...] = tuple(thresholds)
        self.rates: tuple[int, ...] = tuple(rates)
        self.epoch_duration = epoch_seconds
        self.points_per_day = points_per_day
        self.total_staked = 0
        self.last_update_time = 0
        self.period_finish = 0
        self.reward_rate = 0
        self.reward_per_token_stored = 0
        self.reward_reserve = 0
        self.pending_rewards = 0
        self.total_notified = 0
        self.total_claimed = 0
        self.total_deduction_burned = 0
        self.accounts: dict[str, AccountState] = {}

    @classmethod
    def from_genesis(cls, genesis: Genesis) -> StakingModel:
        """A fresh model with the genesis's staking parameters."""
        args = staking_args(genesis)
        return cls(args.thresholds, args.rates, args.epoch_duration, args.points_per_day)

    @contextmanager
    def _transaction(self, now: int) -> Iterator[None]:
        """Run a state change; on any failure restore the state (a revert)."""
        self._check_time(now)
        saved = copy.deepcopy(self.__dict__)
        try:
            yield
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(saved)
            raise

    def _check_time(self, now: int) -> None:
        if isinstance(now, bool) or not isinstance(now, int) or now < self.last_update_time:
            raise UsageError(
                f"StakedRex model: time {now!r} is before the last update {self.last_update_time}"
            )

    def _account(self, account: str) -> AccountState:
        return self.accounts.setdefault(account, AccountState())

    def _update_global(self, now: int) -> None:
        t = min(now, self.period_finish)
        if t > self.last_update_time:
            dist = self.reward_rate * (t - self.last_update_time)
            if self.total_staked == 0:
                self.reward_reserve -= dist
                self.pending_rewards += dist
            else:
                self.reward_per_token_stored += dist * WAD // self.total_staked
        self.last_update_time = now
        if now >= self.period_finish and self.pending_rewards >= self.epoch_duration:
            rate = self.pending_rewards // self.epoch_duration
            amount = rate * self.epoch_duration
            self.pending_rewards -= amount
            self.reward_reserve += amount
            self.total_notified += amount
            self.reward_rate = rate
            self.period_finish = now + self.epoch_duration

    def _update_account(self, acc: AccountState, now: int) -> None:
        paid = self.reward_per_token_stored - acc.reward_per_token_paid
        acc.rewards += acc.balance * paid // WAD
        acc.reward_per_token_paid = self.reward_per_token_stored
        acc.balance_seconds += acc.balance * (now - acc.points_time)
        acc.points_time = now

    def _split(self, acc: AccountState, amount: int, now: int) -> UnstakeResult:
        deduction = amount * self.deduction_rate(now - acc.entry_time) // BPS
        burned = deduction // 2
        return UnstakeResult(amount - deduction, deduction, burned, deduction - burned)

    def stake(self, account: str, amount: int, now: int) -> None:
        """Stake ``amount`` wei of REX for ``account`` (weighted-average entry time)."""
        with self._transaction(now):
            _amount(amount)
            acc = self._account(account)
            self._update_global(now)
            self._update_account(acc, now)
            if acc.balance == 0:
                acc.entry_time = now
            else:
                total = acc.balance + amount
                acc.entry_time = (acc.balance * acc.entry_time + amount * now) // total
            acc.balance += amount
            self.total_staked += amount

    def unstake(self, account: str, amount: int, now: int) -> UnstakeResult:
        """Unstake ``amount``: pay ``received``, burn half the deduction, pool the rest."""
        with self._transaction(now):
            acc = self._account(account)
            _amount(amount)
            if amount > acc.balance:
                raise InsufficientBalance("StakedRex: INSUFFICIENT_STAKE")
            result = self._split(acc, amount, now)
            self._update_global(now)
            self._update_account(acc, now)
            acc.balance -= amount
            self.total_staked -= amount
            self.pending_rewards += result.to_pool
            self.total_deduction_burned += result.burned
        return result

    def claim(self, account: str, now: int) -> int:
        """Pay ``account`` its earned rewards; returns the wei paid (may be 0)."""
        with self._transaction(now):
            acc = self._account(account)
            self._update_global(now)
            self._update_account(acc, now)
            paid = acc.rewards
            acc.rewards = 0
            self.reward_reserve -= paid
            self.total_claimed += paid
        return paid

    def fund(self, amount: int, now: int) -> None:
        """Add ``amount`` to the pending rewards, streamed in later epochs."""
        with self._transaction(now):
            _amount(amount)
            self._update_global(now)
            self.pending_rewards += amount

    def start_stream(self, amount: int, duration: int, now: int) -> None:
        """Stream ``amount`` over ``duration`` seconds (owner-only on chain)."""
        with self._transaction(now):
            _uint(amount)
            _uint(duration)
            self._update_global(now)
            if now < self.period_finish:
                raise UsageError("StakedRex: STREAM_ACTIVE")
            rate = amount // duration if duration else 0
            if rate == 0:
                raise InvalidAmount("StakedRex: ZERO_RATE")
            streamed = rate * duration
            self.reward_reserve += streamed
            self.total_notified += streamed
            self.pending_rewards += amount - streamed
            self.reward_rate = rate
            self.last_update_time = now
            self.period_finish = now + duration

    def poke(self, now: int) -> None:
        """Update the global accumulator only (rolls an epoch when one is due)."""
        with self._transaction(now):
            self._update_global(now)

    @property
    def total_supply(self) -> int:
        """sREX total supply (= ``total_staked``)."""
        return self.total_staked

    def balance_of(self, account: str) -> int:
        """sREX balance of ``account``."""
        return self.account_of(account).balance

    def account_of(self, account: str) -> AccountState:
        """A copy of ``account``'s state (all zero for an unknown account)."""
        return replace(self.accounts.get(account, AccountState()))

    def reward_per_token(self, now: int) -> int:
        """The accumulator as ``_updateGlobal`` would leave it at ``now`` (1e18-scaled)."""
        self._check_time(now)
        t = min(now, self.period_finish)
        if self.total_staked == 0 or t <= self.last_update_time:
            return self.reward_per_token_stored
        dist = self.reward_rate * (t - self.last_update_time)
        return self.reward_per_token_stored + dist * WAD // self.total_staked

    def earned(self, account: str, now: int) -> int:
        """Rewards ``account`` could claim at ``now``."""
        acc = self.account_of(account)
        paid = self.reward_per_token(now) - acc.reward_per_token_paid
        return acc.rewards + acc.balance * paid // WAD

    def points(self, account: str, now: int) -> int:
        """18-decimal AI points: 1 sREX held for 1 day = ``points_per_day``."""
        self._check_time(now)
        acc = self.account_of(account)
        seconds = acc.balance_seconds + acc.balance * (now - acc.points_time)
        return seconds * self.points_per_day // (DAY * WAD)

    def deduction_rate(self, age: int) -> int:
        """Deduction in bps for a holding age of ``age`` seconds."""
        for threshold, rate in zip(self.thresholds, self.rates, strict=False):
            if age < threshold:
                return rate
        return self.rates[-1]

    def holding_age(self, account: str, now: int) -> int:
        """Seconds since the weighted-average entry time (0 with nothing staked)."""
        self._check_time(now)
        acc = self.account_of(account)
        return now - acc.entry_time if acc.balance > 0 else 0

    def preview_unstake(self, account: str, amount: int, now: int) -> UnstakeResult:
        """What ``unstake(account, amount, now)`` would pay, deduct, burn and recycle.

        Like the contract's ``previewUnstake`` it does not check the balance.
        """
        self._check_time(now)
        _uint(amount)
        return self._split(self.account_of(account), amount, now)
