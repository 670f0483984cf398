"""The provider node against the contracts deployed by ``deploy_all`` on an embedded chain."""

from __future__ import annotations

import asyncio
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from rexos.chain import dev_account
from rexos.dprompt import RequestView
from rexos.dprompt.node import NodeConfig, ProviderNode
from rexos.dprompt.node_store import AnswerState, NodeStore
from rexos.dprompt.verdict import INVALID_VOTE
from rexos.errors import ConfigError
from rexos.llm import DEFAULT_MODEL_ID, ScriptedModel, greedy, output_hash
from rexos.types import Address
from tests.integration.dprompt.test_client import CHALLENGER, PRICE, QUESTION, REQUESTER, Net

HONEST = ScriptedModel({QUESTION: "Paris"}, model_id=DEFAULT_MODEL_ID)


@pytest.fixture(scope="module")
def network() -> Net:
    return Net()


def _index(address: str) -> int:
    return next(i for i in range(10) if dev_account(i).address == address)


def _node(
    net: Net, address: str, db: Path, store: NodeStore | None = None, audit: float = 0.0
) -> ProviderNode:
    config = NodeConfig(
        signer=dev_account(_index(address)),
        model=HONEST,
        manifest=net.manifest,
        db_path=db,
        web3=net.chain.web3,
        params=greedy(),
        start_block=int(net.chain.web3.eth.block_number) - 3,
        audit_fraction=audit,
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
    assert result.majority == INVALID_VOTE  # the members reveal verdicts, not their own output


def test_committee_upholds_a_valid_answer_with_its_output_hash(net: Net, tmp_path: Path) -> None:
    c = net.client
    asked = _ask(net)
    right = c.respond(net.tx_of(asked.provider), asked, "Paris", b"\x11" * 32)
    challenged = c.challenge(net.tx(CHALLENGER), right)
    dispute = c.dispute(asked.id)
    nodes = [_node(net, m, tmp_path / f"{n}.db") for n, m in enumerate(dispute.committee)]
    for node in nodes:
        _step(node)
        record = node.store.vote(asked.id)
        assert record is not None and record.output_hash == output_hash("Paris")
    net.travel_past(dispute.commit_end)
    for node in nodes:
        _step(node)
    net.travel_past(dispute.reveal_end)
    result = c.resolve(net.tx(REQUESTER), challenged)
    assert result.outcome == "upheld"
    assert "0x" + result.majority.hex() == output_hash("Paris")


def _rex(net: Net, address: str) -> int:
    return int(net.client.rex.functions.balanceOf(address).call())


def test_auditor_challenges_a_wrong_answer_and_the_liar_is_slashed(
    net: Net, tmp_path: Path
) -> None:
    c = net.client
    asked = _ask(net)
    liar = asked.provider
    others = [dev_account(i).address for i in range(1, 7) if dev_account(i).address != liar]
    auditor = _node(net, others[0], tmp_path / "auditor.db", audit=1.0)
    c.deposit(net.tx_of(auditor.address), 100 * 10**18)
    _step(auditor)  # sees the request; not its to answer yet
    c.respond(net.tx_of(liar), asked, "Lyon", b"\x11" * 32)
    credit, rex = c.credit(auditor.address), _rex(net, auditor.address)
    slash = c.params()["slashAmount"]
    _step(auditor)
    assert c.get(asked.id).status == "challenged"
    assert auditor.metrics.get("audits_total") == 1
    assert auditor.metrics.get("challenges_total") == 1
    dispute = c.dispute(asked.id)
    assert dispute.challenger == auditor.address and auditor.address not in dispute.committee
    assert c.credit(auditor.address) == credit - dispute.bond
    committee = [_node(net, m, tmp_path / f"m{n}.db") for n, m in enumerate(dispute.committee)]
    for node in committee:
        _step(node)
    net.travel_past(dispute.commit_end)
    for node in committee:
        _step(node)
    _step(auditor)  # reveal phase still open: nothing to resolve yet
    assert c.get(asked.id).status == "challenged"
    net.travel_past(dispute.reveal_end)
    bonded = net.providers.status(liar).bonded
    _step(auditor)
    record = auditor.store.audit(asked.id)
    assert record is not None and record.state == "done"
    assert c.get(asked.id).status == "refunded"
    assert bonded - net.providers.status(liar).bonded == slash
    assert net.providers.status(liar).slashed == 1
    assert c.credit(auditor.address) == credit  # bond back
    assert _rex(net, auditor.address) == rex + slash // 2


def test_auditor_leaves_a_matching_answer_alone(net: Net, tmp_path: Path) -> None:
    asked = _ask(net)
    other = next(
        dev_account(i).address for i in range(1, 7) if dev_account(i).address != asked.provider
    )
    auditor = _node(net, other, tmp_path / "auditor.db", audit=1.0)
    idle = _node(net, other, tmp_path / "idle.db", audit=0.0)
    honest = _node(net, asked.provider, tmp_path / "honest.db")
    _step(honest)
    _step(auditor)
    _step(idle)
    record = auditor.store.audit(asked.id)
    assert record is not None and record.state == "checked"
    assert auditor.metrics.get("audits_total") == 1
    assert auditor.metrics.get("challenges_total") == 0
    assert idle.store.audit(asked.id) is None
    assert net.client.get(asked.id).status == "answered"


def test_audit_draw_is_a_fixed_fraction() -> None:
    config = NodeConfig(
        signer=dev_account(1),
        model=HONEST,
        manifest=None,  # type: ignore[arg-type]
        db_path=Path("unused"),
        audit_fraction=0.25,
    )
    picked = sum(config.audits(i) for i in range(4_000))
    assert 850 <= picked <= 1_150
    assert [config.audits(i) for i in range(50)] == [config.audits(i) for i in range(50)]
    assert not any(replace(config, audit_fraction=0.0).audits(i) for i in range(500))
    assert all(replace(config, audit_fraction=1.0).audits(i) for i in range(500))
    with pytest.raises(ConfigError, match="audit fraction"):
        ProviderNode(replace(config, audit_fraction=1.5))


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
