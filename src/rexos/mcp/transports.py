"""MCP transports: stdio (newline-delimited JSON) and HTTP (``POST /mcp``, loopback only)."""

from __future__ import annotations

from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO

from rexos.errors import UsageError
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


def make_http_server(server: McpServer, port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1 answering ``POST /mcp`` (the caller runs and stops it)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path.rstrip("/") != "/mcp":
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

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


def serve_http(server: McpServer, port: int, on_ready: Callable[[str], None] | None = None) -> None:
    """Serve until interrupted."""
    if not 0 <= port < 65536:
        raise UsageError(f"not a TCP port: {port}")
    http = make_http_server(server, port)
    if on_ready is not None:
        on_ready(f"http://127.0.0.1:{http.server_address[1]}/mcp")
    try:
        http.serve_forever()
    finally:
        http.server_close()
