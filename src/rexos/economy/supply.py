"""Five-year monthly REX supply simulation: unlocks, staking, burn and the reward pool.

The vesting schedule is exact (:mod:`rexos.economy.vesting`); staking
behaviour is an explicit, documented assumption (:class:`SupplyAssumptions`).
Each month (30 days) after the TGE:

1. ``unlocked`` per bucket = what its vesting schedule has released.
2. ``unstaked`` = ``monthly_unstake_bps`` of last month's staked REX, split
   by ``unstake_age_mix`` into holding ages whose genesis deduction rate
   applies; half of each deduction is ``burned``, half is ``pool_inflow``.
3. ``emission``: the foundation stream pays ``rate * seconds`` of the month
   (``rate = amount // duration``, as the contract); once it has ended, the
   deductions waiting in the pool are paid out the next month (the contract
   streams them one 7-day epoch at a time, so a month's deductions are gone
   within about a week). All emission is assumed claimed at once.
4. ``pool_holdings`` = foundation stream + deductions − emission so far.
5. ``free`` = unlocked − pool holdings − cumulative burn (every REX outside
   vesting wallets and the pool); ``staked`` = ``staked_share_bps`` of it
   (stakers re-stake to keep that share); ``circulating`` = free − staked.
   Equivalently: unlocked − staked − REX moved into the pool + rewards paid
   out − burned.
6. ``runway_months`` = pool holdings ÷ this month's emission (``None``
   without emission).

Amounts are int wei; only the chart hands floats to matplotlib.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rexos.economy.genesis import DAY, Genesis
from rexos.economy.staking import StakingModel
from rexos.economy.vesting import schedule_for
from rexos.errors import ConfigError, UsageError
from rexos.types import format_units

__all__ = [
    "MONTH",
    "SupplyAssumptions",
    "SupplyRow",
    "csv_header",
    "simulate_supply",
    "write_chart",
    "write_csv",
]

MONTH = 30 * DAY
"""Seconds in a simulation month."""
BPS = 10_000


@dataclass(frozen=True, slots=True)
class SupplyAssumptions:
    """What drives staking, burn and the reward pool (defaults in brackets).

    * ``staked_share_bps`` [3000]: share of the free REX kept staked.
    * ``monthly_unstake_bps`` [1000]: share of the staked REX unstaked each month.
    * ``unstake_age_mix`` [(15 d, 10 %), (60 d, 15 %), (120 d, 25 %), (365 d, 50 %)]:
      (holding age in days, share of the unstaked volume in bps); with the
      default tiers this averages a 4.75 % deduction.
    * ``months`` [60]: how many months after the TGE to simulate.
    """

    staked_share_bps: int = 3000
    monthly_unstake_bps: int = 1000
    unstake_age_mix: tuple[tuple[int, int], ...] = (
        (15, 1000),
        (60, 1500),
        (120, 2500),
        (365, 5000),
    )
    months: int = 60

    def validate(self) -> None:
        """Raise ``ConfigError`` naming the first unusable assumption."""
        for key in ("staked_share_bps", "monthly_unstake_bps"):
            if not 0 <= getattr(self, key) <= BPS:
                raise ConfigError(f"supply assumption {key}: must be between 0 and {BPS}")
        if any(age < 0 or weight < 0 for age, weight in self.unstake_age_mix):
            raise ConfigError("supply assumption unstake_age_mix: ages and shares must be >= 0")
        if sum(weight for _, weight in self.unstake_age_mix) != BPS:
            raise ConfigError(f"supply assumption unstake_age_mix: shares must sum to {BPS}")
        if self.months < 1:
            raise ConfigError("supply assumption months: must be at least 1")


@dataclass(frozen=True, slots=True)
class SupplyRow:
    """The supply at the end of one month; every amount in wei."""

    month: int
    day: int
    unlocked_by_bucket: dict[str, int] = field(hash=False)
    circulating_by_bucket: dict[str, int] = field(hash=False)
    total_unlocked: int
    monthly_unlock: int
    staked: int
    unstaked: int
    burned: int
    cumulative_burned: int
    pool_inflow: int
    emission: int
    cumulative_rewards_paid: int
    pool_holdings: int
    circulating: int
    runway_months: Decimal | None


def _overlap(a: int, b: int, c: int, d: int) -> int:
    return max(0, min(b, d) - max(a, c))


def _by_bucket(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split ``total`` pro rata to ``weights``; the rounding rest goes to the last bucket."""
    whole = sum(weights.values())
    shares = {name: total * w // whole if whole else 0 for name, w in weights.items()}
    if whole and shares:
        last = next(reversed(shares))
        shares[last] += total - sum(shares.values())
    return shares


def simulate_supply(
    genesis: Genesis, assumptions: SupplyAssumptions | None = None
) -> list[SupplyRow]:
    """Simulate months ``0..assumptions.months`` after the TGE (month 0 = the TGE)."""
    a = assumptions or SupplyAssumptions()
    a.validate()
    schedules = schedule_for(genesis, 0)
    model = StakingModel.from_genesis(genesis)
    stream = genesis.staking.foundation_stream_wei
    stream_end = genesis.staking.foundation_stream_days * DAY
    rate = stream // stream_end
    pending = stream - rate * stream_end
    pool, burned_total, paid_total, staked, previous_unlocked = stream, 0, 0, 0, 0
    rows: list[SupplyRow] = []
    for month in range(a.months + 1):
        start, end = (month - 1) * MONTH, month * MONTH
        unlocked = {s.name: s.vested_at(end) for s in schedules}
        total_unlocked = sum(unlocked.values())
        unstaked = staked * a.monthly_unstake_bps // BPS if month else 0
        deduction = sum(
            unstaked * weight // BPS * model.deduction_rate(age * DAY) // BPS
            for age, weight in a.unstake_age_mix
        )
        burned, inflow = deduction // 2, deduction - deduction // 2
        emission = rate * _overlap(start, end, 0, stream_end) if month else 0
        if month and start >= stream_end:
            emission, pending = emission + pending, 0
        pending += inflow
        pool += inflow - emission
        burned_total += burned
        paid_total += emission
        free = total_unlocked - pool - burned_total
        staked = free * a.staked_share_bps // BPS
        circulating = free - staked
        runway = (Decimal(pool) / Decimal(emission)).quantize(Decimal("0.1")) if emission else None
        rows.append(
            SupplyRow(
                month=month,
                day=end // DAY,
                unlocked_by_bucket=unlocked,
                circulating_by_bucket=_by_bucket(circulating, unlocked),
                total_unlocked=total_unlocked,
                monthly_unlock=total_unlocked - previous_unlocked,
                staked=staked,
                unstaked=unstaked,
                burned=burned,
                cumulative_burned=burned_total,
                pool_inflow=inflow,
                emission=emission,
                cumulative_rewards_paid=paid_total,
                pool_holdings=pool,
                circulating=circulating,
                runway_months=runway,
            )
        )
        previous_unlocked = total_unlocked
    return rows


_AMOUNT_COLUMNS = (
    "total_unlocked",
    "monthly_unlock",
    "staked",
    "unstaked",
    "burned",
    "cumulative_burned",
    "pool_inflow",
    "emission",
    "cumulative_rewards_paid",
    "pool_holdings",
    "circulating",
)


def csv_header(rows: list[SupplyRow]) -> list[str]:
    """Column names of :func:`write_csv` (amounts in REX, suffixed ``_rex``)."""
    buckets = list(rows[0].unlocked_by_bucket) if rows else []
    return [
        "month",
        "day",
        *(f"unlocked_{b}_rex" for b in buckets),
        *(f"{c}_rex" for c in _AMOUNT_COLUMNS),
        "runway_months",
    ]


def write_csv(rows: list[SupplyRow], path: Path) -> None:
    """Write one line per month; amounts as exact decimal REX."""
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(csv_header(rows))
        for row in rows:
            amounts = [getattr(row, c) for c in _AMOUNT_COLUMNS]
            writer.writerow(
                [
                    row.month,
                    row.day,
                    *(format_units(v) for v in row.unlocked_by_bucket.values()),
                    *(format_units(v) for v in amounts),
                    "" if row.runway_months is None else str(row.runway_months),
                ]
            )


def _millions(wei: int) -> float:
    """Wei as millions of REX, for plotting only."""
    return float(Decimal(wei).scaleb(-24))


def write_chart(rows: list[SupplyRow], path: Path) -> None:
    """Draw circulating supply by bucket, cumulative burn and the reward pool (PNG or SVG)."""
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise UsageError(f"chart file must end in .png or .svg, got {target.name!r}")
    if not rows:
        raise UsageError("no supply rows to draw")
    from matplotlib.figure import Figure  # imported here: slow, and only charts need it

    months = [row.month for row in rows]
    buckets = list(rows[0].circulating_by_bucket)
    figure = Figure(figsize=(11, 6), layout="constrained")
    ax = figure.add_subplot()
    ax.stackplot(
        months,
        *([_millions(row.circulating_by_bucket[b]) for row in rows] for b in buckets),
        labels=[f"circulating: {b}" for b in buckets],
        alpha=0.8,
    )
    ax.plot(
        months,
        [_millions(r.cumulative_burned) for r in rows],
        color="black",
        linewidth=2,
        label="cumulative burn",
    )
    ax.set_xlabel("months after TGE")
    ax.set_ylabel("million REX")
    ax.set_xlim(months[0], months[-1])
    pool_ax = ax.twinx()
    pool_ax.plot(
        months,
        [_millions(r.pool_holdings) for r in rows],
        color="tab:red",
        linestyle="--",
        linewidth=2,
        label="reward pool holdings",
    )
    pool_ax.set_ylabel("reward pool (million REX)")
    handles, labels = ax.get_legend_handles_labels()
    pool_handles, pool_labels = pool_ax.get_legend_handles_labels()
    ax.legend(handles + pool_handles, labels + pool_labels, loc="upper left", fontsize="small")
    ax.set_title(f"REX circulating supply, burn and reward pool over {months[-1]} months")
    figure.savefig(target, format=fmt, dpi=120)
