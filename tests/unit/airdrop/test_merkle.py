"""The airdrop's Merkle tree is OpenZeppelin's StandardMerkleTree, checked against the npm package.

``oz_tree.js`` runs ``@openzeppelin/merkle-tree`` (a dev dependency in ``contracts/``) on the
same values; root, every proof and the whole ``standard-v1`` dump must match, and each side
must load the other's dump. Properties: every proof verifies, one flipped byte never does.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from eth_utils import to_checksum_address
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rexos.airdrop.merkle import StandardMerkleTree, verify_proof
from rexos.errors import InvalidAddress, UsageError

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).with_name("oz_tree.js")
PACKAGE = ROOT / "contracts/node_modules/@openzeppelin/merkle-tree"
CLAIM = ["uint256", "address", "uint256"]
MAX = 2**256 - 1
PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def oz(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """OpenZeppelin's answers (root, proofs, dump, verified) for each job."""
    node = shutil.which("node")
    assert node, "node is required to compare with @openzeppelin/merkle-tree"
    assert PACKAGE.is_dir(), (
        "@openzeppelin/merkle-tree is missing from contracts/node_modules: "
        "run `npm install --prefix contracts --no-save` (make install-dev)"
    )
    done = subprocess.run(
        [node, str(SCRIPT)],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answers: list[dict[str, Any]] = json.loads(done.stdout)
    return answers


def claims(size: int, seed: int) -> list[list[object]]:
    """(index, account, amount) with amounts from 0 to 2**256 - 1 and both address spellings."""
    rng = random.Random(seed)
    rows: list[list[object]] = []
    for i in range(size):
        account = "0x" + rng.randbytes(20).hex()
        if rng.random() < 0.5:
            account = to_checksum_address(account)
        amount = rng.choice([0, MAX, 1, rng.randrange(10**30), rng.randrange(MAX)])
        rows.append([i, account, amount])
    return rows


def as_json(rows: list[list[object]]) -> list[list[object]]:
    """The rows as OpenZeppelin takes them: integers as decimal strings."""
    return [[str(v) if isinstance(v, int) else v for v in row] for row in rows]


SIZES = [1, 2, 3, 7, 100, 1000]


@pytest.fixture(scope="module")
def compared() -> list[tuple[StandardMerkleTree, list[list[object]], dict[str, Any]]]:
    sets = [claims(size, seed=size) for size in SIZES]
    answers = oz([{"types": CLAIM, "values": as_json(rows)} for rows in sets])
    return [
        (StandardMerkleTree.of(rows, CLAIM), rows, answer)
        for rows, answer in zip(sets, answers, strict=True)
    ]


@pytest.mark.parametrize("k", range(len(SIZES)), ids=[f"{n}-leaves" for n in SIZES])
def test_root_proofs_and_dump_match_openzeppelin(
    compared: list[tuple[StandardMerkleTree, list[list[object]], dict[str, Any]]], k: int
) -> None:
    tree, rows, answer = compared[k]
    assert answer["verified"] is True
    assert tree.root == answer["root"]
    assert [tree.proof(i) for i in range(len(rows))] == answer["proofs"]
    assert tree.dump() == answer["dump"]
    assert len(tree.dump()["tree"]) == 2 * len(rows) - 1  # type: ignore[arg-type]


def test_a_proof_by_value_is_the_proof_by_index(
    compared: list[tuple[StandardMerkleTree, list[list[object]], dict[str, Any]]],
) -> None:
    tree, rows, answer = compared[SIZES.index(100)]
    for i, row in enumerate(rows):
        assert tree.proof(row) == answer["proofs"][i]
        lower = [row[0], str(row[1]).lower(), row[2]]
        assert tree.proof(lower) == answer["proofs"][i]


def test_openzeppelin_loads_our_dump_and_we_load_its() -> None:
    rows = claims(37, seed=5)
    ours = StandardMerkleTree.of(rows, CLAIM)
    theirs_of_ours, theirs = oz([{"dump": ours.dump()}, {"types": CLAIM, "values": as_json(rows)}])
    assert theirs_of_ours["root"] == ours.root
    assert theirs_of_ours["proofs"] == [ours.proof(i) for i in range(len(rows))]
    loaded = StandardMerkleTree.load(theirs["dump"])
    assert loaded.root == ours.root
    assert [list(v) for _, v in loaded.entries()] == rows
    assert loaded.dump() == ours.dump()


STATIC = ["int256", "bool", "bytes4", "uint8", "int8", "address"]
DYNAMIC = ["address", "int128", "bool", "bytes32", "string", "uint8[]", "(uint64,bytes)"]
OTHER_TYPES = {
    "static": (
        STATIC,
        [
            ["-1", True, "0x01020304", "255", "-128", "0x" + "ab" * 20],
            [str(-(2**255)), False, "0x00000000", "0", "127", "0x" + "cd" * 20],
            [str(2**255 - 1), True, "0xffffffff", "7", "-1", "0x" + "ef" * 20],
            ["0", False, "0xdeadbeef", "1", "0", "0x" + "00" * 20],
        ],
    ),
    "dynamic": (
        DYNAMIC,
        [
            ["0x" + "ab" * 20, "-5", True, "0x" + "11" * 32, "alice", ["1", "2"], ["7", "0x00ff"]],
            ["0x" + "cd" * 20, str(2**127 - 1), False, "0x" + "00" * 32, "", [], ["0", "0x"]],
            [
                "0x" + "ef" * 20,
                str(-(2**127)),
                True,
                "0x" + "ff" * 32,
                "bob ✓",
                ["255"],
                ["9", "0x01"],
            ],
        ],
    ),
}


@pytest.mark.parametrize("kind", OTHER_TYPES)
def test_other_leaf_types_match_openzeppelin(kind: str) -> None:
    types, rows = OTHER_TYPES[kind]
    (answer,) = oz([{"types": types, "values": rows}])
    tree = StandardMerkleTree.of(rows, types)
    assert tree.root == answer["root"]
    assert [tree.proof(i) for i in range(len(rows))] == answer["proofs"]
    assert tree.dump() == answer["dump"]


def test_duplicates_keep_a_leaf_each_and_a_proof_by_value_names_the_last() -> None:
    rows = [[1, "0x" + "11" * 20, 5], [2, "0x" + "22" * 20, 6], [1, "0x" + "11" * 20, 5]]
    (answer,) = oz([{"types": CLAIM, "values": as_json(rows)}])
    tree = StandardMerkleTree.of(rows, CLAIM)
    assert tree.dump() == answer["dump"]
    assert tree.proof(rows[0]) == tree.proof(2) == answer["proofs"][2]


@st.composite
def trees(draw: st.DrawFn) -> tuple[StandardMerkleTree, list[list[object]]]:
    size = draw(st.integers(1, 24))
    rows: list[list[object]] = [
        [
            i,
            "0x" + draw(st.binary(min_size=20, max_size=20)).hex(),
            draw(st.integers(0, MAX)),
        ]
        for i in range(size)
    ]
    return StandardMerkleTree.of(rows, CLAIM), rows


@PROFILE
@given(trees(), st.data())
def test_every_proof_verifies_and_a_flipped_byte_does_not(
    built: tuple[StandardMerkleTree, list[list[object]]], data: st.DataObject
) -> None:
    tree, rows = built
    for i, row in enumerate(rows):
        leaf, proof = tree.leaf_hash(row), tree.proof(i)
        assert verify_proof(tree.root, leaf, proof)
        assert StandardMerkleTree.verify(tree.root, CLAIM, row, proof)
    i = data.draw(st.integers(0, len(rows) - 1))
    leaf, proof = tree.leaf_hash(rows[i]), tree.proof(i)
    parts = [leaf, *(bytes.fromhex(p[2:]) for p in proof)]
    part = data.draw(st.integers(0, len(parts) - 1))
    at = data.draw(st.integers(0, 31))
    bit = data.draw(st.integers(0, 7))
    flipped = bytearray(parts[part])
    flipped[at] ^= 1 << bit
    parts[part] = bytes(flipped)
    assert not verify_proof(tree.root, parts[0], parts[1:])


@PROFILE
@given(trees())
def test_load_of_dump_is_the_same_tree(
    built: tuple[StandardMerkleTree, list[list[object]]],
) -> None:
    tree, rows = built
    dump = json.loads(json.dumps(tree.dump()))
    loaded = StandardMerkleTree.load(dump)
    assert loaded.root == tree.root
    assert [list(v) for _, v in loaded.entries()] == rows
    assert [loaded.proof(i) for i in range(len(rows))] == [tree.proof(i) for i in range(len(rows))]
    assert loaded.dump() == dump


def test_a_tampered_dump_does_not_load() -> None:
    dump = StandardMerkleTree.of(claims(5, seed=1), CLAIM).dump()
    values: list[dict[str, Any]] = dump["values"]  # type: ignore[assignment]
    values[0]["value"][2] = str(int(values[0]["value"][2]) + 1)
    with pytest.raises(UsageError, match=r"values\[0\] is not the leaf"):
        StandardMerkleTree.load(dump)
    nodes: list[str] = StandardMerkleTree.of(claims(5, seed=1), CLAIM).dump()["tree"]  # type: ignore[assignment]
    nodes[0] = "0x" + "00" * 32
    with pytest.raises(UsageError, match="invalid at node 0"):
        StandardMerkleTree.load(
            {"format": "standard-v1", "leafEncoding": CLAIM, "tree": nodes, "values": []}
        )
    with pytest.raises(UsageError, match="standard-v1"):
        StandardMerkleTree.load({"format": "simple-v1"})


@pytest.mark.parametrize(
    ("rows", "error", "message"),
    [
        ([], UsageError, "at least one value"),
        ([[0, "0x" + "11" * 20, -1]], UsageError, "value 0: -1 does not fit uint256"),
        ([[0, "0x" + "11" * 20, 2**256]], UsageError, "does not fit uint256"),
        ([[0, "0x" + "11" * 19, 1]], InvalidAddress, "value 0: not an address"),
        ([[0, "0x" + "11" * 20]], UsageError, "expected 3 fields"),
        ([[0, "0x" + "11" * 20, 1], [1, "0xzz" + "11" * 19, 1]], InvalidAddress, "value 1"),
        ([[True, "0x" + "11" * 20, 1]], UsageError, "not an integer"),
    ],
)
def test_bad_values_are_one_clear_error(
    rows: list[list[object]], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        StandardMerkleTree.of(rows, CLAIM)


def test_proof_of_an_unknown_value_or_index_is_refused() -> None:
    tree = StandardMerkleTree.of(claims(3, seed=2), CLAIM)
    with pytest.raises(UsageError, match="not a value of this tree"):
        tree.proof([9, "0x" + "11" * 20, 1])
    with pytest.raises(UsageError, match="no value at index 3"):
        tree.proof(3)
    with pytest.raises(UsageError, match="not a 32-byte"):
        verify_proof(tree.root, b"short", [])
