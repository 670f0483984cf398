"""The CLI's compliance check: one line and exit 2 before a barred command does any work;
help, local set-up and ``rexos compliance`` stay available."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rexos.cli import main

SANCTIONED = "0x01e2919679362dFBC9ee1644Ba9C6da6D6245BB1"


def rexos(home: Path, *args: str) -> int:
    try:
        main.run(["--home", str(home), *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_a_cn_declared_user_is_refused_a_swap_in_one_line_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert rexos(tmp_path, "compliance", "declare", "CN") == 0
    capsys.readouterr()
    # no wallet, no chain: had the command started, it would have failed on those instead
    assert rexos(tmp_path, "swap", "WETH", "USDC", "1", "-w", "nobody", "--yes") == 2
    err = capsys.readouterr().err
    assert err == (
        "error: refused by compliance rule jurisdiction.CN: the exchange service is barred for "
        "users in CN (mainland China) under PBoC notice Yinfa [2026] No. 42\n"
    )
    assert rexos(tmp_path, "bot", "add", "dca", "WETH", "USDC", "1") == 2
    assert "jurisdiction.CN" in capsys.readouterr().err
    assert rexos(tmp_path, "perps", "compare", "ETH", "1000") == 2
    assert "the trading-info service" in capsys.readouterr().err
    lines = (tmp_path / "compliance/decisions.jsonl").read_text().splitlines()
    logged = [json.loads(line) for line in lines]
    assert [d["entry"] for d in logged] == ["cli:swap", "cli:bot add dca", "cli:perps compare"]


def test_help_and_unregulated_commands_still_work_for_a_cn_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rexos(tmp_path, "compliance", "declare", "CN")
    assert rexos(tmp_path, "swap", "--help") == 0
    assert "Swap an exact amount" in capsys.readouterr().out
    assert rexos(tmp_path, "bot", "list") == 0  # reading your own strategies is no trade
    assert rexos(tmp_path, "wallet", "list") == 0
    assert rexos(tmp_path, "policy", "show") == 0
    assert rexos(tmp_path, "compliance", "show") == 0
    shown = capsys.readouterr().out
    assert "jurisdiction    CN (self-declared)" in shown
    assert "ofac-sdn (2024-09-27): 156 addresses" in shown


def test_other_users_pass_the_gate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rexos(tmp_path, "compliance", "declare", "DE")
    capsys.readouterr()
    assert rexos(tmp_path, "swap", "WETH", "USDC", "1", "-w", "nobody", "--yes") == 2
    err = capsys.readouterr().err
    assert "compliance" not in err and err.startswith("error: ")  # it got to the command


def test_a_bad_policy_file_is_one_line_and_compliance_commands_still_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "compliance.toml").write_text('version = 1\ngeolocate = "ip"\n')
    assert rexos(tmp_path, "news") == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: refused by compliance rule policy: compliance policy {tmp_path}/compliance.toml"
        ": geolocate: unknown key\n"
    )
    assert rexos(tmp_path, "compliance", "show", "--default") == 0
    assert 'barred = ["exchange", "trading-info"' in capsys.readouterr().out


def test_compliance_check_screens_an_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert rexos(tmp_path, "compliance", "check", SANCTIONED.lower()) == 1
    assert capsys.readouterr().out.startswith(
        f"refused by compliance rule sanctions.ofac-sdn: the address {SANCTIONED.lower()} is on"
    )
    assert rexos(tmp_path, "compliance", "check", "0x" + "22" * 20) == 0
    assert "is on no sanctions list" in capsys.readouterr().out
    assert rexos(tmp_path, "compliance", "check", "0x12") == 2
    assert "not an address" in capsys.readouterr().err


def test_declare_takes_exactly_one_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert rexos(tmp_path, "compliance", "declare") == 2
    assert rexos(tmp_path, "compliance", "declare", "CN", "--withdraw") == 2
    assert "one" in capsys.readouterr().err
    assert rexos(tmp_path, "compliance", "declare", "CN") == 0
    assert rexos(tmp_path, "compliance", "declare", "--withdraw") == 0
    assert not (tmp_path / "compliance/jurisdiction.json").exists()
    assert rexos(tmp_path, "compliance", "declare", "--attestation", str(tmp_path / "a.json")) == 2
    assert "takes the user's own declaration" in capsys.readouterr().err
