"""Genesis parameters of the REX economy, read from a TOML file.

:func:`load_genesis` reads a genesis file over the packaged default
(``default_genesis.toml``, which documents every key), validates it and
returns a frozen :class:`Genesis`. Every problem raises one
:class:`~rexos.errors.ConfigError` whose message names the offending key.
The helpers at the end turn a genesis into contract constructor arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from rexos._toml import Table, TomlReader, load_over_defaults
from rexos.errors import ConfigError

__all__ = [
    "BENEFICIARIES",
    "DAY",
    "WAD",
    "Beneficiary",
    "Bucket",
    "DeductionTier",
    "DemoParams",
    "Genesis",
    "StakingArgs",
    "StakingParams",
    "VestingParams",
    "VestingReading",
    "load_genesis",
    "staking_args",
    "vesting_params",
]

DAY = 86_400
"""Seconds in a day."""
WAD = 10**18
"""Wei per REX (and the 1e18 fixed-point scale)."""
BPS = 10_000
MAX_DEMO_USERS = 9
"""Development accounts 1..9 can be demo users (account 0 deploys)."""

VestingReading = Literal["cliff_end", "oz_cliff"]
Beneficiary = Literal["treasury", "airdrop", "incentives", "team", "investors"]
BENEFICIARIES: tuple[Beneficiary, ...] = ("treasury", "airdrop", "incentives", "team", "investors")
_READINGS: tuple[VestingReading, ...] = ("cliff_end", "oz_cliff")


@dataclass(frozen=True, slots=True)
class Bucket:
    """One allocation bucket: a share of the supply and how it is released."""

    name: str
    share_bps: int
    tge_unlock: bool
    cliff_days: int
    linear_days: int
    beneficiary: Beneficiary

    @property
    def cliff_seconds(self) -> int:
        """The cliff in seconds."""
        return self.cliff_days * DAY

    @property
    def linear_seconds(self) -> int:
        """The linear release period in seconds."""
        return self.linear_days * DAY


@dataclass(frozen=True, slots=True)
class DeductionTier:
    """Unstaking before ``below_days`` of holding age costs ``rate_bps``."""

    below_days: int
    rate_bps: int


@dataclass(frozen=True, slots=True)
class StakingParams:
    """sREX parameters: deduction tiers, epochs, points and the foundation stream."""

    deduction_tiers: tuple[DeductionTier, ...]
    final_rate_bps: int
    epoch_days: int
    points_per_day: Decimal
    foundation_stream_wei: int
    foundation_stream_days: int


@dataclass(frozen=True, slots=True)
class DemoParams:
    """What the local demo gives each of its users."""

    users: int
    rex_per_user_wei: int
    eth_per_user_wei: int


@dataclass(frozen=True, slots=True)
class Genesis:
    """Every economy parameter, validated."""

    total_supply_wei: int
    vesting_reading: VestingReading
    buckets: tuple[Bucket, ...]
    staking: StakingParams
    demo: DemoParams

    def bucket(self, name: str) -> Bucket:
        """Return the bucket called ``name`` (``ConfigError`` when there is none)."""
        for bucket in self.buckets:
            if bucket.name == name:
                return bucket
        raise ConfigError(f"genesis has no bucket named {name!r}")

    def allocation(self, name: str) -> int:
        """Wei allocated to bucket ``name``."""
        return self.total_supply_wei * self.bucket(name).share_bps // BPS

    def treasury_at_tge(self) -> int:
        """Wei the treasury receives at genesis (its TGE-unlocked buckets)."""
        return sum(
            self.allocation(b.name)
            for b in self.buckets
            if b.beneficiary == "treasury" and b.tge_unlock
        )


@dataclass(frozen=True, slots=True)
class StakingArgs:
    """``StakedRex`` constructor arguments (besides token and owner)."""

    thresholds: tuple[int, ...]
    rates: tuple[int, ...]
    epoch_duration: int
    points_per_day: int


@dataclass(frozen=True, slots=True)
class VestingParams:
    """``RexVesting`` constructor arguments for one vested bucket, plus its allocation."""

    bucket: str
    beneficiary: Beneficiary
    allocation: int
    start: int
    duration: int
    cliff_seconds: int


def staking_args(genesis: Genesis) -> StakingArgs:
    """Constructor arguments: thresholds in seconds, rates in bps, 1e18-scaled points."""
    staking = genesis.staking
    return StakingArgs(
        thresholds=tuple(tier.below_days * DAY for tier in staking.deduction_tiers),
        rates=(*(tier.rate_bps for tier in staking.deduction_tiers), staking.final_rate_bps),
        epoch_duration=staking.epoch_days * DAY,
        points_per_day=int(staking.points_per_day * WAD),
    )


def vesting_params(
    genesis: Genesis, tge: int, reading: VestingReading | None = None
) -> tuple[VestingParams, ...]:
    """Vesting-wallet parameters of every vested bucket, for ``reading`` (default: genesis's).

    ``cliff_end``: ``start = tge + cliff``, ``duration = linear``, no cliff;
    ``oz_cliff``: ``start = tge``, ``duration = cliff + linear``, ``cliffSeconds = cliff``.
    """
    chosen = reading or genesis.vesting_reading
    params = []
    for b in genesis.buckets:
        if b.tge_unlock:
            continue
        if chosen == "cliff_end":
            start, duration, cliff = tge + b.cliff_seconds, b.linear_seconds, 0
        else:
            start, duration = tge, b.cliff_seconds + b.linear_seconds
            cliff = b.cliff_seconds
        params.append(
            VestingParams(b.name, b.beneficiary, genesis.allocation(b.name), start, duration, cliff)
        )
    return tuple(params)


def load_genesis(path: Path | None = None) -> Genesis:
    """Read and validate a genesis file; ``None`` reads the packaged default.

    Keys missing from ``path`` take their default values.
    """
    reader, data = load_over_defaults("rexos.economy", "default_genesis.toml", path, noun="genesis")
    return _build(reader, data)


def _build(reader: TomlReader, data: Table) -> Genesis:
    # `[dprompt]` belongs to `rexos.dprompt.params.load_dprompt_params`, which reads it itself.
    sections = {"total_supply_rex", "vesting_reading", "buckets", "staking", "demo", "dprompt"}
    reader.keys(data, "", sections)
    supply = reader.whole_rex(data, "total_supply_rex")
    reading = reader.choice(data, "vesting_reading", _READINGS)
    buckets = tuple(
        _bucket(reader, item, f"buckets[{i}]")
        for i, item in enumerate(reader.tables(data, "buckets"))
    )
    _check_buckets(reader, buckets)
    staking = _staking(reader, reader.table(data, "staking"))
    demo_t = reader.table(data, "demo")
    reader.keys(demo_t, "demo", {"users", "rex_per_user", "eth_per_user"})
    demo = DemoParams(
        users=reader.integer(demo_t, "demo.users", 0, MAX_DEMO_USERS),
        rex_per_user_wei=reader.wei(demo_t, "demo.rex_per_user"),
        eth_per_user_wei=reader.wei(demo_t, "demo.eth_per_user"),
    )
    genesis = Genesis(supply, reading, buckets, staking, demo)
    stream = staking.foundation_stream_wei
    if stream > genesis.treasury_at_tge():
        reader.fail(
            "staking.foundation_stream_rex",
            f"exceeds what the treasury receives at TGE ({genesis.treasury_at_tge() // WAD} REX)",
        )
    if 0 < stream < staking.foundation_stream_days * DAY:
        reader.fail("staking.foundation_stream_rex", "too small: streams 0 wei per second")
    return genesis


def _bucket(reader: TomlReader, item: Table, key: str) -> Bucket:
    fields = {"name", "share_bps", "tge_unlock", "cliff_days", "linear_days", "beneficiary"}
    reader.keys(item, key, fields)
    name = reader.string(item, f"{key}.name")
    if not name.isidentifier():
        reader.fail(f"{key}.name", f"{name!r} is not a name (letters, digits, underscores)")
    bucket = Bucket(
        name=name,
        share_bps=reader.integer(item, f"{key}.share_bps", 1, BPS),
        tge_unlock=reader.boolean(item, f"{key}.tge_unlock"),
        cliff_days=reader.integer(item, f"{key}.cliff_days", 0),
        linear_days=reader.integer(item, f"{key}.linear_days", 0),
        beneficiary=reader.choice(item, f"{key}.beneficiary", BENEFICIARIES),
    )
    if bucket.tge_unlock and (bucket.cliff_days or bucket.linear_days):
        reader.fail(f"{key}.tge_unlock", "a TGE bucket must have cliff_days = linear_days = 0")
    if not bucket.tge_unlock and bucket.linear_days == 0:
        reader.fail(f"{key}.linear_days", "must be positive for a vested bucket")
    return bucket


def _check_buckets(reader: TomlReader, buckets: tuple[Bucket, ...]) -> None:
    if not buckets:
        reader.fail("buckets", "at least one bucket is required")
    names = [b.name for b in buckets]
    for i, name in enumerate(names):
        if name in names[:i]:
            reader.fail(f"buckets[{i}].name", f"duplicate bucket name {name!r}")
    total = sum(b.share_bps for b in buckets)
    if total != BPS:
        reader.fail("buckets.share_bps", f"shares sum to {total} bps, must be {BPS}")


def _staking(reader: TomlReader, table: Table) -> StakingParams:
    fields = {
        "deduction_tiers",
        "final_rate_bps",
        "epoch_days",
        "points_per_day",
        "foundation_stream_rex",
        "foundation_stream_days",
    }
    reader.keys(table, "staking", fields)
    tiers: list[DeductionTier] = []
    for i, item in enumerate(reader.tables(table, "staking.deduction_tiers")):
        key = f"staking.deduction_tiers[{i}]"
        reader.keys(item, key, {"below_days", "rate_bps"})
        tier = DeductionTier(
            reader.integer(item, f"{key}.below_days", 1, 2**40),
            reader.integer(item, f"{key}.rate_bps", 0, BPS),
        )
        if tiers and tier.below_days <= tiers[-1].below_days:
            reader.fail(f"{key}.below_days", "thresholds must be strictly increasing")
        if tiers and tier.rate_bps > tiers[-1].rate_bps:
            reader.fail(f"{key}.rate_bps", "rates must not increase with holding age")
        tiers.append(tier)
    if not tiers:
        reader.fail("staking.deduction_tiers", "at least one tier is required")
    final = reader.integer(table, "staking.final_rate_bps", 0, BPS)
    if final > tiers[-1].rate_bps:
        reader.fail("staking.final_rate_bps", "rates must not increase with holding age")
    points = reader.decimal(table, "staking.points_per_day")
    if points <= 0 or points.scaleb(18) != points.scaleb(18).to_integral_value():
        reader.fail("staking.points_per_day", "must be positive with at most 18 decimals")
    return StakingParams(
        deduction_tiers=tuple(tiers),
        final_rate_bps=final,
        epoch_days=reader.integer(table, "staking.epoch_days", 1),
        points_per_day=points,
        foundation_stream_wei=reader.wei(table, "staking.foundation_stream_rex", allow_zero=True),
        foundation_stream_days=reader.integer(table, "staking.foundation_stream_days", 1),
    )
