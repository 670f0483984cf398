"""Previews computed with the reference model from on-chain state."""

from __future__ import annotations

from dataclasses import dataclass

from rexos.economy.onchain import Economy
from rexos.economy.staking import StakingModel
from rexos.errors import InsufficientBalance
from rexos.types import Address, format_units

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
    position = economy.position(address)
    if amount > position.staked:
        raise InsufficientBalance(
            f"cannot unstake {format_units(amount)} sREX: {address} has "
            f"{format_units(position.staked)} staked"
        )
    age = economy.now() - position.entry_time
    rate = model.deduction_rate(age)
    deduction = amount * rate // 10_000
    burned = deduction // 2
    return UnstakePreview(
        amount=amount,
        age_seconds=age,
        rate_bps=rate,
        received=amount - deduction,
        deduction=deduction,
        burned=burned,
        to_pool=deduction - burned,
    )
