"""Running a program: the memory after every step, state roots, and the proofs.

State ``i`` is the memory after ``i`` steps; its commitment is the Merkle root of
the memory words (the program counter is ``i`` itself, the code being
straight-line). A :class:`Trace` holds every state of one run and builds what
the game asks for: the root at a step, the output proof of the claim and the
one-step proof of a step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from rexos.opml.merkle import MerkleTree, leaf
from rexos.opml.program import Program
from rexos.opml.vm import apply

__all__ = ["StepProof", "Trace", "execute", "run", "step"]

Memory = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class StepProof:
    """``IOpmlGame.StepProof``: the instruction and the words it touches, with paths."""

    instruction: int
    code_path: tuple[bytes, ...]
    x: int
    x_path: tuple[bytes, ...]
    y: int
    y_path: tuple[bytes, ...]
    old: int
    old_path: tuple[bytes, ...]

    def as_tuple(self) -> tuple[object, ...]:
        """The struct as the ABI encoder wants it."""
        return (
            self.instruction,
            list(self.code_path),
            self.x,
            list(self.x_path),
            self.y,
            list(self.y_path),
            self.old,
            list(self.old_path),
        )


def step(program: Program, memory: Memory, index: int, prompt: bytes) -> Memory:
    """The memory after executing instruction ``index`` on ``memory``."""
    instr = program.code[index]
    mask = len(memory) - 1
    a = instr.a & mask
    value = apply(instr, memory[instr.b & mask], memory[instr.c & mask], memory[a], prompt)
    return (*memory[:a], value, *memory[a + 1 :])


class Trace:
    """Every state of one run of ``program`` on ``prompt`` (or of a made-up run)."""

    def __init__(self, program: Program, prompt: bytes, memories: Sequence[Memory]) -> None:
        if len(memories) != program.steps + 1:
            raise ValueError(f"a trace has {program.steps + 1} states, not {len(memories)}")
        self.program = program
        self.prompt = prompt
        self.memories = tuple(memories)

    @cached_property
    def roots(self) -> tuple[bytes, ...]:
        """The state root after each step (index 0: the initial memory)."""
        tree = self._tree(0)
        roots = [tree.root]
        for before, after in zip(self.memories, self.memories[1:], strict=False):
            for address, (old, new) in enumerate(zip(before, after, strict=True)):
                if old != new:
                    tree.set(address, leaf(new))
            roots.append(tree.root)
        return tuple(roots)

    @property
    def output(self) -> bytes:
        """The output bytes of the final state."""
        return self.program.output(self.memories[-1])

    def receipt_hash(self) -> bytes:
        """The receipt an opML responder posts: ``keccak256(abi.encode(program key,
        keccak256(prompt), final root, keccak256(output)))``. Not checked on chain (the
        responder posts its final root when a game opens); it lets anyone holding the
        trace match it to the answer."""
        fields = (self.program.key(), keccak(self.prompt), self.root(-1), keccak(self.output))
        return keccak(encode(["bytes32"] * 4, list(fields)))

    def root(self, index: int) -> bytes:
        """The root of state ``index``."""
        return self.roots[index]

    def output_proof(self) -> tuple[list[int], list[list[bytes]]]:
        """The output words of the final state and their paths (the claim's proof)."""
        tree = self._tree(len(self.memories) - 1)
        start, count = self.program.out_start, self.program.out_count
        addresses = range(start, start + count)
        return [self.memories[-1][a] for a in addresses], [tree.path(a) for a in addresses]

    def step_proof(self, index: int) -> StepProof:
        """The proof that re-executes step ``index`` from state ``index``."""
        program = self.program
        instr = program.code[index]
        memory = self.memories[index]
        tree = self._tree(index)
        mask = len(memory) - 1
        b, c, a = instr.b & mask, instr.c & mask, instr.a & mask
        return StepProof(
            instruction=instr.encode(),
            code_path=tuple(program.code_tree.path(index)),
            x=memory[b],
            x_path=tuple(tree.path(b)),
            y=memory[c],
            y_path=tuple(tree.path(c)),
            old=memory[a],
            old_path=tuple(tree.path(a)),
        )

    def _tree(self, index: int) -> MerkleTree:
        return MerkleTree([leaf(w) for w in self.memories[index]], self.program.mem_depth)


def run(program: Program, prompt: bytes) -> Trace:
    """The honest run of ``program`` on ``prompt``."""
    memories = [program.memory]
    for index in range(program.steps):
        memories.append(step(program, memories[-1], index, prompt))
    return Trace(program, prompt, memories)


def execute(program: Program, prompt: bytes) -> Memory:
    """The final memory of the honest run, without keeping the states between (what a
    provider needs to answer; :func:`run` keeps every state for the game)."""
    memory = list(program.memory)
    mask = len(memory) - 1
    for instr in program.code:
        a = instr.a & mask
        memory[a] = apply(instr, memory[instr.b & mask], memory[instr.c & mask], memory[a], prompt)
    return tuple(memory)
