"""A persistent local devnet that outlives one command.

``rexos devnet up`` starts anvil when it is installed, otherwise the py-evm
JSON-RPC server (``python -m rexos.chain.evm_server``), detached, on
127.0.0.1; its URL and pid go to ``$REXOS_HOME/devnet.json`` so later commands
find it. ``rexos devnet down`` stops it. Like everything in the data directory,
``devnet.json`` and the log are owner-only (0600, in 0700 folders).

A second chain runs beside it (the *peer*, chain id :data:`PEER_CHAIN_ID`,
named ``devnet-b``: a second anvil, or a second py-evm server started with
``--chain-id``) so tokens can be bridged between two chains; processes that
serve both (the bridge relayer) are recorded as helpers and stopped with the
devnet. The devnet's DPrompt provider node is recorded apart
(:class:`ProviderNodeState`: what it serves, for ``rexos devnet status``) and
stopped with it too.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import BinaryIO, Literal

from rexos.chain.backends import free_port, start_anvil, wait_for_rpc
from rexos.config import Settings, find_anvil
from rexos.errors import DeploymentNotFound, DevnetError, StorageError, UsageError
from rexos.private_files import ensure_private_dir, tighten_file, write_private_file

__all__ = [
    "DEVNET_NAMES",
    "PEER_CHAIN_ID",
    "DevnetBackend",
    "DevnetState",
    "ProviderNodeState",
    "devnet_add_helper",
    "devnet_down",
    "devnet_set_provider",
    "devnet_status",
    "devnet_up",
    "open_log",
    "peer_rpc_url",
    "rpc_url",
]

DevnetBackend = Literal["auto", "anvil", "pyevm"]

PEER_CHAIN_ID = 31338
"""Chain id of the devnet's second chain (anvil's default, 31337, is the first's)."""

DEVNET_NAMES = {"devnet": "main", "devnet-b": "peer"}
"""Names the CLI accepts for the devnet's two chains."""


@dataclass(frozen=True, slots=True)
class ProviderNodeState:
    """The devnet's DPrompt provider node: its process, signer and what answers."""

    pid: int
    address: str
    model_id: str
    model: str
    """How it answers: the local model, or the scripted stand-in when the extra is missing."""

    @property
    def alive(self) -> bool:
        """Whether the process still runs."""
        return _alive(self.pid)


@dataclass(frozen=True, slots=True)
class DevnetState:
    """A running devnet, as recorded in ``devnet.json``."""

    backend: str
    url: str
    pid: int
    started_at: int
    log_file: str
    peer_url: str | None = None
    peer_pid: int | None = None
    helper_pids: tuple[int, ...] = ()
    provider: ProviderNodeState | None = None


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs. A process that has exited but not yet been reaped (a
    zombie: the devnet's processes outlive the command that started them, so their parent
    is init, which may reap them only seconds later) has stopped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether ``pid`` is a zombie, from ``/proc`` (``False`` where there is none)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    fields = stat.rpartition(")")[2].split()
    return bool(fields) and fields[0] == "Z"


def devnet_status(settings: Settings) -> DevnetState | None:
    """The running devnet of this data dir, or ``None``."""
    path = settings.devnet_file
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["helper_pids"] = tuple(data.get("helper_pids", ()))
        if data.get("provider") is not None:
            data["provider"] = ProviderNodeState(**data["provider"])
        state = DevnetState(**data)
    except (json.JSONDecodeError, TypeError, AttributeError):
        path.unlink()
        return None
    if not _alive(state.pid):
        path.unlink()
        return None
    return state


def _write(settings: Settings, state: DevnetState) -> None:
    text = json.dumps(asdict(state), indent=2) + "\n"
    write_private_file(settings.devnet_file, text.encode("utf-8"))


def open_log(path: Path) -> BinaryIO:
    """``path`` opened for appending, created 0600 (an older, wider file is narrowed)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise StorageError(f"cannot open the log {path} ({exc.strerror or exc})") from exc
    tighten_file(path)
    return os.fdopen(fd, "ab")


def devnet_up(
    settings: Settings,
    backend: DevnetBackend = "auto",
    port: int | None = None,
    *,
    peer: bool = True,
) -> tuple[DevnetState, bool]:
    """Start a devnet unless one runs; return its state and whether it was started now.

    With ``peer``, a second node of the same kind (chain id :data:`PEER_CHAIN_ID`) starts too."""
    running = devnet_status(settings)
    if running is not None:
        return running, False
    anvil = find_anvil()
    if backend == "anvil" and anvil is None:
        raise DevnetError(
            "anvil not found: run `npm install --prefix contracts --no-save` or set REXOS_ANVIL"
        )
    chosen = "anvil" if anvil is not None and backend != "pyevm" else "pyevm"
    logs = ensure_private_dir(settings.logs_dir)
    log_file = logs / "devnet.log"
    binary = anvil if chosen == "anvil" else None
    url, process = _start_node(binary, port or free_port(), log_file, None)
    state = DevnetState(chosen, url, process.pid, int(time.time()), str(log_file))
    if peer:
        try:
            peer_url, peer_process = _start_node(
                binary, free_port(), logs / "devnet-b.log", PEER_CHAIN_ID
            )
        except DevnetError:
            process.kill()
            raise
        state = replace(state, peer_url=peer_url, peer_pid=peer_process.pid)
    _write(settings, state)
    return state, True


def _start_node(
    anvil: Path | None, port: int, log_file: Path, chain_id: int | None
) -> tuple[str, subprocess.Popen[bytes]]:
    """Start anvil (given its binary) or the py-evm server, detached; wait until it answers."""
    if anvil is not None:
        process = start_anvil(anvil, port, detached=True, chain_id=chain_id)
    else:
        chain_args = ["--chain-id", str(chain_id)] if chain_id is not None else []
        with open_log(log_file) as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "rexos.chain.evm_server", "--port", str(port), *chain_args],
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
    return url, process


def devnet_add_helper(settings: Settings, pid: int) -> None:
    """Record a process that serves the devnet, so ``devnet_down`` stops it too."""
    state = devnet_status(settings)
    if state is None:
        raise DevnetError("no devnet is running")
    _write(settings, replace(state, helper_pids=(*state.helper_pids, pid)))


def devnet_set_provider(settings: Settings, node: ProviderNodeState) -> None:
    """Record the devnet's provider node (the node itself does, once its model is loaded)."""
    state = devnet_status(settings)
    if state is None:
        raise DevnetError("no devnet is running")
    _write(settings, replace(state, provider=node))


def _stop(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.05)
    if _alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def devnet_down(settings: Settings) -> DevnetState | None:
    """Stop the devnet of this data dir; return what was stopped (``None`` if nothing ran)."""
    state = devnet_status(settings)
    if state is None:
        return None
    node = state.provider.pid if state.provider is not None else None
    for pid in (node, *state.helper_pids, state.peer_pid, state.pid):
        if pid is not None:
            _stop(pid)
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


def peer_rpc_url(settings: Settings) -> str:
    """URL of the running devnet's second chain (``devnet-b``)."""
    state = devnet_status(settings)
    if state is None:
        raise DeploymentNotFound(f"no devnet running for {settings.home}: run `rexos devnet up`")
    if state.peer_url is None:
        raise DevnetError(
            "this devnet has no second chain: restart it (`rexos devnet down && rexos devnet up`)"
        )
    return state.peer_url
