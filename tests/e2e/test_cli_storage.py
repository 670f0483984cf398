"""Damaged files in the data directory, through the real `rexos` command: one line, exit 2.

And what `rexos` writes there is private: folders 0700, files 0600.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

from tests.cli_process import rexos_in
from tests.e2e.conftest import PASS_ENV, CliResult, Devnet

GARBAGE = b"this is not a database, it was overwritten\n" * 200


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _one_line_error(code: int, err: str, *needles: str) -> str:
    assert code == 2, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def _process_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    return _one_line_error(result.returncode, result.stderr, *needles)


def test_a_corrupt_ledger_is_one_line_naming_it(tmp_path: Path) -> None:
    rexos = rexos_in(tmp_path)
    assert rexos("policy", "show").returncode == 0
    ledger = tmp_path / "wallet" / "ledger.sqlite"
    assert ledger.is_file()
    ledger.write_bytes(GARBAGE)
    line = _process_error(rexos("policy", "show"), str(ledger), "not a readable SQLite database")
    assert "move it aside" in line
    assert ledger.read_bytes() == GARBAGE  # left for the user to inspect, never overwritten


def test_a_truncated_ledger_is_one_line_naming_it(tmp_path: Path) -> None:
    rexos = rexos_in(tmp_path)
    assert rexos("policy", "show").returncode == 0
    ledger = tmp_path / "wallet" / "ledger.sqlite"
    ledger.write_bytes(ledger.read_bytes()[:100])
    _process_error(rexos("policy", "show"), str(ledger))


def test_a_folder_in_place_of_the_ledger(tmp_path: Path) -> None:
    (tmp_path / "wallet" / "ledger.sqlite").mkdir(parents=True)
    _process_error(rexos_in(tmp_path)("policy", "show"), "ledger.sqlite is a folder")


def test_a_corrupt_keystore_file_is_one_line_naming_it(tmp_path: Path) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_text("s3cret passphrase\n")
    home = tmp_path / "home"
    rexos = rexos_in(home)
    assert rexos("wallet", "new", "bob", "--passphrase-file", str(secret)).returncode == 0
    keyfile = home / "keystore" / "bob.json"
    keyfile.write_text(keyfile.read_text()[:120])
    _process_error(rexos("wallet", "list"), str(keyfile), "cannot read keystore file")
    keyfile.write_text("[" * 200_000)
    _process_error(rexos("wallet", "list"), str(keyfile), "not a keystore file")


def test_wallet_new_leaves_a_private_data_dir(tmp_path: Path) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_text("s3cret passphrase\n")
    home = tmp_path / "fresh" / ".rexos"
    old = os.umask(0o022)
    try:
        rexos = rexos_in(home)
        created = rexos("wallet", "new", "bob", "--passphrase-file", str(secret))
        assert created.returncode == 0, created.stderr
        assert rexos("policy", "show").returncode == 0
    finally:
        os.umask(old)
    assert _mode(home) == 0o700
    assert _mode(home / "keystore") == 0o700
    assert _mode(home / "keystore" / "bob.json") == 0o600
    assert _mode(home / "wallet") == 0o700
    assert _mode(home / "wallet" / "ledger.sqlite") == 0o600
    assert _mode(home / "wallet" / "confirm.key") == 0o600


def test_a_corrupt_plans_store_stops_chat_with_one_line(  # type: ignore[no-untyped-def]
    cli, net: Devnet, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(net.home, home)
    plans = home / "plans.sqlite"
    plans.write_bytes(GARBAGE)
    result: CliResult = cli(
        "chat", "--wallet", "alice", "--passphrase-env", PASS_ENV, "-m", "balance", home=home
    )
    _one_line_error(result.code, result.err, str(plans), "not a readable SQLite database")
    assert plans.read_bytes() == GARBAGE


def test_any_command_narrows_a_wide_data_dir(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)
    result = rexos_in(home)("policy", "show")
    assert result.returncode == 0, result.stderr
    assert _mode(home) == 0o700


def test_help_leaves_the_data_dir_alone(tmp_path: Path) -> None:
    home = tmp_path / "never-made"
    result = rexos_in(home)("policy", "show", "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout
    assert not home.exists()
    assert rexos_in(home)("policy", "show").returncode == 0
    assert _mode(home) == 0o700


def test_a_file_in_place_of_the_data_dir_is_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder\n")
    _process_error(rexos_in(home)("policy", "show"), str(home), "is not a folder")
    assert home.read_text() == "not a folder\n"


def test_policy_init_writes_a_private_policy(tmp_path: Path) -> None:
    home = tmp_path / "home"
    rexos = rexos_in(home)
    old = os.umask(0o022)
    try:
        created = rexos("policy", "init")
        assert created.returncode == 0, created.stderr
        policy = home / "policy.yaml"
        assert _mode(policy) == 0o600
        os.chmod(policy, 0o644)  # as an older version left it
        again = rexos("policy", "init", "--force")
        assert again.returncode == 0, again.stderr
    finally:
        os.umask(old)
    assert _mode(policy) == 0o600
    assert "per_tx_usd_cap" in policy.read_text()
    assert _mode(home) == 0o700


def test_devnet_up_leaves_private_state(tmp_path: Path) -> None:
    home = tmp_path / "home"
    rexos = rexos_in(home)
    old = os.umask(0o022)
    try:
        started = rexos("devnet", "up", "--backend", "pyevm")
        try:
            assert started.returncode == 0, started.stderr
            assert _mode(home / "devnet.json") == 0o600
            assert _mode(home / "logs") == 0o700
            assert _mode(home / "logs" / "devnet.log") == 0o600
            assert _mode(home / "deployments") == 0o700
            manifests = list((home / "deployments").glob("*.json"))
            assert manifests
            assert {_mode(m) for m in manifests} == {0o600}
        finally:
            stopped = rexos("devnet", "down")
    finally:
        os.umask(old)
    assert stopped.returncode == 0, stopped.stderr
