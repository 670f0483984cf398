"""How ``devnet down`` tells a stopped process from a running one."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from rexos.chain.devnet import _alive


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]


def test_an_exited_process_not_yet_reaped_has_stopped() -> None:
    """The devnet's processes outlive the command that started them; once one exits it stays
    a zombie until init reaps it, and a wait on ``kill(pid, 0)`` alone lasted until then."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        for _ in range(400):  # until it has exited (and, unreaped here, is a zombie)
            if _state(child.pid) == "Z":
                break
            time.sleep(0.025)
        assert _state(child.pid) == "Z"
        assert not _alive(child.pid)
    finally:
        child.wait()
    assert not _alive(child.pid)


def test_a_running_process_is_alive() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert _alive(child.pid)
    finally:
        child.kill()
        child.wait()
