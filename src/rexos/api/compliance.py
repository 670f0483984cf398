"""The compliance gate in front of the API's routes and the web pages (ASGI middleware).

Each request's path is looked up in :data:`rexos.compliance.ENTRIES` (the longest listed
prefix: ``/v1/chat`` is ``ai-answers``, ``/market`` is ``agent-market``); a service the
user's jurisdiction bars, or an unusable compliance policy, is refused with HTTP 451
(Unavailable For Legal Reasons) and one line naming the rule — ``{"error": …}`` for the JSON
API, plain text for a page — before any route runs. Routes mapped to no service (health,
log-in, static files) pass unchecked. The log records the table's entry, never the path
(``/v1/lense/0x…`` holds an address).
"""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from rexos.agents.tool import ToolContext
from rexos.compliance import Decision, Gate, route_of
from rexos.orchestrator.chat import ChatSession

__all__ = ["ComplianceCheck", "data_dir"]

UNAVAILABLE_FOR_LEGAL_REASONS = 451


def data_dir(session: ChatSession | None, market: ToolContext | None) -> Path | None:
    """The data directory whose compliance policy applies: the market context's, else the
    chat session's workspace's; ``None`` when the app has neither (nothing to read)."""
    if market is not None:
        return market.settings.home
    if session is not None:
        return session.runner.ws.settings.home
    return None


class ComplianceCheck:
    """ASGI middleware: :meth:`Gate.check` on each request's service (``home`` ``None``:
    no data directory, so nothing is checked)."""

    def __init__(self, app: ASGIApp, home: Path | None) -> None:
        self.app = app
        self.gate = None if home is None else Gate(home)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.gate is None or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope["path"])
        entry, service = route_of(path)
        if service is None:
            await self.app(scope, receive, send)
            return
        decision: Decision = await run_in_threadpool(self.gate.check, service, entry=entry)
        if decision.allowed:
            await self.app(scope, receive, send)
            return
        await _refusal(path, decision.message)(scope, receive, send)


def _refusal(path: str, message: str) -> Response:
    if path.startswith("/v1/"):
        return JSONResponse({"error": message}, UNAVAILABLE_FOR_LEGAL_REASONS)
    return PlainTextResponse(message, UNAVAILABLE_FOR_LEGAL_REASONS)
