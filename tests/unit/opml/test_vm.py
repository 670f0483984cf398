"""The opML VM, its Merkle commitment and the built-in model, in plain Python."""

from __future__ import annotations

import importlib
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rexos.opml import (
    Instruction,
    MerkleTree,
    Op,
    Program,
    ProgramBuilder,
    climb,
    dissection_points,
    leaf,
    mlp_program,
    reference_mlp,
    run,
)
from rexos.opml.vm import IMM_MAX, IMM_MIN, WORD, apply, signed


def test_public_names_exist() -> None:
    module = importlib.import_module("rexos.opml")
    assert sorted(module.__all__) == sorted(set(module.__all__))
    for name in module.__all__:
        assert hasattr(module, name), name


@given(
    op=st.integers(0, 255),
    a=st.integers(0, 255),
    b=st.integers(0, 255),
    c=st.integers(0, 255),
    imm=st.integers(IMM_MIN, IMM_MAX),
)
def test_instruction_words_round_trip(op: int, a: int, b: int, c: int, imm: int) -> None:
    instr = Instruction(op, a, b, c, imm)
    word = instr.encode()
    assert 0 <= word < WORD and word >> 248 == op
    assert Instruction.decode(word) == instr


def test_instruction_fields_are_checked() -> None:
    with pytest.raises(ValueError, match="byte"):
        Instruction(256, 0)
    with pytest.raises(ValueError, match="int128"):
        Instruction(1, 0, imm=2**127)


@pytest.mark.parametrize(
    ("op", "x", "y", "imm", "expected"),
    [
        (Op.INPUT, 0, 0, 1, ord("b")),
        (Op.INPUT, 0, 0, 9, 0),
        (Op.INPUT, 0, 0, -1, 0),
        (Op.CONST, 0, 0, -2, WORD - 2),
        (Op.ADDI, WORD - 1, 0, 2, 1),
        (Op.MAC, 10, 3, -4, -2 % WORD),
        (Op.ADD, 2**255, 2**255, 0, 0),
        (Op.MUL, 2**200, 2**100, 0, 0),
        (Op.SAR, -64 % WORD, 0, 4, -4 % WORD),
        (Op.SAR, -1 % WORD, 0, 300, WORD - 1),
        (Op.RELU, -5 % WORD, 0, 0, 0),
        (Op.RELU, 5, 0, 0, 5),
        (Op.MAX, -5 % WORD, 3, 0, 3),
        (Op.MAX, 7, -(2**200) % WORD, 0, 7),
        (Op.TAG, -1 % WORD, 0, 2, (-256 + 2) % WORD),
        (Op.AND, 0x1234, 0, 0xFF, 0x34),
        (200, 1, 2, 3, 42),
    ],
)
def test_opcodes(op: int, x: int, y: int, imm: int, expected: int) -> None:
    assert apply(Instruction(op, 0, imm=imm), x, y, 42, b"abc") == expected


def test_signed() -> None:
    assert (
        signed(WORD - 1) == -1 and signed(2**255 - 1) == 2**255 - 1 and signed(2**255) == -(2**255)
    )


@given(leaves=st.lists(st.integers(0, WORD - 1), min_size=1, max_size=16), data=st.data())
def test_merkle_paths_climb_to_the_root_and_updates_match_a_rebuild(
    leaves: list[int], data: st.DataObject
) -> None:
    depth = max(0, (len(leaves) - 1).bit_length())
    tree = MerkleTree([leaf(v) for v in leaves], depth)
    index = data.draw(st.integers(0, (1 << depth) - 1))
    value = leaf(leaves[index]) if index < len(leaves) else bytes(32)
    assert climb(value, index, tree.path(index)) == tree.root
    assert climb(leaf(1 + leaves[0]), 0, tree.path(0)) != tree.root
    new = data.draw(st.integers(0, WORD - 1))
    tree.set(index, leaf(new))
    rebuilt = [leaf(v) for v in leaves] + [bytes(32)] * ((1 << depth) - len(leaves))
    rebuilt[index] = leaf(new)
    assert tree.root == MerkleTree(rebuilt, depth).root


def test_merkle_bounds() -> None:
    with pytest.raises(ValueError, match="do not fit"):
        MerkleTree([bytes(32)] * 3, 1)
    with pytest.raises(IndexError):
        MerkleTree([bytes(32)], 1).path(2)


@given(prompt=st.binary(max_size=40))
def test_the_vm_runs_the_mlp_like_plain_python(prompt: bytes) -> None:
    trace = run(mlp_program(), prompt)
    assert trace.output == reference_mlp(prompt)
    assert len(trace.roots) == mlp_program().steps + 1


def test_the_mlp_program_and_its_key() -> None:
    program = mlp_program()
    assert program.steps == 213 and program.code_depth == 8 and program.mem_depth == 6
    assert len(program.key()) == 32 and program.key() != program.init_root
    assert {reference_mlp(p) for p in (b"", b"hello world", b"\xff" * 16)} <= {
        b"0",
        b"1",
        b"2",
        b"3",
    }


@given(lo=st.integers(0, 1000), span=st.integers(1, 1000), arity=st.integers(2, 64))
def test_dissection_points_split_the_interval(lo: int, span: int, arity: int) -> None:
    points = dissection_points(lo, lo + span, arity)
    assert points[0] == lo and points[-1] == lo + span
    assert len(points) == min(arity, span) + 1
    assert all(a < b for a, b in itertools.pairwise(points))


def test_programs_are_validated() -> None:
    pb = ProgramBuilder(mem_depth=2)
    first = pb.alloc(3)
    assert first == 0
    with pytest.raises(ValueError, match="full"):
        pb.alloc(2)
    with pytest.raises(ValueError, match="instructions"):
        pb.build(0, 1)
    pb.emit(Op.CONST, 0, imm=5)
    assert pb.build(0, 1).steps == 1
    with pytest.raises(ValueError, match="output"):
        pb.build(3, 2)
    with pytest.raises(ValueError, match="initial memory"):
        Program((Instruction(1, 0),), (0,), 2, 0, 1)
    with pytest.raises(ValueError, match="mem_depth"):
        Program((Instruction(1, 0),), (0,) * 512, 9, 0, 1)
