"""A persistent local devnet that outlives one command.

``rexos devnet up`` starts anvil when it is installed, otherwise the py-evm
JSON-RPC server (``python -m rexos.chain.evm_server``), detached, on
127.0.0.1; its URL and pid go to ``$REXOS_HOME/devnet.json`` so later commands
find it. ``rexos devnet down`` stops it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from typing import Literal

from rexos.chain.backends import free_port, start_anvil, wait_for_rpc
from rexos.config import Settings, find_anvil
from rexos.errors import DeploymentNotFound, DevnetError, UsageError

__all__ = ["DevnetBackend", "DevnetState", "devnet_down", "devnet_status", "devnet_up", "rpc_url"]

DevnetBackend = Literal["auto", "anvil", "pyevm"]


@dataclass(frozen=True, slots=True)
class DevnetState:
    """A running devnet, as recorded in ``devnet.json``."""

    backend: str
    url: str
    pid: int
    started_at: int
    log_file: str


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def devnet_status(settings: Settings) -> DevnetState | None:
    """The running devnet of this data dir, or ``None``."""
    path = settings.devnet_file
    if not path.is_file():
        return None
    try:
        state = DevnetState(**json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, TypeError):
        path.unlink()
        return None
    if not _alive(state.pid):
        path.unlink()
        return None
    return state


def devnet_up(
    settings: Settings, backend: DevnetBackend = "auto", port: int | None = None
) -> tuple[DevnetState, bool]:
    """Start a devnet unless one runs; return its state and whether it was started now."""
    running = devnet_status(settings)
    if running is not None:
        return running, False
    anvil = find_anvil()
    if backend == "anvil" and anvil is None:
        raise DevnetError(
            "anvil not found: run `npm install --prefix contracts --no-save` or set REXOS_ANVIL"
        )
    chosen = "anvil" if anvil is not None and backend != "pyevm" else "pyevm"
    port = port or free_port()
    settings.logs_dir.mkdir(parents=True, exist_ok=True)
    log_file = settings.logs_dir / "devnet.log"
    if chosen == "anvil" and anvil is not None:
        process = start_anvil(anvil, port, detached=True)
    else:
        with log_file.open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "rexos.chain.evm_server", "--port", str(port)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_rpc(url, process, timeout_s=60)
    except DevnetError:
        process.kill()
        raise
    state = DevnetState(chosen, url, process.pid, int(time.time()), str(log_file))
    settings.home.mkdir(parents=True, exist_ok=True)
    settings.devnet_file.write_text(json.dumps(asdict(state), indent=2) + "\n", encoding="utf-8")
    return state, True


def devnet_down(settings: Settings) -> DevnetState | None:
    """Stop the devnet of this data dir; return what was stopped (``None`` if nothing ran)."""
    state = devnet_status(settings)
    if state is None:
        return None
    os.kill(state.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while _alive(state.pid) and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(state.pid, os.WNOHANG)
        time.sleep(0.05)
    if _alive(state.pid):
        os.kill(state.pid, signal.SIGKILL)
    settings.devnet_file.unlink(missing_ok=True)
    return state


def rpc_url(settings: Settings) -> str:
    """The chain to talk to: ``REXOS_RPC_URL``/``--rpc`` if set, else the running devnet."""
    if settings.rpc_url:
        if not settings.rpc_url.startswith(("http://", "https://")):
            raise UsageError(f"not an http(s) JSON-RPC URL: {settings.rpc_url!r}")
        return settings.rpc_url
    state = devnet_status(settings)
    if state is None:
        raise DeploymentNotFound(
            f"no devnet running for {settings.home}: run `rexos devnet up` or set REXOS_RPC_URL"
        )
    return state.url
