"""The Lense page's routes and their guard: log-in, session cookie, CSRF, Origin, Host,
escaping and the security headers (without a browser; tests/browser drives Chromium)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from rexos.api.app import create_app
from rexos.api.guard import GuardPolicy
from rexos.api.web_session import WebSessions
from tests.unit.api.fake_lense import UNKNOWN, WALLET, FakeLense

TOKEN = "w" * 43
PORT = 8787
BASE = f"http://127.0.0.1:{PORT}"
SAME = {"Origin": BASE}
COOKIE = f"rexos_session_{PORT}"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def lense() -> FakeLense:
    return FakeLense()


@pytest.fixture
def sessions(clock: Clock) -> WebSessions:
    return WebSessions(PORT, clock=clock)


@pytest.fixture
def client(lense: FakeLense, sessions: WebSessions) -> Iterator[TestClient]:
    app = create_app(None, GuardPolicy.build(TOKEN, PORT), lense=lense, web=sessions,
                     home=WALLET)  # fmt: skip
    with TestClient(app, base_url=BASE, follow_redirects=False) as c:
        yield c


def _login(client: TestClient, sessions: WebSessions) -> str:
    """Log in with a one-time link; the session's CSRF token."""
    got = client.get(f"/login?code={sessions.new_code()}")
    assert got.status_code == 303, got.text
    page = client.get(f"/lense/{WALLET}")
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def _ask(client: TestClient, question: str, csrf: str | None, **headers: str) -> Response:
    data = {"question": question} | ({"csrf": csrf} if csrf is not None else {})
    return client.post(f"/lense/{WALLET}/ask", data=data, headers={**SAME, **headers})


def test_a_page_without_a_session_goes_to_the_log_in_page(client: TestClient) -> None:
    got = client.get(f"/lense/{WALLET}?x=1")
    assert got.status_code == 303
    assert got.headers["location"] == f"/login?next=/lense/{WALLET}%3Fx%3D1"
    login = client.get(got.headers["location"])
    assert login.status_code == 200 and 'name="api_token"' in login.text
    assert f'value="/lense/{WALLET}?x=1"' in login.text


def test_the_one_time_link_sets_a_strict_http_only_cookie_once(
    client: TestClient, sessions: WebSessions
) -> None:
    code = sessions.new_code()
    got = client.get(f"/login?code={code}&next=/lense/{WALLET}")
    assert got.status_code == 303 and got.headers["location"] == f"/lense/{WALLET}"
    cookie = got.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie and "Path=/" in cookie
    client.cookies.clear()
    again = client.get(f"/login?code={code}")
    assert again.status_code == 401 and "used or has expired" in again.text
    assert "set-cookie" not in again.headers


def test_a_log_in_link_expires(client: TestClient, sessions: WebSessions, clock: Clock) -> None:
    code = sessions.new_code()
    clock.now += sessions.code_ttl + 1
    assert client.get(f"/login?code={code}").status_code == 401


def test_a_session_expires(client: TestClient, sessions: WebSessions, clock: Clock) -> None:
    _login(client, sessions)
    clock.now += sessions.session_ttl + 1
    assert client.get(f"/lense/{WALLET}").status_code == 303


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example", "/\\evil"])
def test_the_log_in_never_sends_the_browser_to_another_host(
    client: TestClient, sessions: WebSessions, target: str
) -> None:
    got = client.get("/login", params={"code": sessions.new_code(), "next": target})
    assert got.headers["location"] == "/lense"


def test_the_log_in_form_takes_the_api_token(client: TestClient) -> None:
    wrong = client.post("/login", data={"api_token": "x" * 43}, headers=SAME)
    assert wrong.status_code == 401 and "not the API token" in wrong.text
    assert COOKIE not in client.cookies
    got = client.post("/login", data={"api_token": TOKEN, "next": "/lense"}, headers=SAME)
    assert got.status_code == 303 and got.headers["location"] == "/lense"
    assert client.get("/lense").headers["location"] == f"/lense/{WALLET}"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:9999"},
    ],
)
def test_the_log_in_form_is_refused_from_another_origin(
    client: TestClient, headers: dict[str, str]
) -> None:
    got = client.post("/login", data={"api_token": TOKEN}, headers=headers)
    assert got.status_code == 403
    assert "set-cookie" not in got.headers


def test_the_page_shows_the_report_inside_the_layout(
    client: TestClient, sessions: WebSessions, lense: FakeLense
) -> None:
    _login(client, sessions)
    page = client.get(f"/lense/{WALLET}")
    worth = lense.facts.render("net_worth.usd")
    assert worth.startswith("$") and worth in page.text
    names = [str(lense.facts.value(i)) for i in lense.facts.ids("holding.") if i.endswith(".name")]
    assert len(names) > 3 and all(html.escape(n) in page.text for n in names)
    assert "<!doctype html><html><head><title>report" not in page.text  # only its body
    assert "Information, not advice." in page.text
    assert 'action="/logout"' in page.text
    assert page.headers["content-type"].startswith("text/html")


def test_every_page_carries_a_csp_without_inline_script(
    client: TestClient, sessions: WebSessions
) -> None:
    for response in (client.get("/login"), client.get("/static/rexos.css")):
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
    _login(client, sessions)
    assert "unsafe" not in client.get(f"/lense/{WALLET}").headers["content-security-policy"]


def test_a_question_posted_by_the_form_is_answered_in_the_page(
    client: TestClient, sessions: WebSessions, lense: FakeLense
) -> None:
    csrf = _login(client, sessions)
    got = _ask(client, "What's my biggest position?", csrf)
    assert got.status_code == 200, got.text
    share = lense.facts.render("risk.concentration.top_share_pct")
    top = lense.facts.render("risk.concentration.top_symbol")
    assert f"Your biggest position is {top}, {share} of net worth." in got.text
    assert "risk.concentration.top_share_pct" in got.text
    assert lense.asked == [(WALLET, "What's my biggest position?")]
    unknown = _ask(client, "Will it rain?", csrf)
    assert "I don&#x27;t know" in unknown.text and UNKNOWN.startswith("I don't know")


@pytest.mark.parametrize("csrf", [None, "", "forged-" + "x" * 40])
def test_a_post_without_the_session_csrf_token_is_refused(
    client: TestClient, sessions: WebSessions, lense: FakeLense, csrf: str | None
) -> None:
    _login(client, sessions)
    got = _ask(client, "What's my biggest position?", csrf)
    assert got.status_code == 403 and "CSRF" in got.text
    assert lense.asked == []


def test_another_sessions_csrf_token_does_not_do(
    client: TestClient, sessions: WebSessions, lense: FakeLense
) -> None:
    other = sessions.open()
    _login(client, sessions)
    assert _ask(client, "biggest?", other.csrf).status_code == 403
    assert lense.asked == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "http://127.0.0.1:9999"},
        {"Origin": "null"},
        {"Origin": BASE, "Sec-Fetch-Site": "same-site"},
        {"Origin": BASE, "Sec-Fetch-Site": "cross-site"},
    ],
)
def test_a_cross_origin_post_with_the_cookie_and_token_is_refused(
    client: TestClient, sessions: WebSessions, lense: FakeLense, headers: dict[str, str]
) -> None:
    csrf = _login(client, sessions)
    got = client.post(f"/lense/{WALLET}/ask", data={"question": "biggest?", "csrf": csrf},
                      headers=headers)  # fmt: skip
    assert got.status_code == 403
    assert lense.asked == []


def test_a_post_without_an_origin_is_refused(
    client: TestClient, sessions: WebSessions, lense: FakeLense
) -> None:
    csrf = _login(client, sessions)
    got = client.post(f"/lense/{WALLET}/ask", data={"question": "biggest?", "csrf": csrf})
    assert got.status_code == 403 and lense.asked == []


def test_a_json_or_text_post_to_a_page_is_refused(
    client: TestClient, sessions: WebSessions, lense: FakeLense
) -> None:
    csrf = _login(client, sessions)
    as_json = client.post(f"/lense/{WALLET}/ask", json={"question": "b", "csrf": csrf},
                          headers=SAME)  # fmt: skip
    as_text = client.post(f"/lense/{WALLET}/ask", content=f"question=b&csrf={csrf}",
                          headers={**SAME, "Content-Type": "text/plain"})  # fmt: skip
    assert as_json.status_code == 415 and as_text.status_code == 415
    assert lense.asked == []


def test_a_rebinding_host_is_refused_even_with_the_session(
    client: TestClient, sessions: WebSessions, lense: FakeLense
) -> None:
    csrf = _login(client, sessions)
    for host in ("evil.example", "evil.example:8787", "127.0.0.1.nip.io:8787"):
        page = client.get(f"/lense/{WALLET}", headers={"Host": host})
        assert page.status_code == 421
        ask = _ask(client, "biggest?", csrf, Host=host, Origin=f"http://{host}")
        assert ask.status_code == 421
    assert lense.asked == [] and lense.reports == 1  # the one page _login read


def test_a_subresource_request_from_another_site_is_refused(
    client: TestClient, sessions: WebSessions
) -> None:
    _login(client, sessions)
    got = client.get(f"/lense/{WALLET}", headers={"Sec-Fetch-Site": "same-site",
                                                   "Sec-Fetch-Mode": "cors"})  # fmt: skip
    assert got.status_code == 403
    followed = client.get(f"/lense/{WALLET}", headers={"Sec-Fetch-Site": "cross-site",
                                                        "Sec-Fetch-Mode": "navigate"})  # fmt: skip
    assert followed.status_code == 200  # a link the user follows (the cookie decides)


def test_a_page_post_over_the_size_limit_or_another_method_is_refused(
    client: TestClient, sessions: WebSessions, lense: FakeLense
) -> None:
    csrf = _login(client, sessions)
    big = _ask(client, "b" * (64 * 1024), csrf)
    assert big.status_code == 413 and "content-security-policy" in big.headers
    foreign = _ask(client, "b" * (64 * 1024), csrf, Host="evil.example")
    assert foreign.status_code == 421  # the headers are judged before the body is read
    put = client.put(f"/lense/{WALLET}/ask", data={"question": "b", "csrf": csrf}, headers=SAME)
    assert put.status_code == 405
    assert lense.asked == []


def test_a_token_in_the_url_is_refused(client: TestClient) -> None:
    assert client.get(f"/login?token={TOKEN}").status_code == 400


def test_third_party_text_and_the_question_are_rendered_inert(
    client: TestClient, sessions: WebSessions, lense: FakeLense
) -> None:
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    lense.renamed["REX"] = evil
    shown = [i for i in lense.facts.ids("holding.") if lense.facts.value(i) == "REX"]
    csrf = _login(client, sessions)
    page = _ask(client, evil, csrf)
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert page.text.count("&lt;script&gt;") == len(shown) + 2  # the question, the field


def test_log_out_ends_the_session(client: TestClient, sessions: WebSessions) -> None:
    csrf = _login(client, sessions)
    assert client.post("/logout", data={"csrf": "no"}, headers=SAME).status_code == 403
    got = client.post("/logout", data={"csrf": csrf}, headers=SAME)
    assert got.status_code == 303 and "Max-Age=0" in got.headers["set-cookie"]
    assert client.get(f"/lense/{WALLET}").status_code == 303


def test_another_wallet_opens_under_its_checksummed_address(
    client: TestClient, sessions: WebSessions
) -> None:
    _login(client, sessions)
    got = client.get("/lense", params={"address": f"  {WALLET.lower()} "})
    assert got.status_code == 303 and got.headers["location"] == f"/lense/{WALLET}"


def test_a_bad_address_is_a_page_that_says_so(client: TestClient, sessions: WebSessions) -> None:
    _login(client, sessions)
    got = client.get("/lense", params={"address": "0x12<b>"})
    assert got.status_code == 400 and "not an address" in got.text and "<b>" not in got.text
    other = client.get("/lense/0x0000000000000000000000000000000000000001")
    assert other.status_code == 400 and "no report for" in other.text


def test_the_static_files_are_served_without_a_session(client: TestClient) -> None:
    css = client.get("/static/vendor/pico/pico.classless.min.css")
    assert css.status_code == 200 and css.text.startswith('@charset "UTF-8";/*!')
    assert client.get("/static/rexos.js").headers["content-type"].startswith(
        ("text/javascript", "application/javascript"))  # fmt: skip
    for escape in ("/static/..%2f..%2fapi%2fapp.py", "/static/%2e%2e/%2e%2e/api/app.py"):
        got = client.get(escape)
        assert got.status_code == 404 and "create_app" not in got.text


def test_the_session_cookie_is_named_for_the_port() -> None:
    assert WebSessions(9001).cookie == "rexos_session_9001"
