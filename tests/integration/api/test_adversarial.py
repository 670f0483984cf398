"""``rexos serve`` under attack, on an anvil devnet, over real loopback HTTP.

The app runs under uvicorn on 127.0.0.1 with a gullible model (an OpenAI-compatible server
on loopback that obeys the text it is given). Every attack in ``attacks.ATTACKS`` must be
refused with its status, no CORS header, no plan run and no funds moved; the front door
(the same requests with the token, a loopback Host and no foreign Origin) still works.
The regression tests name the observations of issue 11.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rexos.chain import AnvilChain
from rexos.chain.manifest import Manifest
from rexos.config import Settings
from rexos.deployment import deploy_dev
from rexos.llm.tools import open_tool_model
from rexos.orchestrator.chat import ChatSession
from rexos.orchestrator.session import open_session
from rexos.orchestrator.workspace import LocalWorkspace
from rexos.types import Address
from tests.integration.api.attacks import (
    ATTACKS,
    CHAT,
    EVIL,
    INJECTION,
    SOFT_INJECTION,
    Served,
    Targets,
    gullible_model,
    run_attacks,
    send,
    served,
    stage,
)
from tests.integration.orchestrator.conftest import ALICE, BOB, balance, workspace

pytestmark = pytest.mark.anvil


@pytest.fixture(scope="module")
def manifest(anvil: AnvilChain) -> Manifest:
    return deploy_dev(anvil, funded=[Address(ALICE.address)])


@pytest.fixture(scope="module")
def model_url() -> Iterator[str]:
    with gullible_model() as url:
        yield url


@pytest.fixture
def api(anvil, manifest, tmp_path, model_url) -> Iterator[tuple[Served, ChatSession]]:  # type: ignore[no-untyped-def]
    ws = workspace(anvil, manifest, tmp_path)
    model = open_tool_model(Settings(home=tmp_path, llm_url=model_url), "gullible")
    session = open_session(ws, model=model)
    with served(session, tmp_path) as running:
        yield running, session


def _usdc(anvil: AnvilChain, manifest: Manifest) -> tuple[int, int]:
    return (
        balance(anvil, manifest, "USDC", ALICE.address),
        balance(anvil, manifest, "USDC", BOB.address),
    )


def _post(api: Served, path: str, body: dict[str, Any], **headers: str) -> Any:
    with api.client() as client:
        return client.post(path, json=body, headers={**api.good(), **headers})


def test_every_attack_is_held_and_the_front_door_still_works(api, anvil, manifest) -> None:  # type: ignore[no-untyped-def]
    running, session = api
    targets = stage(running)
    before, plans = _usdc(anvil, manifest), len(session.store.recent(200))
    outcomes = run_attacks(running, targets)
    injected = _injection_held(running, session, anvil, manifest)
    chain = _foreign_chain_held(running, targets)
    attempts = len(outcomes) + 2
    held = sum(o.held for o in outcomes) + injected + chain
    print(f"adversarial: {attempts} attempts, {held} held")
    assert [(o.attack.name, o.attack.path, o.status, o.cors) for o in outcomes if not o.held] == []
    assert injected and chain
    assert _usdc(anvil, manifest) == before
    assert len(session.store.recent(200)) == plans + 1  # only the injection's plan, unconfirmed
    assert session.store.load(targets.pending).state == "pending"
    assert session.store.load(targets.awaiting).state == "awaiting_confirmation"
    # the same confirmation through the front door sends (so the attacks above could have)
    done = _post(running, f"/v1/plans/{targets.awaiting}/transactions/{targets.fp}/confirm", {})
    assert done.status_code == 200 and done.json()["plan"]["state"] == "done", done.text
    assert _usdc(anvil, manifest) == (before[0] - 8_000_000, before[1] + 8_000_000)


def _injection_held(api: Served, session: ChatSession, anvil: Any, manifest: Manifest) -> bool:
    """A chat message that tells the model to confirm on its own: the model tries (tools it
    does not have), proposes the send, and the plan still waits for the user's yes."""
    before = _usdc(anvil, manifest)
    refused = _post(api, CHAT, {"message": INJECTION}).json()
    if refused["kind"] != "answer" or refused["plan"] is not None or refused["agent"] is not None:
        return False  # the guard answers it: no model, no plan
    reply = _post(api, CHAT, {"message": SOFT_INJECTION}).json()
    agent = reply["agent"] or {}
    tried = {c["tool"]: c for c in agent.get("calls", [])}
    plan = reply["plan"] or {}
    return (
        tried.get("confirm_plan", {}).get("error") == "unknown tool"
        and tried.get("wallet__confirm", {}).get("error") == "unknown tool"
        and reply["kind"] == "plan"
        and plan.get("state") == "pending"
        and session.store.load(plan["id"]).confirmed is False
        and _usdc(anvil, manifest) == before
    )


def _foreign_chain_held(api: Served, targets: Targets) -> bool:
    """The chain that moved funds before: chat → plan confirm → transaction confirm, each
    from a foreign origin with the right token (as if a page had learnt it)."""
    chat = _post(api, CHAT, {"message": "send 9 USDC to bob"}, Origin=EVIL)
    plan = _post(api, f"/v1/plans/{targets.pending}/confirm", {}, Origin=EVIL)
    path = f"/v1/plans/{targets.awaiting}/transactions/{targets.fp}/confirm"
    tx = _post(api, path, {}, Origin=EVIL)
    return [chat.status_code, plan.status_code, tx.status_code] == [403, 403, 403]


def _held(api: Served, targets: Targets, *names: str) -> list[tuple[str, str, int]]:
    chosen = [a for a in ATTACKS if a.name in names]
    assert len(chosen) >= len(names)
    return [(a.name, a.path, o.status) for a in chosen if not (o := send(api, a, targets)).held]


# ---- one regression test per observation of issue 11 ---------------------------------------


def test_regression_no_authentication(api) -> None:  # type: ignore[no-untyped-def]
    running, _ = api
    targets = stage(running)
    names = ("missing token", "wrong token", "token in the query string")
    assert _held(running, targets, *names, "read a plan without the token") == []
    with running.client() as client:
        assert client.get("/v1/health").json()["ok"] is True  # the one open route


def test_regression_no_host_check_dns_rebinding(api) -> None:  # type: ignore[no-untyped-def]
    running, _ = api
    names = ("DNS rebinding (foreign Host)", "foreign Host, no Origin")
    assert _held(running, stage(running), *names, "read a plan under a foreign Host") == []


def test_regression_no_origin_check(api) -> None:  # type: ignore[no-untyped-def]
    running, _ = api
    names = ("foreign Origin", "Origin null (sandboxed page)", "Sec-Fetch-Site cross-site")
    assert _held(running, stage(running), *names, "CORS preflight from another origin") == []


def test_regression_confirm_endpoints_took_cross_site_form_posts(api, anvil, manifest) -> None:  # type: ignore[no-untyped-def]
    running, session = api
    targets = stage(running)
    before = _usdc(anvil, manifest)
    forms = ("form post (urlencoded)", "form post (text/plain)", "form post (multipart)")
    assert _held(running, targets, *forms) == []
    assert session.store.load(targets.pending).state == "pending"
    assert _usdc(anvil, manifest) == before


def test_regression_foreign_origin_chain_moved_funds(api, anvil, manifest) -> None:  # type: ignore[no-untyped-def]
    running, session = api
    targets = stage(running)
    before = _usdc(anvil, manifest)
    assert _foreign_chain_held(running, targets)
    assert _usdc(anvil, manifest) == before
    assert session.store.load(targets.awaiting).state == "awaiting_confirmation"


def test_regression_reads_queued_behind_a_global_lock(anvil, manifest, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A price question answers while a funds-moving call is still running (it is held
    inside the wallet's unlock here); before, one lock made every request wait."""
    entered, release = threading.Event(), threading.Event()

    def slow_unlock() -> Any:
        entered.set()
        release.wait(120)
        return ALICE

    base = workspace(anvil, manifest, tmp_path)
    ws = LocalWorkspace(base.settings, anvil, manifest, Address(ALICE.address), slow_unlock,
                        base.resolve_recipient)  # fmt: skip
    with served(open_session(ws), tmp_path) as running:
        plan = _post(running, CHAT, {"message": "send 3 USDC to bob"}).json()["plan"]["id"]
        confirming = threading.Thread(
            target=_post, args=(running, f"/v1/plans/{plan}/confirm", {}), daemon=True
        )
        confirming.start()
        try:
            assert entered.wait(60), "the confirmation never reached the wallet"
            price = _post(running, CHAT, {"message": "price of REX"})
            assert price.status_code == 200 and price.json()["kind"] == "answer", price.text
            assert confirming.is_alive()  # the read did not wait for the funds-moving call
        finally:
            release.set()
            confirming.join(60)
