"""A running server obeys the policy file as it is now, not as it was when it started.

Observed before: `rexos serve` kept the policy it started with, and a transfer of a token
just removed from the allow-list went through. Here the server is running, a plan waits for
its transaction's confirmation, the user tightens policy.yaml — and the confirmed transfer
is refused, with nothing sent; a broken policy file refuses everything the same way.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.integration.orchestrator.conftest import BOB, balance
from tests.integration.orchestrator.test_api import client

__all__ = ["client"]  # the API client of test_api.py, on this module's data dir

pytestmark = pytest.mark.anvil


def _awaiting(client: TestClient, message: str) -> tuple[str, str]:
    reply = client.post("/v1/chat", json={"message": message}).json()
    plan_id = reply["plan"]["id"]
    step = client.post(f"/v1/plans/{plan_id}/confirm", json={}).json()["plan"]["steps"][0]
    assert step["state"] == "awaiting_confirmation", step
    return plan_id, step["awaiting"]["fingerprint"]


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        ("allow: {tokens: [WETH, REX]}\n", "token USDC is not in the policy's allow-list"),
        ("per_tx_usd_cap: '1'\nper_tx_usd_cap: '100000'\n", "appears twice"),
        ("allow: {tokens: [USDC\n", "not valid YAML"),
    ],
)
def test_an_edit_under_a_running_server_applies_to_the_next_transaction(  # type: ignore[no-untyped-def]
    client, anvil, manifest, tmp_path, edit: str, reason: str
) -> None:
    (tmp_path / "policy.yaml").write_text("allow: {tokens: [USDC, WETH, REX]}\n")
    bob0 = balance(anvil, manifest, "USDC", BOB.address)
    plan_id, fp = _awaiting(client, "send 3 USDC to bob")
    (tmp_path / "policy.yaml").write_text(edit)  # the server keeps running
    done = client.post(f"/v1/plans/{plan_id}/transactions/{fp}/confirm", json={})
    body = done.json()
    text = str(body)
    assert reason in text, text
    assert balance(anvil, manifest, "USDC", BOB.address) == bob0  # nothing was sent
