"""Vesting schedules: OpenZeppelin ``VestingWallet(Cliff)`` arithmetic, to the wei.

``vested(t) = 0`` if ``t < start + cliffSeconds``; ``allocation`` if
``t >= start + duration``; else ``allocation * (t - start) // duration``.
A TGE bucket is modelled as ``start = tge``, ``duration = 0``: fully vested
from the TGE on.
"""

from __future__ import annotations

from dataclasses import dataclass

from rexos.economy.genesis import Beneficiary, Genesis, VestingReading, vesting_params
from rexos.errors import UsageError

__all__ = ["BucketSchedule", "schedule_for", "vested_amount"]


def vested_amount(allocation: int, start: int, duration: int, cliff_seconds: int, t: int) -> int:
    """Wei vested at time ``t`` (unix seconds), exactly as ``VestingWalletCliff``."""
    if allocation < 0 or duration < 0 or cliff_seconds < 0:
        raise UsageError("vesting: allocation, duration and cliff must not be negative")
    if cliff_seconds > duration:
        raise UsageError("vesting: cliff longer than duration (InvalidCliffDuration)")
    if t < start + cliff_seconds:
        return 0
    if t >= start + duration:
        return allocation
    return allocation * (t - start) // duration


@dataclass(frozen=True, slots=True)
class BucketSchedule:
    """When one bucket's allocation becomes available to its beneficiary."""

    name: str
    beneficiary: Beneficiary
    allocation: int
    start: int
    duration: int
    cliff_seconds: int
    tge_unlock: bool

    @property
    def end(self) -> int:
        """The moment everything is vested."""
        return self.start + self.duration

    def vested_at(self, t: int) -> int:
        """Wei vested at time ``t``."""
        return vested_amount(self.allocation, self.start, self.duration, self.cliff_seconds, t)


def schedule_for(
    genesis: Genesis, tge: int, reading: VestingReading | None = None
) -> tuple[BucketSchedule, ...]:
    """One schedule per bucket, in genesis order, for ``reading`` (default: the genesis's)."""
    vested = {p.bucket: p for p in vesting_params(genesis, tge, reading)}
    schedules = []
    for bucket in genesis.buckets:
        params = vested.get(bucket.name)
        if params is None:
            schedules.append(
                BucketSchedule(
                    bucket.name,
                    bucket.beneficiary,
                    genesis.allocation(bucket.name),
                    tge,
                    0,
                    0,
                    True,
                )
            )
        else:
            schedules.append(
                BucketSchedule(
                    bucket.name,
                    params.beneficiary,
                    params.allocation,
                    params.start,
                    params.duration,
                    params.cliff_seconds,
                    False,
                )
            )
    return tuple(schedules)
