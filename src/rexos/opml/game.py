"""The opML game from Python: read a game, and play either side honestly.

:class:`GameContract` wraps a deployed ``OpmlGame`` (register a program, read a
game and the roots posted in it). A :class:`Player` holds a signer and the
:class:`~rexos.opml.trace.Trace` it believes in and makes whatever move is due
for its side: the responder claims its final root and posts the roots at the
dissection points; the challenger picks the first sub-interval whose end root
differs from its own and, at one step, submits the one-step proof.
:func:`play_out` alternates players until nobody has a move left.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from web3 import Web3
from web3.contract import Contract

from rexos.chain.artifacts import load_artifact
from rexos.chain.tx import Receipt, Transactor, reverts_as
from rexos.errors import ChainError, UsageError
from rexos.opml.program import Program
from rexos.opml.trace import Trace
from rexos.types import Address

__all__ = [
    "TURNS",
    "GameContract",
    "GameState",
    "Move",
    "Player",
    "Turn",
    "dissection_points",
    "play_out",
]

Turn = Literal["none", "claim", "bisect", "pick", "prove", "responder_won", "challenger_won"]
TURNS: tuple[Turn, ...] = (
    "none",
    "claim",
    "bisect",
    "pick",
    "prove",
    "responder_won",
    "challenger_won",
)
"""``IOpmlGame.Turn`` by its ABI value."""


def dissection_points(lo: int, hi: int, arity: int) -> list[int]:
    """The steps whose roots a bisection of ``[lo, hi]`` posts (both ends included)."""
    if not 0 <= lo < hi or arity < 2:
        raise ValueError(f"cannot dissect [{lo}, {hi}] into {arity} parts")
    parts = min(arity, hi - lo)
    return [lo + i * (hi - lo) // parts for i in range(parts + 1)]


@dataclass(frozen=True, slots=True)
class GameState:
    """``IOpmlGame.Game`` of one request (without the copied output layout)."""

    request_id: int
    lo: int
    hi: int
    deadline: int
    turn: Turn
    responder: Address
    challenger: Address
    roots: bytes
    prompt_hash: bytes
    output_hash: bytes
    program: bytes


@dataclass(frozen=True, slots=True)
class Move:
    """A move a :class:`Player` made and its receipt."""

    name: Literal["claim", "bisect", "pick", "prove"]
    receipt: Receipt


class GameContract:
    """A deployed ``OpmlGame``."""

    def __init__(self, web3: Web3, address: str) -> None:
        self.web3 = web3
        self.contract: Contract = web3.eth.contract(
            address=Web3.to_checksum_address(address), abi=load_artifact("OpmlGame").abi
        )
        self.arity = int(self._read(self.contract.functions.arity(), "the game's arity"))

    def register(self, signer: Transactor, program: Program) -> bytes:
        """Register ``program`` unless it is already; return its key."""
        key = program.key()
        stored = self._read(self.contract.functions.programOf(key), "a program")
        if int(stored[2]) == 0:
            signer.send(
                self.contract.functions.registerProgram(program.spec()), action="register a program"
            )
        return key

    def state(self, request_id: int) -> GameState:
        """The game of ``request_id``."""
        g = self._read(self.contract.functions.gameOf(request_id), f"game {request_id}")
        return GameState(
            request_id=request_id,
            lo=int(g[0]),
            hi=int(g[1]),
            deadline=int(g[2]),
            turn=TURNS[int(g[3])],
            responder=Address(g[7]),
            challenger=Address(g[8]),
            roots=bytes(g[9]),
            prompt_hash=bytes(g[10]),
            output_hash=bytes(g[11]),
            program=bytes(g[12]),
        )

    def result(self, request_id: int) -> tuple[bool, bool]:
        """``(over, responder won)``; a missed deadline loses."""
        over, won = self._read(
            self.contract.functions.result(request_id), f"game {request_id} result"
        )
        return bool(over), bool(won)

    def disputed_pair(self, state: GameState) -> tuple[bytes, bytes]:
        """The agreed root at ``lo`` and the responder's root at ``hi``."""
        posted = self._events("Bisected", state.request_id)
        if posted:
            last = posted[-1]
            steps = dissection_points(int(last["lo"]), int(last["hi"]), self.arity)
            points = self._points(last)
            return points[steps.index(state.lo)], points[steps.index(state.hi)]
        (claimed,) = self._events("Claimed", state.request_id)
        program = self._read(self.contract.functions.programOf(state.program), "a program")
        return bytes(program[1]), bytes(claimed["finalRoot"])

    def posted_points(self, request_id: int) -> list[bytes]:
        """The roots of the responder's latest bisection (read from its calldata)."""
        posted = self._events("Bisected", request_id)
        if not posted:
            raise UsageError(f"game {request_id}: nothing has been bisected yet")
        return self._points(posted[-1])

    def _points(self, event: dict[str, Any]) -> list[bytes]:
        with reverts_as("read a bisection"):
            tx = self.web3.eth.get_transaction(event["transactionHash"])
        fn, args = self.contract.decode_function_input(tx["input"])
        if fn.fn_name != "bisect" or int(args["id"]) != int(event["args"]["id"]):
            raise ChainError("a Bisected event whose transaction is not that bisect call")
        return [bytes(p) for p in args["points"]]

    def _events(self, name: str, request_id: int) -> list[dict[str, Any]]:
        with reverts_as(f"read {name} events"):
            logs = self.contract.events[name]().get_logs(
                from_block=0, argument_filters={"id": request_id}
            )
        ordered = sorted(logs, key=lambda e: (e["blockNumber"], e["logIndex"]))
        return [
            {**e["args"], "args": e["args"], "transactionHash": e["transactionHash"]}
            for e in ordered
        ]

    @staticmethod
    def _read(fn: Any, what: str) -> Any:
        with reverts_as(f"read {what}"):
            return fn.call()


class Player:
    """One side of a game, playing from ``trace`` (honest when the trace is)."""

    def __init__(self, game: GameContract, signer: Transactor, trace: Trace) -> None:
        self.game = game
        self.signer = signer
        self.trace = trace

    def move(self, request_id: int) -> Move | None:
        """Make the move due for this side of game ``request_id``; ``None`` when none is
        (not its turn, or the game is over, a missed deadline included)."""
        if self.game.result(request_id)[0]:
            return None
        state = self.game.state(request_id)
        me = self.signer.address
        if me == state.responder and state.turn == "claim":
            return self.claim(state)
        if me == state.responder and state.turn == "bisect":
            return self.bisect(state)
        if me == state.challenger and state.turn == "pick":
            return self.pick(state)
        if me == state.challenger and state.turn == "prove":
            return self.prove(state)
        return None

    def claim(self, state: GameState) -> Move:
        """Claim the final root with the proof of the output words."""
        words, paths = self.trace.output_proof()
        call = self.game.contract.functions.claim(
            state.request_id, self.trace.root(-1), words, paths
        )
        return Move("claim", self.signer.send(call, action=f"claim game {state.request_id}"))

    def bisect(self, state: GameState) -> Move:
        """Post this trace's roots at the dissection points of ``[lo, hi]``."""
        steps = dissection_points(state.lo, state.hi, self.game.arity)
        call = self.game.contract.functions.bisect(
            state.request_id, [self.trace.root(i) for i in steps]
        )
        return Move("bisect", self.signer.send(call, action=f"bisect game {state.request_id}"))

    def pick(self, state: GameState) -> Move:
        """Choose the first sub-interval whose end root differs from this trace's."""
        points = self.game.posted_points(state.request_id)
        steps = dissection_points(state.lo, state.hi, self.game.arity)
        if points[0] != self.trace.root(steps[0]):
            raise UsageError(f"game {state.request_id}: the agreed root is not this trace's")
        wrong = [
            j for j in range(len(points) - 1) if points[j + 1] != self.trace.root(steps[j + 1])
        ]
        if not wrong:
            raise UsageError(f"game {state.request_id}: every posted root matches this trace")
        call = self.game.contract.functions.pick(state.request_id, points, wrong[0])
        return Move("pick", self.signer.send(call, action=f"pick in game {state.request_id}"))

    def prove(self, state: GameState) -> Move:
        """Submit the one-step proof of step ``lo``."""
        pre, post = self.game.disputed_pair(state)
        proof = self.trace.step_proof(state.lo)
        call = self.game.contract.functions.prove(
            state.request_id, pre, post, proof.as_tuple(), self.trace.prompt
        )
        return Move(
            "prove",
            self.signer.send(call, action=f"prove step {state.lo} of game {state.request_id}"),
        )


def play_out(request_id: int, *players: Player, max_rounds: int = 256) -> list[Move]:
    """Let ``players`` move in turn until none has a move; return the moves made."""
    moves: list[Move] = []
    for _ in range(max_rounds):
        made = [m for m in (p.move(request_id) for p in players) if m is not None]
        if not made:
            return moves
        moves += made
    raise UsageError(f"game {request_id} did not end within {max_rounds} rounds")
