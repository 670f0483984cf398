"""A clarifying question keeps the thread (issue 13): the next message fills the slots it
asked for, over the chat session and over the HTTP API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from rexos.api.app import create_app
from rexos.api.guard import GuardPolicy
from rexos.api.token import load_or_create_token
from rexos.orchestrator.session import open_session
from tests.integration.orchestrator.conftest import workspace

pytestmark = pytest.mark.anvil


def test_the_answer_fills_the_missing_slot(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session = open_session(workspace(anvil, manifest, tmp_path))
    asked = session.message("please swap 1 WETH")
    assert asked.kind == "clarify"
    assert asked.to_json()["intent"] == "swap" and asked.to_json()["missing"] == ["buy"]
    done = session.message("USDC")
    assert done.kind == "plan" and done.plan is not None
    (step,) = done.plan.steps
    assert step.intent.to_json() == {
        "intent": "swap",
        "args": {"amount": {"kind": "exact", "value": "1"}, "side": "sell", "sell": "WETH",
                 "buy": "USDC"},
    }  # fmt: skip


def test_a_new_request_or_cancel_starts_over(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session = open_session(workspace(anvil, manifest, tmp_path))
    assert session.message("send 5 USDC").kind == "clarify"
    price = session.message("price of WETH")  # a request of its own, not a recipient
    assert price.kind == "answer" and price.plan is not None
    assert price.plan.steps[0].intent.intent == "price"
    assert session.message("send 5 USDC").kind == "clarify"
    assert "Cancelled" in session.message("never mind").text
    after = session.message("bob")  # no question pending: not a recipient any more
    assert after.kind == "clarify" and after.plan is None


def test_two_answers_fill_two_questions(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session = open_session(workspace(anvil, manifest, tmp_path))
    first = session.message("send some USDC")
    assert first.kind == "clarify" and "amount" in first.to_json()["missing"]
    second = session.message("5")
    assert second.kind == "clarify" and second.to_json()["missing"] == ["to"]
    third = session.message("to bob")
    assert third.kind == "plan" and third.plan is not None
    args = third.plan.steps[0].intent.args
    assert (args["token"], args["to"], args["amount"]) == (
        "USDC", "bob", {"kind": "exact", "value": "5"}
    )  # fmt: skip


def test_small_talk_is_answered_not_refused(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session = open_session(workspace(anvil, manifest, tmp_path))
    reply = session.message("hi there")
    assert reply.kind == "answer" and reply.plan is None and "swap" in reply.text


def test_the_api_keeps_the_thread(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(anvil, manifest, tmp_path)
    token = load_or_create_token(tmp_path).value
    app = create_app(open_session(ws), GuardPolicy.build(token, 8787))
    client = TestClient(
        app, base_url="http://127.0.0.1:8787", headers={"Authorization": f"Bearer {token}"}
    )
    asked = client.post("/v1/chat", json={"message": "stake"}).json()
    assert (asked["kind"], asked["intent"], asked["missing"]) == ("clarify", "stake", ["amount"])
    planned = client.post("/v1/chat", json={"message": "10"}).json()
    assert planned["kind"] == "plan"
    assert planned["plan"]["steps"][0]["intent"]["args"]["amount"] == {
        "kind": "exact", "value": "10"
    }  # fmt: skip
