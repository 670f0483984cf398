"""DPrompt with the opML model: the program registered, one provider serving it.

Builds on the DPrompt test deployment (``tests.integration.dprompt.harness``):
the built-in MLP program is registered in the ``OpmlGame`` and added to the
model registry as an ``OPML`` model whose weights hash is the program key; the
``OUTSIDER`` account stakes for it and answers; ``CHALLENGER`` disputes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3

from rexos.chain import Receipt, dev_account
from rexos.opml import GameContract, Player, Trace, mlp_program, run, step
from rexos.opml.program import Program
from tests.integration.dprompt.harness import (
    CHALLENGER,
    MAX_PROMPT_BYTES,
    PRICE,
    PROVIDER_STAKE,
    REQUESTER,
    WINDOW,
    DPrompt,
    as_tuple,
)

MODEL = Web3.keccak(text="opml-mlp-v1")
PROMPT = b"Is this sentence positive?"
RESPONDER_INDEX = 9


@dataclass(repr=False)
class Opml:
    """The DPrompt deployment with the MLP program and its provider."""

    dp: DPrompt
    game: GameContract
    program: Program

    @classmethod
    def create(cls) -> Opml:
        dp = DPrompt.create()
        program = mlp_program()
        game = GameContract(dp.web3, dp.game.address)
        game.register(dp.signer(dp.deployer), program)
        dp.send(
            dp.deployer, dp.models.functions.addModel(MODEL, program.key(), 1, MAX_PROMPT_BYTES)
        )
        provider = dev_account(RESPONDER_INDEX)
        dp.send(provider, dp.rex.functions.approve(dp.providers.address, 2**256 - 1))
        dp.send(provider, dp.providers.functions.register([MODEL], PRICE, PROVIDER_STAKE))
        return cls(dp, game, program)

    @property
    def responder(self) -> LocalAccount:
        return dev_account(RESPONDER_INDEX)

    @property
    def challenger(self) -> LocalAccount:
        return dev_account(CHALLENGER)

    def honest(self, prompt: bytes = PROMPT) -> Trace:
        return run(self.program, prompt)

    def lie_at(self, index: int, delta: int, prompt: bytes = PROMPT) -> Trace:
        """A run whose step ``index`` writes ``delta`` too much, then goes on honestly."""
        honest = run(self.program, prompt)
        memories = list(honest.memories[: index + 1])
        wrong = step(self.program, memories[-1], index, prompt)
        a = self.program.code[index].a
        memories.append((*wrong[:a], (wrong[a] + delta) % 2**256, *wrong[a + 1 :]))
        for i in range(index + 1, self.program.steps):
            memories.append(step(self.program, memories[-1], i, prompt))
        return Trace(self.program, prompt, memories)

    def answered(self, trace: Trace) -> tuple[int, dict[str, Any]]:
        """A request for ``trace.prompt`` answered with ``trace.output``."""
        prompt = trace.prompt
        call = self.dp.book.functions.request(
            MODEL, Web3.keccak(prompt), prompt, PRICE, "0x" + "00" * 20, 0, 0, WINDOW
        )
        (event,) = self.dp.send(dev_account(REQUESTER), call).events(self.dp.book, "Requested")
        rid = int(event["id"])
        request, _ = self.dp.respond(self.responder, rid, dict(event["request"]), trace.output)
        return rid, request

    def challenged(self, trace: Trace) -> tuple[int, dict[str, Any], Receipt]:
        """A request answered from ``trace`` and challenged by ``CHALLENGER``."""
        rid, request = self.answered(trace)
        receipt = self.dp.send(
            self.challenger, self.dp.book.functions.challenge(rid, as_tuple(request))
        )
        return rid, {**request, "status": 2}, receipt

    def players(self, responder: Trace, challenger: Trace) -> tuple[Player, Player]:
        return (
            Player(self.game, self.dp.signer(self.responder), responder),
            Player(self.game, self.dp.signer(self.challenger), challenger),
        )

    def resolve(self, rid: int, request: dict[str, Any]) -> tuple[dict[str, Any], Receipt]:
        receipt = self.dp.send(
            self.challenger, self.dp.book.functions.resolve(rid, as_tuple(request))
        )
        (event,) = receipt.events(self.dp.book, "Resolved")
        status = 4 if event["outcome"] == 1 else 1
        return {**request, "status": status}, receipt
