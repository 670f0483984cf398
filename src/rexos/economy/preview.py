"""Previews computed with the reference model from on-chain state."""

from __future__ import annotations

from dataclasses import dataclass

from rexos.economy.onchain import Economy
from rexos.economy.staking import AccountState, StakingModel
from rexos.types import Address

__all__ = ["UnstakePreview", "preview_unstake"]


@dataclass(frozen=True, slots=True)
class UnstakePreview:
    """What unstaking ``amount`` now would return and cost."""

    amount: int
    age_seconds: int
    rate_bps: int
    received: int
    deduction: int
    burned: int
    to_pool: int

    @property
    def age_days(self) -> float:
        return self.age_seconds / 86400


def preview_unstake(economy: Economy, address: Address, amount: int) -> UnstakePreview:
    """Apply the reference model's deduction rules to the on-chain position."""
    f = economy.staked.functions
    thresholds, rates = f.deductionSchedule().call()
    model = StakingModel(
        thresholds=[int(t) for t in thresholds],
        rates=[int(r) for r in rates],
        epoch_seconds=int(f.epochDuration().call()),
        points_per_day=int(f.pointsPerDay().call()),
    )
    economy.require_staked(address, amount)
    position = economy.position(address)
    now = economy.now()
    model.accounts[address] = AccountState(balance=position.staked, entry_time=position.entry_time)
    split = model.preview_unstake(address, amount, now)
    return UnstakePreview(
        amount=amount,
        age_seconds=model.holding_age(address, now),
        rate_bps=model.deduction_rate(now - position.entry_time),
        received=split.received,
        deduction=split.deduction,
        burned=split.burned,
        to_pool=split.to_pool,
    )
