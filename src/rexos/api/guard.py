"""The HTTP API's guard: a pure ASGI middleware in front of every route.

It applies :func:`rexos.localguard.check_request` (Host allow-list, Origin check on
state-changing calls, bearer token, JSON bodies only) to every API request, with
``GET /v1/health`` the one public route, and enforces the body size limit on what is
actually streamed. Each refusal is one JSON line, ``{"error": "..."}``; nothing behind it
runs.

With :class:`~rexos.api.web_session.WebSessions`, the web pages
(:data:`~rexos.api.web_guard.WEB_PREFIXES`) pass :func:`~rexos.api.web_guard.check_web`
instead (session cookie, same-origin form posts with a CSRF token), are refused in one
plain-text line, and every page response carries :data:`~rexos.api.web_guard.SECURITY_HEADERS`
(a Content-Security-Policy with no inline script among them). The request's session is in
``request.state.web_session``.
"""

from __future__ import annotations

from dataclasses import replace

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rexos.api.web_guard import (
    SECURITY_HEADERS,
    check_csrf,
    check_web,
    is_web_path,
    needs_csrf,
)
from rexos.api.web_session import WebSessions
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

    def __init__(self, app: ASGIApp, policy: GuardPolicy, web: WebSessions | None = None) -> None:
        self.app = app
        self.policy = replace(policy, public=policy.public | frozenset(HEALTH))
        self.web = web

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
        if self.web is not None and is_web_path(str(scope["path"])):
            await self._page(scope, receive, send, self.web, headers, query)
            return
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

    async def _page(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        web: WebSessions,
        headers: dict[str, str],
        query: str,
    ) -> None:
        method, path = str(scope["method"]).upper(), str(scope["path"])
        verdict = check_web(self.policy, web, method, path, query, headers)
        refusal = verdict.refusal
        if refusal is None and verdict.redirect is None and method not in _READS:
            body, too_big = await _read_body(receive, self.policy.max_body)
            if too_big:
                refusal = Refusal(413, f"the body is over {self.policy.max_body} bytes")
            elif verdict.session is not None and needs_csrf(method, path):
                refusal = check_csrf(web, verdict.session, body)
            receive = _replay(body, receive)
        secured = _with_headers(send, SECURITY_HEADERS)
        if refusal is not None:
            await PlainTextResponse(refusal.error + "\n", refusal.status)(scope, receive, secured)
        elif verdict.redirect is not None:
            await RedirectResponse(verdict.redirect, 303)(scope, receive, secured)
        else:
            scope.setdefault("state", {})["web_session"] = verdict.session
            await self.app(scope, receive, secured)


def _with_headers(send: Send, extra: tuple[tuple[bytes, bytes], ...]) -> Send:
    names = {name for name, _ in extra}

    async def sender(message: Message) -> None:
        if message["type"] == "http.response.start":
            kept = [(k, v) for k, v in message.get("headers", []) if bytes(k).lower() not in names]
            message = {**message, "headers": [*kept, *extra]}
        await send(message)

    return sender


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
