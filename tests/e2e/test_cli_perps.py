"""`rexos perps compare` on the recorded venue responses: table, JSON and one-line errors."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest
from typer.testing import CliRunner

import rexos.cli.perps as perps_cli
from rexos.cli.main import app, run
from rexos.perps import PerpSource
from tests.unit.perps._support import recorded_sources


@pytest.fixture(autouse=True)
def recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    def sources(names: Sequence[str] | None) -> list[PerpSource]:
        return recorded_sources(list(names) if names else None)

    monkeypatch.setattr(perps_cli, "sources", sources)


def test_json_ranks_and_recommends() -> None:
    result = CliRunner().invoke(app, ["perps", "compare", "BTC-PERP", "2", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["market"] == "BTC" and doc["side"] == "long" and doc["size"] == "2"
    assert [r["venue"] for r in doc["ranked"]] == ["bybit", "okx", "hyperliquid", "binance"]
    assert doc["recommendation"] == "bybit"
    best = doc["ranked"][0]
    # fees 144.00072 + slippage 6.5 + funding -18.0003 (see tests/unit/perps for the maths)
    assert best["funding_usd"] == "-18.0003"  # -0.00005 * 3 periods * 60001 * 2, bybit pays longs
    assert best["total_usd"] == "132.50042"
    assert doc["insufficient_depth"] == [
        {
            "venue": "dydx",
            "kind": "dex",
            "reason": "insufficient depth: 1.5 BTC on the asks, 2 needed",
        }
    ]
    assert "Most of the difference is funding" in doc["explanation"]


def test_short_side_and_venue_filter() -> None:
    args = ["perps", "compare", "BTC/USDT:USDT", "1", "--side", "short", "--json"]
    result = CliRunner().invoke(app, [*args, "--venues", "binance,dydx", "--hours", "8"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert {r["venue"] for r in doc["ranked"]} == {"binance", "dydx"}
    funding = {r["venue"]: r["funding_usd"] for r in doc["ranked"]}
    assert funding["binance"] == "-6"  # short receives 0.0001 * 1 period * 60000 * 1
    assert funding["dydx"] == "-5.9996"  # short receives 0.0000125 * 8 periods * 59996


def test_table_shows_every_venue_and_the_recommendation() -> None:
    result = CliRunner().invoke(app, ["perps", "compare", "BTC", "2"], terminal_width=200)
    assert result.exit_code == 0, result.output
    for venue in ("binance", "bybit", "okx", "hyperliquid", "dydx"):
        assert venue in result.stdout
    assert "$132.50" in result.stdout
    assert "insufficient depth" in result.stdout
    assert "Recommend bybit" in result.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["NOPE", "1"], "unknown market NOPE"),
        (["BTC", "0"], "size must be positive"),
        (["BTC", "lots"], "size must be a number"),
        (["B/T/C", "1"], "cannot read market"),
        (["BTC", "1", "--side", "up"], "side must be long or short"),
        (["BTC", "1", "--venues", "ftx"], "unknown venue 'ftx'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    args: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(["perps", "compare", *args])
    assert exit_info.value.code == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], lines
