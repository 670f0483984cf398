"""The monthly supply simulation, its CSV and its chart."""

from __future__ import annotations

import csv
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from rexos.economy import (
    DAY,
    MONTH,
    WAD,
    SupplyAssumptions,
    VestingReading,
    csv_header,
    load_genesis,
    simulate_supply,
    write_chart,
    write_csv,
)
from rexos.errors import ConfigError, UsageError

GENESIS = load_genesis()
ROWS = simulate_supply(GENESIS)


@pytest.mark.parametrize("reading", ["cliff_end", "oz_cliff"])
def test_month_60_unlocks_every_allocation(reading: VestingReading) -> None:
    rows = simulate_supply(replace(GENESIS, vesting_reading=reading))
    last = rows[-1]
    assert [r.month for r in rows] == list(range(61))
    assert last.day == 1800
    assert last.unlocked_by_bucket == {b.name: GENESIS.allocation(b.name) for b in GENESIS.buckets}
    assert last.total_unlocked == 3_000_000_000 * WAD
    assert sum(r.monthly_unlock for r in rows) == 3_000_000_000 * WAD


def test_tge_and_cliff_months() -> None:
    assert ROWS[0].total_unlocked == 450_000_000 * WAD
    assert ROWS[0].pool_holdings == 15_000_000 * WAD
    assert ROWS[6].unlocked_by_bucket["investors"] == 0  # cliff_end: nothing at the cliff
    oz = simulate_supply(replace(GENESIS, vesting_reading="oz_cliff"))
    assert oz[6].unlocked_by_bucket["investors"] == 600_000_000 * WAD * 180 // 910


def test_accounting_identities_hold_every_month() -> None:
    for row in ROWS:
        assert sum(row.circulating_by_bucket.values()) == row.circulating
        assert all(v >= 0 for v in row.circulating_by_bucket.values())
        assert row.circulating == (
            row.total_unlocked - row.staked - row.pool_holdings - row.cumulative_burned
        )
        assert row.burned + row.pool_inflow <= row.unstaked * 2000 // 10_000
    burns = [r.cumulative_burned for r in ROWS]
    assert burns == sorted(burns) and burns[-1] > 0
    inflows = sum(r.pool_inflow for r in ROWS)
    assert ROWS[-1].cumulative_rewards_paid + ROWS[-1].pool_holdings == 15_000_000 * WAD + inflows


def test_foundation_stream_then_deduction_funded() -> None:
    rate = 15_000_000 * WAD // (180 * DAY)
    assert [r.emission for r in ROWS[1:7]] == [rate * MONTH] * 6
    dust = 15_000_000 * WAD - rate * 180 * DAY
    pending_after_stream = dust + sum(r.pool_inflow for r in ROWS[1:7])
    assert ROWS[7].emission == pending_after_stream
    assert all(ROWS[m].emission == ROWS[m - 1].pool_inflow for m in range(8, 61))
    assert ROWS[0].runway_months is None
    assert ROWS[1].runway_months == Decimal("5.0") + (
        Decimal(ROWS[1].pool_inflow) / Decimal(rate * MONTH)
    ).quantize(Decimal("0.1"))


def test_no_unstaking_means_no_burn() -> None:
    rows = simulate_supply(GENESIS, SupplyAssumptions(monthly_unstake_bps=0))
    assert all(r.cumulative_burned == 0 and r.pool_inflow == 0 for r in rows)
    assert rows[-1].pool_holdings == 0


def test_default_mix_averages_4_75_percent() -> None:
    row = ROWS[12]
    deduction = row.burned + row.pool_inflow
    assert row.unstaked > 0
    assert 0 <= row.unstaked * 475 // 10_000 - deduction < 8  # per-group floor rounding


@pytest.mark.parametrize(
    ("assumptions", "key"),
    [
        (SupplyAssumptions(staked_share_bps=10_001), "staked_share_bps"),
        (SupplyAssumptions(monthly_unstake_bps=-1), "monthly_unstake_bps"),
        (SupplyAssumptions(unstake_age_mix=((10, 5000),)), "unstake_age_mix"),
        (SupplyAssumptions(unstake_age_mix=((-1, 10_000),)), "unstake_age_mix"),
        (SupplyAssumptions(months=0), "months"),
    ],
)
def test_bad_assumptions(assumptions: SupplyAssumptions, key: str) -> None:
    with pytest.raises(ConfigError, match=f"supply assumption {key}"):
        simulate_supply(GENESIS, assumptions)


def test_csv(tmp_path: Path) -> None:
    path = tmp_path / "supply.csv"
    write_csv(ROWS, path)
    with path.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    assert (
        lines[0]
        == csv_header(ROWS)
        == [
            "month",
            "day",
            "unlocked_community_airdrop_rex",
            "unlocked_community_staking_rex",
            "unlocked_liquidity_marketing_rex",
            "unlocked_team_advisors_rex",
            "unlocked_investors_rex",
            "total_unlocked_rex",
            "monthly_unlock_rex",
            "staked_rex",
            "unstaked_rex",
            "burned_rex",
            "cumulative_burned_rex",
            "pool_inflow_rex",
            "emission_rex",
            "cumulative_rewards_paid_rex",
            "pool_holdings_rex",
            "circulating_rex",
            "runway_months",
        ]
    )
    assert len(lines) == 62
    last = dict(zip(lines[0], lines[-1], strict=True))
    assert last["month"] == "60" and last["total_unlocked_rex"] == "3000000000"
    assert Decimal(last["cumulative_burned_rex"]) * WAD == ROWS[-1].cumulative_burned
    assert lines[1][-1] == ""  # no runway without emission


@pytest.mark.parametrize(("suffix", "magic"), [(".png", b"\x89PNG"), (".svg", b"<svg")])
def test_chart_is_written(tmp_path: Path, suffix: str, magic: bytes) -> None:
    path = tmp_path / f"supply{suffix}"
    write_chart(ROWS, path)
    data = path.read_bytes()
    assert len(data) > 1000
    assert magic in data[:400]


def test_chart_rejects_other_formats(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"\.png or \.svg"):
        write_chart(ROWS, tmp_path / "supply.jpg")
    with pytest.raises(UsageError, match="no supply rows"):
        write_chart([], tmp_path / "supply.png")
