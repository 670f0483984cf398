"""A damaged keystore file gives one line naming it: never a traceback, a hang or a crash."""

from __future__ import annotations

import copy
import json
import stat
from pathlib import Path
from typing import Any

import pytest

from rexos.chain.keystore import Keystore
from rexos.errors import KeystoreError, RexosError

PASSPHRASE = "correct horse battery staple"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=["scrypt", "pbkdf2"])
def wallet(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Keystore, Path]:
    keystore = Keystore(tmp_path / "keystore", kdf=request.param, work_factor=2)
    return keystore, keystore.create("alice", PASSPHRASE).path


def _field_paths(node: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            found.append((*prefix, key))
            found.extend(_field_paths(value, (*prefix, key)))
    return found


def _assert_one_named_line(keystore: Keystore) -> None:
    """Listing and unlocking either work or raise one line naming the wallet; anything
    else (a traceback from eth-keyfile, a hang) fails the test."""
    for attempt in (keystore.list, lambda: keystore.unlock("alice", PASSPHRASE)):
        try:
            attempt()
        except RexosError as exc:
            assert "\n" not in str(exc)
            assert "alice" in str(exc), str(exc)


def test_every_truncation_is_one_line(wallet: tuple[Keystore, Path]) -> None:
    keystore, path = wallet
    text = path.read_text(encoding="utf-8")
    for end in range(0, len(text) - 1, 3):
        path.write_text(text[:end], encoding="utf-8")
        with pytest.raises(KeystoreError, match=r"alice\.json"):
            keystore.list()


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b"\xff\xfe\x00", b"null", b"[]", b"42", b'{"crypto": []}', b"{}"],
    ids=["empty", "text", "not-utf8", "null", "list", "number", "crypto-list", "no-crypto"],
)
def test_not_a_keystore(wallet: tuple[Keystore, Path], content: bytes) -> None:
    keystore, path = wallet
    path.write_bytes(content)
    with pytest.raises(KeystoreError, match=r"alice\.json"):
        keystore.list()


def test_deeply_nested_json_is_refused_not_a_crash(wallet: tuple[Keystore, Path]) -> None:
    # py_ecc raises the recursion limit to 100000: json.loads would overflow the C stack.
    keystore, path = wallet
    path.write_text("[" * 200_000, encoding="utf-8")
    with pytest.raises(KeystoreError, match=r"too large or too deeply nested\): .*alice\.json"):
        keystore.list()


def test_a_huge_file_is_refused(wallet: tuple[Keystore, Path]) -> None:
    keystore, path = wallet
    document = json.loads(path.read_text(encoding="utf-8"))
    document["padding"] = "x" * 200_000
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(KeystoreError, match="too large"):
        keystore.list()


@pytest.mark.parametrize(
    ("field", "value"),
    [("n", 2**40), ("c", 10**12), ("dklen", 10**19), ("r", 4096), ("n", 0.5), ("dklen", True)],
)
def test_key_derivation_parameters_that_would_hang_are_refused(
    wallet: tuple[Keystore, Path], field: str, value: object
) -> None:
    keystore, path = wallet
    document = json.loads(path.read_text(encoding="utf-8"))
    document["crypto"]["kdfparams"][field] = value
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(KeystoreError, match=rf"alice\.json: kdfparams\.{field} = "):
        keystore.unlock("alice", PASSPHRASE)


REPLACEMENTS: list[object] = [None, 1, -1, 0.5, True, "x", "00", [], {}, 10**30]


def test_every_field_missing_or_of_the_wrong_type_is_one_line(
    wallet: tuple[Keystore, Path],
) -> None:
    keystore, path = wallet
    original = json.loads(path.read_text(encoding="utf-8"))
    for field in _field_paths(original):
        for replacement in REPLACEMENTS:
            document = copy.deepcopy(original)
            parent = document
            for key in field[:-1]:
                parent = parent[key]
            if replacement is None:
                del parent[field[-1]]
            else:
                parent[field[-1]] = replacement
            path.write_text(json.dumps(document), encoding="utf-8")
            _assert_one_named_line(keystore)


def test_the_healthy_file_still_unlocks(wallet: tuple[Keystore, Path]) -> None:
    keystore, _ = wallet
    assert keystore.unlock("alice", PASSPHRASE).address == keystore.get("alice").address


def test_a_new_data_dir_is_private_all_the_way_down(tmp_path: Path) -> None:
    home = tmp_path / "fresh" / ".rexos"
    info = Keystore(home / "keystore", work_factor=2).create("alice", PASSPHRASE)
    assert _mode(tmp_path / "fresh") == 0o700
    assert _mode(home) == 0o700
    assert _mode(home / "keystore") == 0o700
    assert _mode(info.path) == 0o600
