"""opML: verifiable integer models and the fraud-proof game that checks their answers.

* :mod:`~rexos.opml.vm`: the integer VM's instruction format and opcodes.
* :class:`Program` / :class:`ProgramBuilder`: straight-line programs; a program's
  :meth:`~Program.key` is the model's weights hash.
* :func:`run` / :class:`Trace`: every state of a run, its Merkle roots, the
  output proof and one-step proofs; :class:`MerkleTree` is the commitment.
* :func:`mlp_program`: the built-in model, a fixed-point integer MLP.
* :class:`GameContract` / :class:`Player` / :func:`play_out`: the on-chain game.
"""

from rexos.opml.game import (
    TURNS,
    GameContract,
    GameState,
    Move,
    Player,
    Turn,
    dissection_points,
    play_out,
)
from rexos.opml.merkle import MerkleTree, climb, leaf
from rexos.opml.model import MODEL_ID, mlp_program, reference_mlp
from rexos.opml.program import Program, ProgramBuilder
from rexos.opml.trace import StepProof, Trace, run, step
from rexos.opml.vm import Instruction, Op

__all__ = [
    "MODEL_ID",
    "TURNS",
    "GameContract",
    "GameState",
    "Instruction",
    "MerkleTree",
    "Move",
    "Op",
    "Player",
    "Program",
    "ProgramBuilder",
    "StepProof",
    "Trace",
    "Turn",
    "climb",
    "dissection_points",
    "leaf",
    "mlp_program",
    "play_out",
    "reference_mlp",
    "run",
    "step",
]
