"""A Bluesky stand-in on 127.0.0.1 that replays recorded answers from tests/fixtures/social.

Each XRPC path answers from its queue (the last answer repeats); every request is kept
(method, path, query, headers, body) so a test can read what the client sent.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "social"
SEARCH = "/xrpc/app.bsky.feed.searchPosts"
AUTHOR_FEED = "/xrpc/app.bsky.feed.getAuthorFeed"
LOGIN = "/xrpc/com.atproto.server.createSession"


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


def fixture(name: str) -> Reply:
    """A 200 answer whose body is the fixture file, byte for byte."""
    return Reply(200, (FIXTURES / name).read_bytes(), {"Content-Type": "application/json"})


def xrpc_error(status: int, error: str, message: str, **headers: str) -> Reply:
    """An XRPC error answer: ``{"error": NAME, "message": TEXT}``."""
    body = json.dumps({"error": error, "message": message}).encode()
    return Reply(status, body, {"Content-Type": "application/json", **headers})


@dataclass(frozen=True)
class Asked:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class Replay:
    url: str = ""
    routes: dict[str, list[Reply]] = field(default_factory=dict)
    asked: list[Asked] = field(default_factory=list)

    def answer(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def paths(self) -> list[str]:
        return [a.path for a in self.asked]


@contextmanager
def serve() -> Iterator[Replay]:
    replay = Replay()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            replay.asked.append(
                Asked(
                    self.command,
                    parts.path,
                    {k: v[0] for k, v in parse_qs(parts.query).items()},
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
            )
            queue = replay.routes.get(parts.path)
            if not queue:
                reply = xrpc_error(404, "MethodNotImplemented", "Method Not Implemented")
            else:
                reply = queue.pop(0) if len(queue) > 1 else queue[0]
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        do_GET = do_POST = _reply

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    replay.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield replay
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
