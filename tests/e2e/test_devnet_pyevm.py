"""`rexos devnet up --backend pyevm`: the persistent node when anvil is not installed."""

from __future__ import annotations

from pathlib import Path

from tests.cli_process import rexos_in


def test_pyevm_devnet_outlives_commands(tmp_path: Path) -> None:
    rexos = rexos_in(tmp_path, MY_PASS="pw-pw-pw")

    up = rexos("devnet", "up", "--backend", "pyevm")
    try:
        assert up.returncode == 0, up.stderr
        assert "pyevm at http://127.0.0.1:" in up.stdout
        assert rexos("wallet", "new", "late", "--passphrase-env", "MY_PASS").returncode == 0
        funded = rexos("devnet", "fund", "late")
        assert funded.returncode == 0, funded.stderr
        assert "100,000" in rexos("wallet", "balance", "late").stdout
        staked = rexos("stake", "1000", "-w", "late", "--passphrase-env", "MY_PASS", "--yes")
        assert staked.returncode == 0, staked.stderr
        position = rexos("position", "late")
        assert "1,000.0000 sREX" in position.stdout
        status = rexos("devnet", "status")
        assert "pyevm devnet at http://127.0.0.1:" in status.stdout
    finally:
        down = rexos("devnet", "down")
    assert "Stopped the pyevm devnet" in down.stdout
    assert rexos("devnet", "status").stdout.startswith("No devnet is running")
