"""The Lense JSON routes: the report's facts and answers, behind the bearer token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from rexos.api.app import create_app
from rexos.api.guard import GuardPolicy
from rexos.api.web_session import WebSessions
from tests.unit.api.fake_lense import UNKNOWN, WALLET, FakeLense

TOKEN = "k" * 43
PORT = 8787
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {**AUTH, "Content-Type": "application/json"}


@pytest.fixture
def lense() -> FakeLense:
    return FakeLense()


@pytest.fixture
def sessions() -> WebSessions:
    return WebSessions(PORT)


@pytest.fixture
def client(lense: FakeLense, sessions: WebSessions) -> Iterator[TestClient]:
    app = create_app(None, GuardPolicy.build(TOKEN, PORT), lense=lense, web=sessions)
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}", follow_redirects=False) as c:
        yield c


def test_the_report_route_returns_the_facts(client: TestClient, lense: FakeLense) -> None:
    got = client.get(f"/v1/lense/{WALLET}", headers=AUTH)
    assert got.status_code == 200, got.text
    assert got.json() == lense.facts.to_json()
    net = next(f for f in got.json()["facts"] if f["id"] == "net_worth.usd")
    worth = lense.facts["net_worth.usd"]
    assert net == {**net, "value": str(worth.value), "unit": "USD", "source": worth.source}


def test_an_address_in_lower_case_is_the_same_wallet(client: TestClient) -> None:
    assert client.get(f"/v1/lense/{WALLET.lower()}", headers=AUTH).status_code == 200


@pytest.mark.parametrize("address", ["0x1234", "alice", "0x" + "g" * 40])
def test_a_bad_address_is_one_error_line(client: TestClient, address: str) -> None:
    got = client.get(f"/v1/lense/{address}", headers=AUTH)
    assert got.status_code == 400
    assert list(got.json()) == ["error"] and "not an address" in got.json()["error"]


def test_a_question_is_answered_with_the_facts_it_cites(
    client: TestClient, lense: FakeLense
) -> None:
    got = client.post(f"/v1/lense/{WALLET}/ask", headers=JSON,
                      json={"question": "  What's my biggest position? "})  # fmt: skip
    assert got.status_code == 200, got.text
    body = got.json()
    share = lense.facts.render("risk.concentration.top_share_pct")
    top = lense.facts.render("risk.concentration.top_symbol")
    assert body["known"] is True and body["value"] == share and share.endswith("%")
    assert body["text"] == f"Your biggest position is {top}, {share} of net worth."
    assert [c["id"] for c in body["cited"]] == [
        "risk.concentration.top_symbol", "risk.concentration.top_share_pct"]  # fmt: skip
    assert body["cited"][1]["source"] == lense.facts["risk.concentration.top_share_pct"].source
    assert lense.asked == [(WALLET, "What's my biggest position?")]


def test_an_unknown_answer_says_so(client: TestClient) -> None:
    got = client.post(f"/v1/lense/{WALLET}/ask", headers=JSON, json={"question": "Weather?"})
    assert got.json() == {"question": "Weather?", "text": UNKNOWN, "known": False,
                          "kind": "unknown", "value": None, "narrative": None,
                          "cited": []}  # fmt: skip


@pytest.mark.parametrize(
    "body", [{}, {"question": ""}, {"question": "x" * 501}, {"question": "a", "more": 1}]
)
def test_a_malformed_question_is_422_and_not_asked(
    client: TestClient, lense: FakeLense, body: dict[str, object]
) -> None:
    assert client.post(f"/v1/lense/{WALLET}/ask", headers=JSON, json=body).status_code == 422
    assert lense.asked == []


def test_the_routes_need_the_bearer_token(client: TestClient, lense: FakeLense) -> None:
    assert client.get(f"/v1/lense/{WALLET}").status_code == 401
    headers = {"Content-Type": "application/json"}
    ask = client.post(f"/v1/lense/{WALLET}/ask", headers=headers, json={"question": "biggest?"})
    assert ask.status_code == 401
    assert lense.reports == 0 and lense.asked == []


def test_a_browser_session_cookie_does_not_open_the_api(
    client: TestClient, sessions: WebSessions
) -> None:
    code = sessions.new_code()
    assert client.get(f"/login?code={code}").status_code == 303
    assert client.cookies.get(f"rexos_session_{PORT}")
    assert client.get(f"/v1/lense/{WALLET}").status_code == 401


def test_a_form_post_or_a_foreign_origin_cannot_ask(client: TestClient, lense: FakeLense) -> None:
    form = client.post(f"/v1/lense/{WALLET}/ask", headers=AUTH, data={"question": "biggest"})
    assert form.status_code == 415
    evil = client.post(f"/v1/lense/{WALLET}/ask", headers={**JSON, "Origin": "http://evil.example"},
                       json={"question": "biggest"})  # fmt: skip
    assert evil.status_code == 403
    assert lense.asked == []


def test_without_a_lense_source_there_are_no_lense_routes() -> None:
    app = create_app(None, GuardPolicy.build(TOKEN, PORT))
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}") as c:
        assert c.get(f"/v1/lense/{WALLET}", headers=AUTH).status_code == 404
