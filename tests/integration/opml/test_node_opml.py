"""The provider node plays opML on both sides against the default genesis' sentiment model."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from rexos.chain import Transactor, dev_account
from rexos.dprompt import Client, ProviderClient, RequestView
from rexos.dprompt.node import NodeConfig, ProviderNode
from rexos.lense.sentiment_features import features
from rexos.lense.sentiment_model import load_model
from rexos.llm import ScriptedModel, greedy
from rexos.opml import ANSWERS, MODEL_ID, GameContract, Player, Trace, encode_prompt, run
from rexos.opml.sentiment import sentiment_program
from rexos.types import Address
from tests.devchain import dev_chain

REX = 10**18
PRICE = 2 * REX
HONEST, LIAR, AUDITOR, REQUESTER = 1, 2, 3, 7
TEXT = "ETH soars to a record high as ETF inflows climb"
AUDITOR_ADDRESS = Address(dev_account(AUDITOR).address)
NO_LLM = ScriptedModel({})  # an opML request must never reach the LLM


class Net:
    def __init__(self) -> None:
        funded = [Address(dev_account(i).address) for i in (HONEST, LIAR, AUDITOR, REQUESTER)]
        self.chain, self.manifest = dev_chain(funded, dex=False)
        self.web3 = self.chain.web3
        self.client = Client(self.web3, self.manifest)
        self.game = GameContract(self.web3, self.manifest.address("OpmlGame"))
        providers = ProviderClient(self.web3, self.manifest)
        for i in (HONEST, LIAR, AUDITOR):
            providers.register(self.tx(i), [MODEL_ID], PRICE, 2_000 * REX)
        for i in (REQUESTER, AUDITOR, HONEST, LIAR):
            self.client.deposit(self.tx(i), 200 * REX)

    def tx(self, i: int) -> Transactor:
        return Transactor(self.web3, dev_account(i))

    def node(self, i: int, db: Path, audit: float = 0.0) -> ProviderNode:
        config = NodeConfig(
            signer=dev_account(i),
            model=NO_LLM,
            manifest=self.manifest,
            db_path=db,
            web3=self.web3,
            params=greedy(),
            start_block=int(self.web3.eth.block_number) - 2,
            audit_fraction=audit,
        )
        return ProviderNode(config)

    def ask(self, text: str = TEXT) -> tuple[RequestView, bytes]:
        prompt = encode_prompt(features(text, load_model().recipe), text)
        view = self.client.ask(self.tx(REQUESTER), MODEL_ID, prompt.decode(), max_fee=PRICE)
        return view, prompt


@pytest.fixture(scope="module")
def net() -> Net:
    return Net()


def _step(node: ProviderNode) -> None:
    asyncio.run(node.run_once())


def lying(trace: Trace, answer: bytes) -> Trace:
    """``trace`` with its last step writing ``answer`` instead (an honest run before)."""
    program = trace.program
    last = list(trace.memories[-1])
    last[program.out_start] = answer[0]
    return Trace(program, trace.prompt, [*trace.memories[:-1], tuple(last)])


def test_the_node_answers_with_the_vm_and_defends_against_a_wrong_challenge(
    net: Net, tmp_path: Path
) -> None:
    c = net.client
    view, prompt = net.ask()
    assert load_model().label(TEXT) == "positive"
    answerer = next(i for i in range(10) if dev_account(i).address == view.provider)
    node = net.node(answerer, tmp_path / "node.db")
    _step(node)
    answered = c.get(view.id)
    assert answered.status == "answered" and answered.output == ANSWERS["positive"].decode()
    honest = run(sentiment_program(), prompt)
    assert answered.receipt_hash == honest.receipt_hash()
    # a challenger that believes the answer is "-" opens and plays the game
    challenger = Player(net.game, net.tx(REQUESTER), lying(honest, ANSWERS["negative"]))
    c.challenge(net.tx(REQUESTER), answered)
    for _ in range(40):
        _step(node)
        challenger.move(view.id)
        if c.get(view.id).status != "challenged":
            break
    assert net.game.result(view.id) == (True, True)
    assert c.get(view.id).status == "answered"  # upheld: the answer stands


def test_an_auditing_node_challenges_a_cheater_and_wins_the_game(net: Net, tmp_path: Path) -> None:
    c = net.client
    text = "Bridge exploited, $40 million drained; token crashes 60%"
    view, prompt = net.ask(text)
    while view.provider == AUDITOR_ADDRESS:  # the cheater must be another provider
        view, prompt = net.ask(text)
    cheater = Address(view.provider)
    cheater_tx = net.tx(next(i for i in (HONEST, LIAR) if dev_account(i).address == cheater))
    auditor = net.node(AUDITOR, tmp_path / "auditor.db", audit=1.0)
    _step(auditor)  # sees the request
    honest = run(sentiment_program(), prompt)
    assert honest.output == ANSWERS["negative"]
    lie = lying(honest, ANSWERS["positive"])
    c.respond(cheater_tx, view, lie.output.decode(), lie.receipt_hash())
    bonded = ProviderClient(net.web3, net.manifest).status(cheater).bonded
    _step(auditor)
    assert c.get(view.id).status == "challenged"
    assert c.dispute(view.id).challenger == AUDITOR_ADDRESS
    liar = Player(net.game, cheater_tx, lie)
    for _ in range(40):
        liar.move(view.id)
        _step(auditor)
        if c.get(view.id).status != "challenged":
            break
    assert net.game.result(view.id) == (True, False)
    assert c.get(view.id).status == "refunded"
    slash = c.params()["slashAmount"]
    assert bonded - ProviderClient(net.web3, net.manifest).status(cheater).bonded == slash
    record = auditor.store.audit(view.id)
    assert record is not None and record.state == "done"
