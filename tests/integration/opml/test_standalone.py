"""The game alone: the deployer stands in for the book, so any program and arity can be played."""

from __future__ import annotations

import pytest
from web3 import Web3

from rexos.errors import TransactionReverted
from rexos.opml import GameContract, Op, Player, ProgramBuilder, Trace, play_out, run, step
from rexos.opml.program import Program
from tests.integration.dprompt.harness import CHALLENGER, PARAMS, REQUESTER, dev_account
from tests.integration.opml.harness import Opml

PROMPT = b"\x05\x07"


def _tiny(steps: int) -> Program:
    """``steps`` instructions over a 4-word memory; the answer is word 0."""
    pb = ProgramBuilder(mem_depth=2)
    pb.emit(Op.INPUT, 0, imm=0)
    for i in range(1, steps):
        pb.emit(Op.MAC, 0, 0, 0, i)
    return pb.build(out_start=0, out_count=1)


def _lie(trace: Trace, index: int) -> Trace:
    memories = list(trace.memories[: index + 1])
    wrong = step(trace.program, memories[-1], index, trace.prompt)
    memories.append((wrong[0] + 1, *wrong[1:]))
    for i in range(index + 1, trace.program.steps):
        memories.append(step(trace.program, memories[-1], i, trace.prompt))
    return Trace(trace.program, trace.prompt, memories)


def _game(op: Opml, arity: int) -> GameContract:
    dp = op.dp
    game = dp.deploy("OpmlGame", dp.deployer.address, arity, 100)
    dp.send(dp.deployer, game.functions.setRequestBook(dp.deployer.address))
    return GameContract(dp.web3, game.address)


@pytest.mark.parametrize(
    ("arity", "steps", "lie_at"), [(2, 1, 0), (2, 9, 4), (3, 10, 9), (64, 5, 2)]
)
@pytest.mark.parametrize("responder_lies", [True, False])
def test_any_arity_and_length_finds_the_lie(
    op: Opml, arity: int, steps: int, lie_at: int, responder_lies: bool
) -> None:
    dp = op.dp
    game = _game(op, arity)
    program = _tiny(steps)
    key = game.register(dp.signer(dp.deployer), program)
    honest = run(program, PROMPT)
    lie = _lie(honest, lie_at)
    assert lie.output != honest.output
    answer = lie if responder_lies else honest
    responder, challenger = dev_account(REQUESTER), dev_account(CHALLENGER)
    call = game.contract.functions.open(
        1,
        responder.address,
        challenger.address,
        key,
        Web3.keccak(PROMPT),
        Web3.keccak(answer.output),
    )
    dp.send(dp.deployer, call)
    players = (
        Player(game, dp.signer(responder), answer),
        Player(game, dp.signer(challenger), honest if responder_lies else lie),
    )
    moves = play_out(1, *players)
    rounds = sum(m.name == "bisect" for m in moves)
    assert moves[0].name == "claim" and moves[-1].name == "prove"
    assert rounds == sum(m.name == "pick" for m in moves)
    assert rounds == 0 if steps == 1 else arity ** (rounds - 1) < steps  # ≤ ⌈log_arity(steps)⌉
    (proved,) = moves[-1].receipt.events(game.contract, "Proved")
    assert proved["index"] == lie_at
    assert game.result(1) == (True, not responder_lies)
    dp.reverts(dp.deployer, call, "OpmlGame: GAME_EXISTS")


def test_constructor_checks(op: Opml) -> None:
    dp = op.dp
    zero = "0x" + "00" * 20
    for args, reason in (
        ((zero, 16, 100), "OpmlGame: ZERO_ADDRESS"),
        ((dp.deployer.address, 1, 100), "OpmlGame: BAD_PARAMS"),
        ((dp.deployer.address, 65, 100), "OpmlGame: BAD_PARAMS"),
        ((dp.deployer.address, 16, 0), "OpmlGame: BAD_PARAMS"),
    ):
        with pytest.raises(TransactionReverted) as info:
            dp.deploy("OpmlGame", *args)
        assert info.value.reason == reason
    game = dp.deploy("OpmlGame", dp.deployer.address, 16, 100)
    dp.reverts(dp.deployer, game.functions.setRequestBook(zero), "OpmlGame: ZERO_ADDRESS")
    book_args = (dp.rex.address, dp.models.address, dp.providers.address, dp.staked.address)
    with pytest.raises(TransactionReverted) as info:
        dp.deploy("RequestBook", *book_args, dp.deployer.address, zero, tuple(PARAMS.values()))
    assert info.value.reason == "RequestBook: ZERO_ADDRESS"
