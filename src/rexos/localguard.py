"""Who may call a local HTTP service of RexOS (the chat API, the MCP server).

A web page the user visits must not be able to drive a service on their machine (DNS
rebinding, CSRF). :func:`check_request` is the one decision, applied by every server:

1. **Host**: one of the loopback names (``127.0.0.1``, ``localhost``, ``[::1]``, with the
   serving port or without) or a configured host; anything else is 421. A rebinding page
   reaches us under *its* name, so it stops here.
2. **Origin** on every call but ``GET``/``HEAD``: no ``Origin`` (curl, scripts) is fine; an
   ``Origin`` must be one of the server's own loopback origins or a configured one; without
   one, ``Sec-Fetch-Site: cross-site`` is refused too. 403.
3. **Token**: ``Authorization: Bearer <token>`` on every route but the policy's public ones
   (and a CORS preflight from a configured origin, which browsers send without
   credentials); 401. A token in the URL is refused (400): URLs end up in logs.
4. **Body**: a call that carries one must say ``Content-Type: application/json`` (a form or
   ``text/plain`` post, which a page can send without asking, is 415), at most
   :attr:`GuardPolicy.max_body` bytes (413).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qs

__all__ = [
    "LOOPBACK",
    "MAX_BODY",
    "GuardPolicy",
    "Refusal",
    "check_request",
    "header_map",
    "token_matches",
]


def header_map(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Request headers by lower-case name; a repeated header keeps its first value."""
    found: dict[str, str] = {}
    for name, value in pairs:
        found.setdefault(name.lower(), value)
    return found


LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
MAX_BODY = 64 * 1024
_READS = frozenset({"GET", "HEAD"})
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
    public: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    """(method, path) pairs that need no token (a health check)."""

    @classmethod
    def build(
        cls,
        token: str,
        port: int,
        *,
        allow_hosts: Iterable[str] = (),
        allow_origins: Iterable[str] = (),
        max_body: int = MAX_BODY,
        public: Iterable[tuple[str, str]] = (),
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
        return cls(
            token, frozenset(hosts), frozenset(own) | configured, configured, max_body,
            frozenset((m.upper(), p) for m, p in public),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int
    error: str


def check_request(
    policy: GuardPolicy, method: str, path: str, query: str, headers: dict[str, str]
) -> Refusal | None:
    """Why this request is refused (checks 1-3 and the content type), or ``None``.

    ``headers``: by lower-case name (:func:`header_map`)."""
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
    public = (method, path) in policy.public or preflight
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


def token_matches(expected: str, authorization: str | None) -> bool:
    """Whether an ``Authorization`` header carries ``expected`` as a bearer token
    (compared in constant time)."""
    if not expected or not authorization:
        return False
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())
