"""Verifiable programs: straight-line code, initial memory, where the output lies.

A :class:`Program` is what an ``OPML`` model is. Its :meth:`Program.spec` is the
``IOpmlGame.Program`` struct the game contract stores, and :meth:`Program.key`
(``keccak256(abi.encode(spec))``) is the model's weights hash in the model
registry: it commits to the code root, the initial memory root, the step count
and the memory layout of the output. :class:`ProgramBuilder` writes programs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from rexos.opml.merkle import MerkleTree, leaf
from rexos.opml.vm import Instruction, Op

__all__ = ["PROGRAM_TYPES", "Program", "ProgramBuilder", "ProgramSpec"]

PROGRAM_TYPES = "(bytes32,bytes32,uint32,uint8,uint8,uint8,uint8)"
"""ABI type of ``IOpmlGame.Program``."""

ProgramSpec = tuple[bytes, bytes, int, int, int, int, int]
"""``(codeRoot, initRoot, steps, codeDepth, memDepth, outStart, outCount)``."""


@dataclass(frozen=True)
class Program:
    """Straight-line code run once per prompt; step ``i`` executes ``code[i]``."""

    code: tuple[Instruction, ...]
    memory: tuple[int, ...]
    mem_depth: int
    out_start: int
    out_count: int

    def __post_init__(self) -> None:
        if not 1 <= self.mem_depth <= 8:
            raise ValueError("mem_depth must be within 1..8 (addresses are bytes)")
        if len(self.memory) != 1 << self.mem_depth:
            raise ValueError(f"initial memory must have {1 << self.mem_depth} words")
        if not self.code or len(self.code) >= 2**32:
            raise ValueError("a program has 1 to 2**32 - 1 instructions")
        if self.out_count < 1 or self.out_start + self.out_count > len(self.memory):
            raise ValueError("the output words must lie in memory")

    @property
    def steps(self) -> int:
        """Number of steps (instructions) a run executes."""
        return len(self.code)

    @property
    def code_depth(self) -> int:
        """Depth of the code tree: the least ``d >= 1`` with ``steps <= 2**d``."""
        return max(1, (self.steps - 1).bit_length())

    @cached_property
    def code_tree(self) -> MerkleTree:
        """Merkle tree of the instruction words (zero words pad it)."""
        return MerkleTree([leaf(i.encode()) for i in self.code], self.code_depth)

    @cached_property
    def init_root(self) -> bytes:
        """Memory root before step 0."""
        return MerkleTree([leaf(w) for w in self.memory], self.mem_depth).root

    def spec(self) -> ProgramSpec:
        """The ``IOpmlGame.Program`` struct."""
        return (
            self.code_tree.root,
            self.init_root,
            self.steps,
            self.code_depth,
            self.mem_depth,
            self.out_start,
            self.out_count,
        )

    def key(self) -> bytes:
        """``keccak256(abi.encode(spec))``: the game's program key, the model's weights hash."""
        return keccak(encode([PROGRAM_TYPES], [self.spec()]))

    def output(self, memory: tuple[int, ...]) -> bytes:
        """The output bytes of a final memory: the low byte of each output word."""
        words = memory[self.out_start : self.out_start + self.out_count]
        return bytes(w & 255 for w in words)


@dataclass
class ProgramBuilder:
    """Append instructions and allocate words; :meth:`build` freezes the program."""

    mem_depth: int
    code: list[Instruction] = field(default_factory=list)
    _next_word: int = 0

    def alloc(self, count: int = 1) -> int:
        """Reserve ``count`` consecutive words (zero at start); return the first address."""
        first = self._next_word
        if first + count > 1 << self.mem_depth:
            raise ValueError(f"memory of {1 << self.mem_depth} words is full")
        self._next_word += count
        return first

    def emit(self, op: Op, a: int, b: int = 0, c: int = 0, imm: int = 0) -> None:
        """Append ``mem[a] = op(mem[b], mem[c], imm)``."""
        self.code.append(Instruction(int(op), a, b, c, imm))

    def build(self, out_start: int, out_count: int) -> Program:
        """The program, with all-zero initial memory."""
        return Program(
            tuple(self.code), (0,) * (1 << self.mem_depth), self.mem_depth, out_start, out_count
        )
