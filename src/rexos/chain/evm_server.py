"""A local JSON-RPC 2.0 HTTP node serving an embedded py-evm chain.

``rexos devnet up`` runs it (``python -m rexos.chain.evm_server --port 8545``)
when anvil is not installed, so separate commands share one chain; a second one
with ``--chain-id`` serves the devnet's peer chain. It binds
127.0.0.1 only, answers POSTed JSON-RPC requests and batches (see
:mod:`rexos.chain.evm_rpc` for the methods), and stops on SIGTERM or SIGINT.

In tests, :func:`serve` starts one in a background thread::

    with serve() as server:
        web3 = Web3(HTTPProvider(server.url))
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType, TracebackType

from rexos.chain.embedded import EmbeddedEvm, create_embedded_evm
from rexos.chain.evm_rpc import EvmRpc
from rexos.chain.jsonrpc import PARSE_ERROR, RpcError, error_response
from rexos.errors import RexosError, UsageError

__all__ = ["LOOPBACK", "EvmServer", "main", "serve"]

LOOPBACK = "127.0.0.1"
_MAX_BODY = 16 * 1024 * 1024

_log = logging.getLogger(__name__)


class _Handler(BaseHTTPRequestHandler):
    """One HTTP request: a JSON-RPC request or batch in, its response out."""

    server: _HttpServer

    def do_POST(self) -> None:
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._reply(HTTPStatus.LENGTH_REQUIRED, None)
            return
        if not 0 <= length <= _MAX_BODY:
            self._reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, None)
            return
        try:
            payload = json.loads(self.rfile.read(length))
        except (UnicodeDecodeError, json.JSONDecodeError):
            self._reply(HTTPStatus.OK, error_response(None, RpcError(PARSE_ERROR, "parse error")))
            return
        answer = self.server.rpc.handle(payload)
        self._reply(HTTPStatus.OK if answer is not None else HTTPStatus.NO_CONTENT, answer)

    def do_GET(self) -> None:
        self._reply(HTTPStatus.METHOD_NOT_ALLOWED, None)

    def _reply(self, status: HTTPStatus, answer: object | None) -> None:
        body = json.dumps(answer).encode() if answer is not None else b""
        self.send_response(status)
        if status is HTTPStatus.METHOD_NOT_ALLOWED:
            self.send_header("Allow", "POST")
        if body:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        _log.debug("%s " + format, self.address_string(), *args)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], rpc: EvmRpc) -> None:
        super().__init__(address, _Handler)
        self.rpc = rpc


class EvmServer:
    """A running server: ``url`` and ``port`` to connect, ``stop()`` to end it."""

    def __init__(self, http: _HttpServer, evm: EmbeddedEvm) -> None:
        self._http = http
        self.evm = evm
        self.port = int(http.server_address[1])
        self.url = f"http://{LOOPBACK}:{self.port}"
        self._thread = threading.Thread(
            target=http.serve_forever, name=f"rexos-evm-server:{self.port}", daemon=True
        )
        self._thread.start()

    def __repr__(self) -> str:
        return f"EvmServer({self.url!r})"

    def stop(self) -> None:
        """Stop serving and release the port; calling it twice is harmless."""
        if self._thread.is_alive():
            self._http.shutdown()
            self._thread.join()
        self._http.server_close()

    def __enter__(self) -> EvmServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def serve(
    host: str = LOOPBACK,
    port: int = 0,
    *,
    evm: EmbeddedEvm | None = None,
    chain_id: int | None = None,
) -> EvmServer:
    """Serve ``evm`` (by default a fresh chain, with ``chain_id`` if given) on ``host:port``
    (0: any free port).

    Only the loopback address is allowed: the dev accounts' keys are public.
    """
    if host != LOOPBACK:
        raise UsageError(f"the py-evm devnet binds {LOOPBACK} only, not {host!r}")
    if not 0 <= port <= 65535:
        raise UsageError(f"not a TCP port: {port}")
    chain = evm if evm is not None else create_embedded_evm(chain_id)
    try:
        http = _HttpServer((host, port), EvmRpc(chain))
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return EvmServer(http, chain)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a server in the foreground until SIGTERM or SIGINT; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m rexos.chain.evm_server",
        description="Serve an embedded py-evm chain over JSON-RPC on 127.0.0.1.",
    )
    parser.add_argument("--host", default=LOOPBACK, help="only 127.0.0.1 is accepted")
    parser.add_argument("--port", type=int, default=8545, help="TCP port (0: any free port)")
    parser.add_argument(
        "--chain-id", type=int, default=None, help="chain id (default: eth-tester's own)"
    )
    options = parser.parse_args(argv)
    try:
        server = serve(options.host, options.port, chain_id=options.chain_id)
    except RexosError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 2
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        print(f"rexos py-evm devnet listening on {server.url}", flush=True)
        while not stop.wait(timeout=1.0):
            pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
