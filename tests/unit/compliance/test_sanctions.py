"""Sanctions lists: the shipped OFAC SDN extract, the operator's lists, and attacks on them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rexos.compliance import Gate, load_list
from rexos.compliance.sanctions import MAX_LIST_BYTES, address_bytes, default_list_path
from rexos.errors import ConfigError, InvalidAddress
from tests.unit.compliance.helpers import CLEAN, SANCTIONED, write_policy


def test_the_shipped_list_is_dated_sourced_and_evm_only(tmp_path: Path) -> None:
    shipped = load_list("default", tmp_path)
    assert shipped.name == "ofac-sdn" and shipped.date == "2024-09-27"
    assert shipped.source.startswith("https://github.com/0xB10C/ofac-sanctioned-digital-")
    header = default_list_path().read_text().split("\n0x", 1)[0]
    assert "source-commit: f2aee2265956bf28ce71824c2c2c8cab02c2e173" in header
    assert "sdn_advanced.xml" in header
    assert len(shipped.addresses) == 156 and all(len(a) == 20 for a in shipped.addresses)
    # Tornado Cash's router (designated August 2022) is on it
    assert address_bytes("0xd90e2f925DA726b50C4Ed8D0Fb90Ad053324F31b") in shipped


@pytest.mark.parametrize(
    "variant", [SANCTIONED, SANCTIONED.lower(), "0x" + SANCTIONED[2:].upper(), f"  {SANCTIONED} "]
)
def test_screening_ignores_case_and_spacing(tmp_path: Path, variant: str) -> None:
    found = Gate(tmp_path).screen(variant)
    assert found is not None and found.name == "ofac-sdn"
    assert Gate(tmp_path).screen(CLEAN) is None


@pytest.mark.parametrize("bad", ["", "0x1234", SANCTIONED[2:] + "ab", "vitalik.eth"])
def test_what_is_not_an_address_is_refused_not_passed(tmp_path: Path, bad: str) -> None:
    with pytest.raises(InvalidAddress):
        Gate(tmp_path).screen(bad)
    with pytest.raises(InvalidAddress):
        Gate(tmp_path).check("transfer", addresses={"recipient": bad})


def test_an_operators_list_adds_to_the_default_and_an_update_applies_at_once(
    tmp_path: Path,
) -> None:
    write_policy(tmp_path, lists='["default", "mine.txt"]')
    mine = tmp_path / "mine.txt"
    mine.write_text("# list: mine\n# date: 2026-12-01\n")
    gate = Gate(tmp_path)
    assert gate.screen(CLEAN) is None
    mine.write_text(f"# list: mine\n# date: 2026-12-02\n{CLEAN.upper().replace('0X', '0x')}\n")
    found = gate.screen(CLEAN)
    assert found is not None and found.label == "mine (2026-12-02)"
    assert gate.screen(SANCTIONED) is not None  # the default still applies


def test_a_malformed_line_is_one_error_naming_the_line(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text(f"# list: bad\n{CLEAN}\nTEAqwfMhXLaomXhZ8KeMhx3njGmQEDnsUR\n")
    with pytest.raises(ConfigError, match=r"bad\.txt: line 3: not an EVM address: 'TEAq"):
        load_list("bad.txt", tmp_path)


def test_a_missing_list_refuses_everything_checked(tmp_path: Path) -> None:
    write_policy(tmp_path, lists='["gone.txt"]')
    decision = Gate(tmp_path).check("transfer", addresses={"recipient": CLEAN})
    assert decision.verdict == "refuse" and decision.rule == "policy"
    assert "sanctions list" in decision.message and "gone.txt" in decision.message


def test_a_huge_list_file_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:  # sparse: no disk or memory spent
        handle.truncate(MAX_LIST_BYTES + 1)
    with pytest.raises(ConfigError, match=r"huge\.txt: 67,108,865 bytes, above the limit"):
        load_list("huge.txt", tmp_path)
    write_policy(tmp_path, lists='["default", "huge.txt"]')
    decision = Gate(tmp_path).check("transfer", addresses={"recipient": CLEAN})
    assert decision.verdict == "refuse" and decision.rule == "policy"


def test_a_large_list_within_the_limit_screens_every_entry(tmp_path: Path) -> None:
    count = 200_000
    lines = [f"0x{i:040x}" for i in range(1, count + 1)]
    (tmp_path / "big.txt").write_text("# list: big\n" + "\n".join(lines) + "\n")
    assert os.path.getsize(tmp_path / "big.txt") < MAX_LIST_BYTES
    big = load_list("big.txt", tmp_path)
    assert len(big.addresses) == count
    assert address_bytes(lines[-1]) in big and address_bytes(f"0x{count + 1:040x}") not in big
