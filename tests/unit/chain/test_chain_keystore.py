"""Keystore wallets: standard files, permissions, atomic writes, secrets kept secret."""

from __future__ import annotations

import json
import logging
import os
import stat
import tempfile
from pathlib import Path

import pytest
from eth_account import Account
from hypothesis import given, settings
from hypothesis import strategies as st

from rexos.chain.keystore import Keystore, WalletInfo
from rexos.errors import (
    InvalidAddress,
    KeystoreError,
    UnknownAccount,
    UsageError,
    WrongPassphrase,
)

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
KEY = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
PASSPHRASE = "correct horse battery staple"


def _keystore(directory: Path) -> Keystore:
    return Keystore(directory / "keystore", work_factor=2)


@pytest.fixture
def keystore(tmp_path: Path) -> Keystore:
    """A keystore with a tiny scrypt work factor, so tests stay fast."""
    return _keystore(tmp_path)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_create_writes_a_standard_v3_file(keystore: Keystore) -> None:
    info = keystore.create("alice", PASSPHRASE)
    assert info.path == keystore.directory / "alice.json"
    document = json.loads(info.path.read_text(encoding="utf-8"))
    assert document["version"] == 3
    assert document["name"] == "alice"
    assert document["crypto"]["kdf"] == "scrypt"
    key = Account.decrypt(document, PASSPHRASE)
    assert Account.from_key(key).address == info.address
    assert _mode(info.path) == 0o600
    assert _mode(keystore.directory) == 0o700


def test_default_strength_is_standard_scrypt(tmp_path: Path) -> None:
    info = Keystore(tmp_path).import_key("alice", KEY, PASSPHRASE)
    kdfparams = json.loads(info.path.read_text(encoding="utf-8"))["crypto"]["kdfparams"]
    assert kdfparams["n"] == 262144


def test_existing_directory_is_tightened(tmp_path: Path) -> None:
    directory = tmp_path / "keystore"
    directory.mkdir(mode=0o755)
    os.chmod(directory, 0o755)
    Keystore(directory, work_factor=2).create("alice", PASSPHRASE)
    assert _mode(directory) == 0o700


def test_unlock_returns_the_key_and_rejects_a_wrong_passphrase(keystore: Keystore) -> None:
    info = keystore.import_key("alice", "0x" + KEY, PASSPHRASE)
    assert keystore.unlock("alice", PASSPHRASE).key.hex() == KEY
    assert keystore.unlock(info.address.lower(), PASSPHRASE).address == info.address
    with pytest.raises(WrongPassphrase, match=r"^wrong passphrase for wallet 'alice'$"):
        keystore.unlock("alice", PASSPHRASE + "!")


def test_list_and_get(keystore: Keystore) -> None:
    bob = keystore.create("bob", PASSPHRASE)
    alice = keystore.create("alice", PASSPHRASE)
    (keystore.directory / "notes.txt").write_text("not a wallet", encoding="utf-8")
    (keystore.directory / "UTC--2024.json").write_text("{}", encoding="utf-8")
    assert keystore.list() == [alice, bob]
    assert keystore.get("bob") == bob
    assert keystore.get(alice.address) == alice
    with pytest.raises(UnknownAccount, match="known wallets: alice, bob"):
        keystore.get("carol")
    with pytest.raises(UnknownAccount):
        keystore.get("0x" + "12" * 20)
    with pytest.raises(InvalidAddress):
        keystore.get("0x1234")


def test_damaged_files_are_named(keystore: Keystore) -> None:
    info = keystore.create("alice", PASSPHRASE)
    document = json.loads(info.path.read_text(encoding="utf-8"))
    del document["crypto"]["mac"]
    info.path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(KeystoreError, match=r"alice\.json"):
        keystore.unlock("alice", PASSPHRASE)
    info.path.write_text("{broken", encoding="utf-8")
    with pytest.raises(KeystoreError, match=r"alice\.json"):
        keystore.list()


def test_empty_keystore(keystore: Keystore) -> None:
    assert keystore.list() == []
    with pytest.raises(UnknownAccount, match="known wallets: none"):
        keystore.get("alice")


@pytest.mark.parametrize("name", ["a", "alice", "bob-2", "x_y", "0day", "a" * 32])
def test_valid_names(keystore: Keystore, name: str) -> None:
    assert keystore.create(name, PASSPHRASE).name == name


@pytest.mark.parametrize(
    "name", ["", "Alice", "-a", "_a", "a b", "a" * 33, "../evil", "a.json", "ålice", "a/b"]
)
def test_invalid_names_are_refused(keystore: Keystore, name: str) -> None:
    with pytest.raises(UsageError, match="invalid wallet name"):
        keystore.create(name, PASSPHRASE)
    assert keystore.list() == []


def test_duplicates_are_refused(keystore: Keystore) -> None:
    first = keystore.import_key("alice", KEY, PASSPHRASE)
    original = first.path.read_bytes()
    with pytest.raises(UsageError, match="already exists"):
        keystore.create("alice", PASSPHRASE)
    with pytest.raises(UsageError, match="already in the keystore as 'alice'"):
        keystore.import_key("bob", KEY.upper(), PASSPHRASE)
    assert first.path.read_bytes() == original
    assert [w.name for w in keystore.list()] == ["alice"]


def test_empty_passphrase_is_refused(keystore: Keystore) -> None:
    with pytest.raises(UsageError, match="empty passphrase"):
        keystore.create("alice", "")


@pytest.mark.parametrize(
    "bad_key",
    [
        "",
        "0x1234",
        "zz" * 32,
        "ab" * 33,
        "0x" + "00" * 32,
        format(SECP256K1_N, "064x"),
        KEY[:-1] + "g",
    ],
)
def test_bad_keys_are_refused_without_echo(keystore: Keystore, bad_key: str) -> None:
    with pytest.raises(UsageError) as raised:
        keystore.import_key("alice", bad_key, PASSPHRASE)
    assert "private key" in str(raised.value)
    if bad_key:
        assert bad_key.removeprefix("0x") not in str(raised.value)
    error = raised.value  # no chained exception whose text could carry the key
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    assert keystore.list() == []


def test_no_temp_files_are_left(keystore: Keystore) -> None:
    keystore.create("alice", PASSPHRASE)
    keystore.import_key("bob", KEY, PASSPHRASE)
    assert sorted(p.name for p in keystore.directory.iterdir()) == ["alice.json", "bob.json"]


def test_failed_write_leaves_nothing_behind(
    keystore: Keystore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(KeystoreError, match=r"cannot write .*alice\.json \(No space left"):
        keystore.create("alice", PASSPHRASE)
    assert list(keystore.directory.iterdir()) == []


def test_secrets_never_reach_output(
    keystore: Keystore, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    info = keystore.import_key("alice", KEY, PASSPHRASE)
    texts = [repr(info), str(info), repr(keystore), repr(keystore.list())]
    for attempt in (
        lambda: keystore.import_key("bob", KEY, PASSPHRASE),
        lambda: keystore.unlock("alice", "wrong"),
        lambda: keystore.import_key("carol", KEY + "00", PASSPHRASE),
    ):
        with pytest.raises(Exception) as raised:
            attempt()
        texts.append(str(raised.value))
        texts.append(repr(raised.value))
    captured = capsys.readouterr()
    texts += [captured.out, captured.err, caplog.text]
    assert repr(info) == f"WalletInfo(name='alice', address='{info.address}')"
    for text in texts:
        assert KEY not in text.lower()
        assert PASSPHRASE not in text


def test_pbkdf2_files_also_decrypt(tmp_path: Path) -> None:
    keystore = Keystore(tmp_path, kdf="pbkdf2", work_factor=2)
    info = keystore.import_key("alice", KEY, PASSPHRASE)
    document = json.loads(info.path.read_text(encoding="utf-8"))
    assert document["crypto"]["kdf"] == "pbkdf2"
    assert Account.decrypt(document, PASSPHRASE).hex() == KEY
    assert keystore.unlock("alice", PASSPHRASE).address == info.address


@settings(max_examples=20, deadline=None)
@given(secret=st.integers(min_value=1, max_value=SECP256K1_N - 1), passphrase=st.text(min_size=1))
def test_any_valid_key_round_trips(secret: int, passphrase: str) -> None:
    key_hex = format(secret, "064x")
    with tempfile.TemporaryDirectory() as directory:
        keystore = _keystore(Path(directory))
        info = keystore.import_key("k", key_hex, passphrase)
        assert isinstance(info, WalletInfo)
        assert keystore.unlock("k", passphrase).key.hex() == key_hex
        assert info.address == Account.from_key(bytes.fromhex(key_hex)).address
