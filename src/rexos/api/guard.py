"""Who may drive the HTTP API: a pure ASGI middleware in front of every route.

A web page the user visits must not be able to use the API on their behalf (DNS
rebinding, CSRF). Every request passes, in this order:

1. **Host**: one of the loopback names (``127.0.0.1``, ``localhost``, ``[::1]``, with the
   serving port or without) or a host configured with ``--allow-host``; anything else is
   421. A rebinding page reaches us under *its* name, so it stops here.
2. **Origin** on every call but ``GET``/``HEAD``: no ``Origin`` (curl, scripts) is fine; an
   ``Origin`` must be one of the server's own loopback origins or a configured one
   (``--allow-origin``, ``--cors-origin``); without one, ``Sec-Fetch-Site: cross-site`` is
   refused too. 403.
3. **Token**: ``Authorization: Bearer <token>`` on every route but ``GET /v1/health`` (and a
   CORS preflight from a configured origin, which browsers send without credentials); 401.
   A token in the URL is refused (400): URLs end up in logs and histories.
4. **Body**: a call that carries one must say ``Content-Type: application/json`` (a form
   or ``text/plain`` post, which a page can send without asking, is 415), and bodies are at
   most :attr:`GuardPolicy.max_body` bytes (413).

Each refusal is one JSON line, ``{"error": "..."}``; nothing behind it runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rexos.api.token import token_matches

__all__ = ["LOOPBACK", "Guard", "GuardPolicy", "Refusal", "check_request"]

LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
MAX_BODY = 64 * 1024
_READS = frozenset({"GET", "HEAD"})
_PUBLIC = frozenset({("GET", "/v1/health"), ("HEAD", "/v1/health")})
_URL_TOKENS = ("token", "access_token", "api_token", "key", "api_key")


def _norm_origin(origin: str) -> str:
    return origin.strip().rstrip("/").lower()


@dataclass(frozen=True, slots=True)
class GuardPolicy:
    token: str
    hosts: frozenset[str]
    """Accepted ``Host`` header values (lower case, with and without the port)."""
    origins: frozenset[str]
    """Accepted ``Origin`` values for state-changing calls (lower case, no trailing /)."""
    configured: frozenset[str] = field(default_factory=frozenset)
    """The origins allowed by configuration (not the server's own): cross-site by nature."""
    max_body: int = MAX_BODY

    @classmethod
    def build(
        cls,
        token: str,
        port: int,
        *,
        allow_hosts: Iterable[str] = (),
        allow_origins: Iterable[str] = (),
        max_body: int = MAX_BODY,
    ) -> GuardPolicy:
        """The policy of a server on ``port``: loopback plus what was configured."""
        if not token:
            raise ValueError("the API needs a token")
        hosts: set[str] = set()
        for name in (*LOOPBACK, *allow_hosts):
            name = name.strip().lower()
            hosts.add(name)
            if not name.endswith("]") and ":" in name:
                continue  # given with its port: exactly that
            hosts.add(f"{name}:{port}")
        own = {f"http://{name}:{port}" for name in LOOPBACK}
        if port == 80:
            own |= {f"http://{name}" for name in LOOPBACK}
        configured = frozenset(_norm_origin(o) for o in allow_origins if o.strip())
        return cls(token, frozenset(hosts), frozenset(own) | configured, configured, max_body)


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int
    error: str


def check_request(
    policy: GuardPolicy, method: str, path: str, query: str, headers: Headers
) -> Refusal | None:
    """Why this request is refused (checks 1-3 and the content type), or ``None``."""
    host = headers.get("host", "").strip().lower()
    if host not in policy.hosts:
        return Refusal(
            421,
            f"this server does not answer for host {host or '(none)'!r}: use "
            "http://127.0.0.1, or start it with --allow-host for another name",
        )
    method = method.upper()
    origin = headers.get("origin")
    if method not in _READS:
        if origin is not None and _norm_origin(origin) not in policy.origins:
            return Refusal(403, f"requests from origin {origin!r} are not allowed")
        if origin is None and headers.get("sec-fetch-site", "").lower() == "cross-site":
            return Refusal(403, "cross-site requests are not allowed")
    query_keys = {k.lower() for k in parse_qs(query, keep_blank_values=True)}
    if query_keys.intersection(_URL_TOKENS):
        return Refusal(400, "send the token in the Authorization header, never in the URL")
    preflight = (
        method == "OPTIONS"
        and origin is not None
        and _norm_origin(origin) in policy.configured
        and "access-control-request-method" in headers
    )
    public = (method, path) in _PUBLIC or preflight
    if not public and not token_matches(policy.token, headers.get("authorization")):
        return Refusal(401, "missing or wrong API token: send Authorization: Bearer <token>")
    if method not in _READS and method != "OPTIONS":  # even an empty body must say JSON
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            return Refusal(415, "send the body as JSON (Content-Type: application/json)")
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > policy.max_body):
            return Refusal(413, f"the body is over {policy.max_body} bytes")
    return None


class Guard:
    """ASGI middleware applying :func:`check_request` and the body size limit."""

    def __init__(self, app: ASGIApp, policy: GuardPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # no websockets here
            await send({"type": "websocket.close", "code": 1008})
            return
        headers = Headers(scope=scope)
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
