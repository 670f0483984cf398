"""Browser sessions for the web pages: a cookie instead of the ``Authorization`` header.

A page cannot send a header when the user follows a link, so the pages use a session:

* ``rexos serve`` prints a **one-time log-in link** (``/login?code=…``): the code is
  random, works once, and only for :attr:`WebSessions.code_ttl` seconds; or the user pastes
  the API token into the log-in form (``POST /login``);
* either sets the cookie ``rexos_session_<port>``: random, ``HttpOnly`` (no script reads
  it), ``SameSite=Strict`` (no other site's page or link sends it), ``Path=/``; a cookie
  is not bound to a port, hence the port in its name;
* every page POST carries the session's **CSRF token** (a hidden form field), checked by
  the guard together with the ``Origin`` header, which must be this server's own.

Sessions live in memory (a restart logs everyone out), expire after
:attr:`WebSessions.session_ttl` seconds, and the oldest go first beyond
:attr:`WebSessions.max_sessions`.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["WebSession", "WebSessions"]


@dataclass(frozen=True, slots=True)
class WebSession:
    id: str
    csrf: str
    expires: float


class WebSessions:
    """The server's log-in codes and sessions (thread-safe)."""

    def __init__(
        self,
        port: int,
        *,
        session_ttl: float = 12 * 3600,
        code_ttl: float = 600,
        max_sessions: int = 64,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.cookie = f"rexos_session_{port}"
        self.session_ttl = session_ttl
        self.code_ttl = code_ttl
        self.max_sessions = max_sessions
        self._clock = clock
        self._lock = threading.Lock()
        self._codes: dict[str, float] = {}
        self._sessions: OrderedDict[str, WebSession] = OrderedDict()

    def new_code(self) -> str:
        """A one-time log-in code (for ``/login?code=``)."""
        code = secrets.token_urlsafe(32)
        with self._lock:
            now = self._clock()
            self._codes = {c: t for c, t in self._codes.items() if t > now}
            self._codes[code] = now + self.code_ttl
        return code

    def redeem(self, code: str) -> WebSession | None:
        """A new session for ``code`` if it is valid and unused (it is used up now)."""
        with self._lock:
            now = self._clock()
            given = code.encode()  # bytes: compare_digest refuses non-ASCII text with an error
            match = next((c for c in self._codes if hmac.compare_digest(c.encode(), given)), None)
            expires = self._codes.pop(match, 0.0) if match is not None else 0.0
        return self.open() if expires > now else None

    def open(self) -> WebSession:
        """A new session (after the user proved they hold the token or a code)."""
        with self._lock:
            session = WebSession(secrets.token_urlsafe(32), secrets.token_urlsafe(32),
                                 self._clock() + self.session_ttl)  # fmt: skip
            self._sessions[session.id] = session
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)
        return session

    def get(self, session_id: str | None) -> WebSession | None:
        """The live session with this id, or ``None``."""
        if not session_id:
            return None
        with self._lock:
            session = self._sessions.get(session_id)
            if session is not None and session.expires <= self._clock():
                del self._sessions[session_id]
                return None
        return session

    def close(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)

    @staticmethod
    def csrf_matches(session: WebSession, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(session.csrf.encode(), str(given).encode())

    def set_cookie_header(self, session: WebSession) -> str:
        return (f"{self.cookie}={session.id}; Path=/; HttpOnly; SameSite=Strict; "
                f"Max-Age={int(self.session_ttl)}")  # fmt: skip

    def clear_cookie_header(self) -> str:
        return f"{self.cookie}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
