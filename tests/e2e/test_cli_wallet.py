"""Keystore wallets and the supply schedule through the CLI (no chain needed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from eth_account import Account

from rexos.cli.main import run


def _rexos(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        run(["--home", str(home), *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_new_import_list_never_show_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_text("s3cret passphrase\n")
    account = Account.create()
    key_hex = account.key.hex()
    key_file = tmp_path / "key.txt"
    key_file.write_text(key_hex + "\n")

    code, out, err = _rexos(
        tmp_path, capsys, "wallet", "new", "bob", "--passphrase-file", str(secret)
    )
    assert code == 0, err
    assert "Created wallet bob 0x" in out
    code, out, err = _rexos(
        tmp_path,
        capsys,
        "wallet",
        "import",
        "carol",
        "--key-file",
        str(key_file),
        "--passphrase-file",
        str(secret),
    )
    assert code == 0, err
    assert account.address in out
    assert key_hex.removeprefix("0x") not in out + err

    code, out, _ = _rexos(tmp_path, capsys, "wallet", "list")
    assert code == 0 and "bob" in out and "carol" in out and account.address in out
    stored = json.loads((tmp_path / "keystore" / "carol.json").read_text())
    assert Account.decrypt(stored, "s3cret passphrase") == account.key

    code, out, err = _rexos(
        tmp_path,
        capsys,
        "wallet",
        "import",
        "carol2",
        "--key-file",
        str(key_file),
        "--passphrase-file",
        str(secret),
    )
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert key_hex.removeprefix("0x") not in out + err
    assert not (tmp_path / "keystore" / "carol2.json").exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["wallet", "new", "Bad Name!"], "name"),
        (["wallet", "new", "dave", "--passphrase-file", "/nonexistent/pass"], "/nonexistent/pass"),
        (["wallet", "balance", "nobody"], "nobody"),
        (["economy", "schedule", "--chart", "supply.gif"], ".png or .svg"),
    ],
)
def test_wallet_and_schedule_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    code, _, err = _rexos(tmp_path, capsys, *args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], err
    assert not (tmp_path / "keystore" / "dave.json").exists()


def test_economy_schedule_writes_chart_and_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart, csv = tmp_path / "supply.png", tmp_path / "supply.csv"
    code, out, err = _rexos(
        tmp_path, capsys, "economy", "schedule", "--chart", str(chart), "--csv", str(csv)
    )
    assert code == 0, err
    assert chart.read_bytes().startswith(b"\x89PNG")
    lines = csv.read_text().splitlines()
    assert len(lines) == 62  # header + months 0..60
    assert "month" in out and "runway" in out


def test_a_balance_reads_in_tokens_rounded_for_display(cli, net) -> None:  # type: ignore[no-untyped-def]
    result = cli("wallet", "balance", "alice")
    assert result.code == 0, result.err
    rex = next(line for line in result.out.splitlines() if line.startswith("│ REX"))
    assert re.search(r"│ [\d,]+\.\d{4} +│", rex), rex  # 4 decimals, not 18
    held = net.economy.position(net.alice).rex_balance
    assert f"{held // 10**18:,}." in rex
    assert "Rounded down for display" in result.out
