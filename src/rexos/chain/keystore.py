"""Encrypted keystore wallets and where their passphrases come from.

Each wallet is one file ``<name>.json`` in the keystore directory (the data
dir's ``keystore/``): a standard Web3 Secret Storage v3 document (scrypt by
default) with one extra top-level field, ``"name"``, which standard tools
ignore. Files are written atomically with mode 0600 in a 0700 directory.
A damaged file (truncated, not JSON, missing or mistyped fields, key-derivation
parameters that would take hours or all memory) raises :class:`KeystoreError`
naming it.

Private keys never appear in output, logs, exception messages or reprs.
"""

from __future__ import annotations

import getpass
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from eth_account import Account
from eth_account.signers.local import LocalAccount

from rexos.config import env_value
from rexos.errors import (
    KeystoreError,
    PassphraseMissing,
    StorageError,
    UnknownAccount,
    UsageError,
    WrongPassphrase,
)
from rexos.private_files import write_private_file
from rexos.types import Address, parse_address

__all__ = ["Keystore", "PassphraseSource", "WalletInfo"]

Kdf = Literal["scrypt", "pbkdf2"]

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
_KEY_HEX = re.compile(r"(?:0x)?[0-9a-fA-F]{64}")
# A keystore is about 500 bytes with four objects. Deeper JSON is refused before parsing:
# py_ecc raises the recursion limit to 100000, so json.loads of "[" * 100000 would overflow
# the C stack (SIGSEGV) rather than raise RecursionError.
_MAX_FILE = 64 * 1024
# What eth-keyfile raises (asserts included) on a document with missing or wrong fields.
_MALFORMED = (
    KeyError,
    TypeError,
    AttributeError,
    AssertionError,
    OverflowError,
    NotImplementedError,
)
_MAX_BRACKETS = 256
_KDF_LIMITS = {"n": 2**20, "r": 8, "p": 16, "c": 10_000_000, "dklen": 64}


@dataclass(frozen=True, slots=True)
class WalletInfo:
    """A wallet in the keystore: its name, address and file (never its key)."""

    name: str
    address: Address
    path: Path

    def __repr__(self) -> str:
        return f"WalletInfo(name={self.name!r}, address={self.address!r})"


def _check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise UsageError(
            f"invalid wallet name {name!r}: use 1-32 lowercase letters, digits, '-' or '_', "
            "starting with a letter or digit"
        )
    return name


class Keystore:
    """The wallets in one directory.

    ``kdf`` and ``work_factor`` (scrypt ``n`` or PBKDF2 iterations) choose the
    key derivation for new files; ``None`` keeps eth-account's standard
    strength. Tests pass a tiny work factor to stay fast.
    """

    def __init__(
        self, directory: Path, *, kdf: Kdf = "scrypt", work_factor: int | None = None
    ) -> None:
        self.directory = Path(directory)
        self._kdf: Kdf = kdf
        self._work_factor = work_factor

    def __repr__(self) -> str:
        return f"Keystore({str(self.directory)!r})"

    def check_new_name(self, name: str) -> None:
        """Raise :class:`UsageError` unless ``name`` is valid and free (check before prompting)."""
        _check_name(name)
        path = self.directory / f"{name}.json"
        if path.exists():
            raise UsageError(f"a wallet named '{name}' already exists ({path})")

    def create(self, name: str, passphrase: str) -> WalletInfo:
        """Generate a fresh key and store it encrypted under ``name``."""
        return self._store(name, Account.create(), passphrase)

    def import_key(self, name: str, private_key_hex: str, passphrase: str) -> WalletInfo:
        """Store an existing private key (64 hex digits, optional ``0x``) under ``name``."""
        text = private_key_hex.strip()
        if not _KEY_HEX.fullmatch(text):
            raise UsageError(
                "a private key must be 32 bytes written as 64 hex digits (0x optional)"
            )
        try:
            account = Account.from_key(bytes.fromhex(text.removeprefix("0x")))
        except ValueError:
            raise UsageError("not a valid secp256k1 private key (zero or out of range)") from None
        return self._store(name, account, passphrase)

    def list(self) -> list[WalletInfo]:
        """All wallets, sorted by name.

        Files not named ``<valid-name>.json`` are ignored; an unreadable or
        malformed wallet file raises :class:`KeystoreError` naming it.
        """
        if not self.directory.is_dir():
            return []
        wallets = [
            self._read_info(path)
            for path in self.directory.glob("*.json")
            if _NAME.fullmatch(path.stem)
        ]
        return sorted(wallets, key=lambda info: info.name)

    def get(self, name_or_address: str) -> WalletInfo:
        """The wallet with this name or address; :class:`UnknownAccount` if none."""
        wallets = self.list()
        if name_or_address.strip().startswith("0x"):
            address = parse_address(name_or_address)
            found = [w for w in wallets if w.address == address]
        else:
            found = [w for w in wallets if w.name == name_or_address]
        if found:
            return found[0]
        known = ", ".join(w.name for w in wallets) or "none"
        raise UnknownAccount(
            f"no wallet {name_or_address!r} in {self.directory} (known wallets: {known})"
        )

    def unlock(self, name_or_address: str, passphrase: str) -> LocalAccount:
        """Decrypt a wallet and return its signing account."""
        info = self.get(name_or_address)
        document = self._load(info.path)
        _check_kdf(document["crypto"], info.path)
        try:
            key = Account.decrypt(document, passphrase)
        except ValueError as exc:
            if "MAC mismatch" in str(exc):
                raise WrongPassphrase(f"wrong passphrase for wallet '{info.name}'") from None
            raise KeystoreError(f"cannot decrypt wallet '{info.name}': {exc}") from None
        except _MALFORMED:
            raise KeystoreError(f"malformed or unsupported keystore file {info.path}") from None
        account: LocalAccount = Account.from_key(key)
        if parse_address(account.address) != info.address:
            raise KeystoreError(f"wallet '{info.name}' decrypts to a different address")
        return account

    def _store(self, name: str, account: LocalAccount, passphrase: str) -> WalletInfo:
        self.check_new_name(name)
        if not passphrase:
            raise UsageError("refusing an empty passphrase: it would leave the key unprotected")
        path = self.directory / f"{name}.json"
        address = Address(account.address)
        for other in self.list():
            if other.address == address:
                raise UsageError(f"address {address} is already in the keystore as '{other.name}'")
        document: dict[str, Any] = Account.encrypt(
            account.key, passphrase, kdf=self._kdf, iterations=self._work_factor
        )
        document["name"] = name
        self._write_atomically(path, json.dumps(document, indent=2) + "\n")
        return WalletInfo(name=name, address=address, path=path)

    def _write_atomically(self, path: Path, text: str) -> None:
        try:
            write_private_file(path, text.encode("utf-8"))
        except StorageError as exc:
            raise KeystoreError(str(exc)) from exc

    def _load(self, path: Path) -> dict[str, Any]:
        try:
            with path.open("rb") as handle:
                text = handle.read(_MAX_FILE + 1).decode("utf-8")
            if len(text) > _MAX_FILE or text.count("[") + text.count("{") > _MAX_BRACKETS:
                raise KeystoreError(f"not a keystore file (too large or too deeply nested): {path}")
            document = json.loads(text)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise KeystoreError(
                f"cannot read keystore file {path} ({reason}): restore it from a backup"
            ) from None
        if not isinstance(document, dict) or not isinstance(document.get("crypto"), dict):
            raise KeystoreError(f"not a keystore file (no 'crypto' object): {path}")
        return document

    def _read_info(self, path: Path) -> WalletInfo:
        raw = self._load(path).get("address")
        try:
            address = parse_address(f"0x{str(raw).removeprefix('0x')}")
        except UsageError:
            raise KeystoreError(f"keystore file without a valid address: {path}") from None
        return WalletInfo(name=path.stem, address=address, path=path)


def _check_kdf(crypto: dict[str, Any], path: Path) -> None:
    """Refuse key-derivation parameters that would exhaust time or memory.

    A flipped bit in ``n``, ``c`` or ``dklen`` must give one line, not an hour of
    scrypt or an out-of-memory kill. The bounds are far above what standard
    tools write (scrypt n = 2**18, PBKDF2 c = 262144, dklen = 32).
    """
    params = crypto.get("kdfparams")
    if not isinstance(params, dict):
        raise KeystoreError(f"malformed keystore file {path}: no 'kdfparams' object")
    for name, limit in _KDF_LIMITS.items():
        value = params.get(name)
        if value is not None and not (
            isinstance(value, int) and not isinstance(value, bool) and 0 < value <= limit
        ):
            raise KeystoreError(
                f"malformed keystore file {path}: kdfparams.{name} = {str(value)[:20]!r} "
                f"is not a whole number from 1 to {limit}"
            )


def _stdin_is_tty() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


@dataclass(frozen=True, slots=True)
class PassphraseSource:
    """Where a passphrase comes from, in order: ``value``, ``file``, ``env``, a prompt.

    ``file`` is read for its first line (``--passphrase-file``); ``env`` names
    an environment variable (``--passphrase-env``). Without either, the user
    is prompted, but only when standard input is a terminal. ``confirm`` asks
    twice (for new wallets). ``prompt`` and ``is_tty`` are replaceable for tests.
    """

    value: str | None = field(default=None, repr=False)
    file: Path | None = None
    env: str | None = None
    confirm: bool = False
    prompt: Callable[[str], str] = field(default=getpass.getpass, repr=False)
    is_tty: Callable[[], bool] = field(default=_stdin_is_tty, repr=False)

    def get(self, label: str = "passphrase") -> str:
        """Resolve the passphrase; :class:`PassphraseMissing` when there is none."""
        if self.value is not None:
            return self.value
        if self.file is not None:
            return _first_line(Path(self.file))
        if self.env is not None:
            found = env_value(self.env)
            if found is None:
                raise PassphraseMissing(
                    f"environment variable {self.env} is not set (named by --passphrase-env)"
                )
            return found
        if not self.is_tty():
            raise PassphraseMissing(
                "no passphrase: use --passphrase-file or --passphrase-env, or run in a terminal"
            )
        first = self.prompt(f"{label}: ")
        if self.confirm and self.prompt(f"repeat {label}: ") != first:
            raise KeystoreError("the two passphrases differ")
        return first


def _first_line(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise PassphraseMissing(f"cannot read passphrase file {path}: {reason}") from None
    return text.split("\n", 1)[0].removesuffix("\r")
