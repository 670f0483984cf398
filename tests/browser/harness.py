"""The browser test harness: the app on a loopback port, and Chromium held offline.

* :func:`serve` runs an ASGI app under uvicorn in a thread, on ``127.0.0.1`` and a port the
  kernel picks (the socket is bound before the app is built, so the app knows its port);
* :class:`Offline` watches a browser context: every request to a host other than the
  allowed loopback ones is aborted and recorded, and the test fails if there was one;
  console errors are recorded too;
* screenshots go to ``tests/browser/artefacts/`` (git-ignored; CI keeps the folder).

Chromium is Debian's (``/usr/bin/chromium``, installed by ``make browser``); Playwright
never downloads a browser here.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import uvicorn
from playwright.sync_api import BrowserContext, ConsoleMessage, Route

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parent / "artefacts"
WAIT_MS = 60_000
"""How long a wait for something on a page may take before the test fails (a loaded
two-core machine can be slow; nothing asserts on time)."""


@contextmanager
def serve(make_app: Callable[[int], object]) -> Iterator[str]:
    """``make_app(port)`` served on 127.0.0.1:port; yields ``http://127.0.0.1:port``."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(make_app(port), log_level="warning", lifespan="off")  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@dataclass
class Offline:
    """What a browser context tried to reach beyond ``hosts``, and its console errors."""

    hosts: frozenset[str]
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.route(re.compile(r".*"), self._route)
        context.on("page", lambda page: page.on("console", self._console))

    def _route(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname in self.hosts:
            route.continue_()
            return
        self.blocked.append(url)
        route.abort("blockedbyclient")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)


def screenshot_path(name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS / (re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:150] + ".png")
