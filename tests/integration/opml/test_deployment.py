"""``deploy_all`` wires the opML game; the DPrompt client and the players run a dispute."""

from __future__ import annotations

import pytest

from rexos.chain import EmbeddedChain, Transactor, dev_account
from rexos.deployment import deploy_all
from rexos.dprompt import Client, ProviderClient, load_dprompt_params, model_key
from rexos.dprompt.deploy import DPROMPT_CONTRACTS, OPML_ARITY
from rexos.economy import load_genesis
from rexos.economy.deploy import dev_roles
from rexos.errors import TransactionReverted
from rexos.opml import (
    MODEL_ID,
    GameContract,
    Player,
    Trace,
    mlp_program,
    play_out,
    run,
    sentiment_program,
    step,
)
from rexos.types import Address

REX = 10**18
RESPONDER, REQUESTER, CHALLENGER = 1, 7, 8
MLP = "opml-mlp-test"


def _wrong_last_step(trace: Trace) -> Trace:
    program, memories = trace.program, list(trace.memories[:-1])
    last = step(program, memories[-1], program.steps - 1, trace.prompt)
    a = program.code[-1].a
    memories.append((*last[:a], last[a] + 1, *last[a + 1 :]))
    return Trace(program, trace.prompt, memories)


def test_a_deployed_system_runs_an_opml_dispute_through_the_client() -> None:
    chain = EmbeddedChain()
    params = load_dprompt_params(None)
    funded = [Address(dev_account(i).address) for i in (RESPONDER, REQUESTER, CHALLENGER)]
    manifest = deploy_all(
        chain, load_genesis(None), params, dev_account(0), dev_roles(), funded=funded, dex=False
    )
    assert set(DPROMPT_CONTRACTS) <= set(manifest.contracts)
    tx = {i: Transactor(chain.web3, dev_account(i)) for i in (0, RESPONDER, REQUESTER, CHALLENGER)}
    game = GameContract(chain.web3, manifest.address("OpmlGame"))
    assert game.arity == OPML_ARITY
    assert game.contract.functions.moveTimeout().call() == params.book.commit_period
    assert game.contract.functions.book().call() == manifest.address("RequestBook")
    client = Client(chain.web3, manifest)
    assert client.book.functions.game().call() == manifest.address("OpmlGame")

    served = sentiment_program()  # the genesis registered the sentiment model and its program
    assert game.register(tx[0], served) == served.key()
    assert client.models.functions.model(model_key(MODEL_ID)).call()[0] == served.key()

    program = mlp_program()
    assert game.register(tx[0], program) == program.key()
    assert game.register(tx[0], program) == program.key()  # already there: no second call
    add = client.models.functions.addModel(model_key(MLP), program.key(), 1, 256)
    tx[0].send(add, action="add the opML model")
    ProviderClient(chain.web3, manifest).register(tx[RESPONDER], [MLP], 2 * REX, 2_000 * REX)
    for i in (REQUESTER, CHALLENGER):
        client.deposit(tx[i], 100 * REX)

    prompt = "hello opml"
    honest = run(program, prompt.encode())
    lie = _wrong_last_step(honest)
    asked = client.ask(tx[REQUESTER], MLP, prompt, max_fee=2 * REX)
    answered = client.respond(tx[RESPONDER], asked, lie.output.decode(), lie.receipt_hash())
    challenged = client.challenge(tx[CHALLENGER], answered)
    dispute = client.dispute(asked.id)
    assert dispute.committee == () and dispute.reveal_end == 0
    with pytest.raises(TransactionReverted) as info:
        client.resolve(tx[CHALLENGER], challenged)
    assert info.value.reason == "RequestBook: GAME_ON"
    moves = play_out(
        asked.id, Player(game, tx[RESPONDER], lie), Player(game, tx[CHALLENGER], honest)
    )
    assert moves[-1].name == "prove"
    resolution = client.resolve(tx[CHALLENGER], challenged)
    assert resolution.outcome == "overturned"
    assert resolution.slashed == params.book.slash_amount
    assert client.get(asked.id).status == "refunded"
