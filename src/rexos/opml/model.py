"""A small fixed program for the VM and game tests: an integer MLP with random weights.

It reads the first :data:`INPUTS` prompt bytes (0 past the end),
computes :data:`HIDDEN` hidden units ``h_j = relu((b_j + Σ_i w_ji·x_i) >> 4)``
and :data:`CLASSES` logits ``o_k = c_k + Σ_j v_kj·h_j``, and answers the ASCII
digit of the arg-max (ties go to the highest class). The weights are small
integers in ``[-8, 7]`` drawn from keccak256 of :data:`SEED`: it exercises every
opcode the served model (:mod:`rexos.opml.sentiment`) uses in 213 steps, so the game's
tests stay fast; it is not a served model. The weights live in the
immediates of the code, so the program key (the model's weights hash) commits to
them.

Argmax in one-write instructions: ``TAG`` packs each logit with its class index
(``o << 8 | k``), ``MAX`` keeps the largest packed word, ``AND 255`` recovers
the index and ``ADDI 48`` turns it into ``"0"``..``"3"``.
"""

from __future__ import annotations

from functools import cache

from eth_utils.crypto import keccak

from rexos.opml.program import Program, ProgramBuilder
from rexos.opml.vm import Op

__all__ = ["CLASSES", "HIDDEN", "INPUTS", "SEED", "mlp_program", "reference_mlp"]

SEED = b"rexos/opml-mlp-v1"
INPUTS, HIDDEN, CLASSES = 16, 8, 4
_SHIFT = 4
_ASCII_ZERO = 48


def _weights(tag: str, count: int) -> list[int]:
    """``count`` integers in [-8, 7] from keccak256(SEED ‖ tag ‖ counter)."""
    out: list[int] = []
    counter = 0
    while len(out) < count:
        digest = keccak(SEED + tag.encode() + counter.to_bytes(4, "big"))
        out += [(byte & 15) - 8 for byte in digest]
        counter += 1
    return out[:count]


def _parameters() -> tuple[list[list[int]], list[int], list[list[int]], list[int]]:
    w = _weights("w", HIDDEN * INPUTS)
    v = _weights("v", CLASSES * HIDDEN)
    hidden = [w[j * INPUTS : (j + 1) * INPUTS] for j in range(HIDDEN)]
    out = [v[k * HIDDEN : (k + 1) * HIDDEN] for k in range(CLASSES)]
    return hidden, [16 * b for b in _weights("b", HIDDEN)], out, _weights("c", CLASSES)


@cache
def mlp_program() -> Program:
    """The test program (64 words of memory, one output byte)."""
    w, b, v, c = _parameters()
    pb = ProgramBuilder(mem_depth=6)
    x, h, o = pb.alloc(INPUTS), pb.alloc(HIDDEN), pb.alloc(CLASSES)
    best, answer = pb.alloc(), pb.alloc()
    for i in range(INPUTS):
        pb.emit(Op.INPUT, x + i, imm=i)
    for j in range(HIDDEN):
        pb.emit(Op.CONST, h + j, imm=b[j])
        for i in range(INPUTS):
            pb.emit(Op.MAC, h + j, h + j, x + i, w[j][i])
        pb.emit(Op.SAR, h + j, h + j, imm=_SHIFT)
        pb.emit(Op.RELU, h + j, h + j)
    for k in range(CLASSES):
        pb.emit(Op.CONST, o + k, imm=c[k])
        for j in range(HIDDEN):
            pb.emit(Op.MAC, o + k, o + k, h + j, v[k][j])
    for k in range(CLASSES):
        pb.emit(Op.TAG, o + k, o + k, imm=k)
    pb.emit(Op.MAX, best, o, o + 1)
    for k in range(2, CLASSES):
        pb.emit(Op.MAX, best, best, o + k)
    pb.emit(Op.AND, answer, best, imm=255)
    pb.emit(Op.ADDI, answer, answer, imm=_ASCII_ZERO)
    return pb.build(out_start=answer, out_count=1)


def reference_mlp(prompt: bytes) -> bytes:
    """The same model in plain Python integers (no VM): the answer byte."""
    w, b, v, c = _parameters()
    x = [prompt[i] if i < len(prompt) else 0 for i in range(INPUTS)]
    h = [
        max((b[j] + sum(w[j][i] * x[i] for i in range(INPUTS))) >> _SHIFT, 0) for j in range(HIDDEN)
    ]
    o = [c[k] + sum(v[k][j] * h[j] for j in range(HIDDEN)) for k in range(CLASSES)]
    best = max(range(CLASSES), key=lambda k: (o[k], k))
    return bytes([_ASCII_ZERO + best])
