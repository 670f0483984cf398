"""The airdrop file: built from the final list, looked up by address, and refused whole when
anything in it was changed (a leaf, the root, the total, the format)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rexos.airdrop.merkle import verify_proof
from rexos.airdrop.tree import AirdropTree
from rexos.errors import ConfigError, UsageError
from rexos.types import parse_address

A = parse_address("0x" + "aa" * 20)
B = parse_address("0x" + "bb" * 20)
C = parse_address("0x" + "0c" * 20)


def _tree() -> AirdropTree:
    return AirdropTree.build(31337, [(B, 7), (A, 5), (C, 11)], 2_000_000_000)


def test_leaves_are_indexed_by_address_and_every_proof_verifies() -> None:
    tree = _tree()
    assert tree.total == 23 and len(tree) == 3
    found = [tree.allocation(x) for x in (C, A.lower(), B.upper().replace("0X", "0x"))]
    assert [(f.index, f.amount) for f in found if f] == [(0, 11), (1, 5), (2, 7)]
    for f in found:
        assert f is not None
        leaf = tree.tree.leaf_hash((f.index, f.account, f.amount))
        assert verify_proof(tree.root, leaf, list(f.proof))
    assert tree.allocation("0x" + "dd" * 20) is None


@pytest.mark.parametrize(
    ("rows", "message"),
    [([(A, 1), (A.lower(), 2)], "allocated twice"), ([(A, 0)], "must be positive"),
     ([], "no allocation"), ([("0x1234", 1)], "address")],
)  # fmt: skip
def test_a_bad_list_is_one_clear_error(rows: list[tuple[str, int]], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        AirdropTree.build(1, rows, 1)  # type: ignore[arg-type]


def test_the_file_round_trips_and_any_change_refuses_it(tmp_path: Path) -> None:
    tree = _tree().deployed(parse_address("0x" + "12" * 20))
    path = tree.save(tmp_path / "drop.json")
    again = AirdropTree.load(path)
    assert (again.root, again.total, again.distributor, again.deadline) == (
        tree.root, 23, tree.distributor, tree.deadline)  # fmt: skip
    data = json.loads(path.read_text())
    for change, message in [
        (lambda d: d["tree"]["values"][0]["value"].__setitem__(2, "999"), "is not the leaf"),
        (lambda d: d.__setitem__("root", "0x" + "00" * 32), "root"),
        (lambda d: d.__setitem__("total", "24"), "total"),
        (lambda d: d.__setitem__("format", "other"), "not an airdrop file"),
        (lambda d: d.pop("chain_id"), "missing"),
    ]:
        copy = json.loads(json.dumps(data))
        change(copy)
        (tmp_path / "bad.json").write_text(json.dumps(copy))
        with pytest.raises((ConfigError, UsageError), match=message):
            AirdropTree.load(tmp_path / "bad.json")
    (tmp_path / "junk.json").write_text("{not json")
    with pytest.raises(ConfigError, match="not an airdrop file"):
        AirdropTree.load(tmp_path / "junk.json")
    with pytest.raises(UsageError, match="rexos airdrop build"):
        AirdropTree.load(tmp_path / "missing.json")
