"""The HTTP API's guard: a pure ASGI middleware in front of every route.

It applies :func:`rexos.localguard.check_request` (Host allow-list, Origin check on
state-changing calls, bearer token, JSON bodies only) to every request, with
``GET /v1/health`` the one public route, and enforces the body size limit on what is
actually streamed. Each refusal is one JSON line, ``{"error": "..."}``; nothing behind it
runs.
"""

from __future__ import annotations

from dataclasses import replace

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rexos.localguard import (
    LOOPBACK,
    MAX_BODY,
    GuardPolicy,
    Refusal,
    check_request,
    header_map,
)

__all__ = ["LOOPBACK", "MAX_BODY", "Guard", "GuardPolicy", "Refusal", "check_request"]

HEALTH = (("GET", "/v1/health"), ("HEAD", "/v1/health"))
"""The API's one public route."""

_READS = frozenset({"GET", "HEAD"})


class Guard:
    """ASGI middleware applying :func:`check_request` and the body size limit."""

    def __init__(self, app: ASGIApp, policy: GuardPolicy) -> None:
        self.app = app
        self.policy = replace(policy, public=policy.public | frozenset(HEALTH))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # no websockets here
            await send({"type": "websocket.close", "code": 1008})
            return
        headers = header_map(Headers(scope=scope).items())
        method = str(scope["method"])
        query = bytes(scope.get("query_string", b"")).decode("latin-1")
        refusal = check_request(self.policy, method, str(scope["path"]), query, headers)
        if refusal is None and method.upper() not in _READS:
            body, too_big = await _read_body(receive, self.policy.max_body)
            if too_big:
                refusal = Refusal(413, f"the body is over {self.policy.max_body} bytes")
            else:
                receive = _replay(body, receive)
        if refusal is not None:
            extra = {"WWW-Authenticate": "Bearer"} if refusal.status == 401 else None
            response = JSONResponse({"error": refusal.error}, refusal.status, headers=extra)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = bytes(message.get("body", b""))
        size += len(chunk)
        if size > limit:
            return b"", True
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks), False


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
