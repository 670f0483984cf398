"""opML: verifiable integer models and the fraud-proof game that checks their answers.

* :mod:`~rexos.opml.vm`: the integer VM's instruction format and opcodes.
* :class:`Program` / :class:`ProgramBuilder`: straight-line programs; a program's
  :meth:`~Program.key` is the model's weights hash.
* :func:`run` / :class:`Trace`: every state of a run, its Merkle roots, the
  output proof and one-step proofs; :class:`MerkleTree` is the commitment.
* :mod:`~rexos.opml.sentiment`: ``opml-sentiment-v1``, Lense's trained sentiment
  classifier as a program (:func:`sentiment_program`), the prompt that carries a text's
  features (:func:`encode_prompt`) and the answer byte of each label.
* :func:`mlp_program`: a small fixed program with random weights that the VM and game
  tests run (not a served model).
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
from rexos.opml.model import mlp_program, reference_mlp
from rexos.opml.program import Program, ProgramBuilder
from rexos.opml.sentiment import (
    ANSWERS,
    MODEL_ID,
    SentimentLabel,
    decode_prompt,
    encode_prompt,
    label_of,
    sentiment_program,
)
from rexos.opml.served import PROGRAMS
from rexos.opml.trace import StepProof, Trace, execute, run, step
from rexos.opml.vm import Instruction, Op

__all__ = [
    "ANSWERS",
    "MODEL_ID",
    "PROGRAMS",
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
    "SentimentLabel",
    "StepProof",
    "Trace",
    "Turn",
    "climb",
    "decode_prompt",
    "dissection_points",
    "encode_prompt",
    "execute",
    "label_of",
    "leaf",
    "mlp_program",
    "play_out",
    "reference_mlp",
    "run",
    "sentiment_program",
    "step",
]
