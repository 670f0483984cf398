"""The opML integer VM: one instruction format, eleven opcodes, wrapping 256-bit words.

Memory is ``2**mem_depth`` words. Every instruction reads ``x = mem[b]`` and
``y = mem[c]`` and writes ``mem[a]`` (addresses modulo the memory size);
arithmetic wraps modulo 2**256 and comparisons are signed (two's complement), as
the contract's ``OneStep.apply_`` computes them:

======  ================================  ======  ================================
INPUT   ``prompt[imm]`` (0 past the end)   SAR     ``x >> (imm & 255)`` (arithmetic)
CONST   ``imm``                            RELU    ``max(x, 0)``
ADDI    ``x + imm``                        MAX     ``max(x, y)``
MAC     ``x + y * imm``                    TAG     ``(x << 8) | (imm & 255)``
ADD     ``x + y``                          AND     ``x & imm``
MUL     ``x * y``                          other   memory unchanged
======  ================================  ======  ================================

An instruction word is ``op ‖ a ‖ b ‖ c`` in its top four bytes and ``imm`` as a
signed 128-bit integer in its low sixteen bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

__all__ = ["IMM_MAX", "IMM_MIN", "WORD", "Instruction", "Op", "apply", "signed"]

WORD = 2**256
"""Words are integers modulo ``WORD``."""
IMM_MIN, IMM_MAX = -(2**127), 2**127 - 1
"""Range of an immediate (int128)."""


class Op(IntEnum):
    """Opcodes (the top byte of an instruction word)."""

    INPUT = 0
    CONST = 1
    ADDI = 2
    MAC = 3
    ADD = 4
    MUL = 5
    SAR = 6
    RELU = 7
    MAX = 8
    TAG = 9
    AND = 10


def signed(value: int) -> int:
    """A word read as int256."""
    value %= WORD
    return value - WORD if value >= WORD // 2 else value


@dataclass(frozen=True, slots=True)
class Instruction:
    """``mem[a] = op(mem[b], mem[c], imm)``; ``op`` may be any byte (unknown ones do nothing)."""

    op: int
    a: int
    b: int = 0
    c: int = 0
    imm: int = 0

    def __post_init__(self) -> None:
        for name in ("op", "a", "b", "c"):
            if not 0 <= getattr(self, name) <= 255:
                raise ValueError(f"instruction field {name} must be a byte")
        if not IMM_MIN <= self.imm <= IMM_MAX:
            raise ValueError(f"immediate {self.imm} does not fit int128")

    def encode(self) -> int:
        """The 256-bit instruction word."""
        head = (self.op << 24) | (self.a << 16) | (self.b << 8) | self.c
        return (head << 224) | (self.imm % 2**128)

    @classmethod
    def decode(cls, word: int) -> Instruction:
        """The instruction of a word (bytes 4..15 are ignored, as on chain)."""
        imm = word % 2**128
        return cls(
            op=word >> 248,
            a=(word >> 240) & 255,
            b=(word >> 232) & 255,
            c=(word >> 224) & 255,
            imm=imm - 2**128 if imm >= 2**127 else imm,
        )


def apply(instr: Instruction, x: int, y: int, old: int, prompt: bytes) -> int:
    """The word ``instr`` writes, given the words it reads and the one it replaces."""
    imm = instr.imm
    match instr.op:
        case Op.INPUT:
            value = prompt[imm] if 0 <= imm < len(prompt) else 0
        case Op.CONST:
            value = imm
        case Op.ADDI:
            value = x + imm
        case Op.MAC:
            value = x + y * imm
        case Op.ADD:
            value = x + y
        case Op.MUL:
            value = x * y
        case Op.SAR:
            value = signed(x) >> (imm & 255)
        case Op.RELU:
            value = x if signed(x) > 0 else 0
        case Op.MAX:
            value = x if signed(x) >= signed(y) else y
        case Op.TAG:
            value = (x << 8) | (imm & 255)
        case Op.AND:
            value = x & imm
        case _:
            value = old
    return value % WORD
