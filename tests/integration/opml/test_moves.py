"""opML moves: who may move when, what a bad move is told, what a missed deadline costs."""

from __future__ import annotations

from rexos.opml import dissection_points, mlp_program
from tests.integration.dprompt.harness import MOVE_TIMEOUT, PARAMS, as_tuple
from tests.integration.opml.harness import Opml

SLASH = PARAMS["slashAmount"]


def test_a_silent_responder_loses_and_is_slashed(op: Opml) -> None:
    dp = op.dp
    rid, request, _ = op.challenged(op.honest())
    state = op.game.state(rid)
    assert state.turn == "claim" and state.hi == op.program.steps
    dp.reverts(
        op.challenger, dp.book.functions.resolve(rid, as_tuple(request)), "RequestBook: GAME_ON"
    )
    dp.travel_past(state.deadline)
    assert op.game.result(rid) == (True, False)
    responder, _ = op.players(op.honest(), op.honest())
    words, paths = op.honest().output_proof()
    late = dp.game.functions.claim(rid, op.honest().root(-1), words, paths)
    dp.reverts(op.responder, late, "OpmlGame: MOVE_TIMEOUT")
    bonded = dp.bonded(op.responder.address)
    _, receipt = op.resolve(rid, request)
    assert receipt.events(dp.book, "Resolved")[0]["outcome"] == 1
    assert dp.bonded(op.responder.address) == bonded - SLASH
    assert responder.move(rid) is None  # nothing left to do


def test_a_silent_challenger_loses_its_bond(op: Opml) -> None:
    dp = op.dp
    honest = op.honest()
    rid, request, _ = op.challenged(honest)
    responder, challenger = op.players(honest, op.lie_at(40, 10**9))
    assert [responder.move(rid), challenger.move(rid)][
        1
    ] is None  # claim; not the challenger's turn
    assert responder.move(rid) is not None  # bisect
    state = op.game.state(rid)
    assert state.turn == "pick"
    dp.travel_past(state.deadline)
    assert op.game.result(rid) == (True, True)
    points = op.game.posted_points(rid)
    dp.reverts(op.challenger, dp.game.functions.pick(rid, points, 0), "OpmlGame: MOVE_TIMEOUT")
    _, receipt = op.resolve(rid, request)
    assert receipt.events(dp.book, "Resolved")[0]["outcome"] == 0


def test_an_unproved_last_step_counts_against_the_challenger(op: Opml) -> None:
    dp = op.dp
    honest = op.honest()
    rid, _, _ = op.challenged(honest)
    responder, challenger = op.players(honest, op.lie_at(40, 10**9))
    while op.game.state(rid).turn != "prove":
        assert (responder.move(rid) or challenger.move(rid)) is not None
    state = op.game.state(rid)
    assert state.hi - state.lo == 1 and state.lo == 40
    assert op.game.result(rid) == (False, False)
    dp.travel_past(state.deadline)
    assert op.game.result(rid) == (True, True)
    assert dp.now() - state.deadline <= MOVE_TIMEOUT


def test_claims_are_checked(op: Opml) -> None:
    dp = op.dp
    honest, lie = op.honest(), op.lie_at(op.program.steps - 1, 1)
    rid, _, _ = op.challenged(lie)
    game = dp.game.functions
    words, paths = honest.output_proof()
    dp.reverts(
        op.challenger, game.claim(rid, honest.root(-1), words, paths), "OpmlGame: NOT_RESPONDER"
    )
    dp.reverts(op.responder, game.bisect(rid, [honest.root(0)]), "OpmlGame: NOT_YOUR_TURN")
    # the honest final state does not hold the answer the responder gave
    dp.reverts(op.responder, game.claim(rid, honest.root(-1), words, paths), "OpmlGame: BAD_OUTPUT")
    bad_path = [[paths[0][0][::-1], *paths[0][1:]]]
    lie_words, _ = lie.output_proof()
    dp.reverts(
        op.responder, game.claim(rid, lie.root(-1), lie_words, bad_path), "OpmlGame: BAD_PROOF"
    )
    dp.reverts(op.responder, game.claim(rid, lie.root(-1), [], []), "OpmlGame: BAD_OUTPUT")
    dp.reverts(op.responder, game.claim(rid + 1, lie.root(-1), [], []), "OpmlGame: NO_GAME")


def test_bisections_and_picks_are_checked(op: Opml) -> None:
    dp = op.dp
    honest = op.honest()
    rid, _, _ = op.challenged(honest)
    responder, _ = op.players(honest, honest)
    responder.move(rid)
    game = dp.game.functions
    steps = dissection_points(0, op.program.steps, op.game.arity)
    points = [honest.root(i) for i in steps]
    dp.reverts(op.responder, game.bisect(rid, points[:-1]), "OpmlGame: BAD_POINTS")
    dp.reverts(op.responder, game.bisect(rid, [b"\1" * 32, *points[1:]]), "OpmlGame: BAD_ROOTS")
    dp.reverts(op.challenger, game.bisect(rid, points), "OpmlGame: NOT_RESPONDER")
    dp.reverts(op.challenger, game.pick(rid, points, 0), "OpmlGame: NOT_YOUR_TURN")
    dp.send(op.responder, game.bisect(rid, points))
    m = len(points) - 1
    dp.reverts(op.challenger, game.pick(rid, points, m), "OpmlGame: BAD_INDEX")
    dp.reverts(op.challenger, game.pick(rid, points[:-1], 0), "OpmlGame: BAD_ROOTS")
    dp.reverts(op.responder, game.pick(rid, points, 0), "OpmlGame: NOT_CHALLENGER")
    dp.send(op.challenger, game.pick(rid, points, m - 1))
    state = op.game.state(rid)
    assert (state.lo, state.hi, state.turn) == (steps[-2], steps[-1], "bisect")


def test_one_step_proofs_are_checked(op: Opml) -> None:
    dp = op.dp
    lie = op.lie_at(3, 1)  # a wrong prompt byte: the step that loses reads the prompt
    honest = op.honest()
    rid, _, _ = op.challenged(lie)
    responder, challenger = op.players(lie, honest)
    while op.game.state(rid).turn != "prove":
        assert (responder.move(rid) or challenger.move(rid)) is not None
    state = op.game.state(rid)
    assert state.lo == 3
    pre, post = op.game.disputed_pair(state)
    proof = honest.step_proof(3)
    game = dp.game.functions
    prompt = honest.prompt
    dp.reverts(
        op.challenger, game.prove(rid, post, post, proof.as_tuple(), prompt), "OpmlGame: BAD_ROOTS"
    )
    tampered = (proof.instruction + 1, *proof.as_tuple()[1:])
    dp.reverts(op.challenger, game.prove(rid, pre, post, tampered, prompt), "OpmlGame: BAD_PROOF")
    wrong_x = (*proof.as_tuple()[:2], proof.x + 1, *proof.as_tuple()[3:])
    dp.reverts(op.challenger, game.prove(rid, pre, post, wrong_x, prompt), "OpmlGame: BAD_PROOF")
    dp.reverts(
        op.challenger,
        game.prove(rid, pre, post, proof.as_tuple(), b"x" + prompt),
        "OpmlGame: PROMPT_HASH",
    )
    dp.send(op.challenger, game.prove(rid, pre, post, proof.as_tuple(), prompt))
    assert op.game.result(rid) == (True, False)
    dp.reverts(
        op.challenger, game.prove(rid, pre, post, proof.as_tuple(), prompt), "OpmlGame: GAME_OVER"
    )


def test_only_the_book_opens_and_only_the_owner_binds(op: Opml) -> None:
    dp = op.dp
    game = dp.game.functions
    key = mlp_program().key()
    zero = b"\0" * 32
    call = game.open(99, op.responder.address, op.challenger.address, key, zero, zero)
    dp.reverts(op.challenger, call, "OpmlGame: NOT_REQUEST_BOOK")
    dp.reverts(op.challenger, game.setRequestBook(op.challenger.address), "OpmlGame: NOT_OWNER")
    dp.reverts(dp.deployer, game.setRequestBook(op.challenger.address), "OpmlGame: BOOK_SET")
    spec = mlp_program().spec()
    dp.reverts(op.challenger, game.registerProgram(spec), "OpmlGame: PROGRAM_EXISTS")
    too_long = (*spec[:2], 2 ** spec[3] + 1, *spec[3:])
    dp.reverts(op.challenger, game.registerProgram(too_long), "OpmlGame: BAD_PROGRAM")
    no_output = (*spec[:6], 0)
    dp.reverts(op.challenger, game.registerProgram(no_output), "OpmlGame: BAD_PROGRAM")


def test_a_game_opens_once_per_request(op: Opml) -> None:
    rid, request, receipt = op.challenged(op.honest())
    (opened,) = receipt.events(op.dp.game, "GameOpened")
    assert opened["steps"] == op.program.steps and opened["program"] == op.program.key()
    (challenged,) = receipt.events(op.dp.book, "Challenged")
    assert challenged["committee"] == [] and challenged["revealEnd"] == 0
    call = op.dp.book.functions.challenge(rid, as_tuple({**request, "status": 1}))
    op.dp.reverts(op.challenger, call, "RequestBook: BAD_REQUEST")
