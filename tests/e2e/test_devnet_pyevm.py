"""`rexos devnet up --backend pyevm`: the persistent node when anvil is not installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_pyevm_devnet_outlives_commands(tmp_path: Path) -> None:
    env = {**os.environ, "REXOS_HOME": str(tmp_path), "COLUMNS": "160", "MY_PASS": "pw-pw-pw"}
    env.pop("REXOS_RPC_URL", None)

    def rexos(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "rexos.cli.main", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )

    up = rexos("devnet", "up", "--backend", "pyevm")
    try:
        assert up.returncode == 0, up.stderr
        assert "pyevm at http://127.0.0.1:" in up.stdout
        assert rexos("wallet", "new", "late", "--passphrase-env", "MY_PASS").returncode == 0
        funded = rexos("devnet", "fund", "late")
        assert funded.returncode == 0, funded.stderr
        assert "100,000" in rexos("wallet", "balance", "late").stdout
        staked = rexos("stake", "1000", "-w", "late", "--passphrase-env", "MY_PASS")
        assert staked.returncode == 0, staked.stderr
        position = rexos("position", "late")
        assert "1,000.0000 sREX" in position.stdout
        status = rexos("devnet", "status")
        assert "pyevm devnet at http://127.0.0.1:" in status.stdout
    finally:
        down = rexos("devnet", "down")
    assert "Stopped the pyevm devnet" in down.stdout
    assert rexos("devnet", "status").stdout.startswith("No devnet is running")
