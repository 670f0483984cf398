"""MCP transports: stdio (newline-delimited JSON) and HTTP (``POST /mcp``, loopback only).

The HTTP transport answers only what :func:`rexos.localguard.check_request` lets through:
loopback ``Host`` names, no foreign ``Origin``, the data directory's bearer token and JSON
bodies, so a web page in the user's browser can neither call a tool (CSRF) nor read a
result (DNS rebinding).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO

from rexos.errors import UsageError
from rexos.localguard import GuardPolicy, check_request, header_map
from rexos.mcp.server import McpServer

__all__ = ["make_http_server", "serve_http", "serve_stdio"]

_MAX_BODY = 1 << 20


def serve_stdio(server: McpServer, reader: IO[str], writer: IO[str]) -> None:
    """Answer one message per input line until end of input."""
    for line in reader:
        if not line.strip():
            continue
        answer = server.handle_text(line)
        if answer is not None:
            writer.write(answer + "\n")
            writer.flush()


def make_http_server(server: McpServer, token: str, port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1 answering ``POST /mcp`` to holders of ``token`` (the caller
    runs and stops it)."""
    guard: list[GuardPolicy] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._send(405, b'{"error": "POST /mcp"}')

        def do_POST(self) -> None:
            path, _, query = self.path.partition("?")
            refusal = check_request(guard[0], "POST", path, query, header_map(self.headers.items()))
            if refusal is not None:
                self._send(refusal.status, json.dumps({"error": refusal.error}).encode())
                return
            if path.rstrip("/") != "/mcp":
                self._send(404, b'{"error": "POST /mcp"}')
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length <= 0 or length > _MAX_BODY:
                self._send(413 if length > _MAX_BODY else 400, b'{"error": "bad body size"}')
                return
            answer = server.handle_text(self.rfile.read(length).decode("utf-8", "replace"))
            if answer is None:
                self._send(202, b"")
            else:
                self._send(200, answer.encode())

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    http = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    guard.append(GuardPolicy.build(token, int(http.server_address[1]), max_body=_MAX_BODY))
    return http


def serve_http(
    server: McpServer, token: str, port: int, on_ready: Callable[[str], None] | None = None
) -> None:
    """Serve until interrupted."""
    if not 0 <= port < 65536:
        raise UsageError(f"not a TCP port: {port}")
    http = make_http_server(server, token, port)
    if on_ready is not None:
        on_ready(f"http://127.0.0.1:{http.server_address[1]}/mcp")
    try:
        http.serve_forever()
    finally:
        http.server_close()
