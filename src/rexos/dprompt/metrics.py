"""Counters of the provider node, served as Prometheus text on ``127.0.0.1``.

:class:`NodeMetrics` is a handful of thread-safe counters;
:meth:`NodeMetrics.serve` starts a tiny stdlib HTTP server (one daemon thread)
that answers any ``GET`` with the text exposition format.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal

__all__ = ["COUNTERS", "Counter", "NodeMetrics"]

Counter = Literal[
    "requests_answered_total",
    "takeovers_total",
    "committee_votes_total",
    "audits_total",
    "challenges_total",
    "errors_total",
]
COUNTERS: dict[Counter, str] = {
    "requests_answered_total": "Requests this node answered on chain.",
    "takeovers_total": "Answers given after another provider's deadline.",
    "committee_votes_total": "Committee votes this node revealed.",
    "audits_total": "Other providers' answers this node re-executed.",
    "challenges_total": "Answers this node challenged after an audit mismatch.",
    "errors_total": "Errors met while serving (each one logged).",
}


class NodeMetrics:
    """Monotonic counters, read by tests and by the optional HTTP endpoint."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[Counter, int] = dict.fromkeys(COUNTERS, 0)
        self._server: ThreadingHTTPServer | None = None

    def inc(self, name: Counter, by: int = 1) -> None:
        with self._lock:
            self._values[name] += by

    def get(self, name: Counter) -> int:
        with self._lock:
            return self._values[name]

    def exposition(self) -> str:
        """The counters in the Prometheus text format (prefixed ``rexos_provider_``)."""
        lines: list[str] = []
        with self._lock:
            for name, help_text in COUNTERS.items():
                full = f"rexos_provider_{name}"
                lines += [f"# HELP {full} {help_text}", f"# TYPE {full} counter"]
                lines.append(f"{full} {self._values[name]}")
        return "\n".join(lines) + "\n"

    def serve(self, port: int) -> int:
        """Serve the counters on ``http://127.0.0.1:port/metrics``; return the bound port."""
        metrics = self

        class _Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = metrics.exposition().encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return int(self._server.server_address[1])

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
