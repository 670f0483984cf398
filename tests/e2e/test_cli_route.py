"""`rexos route` on a pools file: the JSON contract, a human table, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rexos.dex import V2Pool, dump_pools, load_pools, replay, synthetic_pools
from tests.cli_process import rexos_in


@pytest.fixture(scope="module")
def pools_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("route") / "pools.json"
    pools = [
        *synthetic_pools(25, n_tokens=8, seed=11),
        V2Pool("uni", "WETH", "USDC", 1_000 * 10**18, 3_000_000 * 10**6, 30),
        V2Pool("cake", "WETH", "USDC", 400 * 10**18, 1_210_000 * 10**6, 25),
    ]
    dump_pools(pools, path)
    return path


def test_json_route_replays_to_the_wei(pools_file: Path, tmp_path: Path) -> None:
    rexos = rexos_in(tmp_path)
    args = ("--pools", str(pools_file), "--sell", "WETH", "--buy", "USDC")
    result = rexos("route", *args, "--amount-in", str(100 * 10**18), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == {
        "amount_in",
        "amount_out",
        "fills",
        "upper_bound_out",
        "gap_bps",
        "solve_ms",
    }
    fills = [
        (f["pool"], f["token_in"], f["token_out"], int(f["amount_in"]), int(f["amount_out"]))
        for f in doc["fills"]
    ]
    assert {f[0] for f in fills} == {"uni", "cake"}
    assert sum(f[3] for f in fills) == int(doc["amount_in"]) == 100 * 10**18
    assert sum(f[4] for f in fills) == int(doc["amount_out"]) <= int(doc["upper_bound_out"])
    from rexos.dex.fills import Fill

    replay({p.id: p for p in load_pools(pools_file)}, [Fill(*f) for f in fills])
    table = rexos("route", *args, "--amount-in", str(100 * 10**18))
    assert table.returncode == 0
    assert "best single path" in table.stdout and "upper bound" in table.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--sell", "WETH", "--buy", "NOPE", "--amount-in", "5"), "unknown token 'NOPE'"),
        (("--sell", "WETH", "--buy", "USDC", "--amount-in", "0"), "must be positive"),
        (("--sell", "WETH", "--buy", "USDC", "--amount-in", "1.5"), "whole number"),
        (("--sell", "WETH", "--buy", "WETH", "--amount-in", "5"), "itself"),
        (("--sell", "WETH", "--buy", "T5", "--amount-in", "5", "--max-hops", "1"), "no pool path"),
    ],
)
def test_bad_input_is_one_line(
    pools_file: Path, tmp_path: Path, args: tuple[str, ...], needle: str
) -> None:
    result = rexos_in(tmp_path)("route", "--pools", str(pools_file), *args)
    assert result.returncode == 2, result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], lines


def test_missing_pools_file(tmp_path: Path) -> None:
    result = rexos_in(tmp_path)(
        "route",
        "--pools",
        str(tmp_path / "none.json"),
        "--sell",
        "A",
        "--buy",
        "B",
        "--amount-in",
        "5",
    )
    assert result.returncode == 2 and "pools file not found" in result.stderr
