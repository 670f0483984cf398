"""POST /v1/chat on an anvil devnet: plans shown, confirmed, each transaction by fingerprint.

Requests carry the data directory's token and a loopback Host, as a local client would; the
refusals themselves are tested in tests/unit/api and tests/integration/api.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from rexos.api.app import create_app
from rexos.api.guard import GuardPolicy
from rexos.api.token import load_or_create_token
from rexos.orchestrator.session import open_session
from tests.integration.orchestrator.conftest import BOB, balance, workspace

pytestmark = pytest.mark.anvil


@pytest.fixture
def client(anvil, manifest, tmp_path):  # type: ignore[no-untyped-def]
    ws = workspace(anvil, manifest, tmp_path)
    token = load_or_create_token(tmp_path).value
    app = create_app(open_session(ws), GuardPolicy.build(token, 8787))
    return TestClient(
        app, base_url="http://127.0.0.1:8787", headers={"Authorization": f"Bearer {token}"}
    )


def _usdc_answer(client: TestClient) -> Decimal:
    reply = client.post("/v1/chat", json={"message": "what is my USDC balance"}).json()
    (row,) = reply["plan"]["steps"][0]["result"]["holdings"]
    return Decimal(row["amount"])


def test_a_send_waits_for_the_plan_and_then_the_exact_transaction(client, anvil, manifest) -> None:  # type: ignore[no-untyped-def]
    bob0 = balance(anvil, manifest, "USDC", BOB.address)
    mine0 = _usdc_answer(client)
    reply = client.post("/v1/chat", json={"message": "send 7 USDC to bob"}).json()
    assert reply["kind"] == "plan" and reply["plan"]["state"] == "pending"
    plan_id = reply["plan"]["id"]
    assert reply["plan"]["steps"][0]["describe"] == "send 7 USDC to bob"
    after_plan = client.post(f"/v1/plans/{plan_id}/confirm", json={}).json()
    step = after_plan["plan"]["steps"][0]
    assert step["state"] == "awaiting_confirmation"
    assert step["awaiting"]["summary"].startswith(f"send 7 USDC to {BOB.address}")
    assert balance(anvil, manifest, "USDC", BOB.address) == bob0  # nothing sent yet
    wrong = client.post(f"/v1/plans/{plan_id}/transactions/0x{'ab' * 32}/confirm", json={})
    assert wrong.status_code == 400 and "waits for confirmation" in wrong.json()["error"]
    fp = step["awaiting"]["fingerprint"]
    done = client.post(f"/v1/plans/{plan_id}/transactions/{fp}/confirm", json={}).json()
    assert done["plan"]["state"] == "done"
    assert done["plan"]["steps"][0]["txs"][0]["move"] == "transfer"
    assert balance(anvil, manifest, "USDC", BOB.address) == bob0 + 7_000_000
    assert _usdc_answer(client) == mine0 - 7  # a new block: not the answer kept for the last
    again = client.post(f"/v1/plans/{plan_id}/transactions/{fp}/confirm", json={})  # replayed
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
    empty = client.post(
        "/v1/plans/nope/confirm", content=b"", headers={"Content-Type": "application/json"}
    )
    assert empty.status_code == 422  # a confirmation's body is {}
    assert client.get("/v1/plans/nope").status_code == 400
    assert client.get("/v1/health").json()["ok"] is True


def test_reads_run_side_by_side_and_repeat_reads_in_a_block_reuse_the_answer(client) -> None:  # type: ignore[no-untyped-def]
    """Many price questions at once all answer (no global lock), with the same figures."""
    from concurrent.futures import ThreadPoolExecutor

    def ask(_n: int) -> dict:  # type: ignore[type-arg]
        reply = client.post("/v1/chat", json={"message": "price of REX"})
        assert reply.status_code == 200, reply.text
        return reply.json()  # type: ignore[no-any-return]

    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(ask, range(16)))
    prices = {r["plan"]["steps"][0]["result"]["price"] for r in replies}
    assert len(prices) == 1 and all(r["kind"] == "answer" for r in replies)
    assert len({r["plan"]["id"] for r in replies}) == 16  # each request its own plan
