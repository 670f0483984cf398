"""Browser sessions: one-time codes, expiry, the cap on live sessions, cookie attributes."""

from __future__ import annotations

from rexos.api.web_session import WebSessions
from rexos.cli.chat import _link_host


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_code_opens_one_session_once() -> None:
    sessions = WebSessions(8787)
    code = sessions.new_code()
    first = sessions.redeem(code)
    assert first is not None and sessions.get(first.id) == first
    assert sessions.redeem(code) is None
    assert sessions.redeem("") is None and sessions.redeem(code + "x") is None


def test_sessions_and_codes_expire() -> None:
    clock = Clock()
    sessions = WebSessions(8787, session_ttl=100, code_ttl=10, clock=clock)
    code, session = sessions.new_code(), sessions.open()
    clock.now = 10
    assert sessions.redeem(code) is None
    clock.now = 100
    assert sessions.get(session.id) is None


def test_beyond_the_cap_the_oldest_session_goes_first() -> None:
    sessions = WebSessions(8787, max_sessions=2)
    a, b, c = sessions.open(), sessions.open(), sessions.open()
    assert sessions.get(a.id) is None and sessions.get(b.id) == b and sessions.get(c.id) == c


def test_each_session_has_its_own_random_ids_and_csrf_token() -> None:
    sessions = WebSessions(8787)
    a, b = sessions.open(), sessions.open()
    assert len({a.id, a.csrf, b.id, b.csrf}) == 4 and len(a.csrf) >= 40
    assert sessions.csrf_matches(a, a.csrf) and not sessions.csrf_matches(a, b.csrf)
    assert not sessions.csrf_matches(a, "") and not sessions.csrf_matches(a, None)


def test_the_cookie_is_http_only_strict_and_cleared_on_log_out() -> None:
    sessions = WebSessions(9000)
    header = sessions.set_cookie_header(sessions.open())
    assert header.startswith("rexos_session_9000=")
    assert "; HttpOnly;" in header and "SameSite=Strict" in header and "Path=/" in header
    assert "Max-Age=0" in sessions.clear_cookie_header()


def test_the_printed_link_uses_a_host_a_browser_can_open() -> None:
    assert _link_host("0.0.0.0") == "127.0.0.1" and _link_host("::") == "127.0.0.1"
    assert _link_host("127.0.0.1") == "127.0.0.1" and _link_host("::1") == "[::1]"
    assert _link_host("localhost") == "localhost"


def test_a_code_or_csrf_token_with_any_characters_is_refused_not_an_error() -> None:
    sessions = WebSessions(8787)
    code = sessions.new_code()
    for odd in ("é" * 43, "\x00", "", "💥", code + "é"):
        assert sessions.redeem(odd) is None
    session = sessions.redeem(code)
    assert session is not None
    assert not WebSessions.csrf_matches(session, "é" * 43)
