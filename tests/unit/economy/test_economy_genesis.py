"""Genesis loading: defaults, overrides, contract arguments and every ConfigError rule."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from rexos.economy import (
    DAY,
    WAD,
    DeductionTier,
    load_genesis,
    staking_args,
    vesting_params,
)
from rexos.errors import ConfigError

BUCKETS = [
    ("community_airdrop", 1000, True, 0, 0, "airdrop"),
    ("community_staking", 5000, False, 180, 1460, "incentives"),
    ("liquidity_marketing", 500, True, 0, 0, "treasury"),
    ("team_advisors", 1500, False, 180, 1460, "team"),
    ("investors", 2000, False, 180, 730, "investors"),
]


def buckets_toml(changes: dict[int, dict[str, object]] | None = None) -> str:
    """The default buckets as TOML, with ``changes`` (index -> key -> raw TOML value)."""
    keys = ("name", "share_bps", "tge_unlock", "cliff_days", "linear_days", "beneficiary")
    parts = []
    for i, values in enumerate(BUCKETS):
        fields = {
            k: (f'"{v}"' if isinstance(v, str) else str(v).lower())
            for k, v in zip(keys, values, strict=True)
        }
        for key, raw in (changes or {}).get(i, {}).items():
            if raw is None:
                fields.pop(key)
            else:
                fields[key] = str(raw)
        parts.append("[[buckets]]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items()))
    return "\n".join(parts)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "genesis.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_genesis_values() -> None:
    g = load_genesis(None)
    assert g.total_supply_wei == 3_000_000_000 * WAD
    assert g.vesting_reading == "cliff_end"
    assert [
        (b.name, b.share_bps, b.tge_unlock, b.cliff_days, b.linear_days, b.beneficiary)
        for b in g.buckets
    ] == BUCKETS
    assert sum(g.allocation(b.name) for b in g.buckets) == g.total_supply_wei
    assert g.allocation("investors") == 600_000_000 * WAD
    assert g.staking.deduction_tiers == (
        DeductionTier(30, 2000),
        DeductionTier(90, 1000),
        DeductionTier(180, 500),
    )
    assert g.staking.final_rate_bps == 0
    assert g.staking.epoch_days == 7
    assert g.staking.points_per_day == Decimal(1)
    assert g.staking.foundation_stream_wei == 15_000_000 * WAD
    assert g.staking.foundation_stream_days == 180
    assert (g.demo.users, g.demo.rex_per_user_wei, g.demo.eth_per_user_wei) == (
        3,
        100_000 * WAD,
        10 * WAD,
    )
    assert g.treasury_at_tge() == 150_000_000 * WAD


def test_staking_constructor_args() -> None:
    args = staking_args(load_genesis())
    assert args.thresholds == (30 * DAY, 90 * DAY, 180 * DAY)
    assert args.rates == (2000, 1000, 500, 0)
    assert args.epoch_duration == 7 * DAY
    assert args.points_per_day == 10**18


def test_vesting_params_for_both_readings() -> None:
    g = load_genesis()
    tge = 1_700_000_000
    cliff_end = {p.bucket: p for p in vesting_params(g, tge)}
    oz = {p.bucket: p for p in vesting_params(g, tge, "oz_cliff")}
    assert set(cliff_end) == set(oz) == {"community_staking", "team_advisors", "investors"}
    inv = cliff_end["investors"]
    assert (inv.start, inv.duration, inv.cliff_seconds) == (tge + 180 * DAY, 730 * DAY, 0)
    assert inv.allocation == 600_000_000 * WAD and inv.beneficiary == "investors"
    inv = oz["investors"]
    assert (inv.start, inv.duration, inv.cliff_seconds) == (tge, 910 * DAY, 180 * DAY)


def test_partial_file_keeps_other_defaults(tmp_path: Path) -> None:
    g = load_genesis(write(tmp_path, 'vesting_reading = "oz_cliff"\n[staking]\nepoch_days = 1\n'))
    assert g.vesting_reading == "oz_cliff"
    assert g.staking.epoch_days == 1
    assert g.staking.final_rate_bps == 0
    assert len(g.buckets) == 5


def test_decimal_values_are_exact(tmp_path: Path) -> None:
    text = "[staking]\npoints_per_day = 1.5\n[demo]\neth_per_user = 0.25\n"
    g = load_genesis(write(tmp_path, text))
    assert staking_args(g).points_per_day == 15 * 10**17
    assert g.demo.eth_per_user_wei == 25 * 10**16


def test_full_custom_buckets(tmp_path: Path) -> None:
    g = load_genesis(write(tmp_path, buckets_toml({4: {"linear_days": 365}})))
    assert g.bucket("investors").linear_days == 365


BAD_TIERS = (
    "[staking]\ndeduction_tiers = [{{below_days = {0}, rate_bps = {1}}}, "
    "{{below_days = {2}, rate_bps = {3}}}]\n"
)

CASES: list[tuple[str, str, str]] = [
    ("shares", buckets_toml({0: {"share_bps": 900}}), "buckets.share_bps"),
    ("unknown top key", "colour = 1\n", "colour"),
    ("unknown staking key", "[staking]\nepochs = 1\n", "staking.epochs"),
    ("unknown bucket key", buckets_toml({0: {"colour": 1}}), "buckets[0].colour"),
    (
        "unknown tier key",
        BAD_TIERS.format(30, 1000, 60, 500).replace("rate_bps = 500", "rate_bps = 500, x = 1"),
        "staking.deduction_tiers[1].x",
    ),
    (
        "tiers not increasing",
        BAD_TIERS.format(30, 1000, 30, 500),
        "staking.deduction_tiers[1].below_days",
    ),
    (
        "rates increasing",
        BAD_TIERS.format(30, 500, 60, 1000),
        "staking.deduction_tiers[1].rate_bps",
    ),
    (
        "rate above 100 %",
        BAD_TIERS.format(30, 10_001, 60, 0),
        "staking.deduction_tiers[0].rate_bps",
    ),
    ("zero threshold", BAD_TIERS.format(0, 1000, 60, 0), "staking.deduction_tiers[0].below_days"),
    ("final rate increases", "[staking]\nfinal_rate_bps = 600\n", "staking.final_rate_bps"),
    ("no tiers", "[staking]\ndeduction_tiers = []\n", "staking.deduction_tiers"),
    ("zero epoch", "[staking]\nepoch_days = 0\n", "staking.epoch_days"),
    (
        "zero stream days",
        "[staking]\nfoundation_stream_days = 0\n",
        "staking.foundation_stream_days",
    ),
    (
        "stream above treasury",
        "[staking]\nfoundation_stream_rex = 150_000_001\n",
        "staking.foundation_stream_rex",
    ),
    (
        "stream of 0 wei/s",
        "[staking]\nfoundation_stream_rex = 0.000000000001\n",
        "staking.foundation_stream_rex",
    ),
    ("negative stream", "[staking]\nfoundation_stream_rex = -1\n", "staking.foundation_stream_rex"),
    ("zero points", "[staking]\npoints_per_day = 0\n", "staking.points_per_day"),
    (
        "points too precise",
        "[staking]\npoints_per_day = 0.0000000000000000001\n",
        "staking.points_per_day",
    ),
    ("vested without linear", buckets_toml({1: {"linear_days": 0}}), "buckets[1].linear_days"),
    ("TGE bucket with cliff", buckets_toml({0: {"cliff_days": 10}}), "buckets[0].tge_unlock"),
    ("negative cliff", buckets_toml({1: {"cliff_days": -1}}), "buckets[1].cliff_days"),
    ("zero share", buckets_toml({0: {"share_bps": 0}}), "buckets[0].share_bps"),
    ("share as string", buckets_toml({0: {"share_bps": '"1000"'}}), "buckets[0].share_bps"),
    ("bad beneficiary", buckets_toml({0: {"beneficiary": '"dao"'}}), "buckets[0].beneficiary"),
    ("duplicate name", buckets_toml({1: {"name": '"community_airdrop"'}}), "buckets[1].name"),
    ("bad name", buckets_toml({1: {"name": '"two words"'}}), "buckets[1].name"),
    ("missing key", buckets_toml({0: {"beneficiary": None}}), "buckets[0].beneficiary"),
    ("no buckets", "buckets = []\n", "buckets"),
    ("bucket not a table", "buckets = [1]\n", "buckets"),
    ("tge_unlock not bool", buckets_toml({0: {"tge_unlock": 1}}), "buckets[0].tge_unlock"),
    ("bad reading", 'vesting_reading = "linear"\n', "vesting_reading"),
    ("zero supply", "total_supply_rex = 0\n", "total_supply_rex"),
    ("fractional supply", "total_supply_rex = 1.5\n", "total_supply_rex"),
    ("staking not a table", "staking = 1\n", "staking"),
    ("too many demo users", "[demo]\nusers = 10\n", "demo.users"),
    ("demo REX too precise", "[demo]\nrex_per_user = 0.0000000000000000001\n", "demo.rex_per_user"),
    ("zero demo ETH", "[demo]\neth_per_user = 0\n", "demo.eth_per_user"),
    ("unknown demo key", "[demo]\nbtc_per_user = 1\n", "demo.btc_per_user"),
]


@pytest.mark.parametrize(("text", "key"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_config_error_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_genesis(path)
    message = str(info.value)
    assert message.startswith(f"genesis {path}: {key}:"), message


def test_invalid_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_genesis(write(tmp_path, "total_supply_rex = \n"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_genesis(tmp_path / "absent.toml")


def test_unknown_bucket_lookup() -> None:
    with pytest.raises(ConfigError, match="no bucket named 'nope'"):
        load_genesis().bucket("nope")
