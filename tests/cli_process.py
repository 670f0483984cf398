"""Run the real `rexos` command in a child process against one data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

RexosRunner = Callable[..., subprocess.CompletedProcess[str]]


def rexos_in(home: Path, **extra_env: str) -> RexosRunner:
    """A function running ``rexos ARGS...`` with ``REXOS_HOME=home`` and no RPC override."""
    env = {**os.environ, "REXOS_HOME": str(home), "COLUMNS": "160", **extra_env}
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

    return rexos
