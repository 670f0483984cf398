"""A tiny OpenAI-compatible server on 127.0.0.1 that replays recorded JSON responses.

Each path has a queue of ``Reply`` items; when a queue has one item left it
is replayed forever. Requests are recorded so tests can assert on the bodies. The replies
are answers real servers gave (tests/fixtures/llm/README.md says which); by default
``/v1/completions`` answers with vLLM's one-token ``length`` completion (so a suite asking
for at most 16 tokens gets no more) and ``/v1/chat/completions`` with OpenAI's answer.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "llm"


@dataclass
class Reply:
    """One recorded answer: a fixture file name, an HTTP status and an optional delay."""

    fixture: str
    status: int = 200
    delay_s: float = 0.0

    def body(self) -> bytes:
        return (FIXTURES / self.fixture).read_bytes()


@dataclass
class RecordedServer:
    """State shared with the handler: scripted replies and the requests seen."""

    url: str = ""
    replies: dict[str, list[Reply]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, path: str, *replies: Reply) -> None:
        with self.lock:
            self.replies[path] = list(replies)

    def next_reply(self, path: str) -> Reply | None:
        with self.lock:
            queue = self.replies.get(path)
            if not queue:
                return None
            return queue.pop(0) if len(queue) > 1 else queue[0]


def _handler(state: RecordedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append((self.path, body))
            reply = state.next_reply(self.path)
            if reply is None:
                self.send_error(404, "no recorded reply")
                return
            time.sleep(reply.delay_s)
            payload = reply.body()
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    return Handler


@contextmanager
def serve_recorded() -> Iterator[RecordedServer]:
    """Run the replay server on a free loopback port; stop it on exit."""
    state = RecordedServer()
    state.script("/v1/completions", Reply("completions_length.json"))
    state.script("/v1/chat/completions", Reply("chat_completions.json"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
