"""Who may load or post the web pages: the guard's rules for browser requests.

The API (``/v1/...``) takes a bearer token and JSON; the pages (:data:`WEB_PREFIXES`) take
the session cookie and form posts, so they get their own checks, all in
:func:`check_web`, applied before any route runs:

1. **Host** as for the API (DNS rebinding stops here): 421.
2. **Fetch metadata**: a request another site (or another port of this host) makes is
   refused unless it is the user following a link (a top-level ``GET`` navigation): 403.
3. **No credentials in the URL** (``?token=``): 400.
4. **POST**: only ``application/x-www-form-urlencoded`` (415) within the size limit (413),
   with an ``Origin`` that is this server's own (403).
5. **Session**: every page but the log-in page and the static files needs the session
   cookie; a page ``GET`` without one is sent to the log-in page (303), anything else 401.
6. **CSRF**: every POST but the log-in form carries the session's token in its ``csrf``
   field (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs, quote

from rexos.api.web_session import WebSession, WebSessions
from rexos.localguard import GuardPolicy, Refusal

__all__ = [
    "SECURITY_HEADERS",
    "WEB_PREFIXES",
    "WebVerdict",
    "check_csrf",
    "check_web",
    "is_web_path",
    "needs_csrf",
]

WEB_PREFIXES = ("/airdrop", "/lense", "/login", "/logout", "/market", "/static/", "/studio")
"""Paths served as pages (besides ``/``); every other path is the API's."""

_PUBLIC = frozenset({("GET", "/login"), ("HEAD", "/login"), ("POST", "/login")})
_READS = frozenset({"GET", "HEAD"})
_URL_TOKENS = ("token", "access_token", "api_token", "key", "api_key")
FORM = "application/x-www-form-urlencoded"

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
)  # fmt: skip
"""Sent with every page and static file."""


def is_web_path(path: str) -> bool:
    return path == "/" or path.startswith(WEB_PREFIXES)


@dataclass(frozen=True, slots=True)
class WebVerdict:
    """Let it through (with the session, if any), refuse it, or send the browser elsewhere."""

    session: WebSession | None = None
    refusal: Refusal | None = None
    redirect: str | None = None


def _cookie(headers: dict[str, str], name: str) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None


def _own_origin(policy: GuardPolicy, origin: str | None, host: str) -> bool:
    if origin is None:
        return False
    origin = origin.strip().rstrip("/").lower()
    return origin in policy.origins or origin in (f"http://{host}", f"https://{host}")


def check_web(
    policy: GuardPolicy,
    sessions: WebSessions,
    method: str,
    path: str,
    query: str,
    headers: dict[str, str],
) -> WebVerdict:
    """The verdict on a page request from its headers (checks 1-5; ``headers`` by
    lower-case name). A POST it lets through with a session then needs
    :func:`check_csrf` on its body."""
    host = headers.get("host", "").strip().lower()
    if host not in policy.hosts:
        return WebVerdict(refusal=Refusal(
            421, f"this server does not answer for host {host or '(none)'!r}: use "
            "http://127.0.0.1, or start it with --allow-host for another name"))  # fmt: skip
    method = method.upper()
    site = headers.get("sec-fetch-site", "").lower()
    navigation = method == "GET" and headers.get("sec-fetch-mode", "").lower() == "navigate"
    if site in ("cross-site", "same-site") and not navigation:
        return WebVerdict(refusal=Refusal(403, "requests from other sites are not allowed"))
    if {k.lower() for k in parse_qs(query, keep_blank_values=True)} & set(_URL_TOKENS):
        return WebVerdict(refusal=Refusal(400, "never put the API token in a URL"))
    if method not in _READS:
        if method != "POST":
            return WebVerdict(refusal=Refusal(405, f"{method} is not served here"))
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != FORM:
            return WebVerdict(refusal=Refusal(415, f"pages take form posts ({FORM})"))
        if not _own_origin(policy, headers.get("origin"), host):
            origin = headers.get("origin", "(none)")
            return WebVerdict(refusal=Refusal(403, f"posts from origin {origin!r} are refused"))
    public = (method, path) in _PUBLIC or (method in _READS and path.startswith("/static/"))
    session = sessions.get(_cookie(headers, sessions.cookie))
    if session is None:
        if public:
            return WebVerdict()
        if method in _READS:
            target = path + (f"?{query}" if query else "")
            return WebVerdict(redirect=f"/login?next={quote(target, safe='/')}")
        return WebVerdict(refusal=Refusal(401, "log in again: your session has ended"))
    return WebVerdict(session=session)


def needs_csrf(method: str, path: str) -> bool:
    """Whether a request must carry the session's CSRF token (every POST but the log-in)."""
    return method.upper() == "POST" and (method.upper(), path) not in _PUBLIC


def check_csrf(sessions: WebSessions, session: WebSession, body: bytes) -> Refusal | None:
    """Check 6: the form ``body`` carries ``session``'s CSRF token in its ``csrf`` field."""
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    if sessions.csrf_matches(session, (fields.get("csrf") or [""])[0]):
        return None
    return Refusal(403, "the form's CSRF token is missing or wrong: reload the page")
