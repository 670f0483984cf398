"""POST /v1/chat on an anvil devnet: plans shown, confirmed, each transaction by fingerprint."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from rexos.api.app import create_app
from rexos.orchestrator.session import open_session
from tests.integration.orchestrator.conftest import BOB, balance, workspace

pytestmark = pytest.mark.anvil


@pytest.fixture
def client(anvil, manifest, tmp_path):  # type: ignore[no-untyped-def]
    ws = workspace(anvil, manifest, tmp_path)
    return TestClient(create_app(open_session(ws)))


def test_a_send_waits_for_the_plan_and_then_the_exact_transaction(client, anvil, manifest) -> None:  # type: ignore[no-untyped-def]
    bob0 = balance(anvil, manifest, "USDC", BOB.address)
    reply = client.post("/v1/chat", json={"message": "send 7 USDC to bob"}).json()
    assert reply["kind"] == "plan" and reply["plan"]["state"] == "pending"
    plan_id = reply["plan"]["id"]
    assert reply["plan"]["steps"][0]["describe"] == "send 7 USDC to bob"
    after_plan = client.post(f"/v1/plans/{plan_id}/confirm").json()
    step = after_plan["plan"]["steps"][0]
    assert step["state"] == "awaiting_confirmation"
    assert step["awaiting"]["summary"].startswith(f"send 7 USDC to {BOB.address}")
    assert balance(anvil, manifest, "USDC", BOB.address) == bob0  # nothing sent yet
    wrong = client.post(f"/v1/plans/{plan_id}/transactions/0x{'ab' * 32}/confirm")
    assert wrong.status_code == 400 and "waits for confirmation" in wrong.json()["error"]
    fp = step["awaiting"]["fingerprint"]
    done = client.post(f"/v1/plans/{plan_id}/transactions/{fp}/confirm").json()
    assert done["plan"]["state"] == "done"
    assert done["plan"]["steps"][0]["txs"][0]["move"] == "transfer"
    assert balance(anvil, manifest, "USDC", BOB.address) == bob0 + 7_000_000
    again = client.post(f"/v1/plans/{plan_id}/transactions/{fp}/confirm")  # a replayed yes
    assert again.status_code == 400
    assert balance(anvil, manifest, "USDC", BOB.address) == bob0 + 7_000_000
    assert client.get(f"/v1/plans/{plan_id}").json()["state"] == "done"


def test_reads_answer_at_once_and_bad_input_is_a_question(client) -> None:  # type: ignore[no-untyped-def]
    price = client.post("/v1/chat", json={"message": "price of WETH"}).json()
    assert price["kind"] == "answer"
    result = price["plan"]["steps"][0]["result"]
    assert result["quote"] == "USDC" and 2500 < float(result["price"]) < 3500
    for text, words in [
        ("", "What would you like"),
        ("asdf qwerty", "didn't understand"),
        ("swap about 5 USDC to WETH", "exact"),
        ("send 1,5 USDC to bob", "ambiguous"),
        ("swap 1 FOO to USDC", "FOO"),
    ]:
        reply = client.post("/v1/chat", json={"message": text}).json()
        assert reply["kind"] == "clarify" and reply["plan"] is None, (text, reply)
        assert words.lower() in reply["text"].lower(), (text, reply["text"])
    assert client.post("/v1/chat", json={"msg": "hi"}).status_code == 422
    assert client.get("/v1/plans/nope").status_code == 400
    assert client.get("/v1/health").json()["ok"] is True
