"""The provider node against the contracts deployed by ``deploy_all`` on an embedded chain."""

from __future__ import annotations

import asyncio
import urllib.request
from pathlib import Path

import pytest

from rexos.chain import dev_account
from rexos.dprompt import RequestView
from rexos.dprompt.node import NodeConfig, ProviderNode
from rexos.dprompt.node_store import AnswerState, NodeStore
from rexos.llm import DEFAULT_MODEL_ID, ScriptedModel, greedy, output_hash
from rexos.types import Address
from tests.integration.dprompt.test_client import CHALLENGER, PRICE, QUESTION, REQUESTER, Net

HONEST = ScriptedModel({QUESTION: "Paris"}, model_id=DEFAULT_MODEL_ID)


@pytest.fixture(scope="module")
def network() -> Net:
    return Net()


def _index(address: str) -> int:
    return next(i for i in range(10) if dev_account(i).address == address)


def _node(net: Net, address: str, db: Path, store: NodeStore | None = None) -> ProviderNode:
    config = NodeConfig(
        signer=dev_account(_index(address)),
        model=HONEST,
        manifest=net.manifest,
        db_path=db,
        web3=net.chain.web3,
        params=greedy(),
        start_block=int(net.chain.web3.eth.block_number) - 3,
    )
    return ProviderNode(config, store=store)


def _step(node: ProviderNode) -> None:
    asyncio.run(node.run_once())


def _responses(net: Net, request_id: int) -> list[Address]:
    logs = net.client.book.events.Responded().get_logs(
        from_block=net.chain.web3.eth.block_number - 12, argument_filters={"id": request_id}
    )
    return [Address(e["args"]["responder"]) for e in logs]


def _ask(net: Net) -> RequestView:
    return net.client.ask(net.tx(REQUESTER), DEFAULT_MODEL_ID, QUESTION, max_fee=PRICE)


def test_priority_provider_answers_once(net: Net, tmp_path: Path) -> None:
    asked = _ask(net)
    other = next(
        dev_account(i).address for i in range(1, 7) if dev_account(i).address != asked.provider
    )
    bystander = _node(net, other, tmp_path / "other.db")
    node = _node(net, asked.provider, tmp_path / "node.db")
    _step(bystander)
    _step(node)
    _step(node)
    _step(bystander)
    assert _responses(net, asked.id) == [asked.provider]
    got = net.client.get(asked.id)
    assert got.output == "Paris" and got.output_hash.hex() == output_hash("Paris")[2:]
    assert node.metrics.get("requests_answered_total") == 1
    assert bystander.metrics.get("requests_answered_total") == 0
    net.travel_past(got.responded_at + got.challenge_window)
    _step(node)
    assert net.client.get(asked.id).status == "final"
    record = node.store.answer(asked.id)
    assert record is not None and record.state == "done"


def test_takeover_after_the_deadline(net: Net, tmp_path: Path) -> None:
    asked = _ask(net)
    other = next(
        dev_account(i).address for i in range(1, 7) if dev_account(i).address != asked.provider
    )
    node = _node(net, other, tmp_path / "node.db")
    _step(node)
    assert _responses(net, asked.id) == []
    net.travel_past(asked.deadline)
    _step(node)
    assert _responses(net, asked.id) == [other]
    assert node.metrics.get("takeovers_total") == 1
    assert net.providers.status(asked.provider).timed_out == 1


def test_committee_member_commits_and_reveals(net: Net, tmp_path: Path) -> None:
    c = net.client
    asked = _ask(net)
    wrong = c.respond(net.tx_of(asked.provider), asked, "Lyon", b"\x11" * 32)
    challenged = c.challenge(net.tx(CHALLENGER), wrong)
    dispute = c.dispute(asked.id)
    nodes = [_node(net, m, tmp_path / f"{n}.db") for n, m in enumerate(dispute.committee)]
    for node in nodes:
        _step(node)
    for node in nodes:
        record = node.store.vote(asked.id)
        assert record is not None and record.state == "committed"
    net.travel_past(dispute.commit_end)
    for node in nodes:
        _step(node)
        assert node.metrics.get("committee_votes_total") == 1
    net.travel_past(dispute.reveal_end)
    result = c.resolve(net.tx(REQUESTER), challenged)
    assert result.outcome == "overturned"
    assert "0x" + result.majority.hex() == output_hash("Paris")


class _Crash(Exception):
    """Stands for the process dying."""


class _CrashAfterSigning(NodeStore):
    """A store whose process dies right after the signed answer is recorded, before broadcast."""

    def set_answer(
        self,
        request_id: int,
        state: AnswerState,
        tx_hash: str | None = None,
        raw_tx: bytes | None = None,
    ) -> None:
        super().set_answer(request_id, state, tx_hash, raw_tx)
        if state == "answering":
            raise _Crash


def test_restart_after_a_crash_answers_once(net: Net, tmp_path: Path) -> None:
    asked = _ask(net)
    db = tmp_path / "node.db"
    crashed = _node(net, asked.provider, db, store=_CrashAfterSigning(db))
    with pytest.raises(_Crash):
        _step(crashed)
    crashed.store.close()
    assert _responses(net, asked.id) == []
    node = _node(net, asked.provider, db)
    record = node.store.answer(asked.id)
    assert record is not None and record.state == "answering" and record.tx_hash
    _step(node)
    assert _responses(net, asked.id) == [asked.provider]
    receipt = net.chain.web3.eth.get_transaction_receipt(record.tx_hash)  # type: ignore[arg-type]
    assert receipt["status"] == 1
    node.store.set_answer(asked.id, "seen")
    node.store.set_last_block(node.store.last_block() - 5)
    node.store.close()
    _step(_node(net, asked.provider, db))
    assert _responses(net, asked.id) == [asked.provider]


def test_metrics_endpoint(net: Net, tmp_path: Path) -> None:
    node = _node(net, dev_account(1).address, tmp_path / "node.db")
    node.metrics.inc("errors_total")
    port = node.metrics.serve(0)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
            body = r.read().decode()
    finally:
        node.metrics.stop()
    assert "rexos_provider_errors_total 1" in body
    assert "# TYPE rexos_provider_requests_answered_total counter" in body
