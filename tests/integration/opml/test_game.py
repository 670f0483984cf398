"""The opML game end to end: honest defence, lies caught at one step, exact settlement."""

from __future__ import annotations

from rexos.opml import Op, play_out
from tests.integration.dprompt.harness import PARAMS, PRICE, REQUESTER, dev_account
from tests.integration.opml.harness import Opml

SLASH = PARAMS["slashAmount"]
BOND = max(PARAMS["minBond"], PRICE * PARAMS["bondMultiplier"])


def _relu_steps(op: Opml) -> list[int]:
    return [i for i, instr in enumerate(op.program.code) if instr.op == Op.RELU]


def test_honest_responder_defends_and_takes_half_the_bond(op: Opml) -> None:
    dp = op.dp
    honest = op.honest()
    wrong = op.lie_at(_relu_steps(op)[0], -(10**9))  # the challenger believes a bad run
    assert wrong.output != honest.output
    rid, request, _ = op.challenged(honest)
    responder, challenger = op.responder.address, op.challenger.address
    before = {a: dp.credit(a) for a in (responder, challenger)}
    burned, bonded = dp.burned(), dp.bonded(responder)
    moves = play_out(rid, *op.players(honest, wrong))
    assert [m.name for m in moves] == ["claim", "bisect", "pick", "bisect", "pick", "prove"]
    assert op.game.result(rid) == (True, True)
    assert op.game.state(rid).turn == "responder_won"
    request, receipt = op.resolve(rid, request)
    (event,) = receipt.events(dp.book, "Resolved")
    assert event["outcome"] == 0 and event["slashed"] == 0
    assert dp.credit(responder) == before[responder] + BOND // 2
    assert dp.credit(challenger) == before[challenger]
    assert dp.burned() == burned + BOND - BOND // 2
    assert dp.bonded(responder) == bonded
    dp.travel_past(request["respondedAt"] + request["challengeWindow"])
    dp.send(op.challenger, dp.book.functions.finalize(rid, tuple(request.values()), b""))


def _slashed_liar(op: Opml, index: int, delta: int) -> None:
    """The responder answers from a run wrong at step ``index``; it loses exactly there."""
    dp = op.dp
    honest, lie = op.honest(), op.lie_at(index, delta)
    assert lie.output != honest.output
    requester = dev_account(REQUESTER).address
    responder, challenger = op.responder.address, op.challenger.address
    credits = {a: dp.credit(a) for a in (requester, challenger)}
    balance, burned, bonded = dp.balance(challenger), dp.burned(), dp.bonded(responder)
    slashed_count = dp.info(responder)["slashed"]
    rid, request, _ = op.challenged(lie)
    assert dp.credit(challenger) == credits[challenger] - BOND
    moves = play_out(rid, *op.players(lie, honest))
    (proved,) = moves[-1].receipt.events(dp.game, "Proved")
    assert proved["index"] == index and not proved["responderWon"]
    assert proved["computed"] == honest.root(index + 1)
    assert op.game.result(rid) == (True, False)
    request, receipt = op.resolve(rid, request)
    (event,) = receipt.events(dp.book, "Resolved")
    assert event["outcome"] == 1 and event["slashed"] == SLASH
    assert dp.credit(requester) == credits[requester]  # the fee came back
    assert dp.credit(challenger) == credits[challenger]  # the bond came back
    assert dp.balance(challenger) == balance + SLASH // 2
    assert dp.burned() == burned + SLASH - SLASH // 2
    assert dp.bonded(responder) == bonded - SLASH
    assert dp.info(responder)["slashed"] == slashed_count + 1


def test_wrong_output_loses_at_the_last_step(op: Opml) -> None:
    _slashed_liar(op, op.program.steps - 1, 1)


def test_one_wrong_intermediate_step_loses_there(op: Opml) -> None:
    _slashed_liar(op, _relu_steps(op)[2], 10**9)


def test_a_lie_about_a_prompt_byte_loses_at_the_input_step(op: Opml) -> None:
    _slashed_liar(op, 5, 200)


def test_rex_is_conserved_through_both_outcomes(op: Opml) -> None:
    dp = op.dp
    holders = [dev_account(i).address for i in range(10)]
    holders += [dp.book.address, dp.providers.address, dp.staked.address, dp.game.address]

    def total() -> int:
        return sum(dp.balance(a) for a in holders) + dp.burned()

    start, supply = total(), dp.rex.functions.totalSupply().call() + dp.burned()
    burned = dp.burned()
    honest = op.honest()
    for responder_trace, challenger_trace in (
        (honest, op.lie_at(_relu_steps(op)[0], -(10**9))),
        (op.lie_at(_relu_steps(op)[4], 10**9), honest),
    ):
        rid, request, _ = op.challenged(responder_trace)
        play_out(rid, *op.players(responder_trace, challenger_trace))
        op.resolve(rid, request)
        assert total() == start
    assert dp.rex.functions.totalSupply().call() + dp.burned() == supply
    assert dp.burned() == burned + BOND - BOND // 2 + SLASH - SLASH // 2
