"""Concrete chain backends and :func:`connect`, which picks one from a target string."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import requests
from web3 import HTTPProvider, Web3
from web3.types import RPCEndpoint

from rexos.chain.client import ChainClient, ChainKind
from rexos.chain.web3_setup import without_validation
from rexos.config import find_anvil
from rexos.errors import ChainError, ConfigError, DevnetError, RpcUnavailable

if TYPE_CHECKING:
    from rexos.chain.embedded import EmbeddedEvm

__all__ = [
    "AnvilChain",
    "EmbeddedChain",
    "RpcChain",
    "connect",
    "free_port",
    "wait_for_rpc",
]

_RPC_TIMEOUT_S = 10


class EmbeddedChain:
    """In-process py-evm: fresh state per instance, gone when the process ends."""

    kind: ChainKind = "embedded"

    def __init__(self, evm: EmbeddedEvm | None = None) -> None:
        if evm is None:
            from rexos.chain.embedded import create_embedded_evm

            evm = create_embedded_evm()
        self._evm = evm

    @property
    def web3(self) -> Web3:
        return self._evm.web3

    def time_travel(self, seconds: int) -> int:
        return self._evm.time_travel(seconds)

    def snapshot(self) -> str:
        return self._evm.snapshot()

    def revert(self, snapshot_id: str) -> None:
        self._evm.revert(snapshot_id)

    def close(self) -> None:
        """Nothing to release: the chain lives in this process."""


class RpcChain:
    """Any JSON-RPC endpoint. Dev methods work on anvil and the py-evm devnet server."""

    kind: ChainKind = "rpc"

    def __init__(self, url: str, *, timeout_s: float = _RPC_TIMEOUT_S) -> None:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"not an http(s) JSON-RPC URL: {url!r}")
        self.url = url
        # The chain id is asked once per connection (every transaction is built with it), and
        # web3's validation middleware, which asked it before every eth_call, is left out.
        provider = HTTPProvider(
            url,
            request_kwargs={"timeout": timeout_s},
            cache_allowed_requests=True,
            cacheable_requests={RPCEndpoint("eth_chainId")},
        )
        self._web3 = without_validation(Web3(provider))
        try:
            self._web3.eth.chain_id  # noqa: B018 - a cheap reachability probe
        except (requests.RequestException, OSError) as exc:
            raise RpcUnavailable(f"cannot reach the chain at {url}: {_short(exc)}") from exc

    @property
    def web3(self) -> Web3:
        return self._web3

    def _dev(self, method: str, params: list[Any]) -> Any:
        try:
            response = self._web3.provider.make_request(cast(Any, method), params)
        except (requests.RequestException, OSError) as exc:
            raise RpcUnavailable(f"cannot reach the chain at {self.url}: {_short(exc)}") from exc
        if "error" in response:
            raise ChainError(f"{method} is not supported by {self.url}: {response['error']}")
        return response.get("result")

    def time_travel(self, seconds: int) -> int:
        self._dev("evm_increaseTime", [max(int(seconds), 1)])
        self._dev("evm_mine", [])
        return int(self._web3.eth.get_block("latest")["timestamp"])

    def snapshot(self) -> str:
        return str(self._dev("evm_snapshot", []))

    def revert(self, snapshot_id: str) -> None:
        if self._dev("evm_revert", [snapshot_id]) is False:
            raise ChainError(f"snapshot {snapshot_id} cannot be restored")

    def close(self) -> None:
        """HTTP connections are pooled by requests; nothing to stop."""


class AnvilChain(RpcChain):
    """An anvil node started for this client on a free loopback port."""

    kind: ChainKind = "anvil"

    def __init__(
        self, anvil: Path | None = None, *, port: int | None = None, chain_id: int | None = None
    ) -> None:
        binary = anvil or find_anvil()
        if binary is None:
            raise DevnetError(
                "anvil not found: run `npm install --prefix contracts --no-save` or set REXOS_ANVIL"
            )
        self.port = port or free_port()
        self._process = start_anvil(binary, self.port, chain_id=chain_id)
        try:
            wait_for_rpc(f"http://127.0.0.1:{self.port}", self._process)
            super().__init__(f"http://127.0.0.1:{self.port}")
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


def start_anvil(
    binary: Path, port: int, *, detached: bool = False, chain_id: int | None = None
) -> subprocess.Popen[bytes]:
    """Start anvil on loopback with the prague hardfork (chain id 31337 unless given);
    the caller stops it."""
    args = [
        str(binary),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--hardfork",
        "prague",
        "--silent",
        "--gas-limit",
        "60000000",
        *(["--chain-id", str(chain_id)] if chain_id is not None else []),
    ]
    return subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=detached,
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_rpc(
    url: str, process: subprocess.Popen[bytes] | None = None, timeout_s: float = 30
) -> None:
    """Block until ``url`` answers ``eth_chainId``; fail if ``process`` dies first."""
    deadline = time.monotonic() + timeout_s
    payload: dict[str, Any] = {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise DevnetError(
                f"the node exited with status {process.returncode} before {url} answered"
            )
        with contextlib.suppress(requests.RequestException):
            if requests.post(url, json=payload, timeout=1).ok:
                return
        time.sleep(0.1)
    raise DevnetError(f"the node at {url} did not answer within {timeout_s:.0f} s")


def connect(target: str = "embedded") -> ChainClient:
    """Open a chain: ``"embedded"``, ``"anvil"`` or an ``http(s)://`` JSON-RPC URL."""
    if target == "embedded":
        return EmbeddedChain()
    if target == "anvil":
        return AnvilChain()
    if target.startswith(("http://", "https://")):
        return RpcChain(target)
    raise ConfigError(f"unknown chain {target!r}: use embedded, anvil or an http(s):// URL")


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text if len(text) < 160 else text[:157] + "..."
