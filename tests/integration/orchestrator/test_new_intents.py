"""The intents the understanding pipeline added, answered on an anvil devnet: points,
performance over a period, a DPrompt question through the gateway, perp recommendations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rexos.chain import Transactor, dev_account
from rexos.dprompt import Client, ProviderClient
from rexos.orchestrator import answers
from rexos.orchestrator.session import open_session
from tests.integration.orchestrator.conftest import ALICE, workspace
from tests.unit.perps._support import recorded_sources

pytestmark = pytest.mark.anvil
ALLOW = "confirm_above_usd: '100000'\nper_tx_usd_cap: '100000'\n"


def _answer(session, text):  # type: ignore[no-untyped-def]
    reply = session.message(text)
    assert reply.kind == "answer" and reply.plan is not None, reply.text
    (step,) = reply.plan.steps
    assert step.state == "done", step.error
    return step.intent, step.result


def test_points_show_the_staking_position(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session = open_session(workspace(anvil, manifest, tmp_path, ALLOW), confirmer=lambda s, p: True)
    staked = session.message("stake 100 REX")
    assert staked.plan is not None
    done = session.confirm_plan(staked.plan.id)
    assert done.plan is not None and done.plan.state == "done", done.text
    anvil.time_travel(3_600)  # points accrue with time
    intent, result = _answer(session, "what are my points")
    assert intent.intent == "points"
    assert Decimal(result["staked_srex"]) == 100 and Decimal(result["units"]["points"]) > 0
    assert "StakedRex" in result["source"]


def test_performance_reads_both_ends_of_the_period(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session = open_session(workspace(anvil, manifest, tmp_path, ALLOW), confirmer=lambda s, p: True)
    intent, result = _answer(session, "how is my wallet doing this week?")
    assert intent.args == {"days": 7}
    start, head = result["blocks"]
    assert 0 <= start <= head
    change = Decimal(result["value_now_usd"]) - Decimal(result["value_then_usd"])
    assert Decimal(result["change_usd"]) == change
    assert Decimal(result["change_excluding_transfers_usd"]) == change - Decimal(
        result["net_transfers_in_usd"]
    )


def test_asking_the_on_chain_ai_is_a_request_paid_through_the_gateway(
    anvil, manifest, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    provider = dev_account(4)
    treasury = Transactor(anvil.web3, dev_account(0))
    client = Client(anvil.web3, manifest)
    treasury.send(client.rex.functions.transfer(provider.address, 2_000 * 10**18), action="fund")
    ProviderClient(anvil.web3, manifest).register(
        Transactor(anvil.web3, provider), ["gemma-3-270m"], 3 * 10**18, 1_000 * 10**18
    )
    session = open_session(workspace(anvil, manifest, tmp_path, ALLOW), confirmer=lambda s, p: True)
    before = int(client.book.functions.nextId().call())
    planned = session.message("ask the on-chain AI: what is a liquidity pool?")
    assert planned.kind == "plan" and planned.plan is not None  # it pays a fee: confirm first
    assert int(client.book.functions.nextId().call()) == before
    done = session.confirm_plan(planned.plan.id)
    assert done.plan is not None and done.plan.state == "done", done.text
    assert int(client.book.functions.nextId().call()) == before + 1
    view = client.get(before)
    assert view.prompt == "what is a liquidity pool?" and view.fee == 3 * 10**18
    assert view.requester == ALICE.address


def test_a_perp_recommendation_without_a_size_says_it_used_a_reference(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("rexos.perps.live_sources", lambda: recorded_sources())
    result = answers.perp_venues({"market": "BTC", "side": None, "size": None})
    assert [s["side"] for s in result["sides"]] == ["long", "short"]
    assert result["size"] == "reference $10,000"
    ranked = result["sides"][0]["comparison"]
    assert ranked  # the recorded venues were compared


def test_an_ens_name_is_resolved_through_the_devnets_registry(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.integration.orchestrator.conftest import BOB, balance

    session = open_session(workspace(anvil, manifest, tmp_path, ALLOW), confirmer=lambda s, p: True)
    before = balance(anvil, manifest, "USDC", BOB.address)
    planned = session.message("send 5 USDC to bob.eth")
    assert planned.plan is not None
    assert planned.plan.steps[0].intent.args["to_kind"] == "ens"
    done = session.confirm_plan(planned.plan.id)
    assert done.plan is not None and done.plan.state == "done", done.text
    assert done.plan.steps[0].resolved["to_address"] == BOB.address
    assert balance(anvil, manifest, "USDC", BOB.address) == before + 5_000_000
    unknown = session.message("send 5 USDC to nobody-here.eth")
    assert unknown.plan is not None
    failed = session.confirm_plan(unknown.plan.id)
    assert failed.plan is not None and failed.plan.state == "failed"
    assert "nobody-here.eth has no address" in (failed.plan.steps[0].error or "")
