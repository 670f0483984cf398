"""The contract's one-step execution equals the Python VM on random instructions and states."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rexos.errors import TransactionReverted
from rexos.opml import Instruction, MerkleTree, Program, Trace, leaf, step
from rexos.opml.vm import IMM_MAX, IMM_MIN, WORD
from tests.integration.opml.harness import Opml

MEM_DEPTH = 3
EDGES = [0, 1, 2, 255, 256, 2**127, 2**255 - 1, 2**255, WORD - 256, WORD - 1]
WORDS = st.one_of(
    st.integers(0, WORD - 1), st.sampled_from(EDGES), st.integers(-300, 300).map(lambda v: v % WORD)
)
IMMS = st.one_of(
    st.integers(IMM_MIN, IMM_MAX), st.integers(-300, 300), st.sampled_from([IMM_MIN, IMM_MAX])
)
INSTRUCTIONS = st.builds(
    Instruction,
    op=st.one_of(st.sampled_from(range(12)), st.integers(0, 255)),  # 11 and beyond do nothing
    a=st.integers(0, 255),
    b=st.integers(0, 255),
    c=st.integers(0, 255),
    imm=IMMS,
)


def _proof_case(code: list[Instruction], memory: list[int], prompt: bytes) -> tuple[Program, Trace]:
    program = Program(tuple(code), tuple(memory), MEM_DEPTH, 0, 1)
    return program, Trace(program, prompt, [program.memory] * (program.steps + 1))


def _check(
    deployment: Opml, code: list[Instruction], memory: list[int], prompt: bytes, index: int
) -> None:
    program, trace = _proof_case(code, memory, prompt)
    key = deployment.game.register(deployment.dp.signer(deployment.dp.deployer), program)
    after = step(program, program.memory, index, prompt)
    expected = MerkleTree([leaf(w) for w in after], MEM_DEPTH).root
    proof = trace.step_proof(index)
    execute = deployment.game.contract.functions.execute
    assert execute(key, index, trace.root(index), proof.as_tuple(), prompt).call() == expected


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    code=st.lists(INSTRUCTIONS, min_size=1, max_size=4),
    memory=st.lists(WORDS, min_size=1 << MEM_DEPTH, max_size=1 << MEM_DEPTH),
    prompt=st.binary(max_size=40),
    data=st.data(),
)
def test_contract_step_equals_python_step(
    deployment: Opml, code: list[Instruction], memory: list[int], prompt: bytes, data: st.DataObject
) -> None:
    _check(deployment, code, memory, prompt, data.draw(st.integers(0, len(code) - 1)))


@pytest.mark.parametrize("op", [*range(12), 255])
@pytest.mark.parametrize("imm", [-3, 0, 5, 255, 300, IMM_MIN, IMM_MAX])
def test_every_opcode_on_edge_words(deployment: Opml, op: int, imm: int) -> None:
    memory = [7, WORD - 1, WORD - 64, 2**255, 3, 2**255 - 1, 0x1234, 9]
    for b, c in ((1, 2), (2, 4), (3, 5), (6, 0)):
        _check(deployment, [Instruction(op, 7, b, c, imm)], memory, b"prompt", 0)


def test_execute_refuses_bad_indices_programs_and_proofs(deployment: Opml) -> None:
    code = [Instruction(4, 1, 2, 3), Instruction(0, 5, imm=1)]
    program, trace = _proof_case(code, list(range(8)), b"ab")
    key = deployment.game.register(deployment.dp.signer(deployment.dp.deployer), program)
    execute = deployment.game.contract.functions.execute
    proof = trace.step_proof(0).as_tuple()
    assert execute(key, 0, trace.root(0), proof, b"").call() != trace.root(0)
    cases = [
        (key, 2, trace.root(0), proof, "OpmlGame: BAD_INDEX"),
        (b"\7" * 32, 0, trace.root(0), proof, "OpmlGame: UNKNOWN_PROGRAM"),
        (key, 1, trace.root(0), proof, "OpmlGame: BAD_PROOF"),  # instruction 0 is not at index 1
        (key, 0, b"\1" * 32, proof, "OpmlGame: BAD_PROOF"),
        (key, 0, trace.root(0), (*proof[:3], proof[3][:-1], *proof[4:]), "OpmlGame: BAD_PROOF"),
    ]
    for program_key, index, pre, bad, reason in cases:
        with pytest.raises(TransactionReverted) as info:
            deployment.dp.send(deployment.dp.deployer, execute(program_key, index, pre, bad, b""))
        assert info.value.reason == reason
