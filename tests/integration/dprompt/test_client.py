"""The Python DPrompt client against the contracts deployed by ``deploy_all``."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rexos.chain import Transactor, dev_account
from rexos.dprompt import Client, ProviderClient, load_dprompt_params, receipt_hash
from rexos.errors import InsufficientBalance, UsageError
from rexos.llm import DEFAULT_MODEL_ID, GEMMA_270M_SHA256, ScriptedModel, greedy
from rexos.llm import output_hash as out_hash
from rexos.llm import prompt_hash as p_hash
from rexos.types import Address
from tests.devchain import dev_chain

REX = 10**18
PRICE = 2 * REX
PROVIDERS = (1, 2, 3, 4, 5, 6)
REQUESTER, CHALLENGER, BROKE = 7, 8, 9
QUESTION = "What is the capital of France? Answer in one word."


class Net:
    """deploy_all on an embedded chain, six providers, two funded requesters."""

    def __init__(self) -> None:
        funded = [Address(dev_account(i).address) for i in (*PROVIDERS, REQUESTER, CHALLENGER)]
        self.chain, self.manifest = dev_chain(funded, dex=False)
        self.client = Client(self.chain.web3, self.manifest)
        self.providers = ProviderClient(self.chain.web3, self.manifest)
        for i in PROVIDERS:
            self.providers.register(self.tx(i), [DEFAULT_MODEL_ID], PRICE, 2_000 * REX)
        for i in (REQUESTER, CHALLENGER):
            self.client.deposit(self.tx(i), 1_000 * REX)

    def tx(self, i: int) -> Transactor:
        return Transactor(self.chain.web3, dev_account(i))

    def tx_of(self, address: str) -> Transactor:
        return next(self.tx(i) for i in range(10) if dev_account(i).address == address)

    def nonce(self, i: int) -> int:
        return int(self.chain.web3.eth.get_transaction_count(dev_account(i).address))

    def travel_past(self, timestamp: int) -> None:
        now = self.client.now()
        if now <= timestamp:
            self.chain.time_travel(timestamp - now + 1)


@pytest.fixture(scope="module")
def network() -> Net:
    return Net()


def _answer(model: ScriptedModel, question: str) -> tuple[str, str]:
    params = greedy(seed=7)
    text = model.complete(question, params).text
    rh = receipt_hash(GEMMA_270M_SHA256, p_hash(question), params.hash(), 7, out_hash(text))
    return text, rh


def test_honest_round_trip(net: Net) -> None:
    c = net.client
    asked = c.ask(net.tx(REQUESTER), DEFAULT_MODEL_ID, QUESTION, max_fee=PRICE)
    assert asked.status == "open" and asked.fee == PRICE and asked.prompt == QUESTION
    assert c.get(asked.id) == asked
    model = ScriptedModel({QUESTION: "Paris"})
    text, rh = _answer(model, QUESTION)
    answered = c.respond(net.tx_of(asked.provider), asked, text, rh)
    got = c.get(asked.id)
    assert got == answered and got.output == "Paris" and got.status == "answered"
    assert "0x" + got.receipt_hash.hex() == rh
    assert got.output_hash.hex() == out_hash("Paris")[2:]
    with pytest.raises(UsageError, match="challenge window is open"):
        c.finalize(net.tx(BROKE), got)
    net.travel_past(got.responded_at + got.challenge_window)
    before = c.credit(got.responder)
    final = c.finalize(net.tx(BROKE), got)
    assert final.status == "final" and c.get(asked.id) == final
    p = c.params()
    assert (
        c.credit(got.responder) - before
        == PRICE - PRICE * (p["treasuryBps"] + p["stakersBps"]) // 10_000
    )
    assert net.providers.status(got.responder).answered == 1


def test_wrong_answer_is_challenged_and_slashed(net: Net) -> None:
    c = net.client
    asked = c.ask(net.tx(REQUESTER), DEFAULT_MODEL_ID, QUESTION, max_fee=PRICE)
    wrong = c.respond(net.tx_of(asked.provider), asked, "Lyon", b"\x11" * 32)
    stake_before = net.providers.status(wrong.responder).bonded
    challenged = c.challenge(net.tx(CHALLENGER), wrong)
    dispute = c.dispute(asked.id)
    assert c.get(asked.id) == challenged and len(dispute.committee) == 3
    honest = ScriptedModel({QUESTION: "Paris"})
    right = out_hash(honest.complete(QUESTION, greedy()).text)
    for n, member in enumerate(dispute.committee):
        c.commit(net.tx_of(member), asked.id, right, bytes([n + 1]) * 32)
    with pytest.raises(UsageError, match="reveals open after"):
        c.reveal(net.tx_of(dispute.committee[0]), asked.id, right, b"\x01" * 32)
    net.travel_past(dispute.commit_end)
    for n, member in enumerate(dispute.committee):
        c.reveal(net.tx_of(member), asked.id, right, bytes([n + 1]) * 32)
    net.travel_past(dispute.reveal_end)
    result = c.resolve(net.tx(BROKE), challenged)
    slash = load_dprompt_params(None).book.slash_amount
    assert result.outcome == "overturned" and result.slashed == slash
    assert result.request.status == "refunded" and c.get(asked.id) == result.request
    status = net.providers.status(wrong.responder)
    assert status.slashed == 1 and status.bonded == stake_before - slash


@pytest.mark.parametrize(
    ("model", "prompt", "max_fee", "account", "error", "match"),
    [
        ("no-such-model", QUESTION, PRICE, REQUESTER, UsageError, "unknown model"),
        (DEFAULT_MODEL_ID, "x" * 257, PRICE, REQUESTER, UsageError, "prompt too long"),
        (DEFAULT_MODEL_ID, QUESTION, PRICE - 1, REQUESTER, UsageError, "fee below price"),
        (DEFAULT_MODEL_ID, QUESTION, PRICE, BROKE, InsufficientBalance, "deposit first"),
    ],
)
def test_ask_fails_before_sending(
    net: Net, model: str, prompt: str, max_fee: int, account: int, error: type, match: str
) -> None:
    nonce = net.nonce(account)
    with pytest.raises(error, match=match):
        net.client.ask(net.tx(account), model, prompt, max_fee=max_fee)
    assert net.nonce(account) == nonce


def _accept_anything(net: Net) -> Address:
    """A contract whose code is STOP: every callback to it succeeds."""
    account, web3 = dev_account(REQUESTER), net.chain.web3
    tx = {
        "from": account.address,
        "data": bytes.fromhex("6001600c60003960016000f3") + b"\x00",
        "gas": 100_000,
        "chainId": web3.eth.chain_id,
        "nonce": web3.eth.get_transaction_count(account.address),
        "maxPriorityFeePerGas": 10**9,
        "maxFeePerGas": 10**11,
    }
    raw = account.sign_transaction(tx).raw_transaction
    return Address(
        web3.eth.wait_for_transaction_receipt(web3.eth.send_raw_transaction(raw))["contractAddress"]
    )


def test_a_finality_callback_gets_the_answer_as_posted(net: Net) -> None:
    """``finalize`` hands the book the exact bytes posted (read back from the chain when the
    view lacks them), even an answer that is not UTF-8."""
    c, target = net.client, _accept_anything(net)
    with pytest.raises(UsageError, match="needs a callback contract"):
        c.ask(net.tx(REQUESTER), DEFAULT_MODEL_ID, QUESTION, PRICE, callback_mode="final")
    with pytest.raises(UsageError, match="needs a callback mode"):
        c.ask(net.tx(REQUESTER), DEFAULT_MODEL_ID, QUESTION, PRICE, target, 50_000, None, "none")
    asked = c.ask(net.tx(REQUESTER), DEFAULT_MODEL_ID, QUESTION, PRICE, target, 50_000)
    assert (asked.callback, asked.callback_mode) == (target, "final")  # the default
    both = c.ask(
        net.tx(REQUESTER), DEFAULT_MODEL_ID, QUESTION, PRICE, target, 50_000, callback_mode="both"
    )
    assert c.get(both.id).callback_mode == "both"
    posted = b"Par\xffis"
    call = c.book.functions.respond(asked.id, asked.as_struct(), posted, b"\x11" * 32)
    net.tx_of(asked.provider).send(call, action="respond")
    got = c.get(asked.id)
    assert got.output_bytes == posted and got.output == "Par\ufffdis"
    net.travel_past(got.responded_at + got.challenge_window)
    stale = replace(got, output_bytes=None, output="Par\ufffdis")
    final = c.finalize(net.tx(BROKE), stale)
    assert final.status == "final" and c.get(asked.id).status == "final"
