"""Signed off-chain inputs: the KYC list, points tables and NFT tiers, as CSV or JSON.

Each input file comes with a detached signature beside it (``<file>.sig``: 0x and 130 hex
digits). The attester signs, by EIP-191 ``personal_sign``, the 32 raw bytes of the file's
sha256; :func:`read_input` reads the file's bytes once, hashes them, checks that the
signature recovers the attester the rules name, and only then parses those same bytes. The
sha256 goes into the snapshot (:class:`InputRecord`), so anyone can check which files were used.

Parsing is strict, because these files come from spreadsheets and other people:

* UTF-8 only (a leading byte-order mark is allowed); NUL bytes are refused.
* The header (CSV) or each object's keys (JSON) are exactly the columns the input's kind
  needs: ``kyc``: ``address, uid, deposit_address``; ``points``: ``address`` and one column
  per fact; ``token_tiers``: ``token_id, tier``.
* Numbers are ASCII digits only (no sign, no ``_``, no other scripts' digits, no floats),
  at most 78 of them (a uint256).
* A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return (a spreadsheet
  formula) is refused rather than carried into anything the airdrop publishes.
* Addresses must be 0x and 40 hex digits; a mixed-case address must carry a valid checksum.
  The same address twice, in any case, is an error naming both rows (no row wins silently);
  so is, in a KYC list, the same UID or deposit address on two rows (one person, one claim).
* A KYC record whose UID or deposit address is empty (a verification still pending) is read
  and gives ``kyc = 0``: the criterion is "KYC with a UID and a deposit address", so it does
  not qualify, and one such row does not refuse the whole list. Any other bad cell does.

Every problem is one ``ConfigError`` naming the input, the file and the row (a CSV's line
counting the header as 1; a JSON array's item counting from 1).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils.address import to_checksum_address

from rexos.airdrop.rules import InputSpec, Rules
from rexos.errors import ConfigError
from rexos.types import Address

__all__ = ["InputData", "InputRecord", "read_input", "read_inputs", "signature_path"]

_ZERO = "0x0000000000000000000000000000000000000000"
_DIGITS = re.compile(r"[0-9]{1,78}")  # at most a uint256
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_SIGNATURE = re.compile(r"0x[0-9a-fA-F]{130}")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_MAX_UID = 128


@dataclass(frozen=True, slots=True)
class InputRecord:
    """What the snapshot records of an input: its name, kind, file name, sha256, attester."""

    name: str
    kind: str
    file: str
    sha256: str
    attester: Address


@dataclass(frozen=True, slots=True)
class InputData:
    """A verified input: its record, the facts it gives per address, and (``token_tiers``)
    the tier of each token id."""

    record: InputRecord
    facts: Mapping[Address, Mapping[str, int]]
    tiers: Mapping[int, int]


def signature_path(path: Path) -> Path:
    """Where the detached signature of ``path`` lives: ``<path>.sig``."""
    return path.with_name(path.name + ".sig")


def read_inputs(paths: Mapping[str, Path], rules: Rules) -> dict[str, InputData]:
    """Read every input ``rules`` names from ``paths`` (input name -> file); a missing or
    unknown name is an error."""
    specs = {spec.name: spec for spec in rules.inputs}
    for name in paths:
        if name not in specs:
            raise ConfigError(f"airdrop input {name!r}: the rules name no such input")
    missing = [name for name in specs if name not in paths]
    if missing:
        raise ConfigError(f"airdrop inputs missing: {', '.join(missing)}")
    return {name: read_input(spec, Path(paths[name])) for name, spec in specs.items()}


def read_input(spec: InputSpec, path: Path) -> InputData:
    """Verify and parse one input file against its spec."""
    where = f"airdrop input {spec.name} ({path.name})"
    if spec.attester == _ZERO:
        raise ConfigError(f"{where}: the rules name no attester (zero address placeholder)")
    try:
        raw = path.read_bytes()
        signature = signature_path(path).read_text("ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: cannot read the file or its .sig: {exc}") from exc
    digest = hashlib.sha256(raw).digest()
    if not _SIGNATURE.fullmatch(signature):
        raise ConfigError(f"{where}: the .sig is not 0x and 130 hex digits")
    try:
        signer = Account.recover_message(encode_defunct(primitive=digest), signature=signature)
    except Exception as exc:  # eth_account raises several types for a malformed signature
        raise ConfigError(f"{where}: the signature does not verify: {exc}") from exc
    if signer != spec.attester:
        raise ConfigError(
            f"{where}: not signed by the attester {spec.attester} "
            f"(the file changed after signing, or another key signed it)"
        )
    rows = _rows(raw, path, where, _columns(spec))
    record = InputRecord(spec.name, spec.kind, path.name, digest.hex(), spec.attester)
    if spec.kind == "token_tiers":
        return InputData(record, {}, _tiers(rows, where))
    return InputData(record, _facts(spec, rows, where), {})


def _columns(spec: InputSpec) -> tuple[str, ...]:
    if spec.kind == "kyc":
        return ("address", "uid", "deposit_address")
    if spec.kind == "token_tiers":
        return ("token_id", "tier")
    return ("address", *spec.facts)


def _rows(
    raw: bytes, path: Path, where: str, columns: tuple[str, ...]
) -> list[tuple[int, dict[str, str]]]:
    if b"\x00" in raw:
        raise ConfigError(f"{where}: holds NUL bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{where}: not UTF-8 text (byte {exc.start})") from exc
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(text, where, columns)
    if suffix == ".json":
        return _json_rows(text, where, columns)
    raise ConfigError(f"{where}: an input is a .csv or .json file")


def _csv_rows(text: str, where: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise ConfigError(f"{where}: not valid CSV: {exc}") from exc
    table = [row for row in table if row]
    if not table:
        raise ConfigError(f"{where}: empty (no header)")
    header = [cell.strip() for cell in table[0]]
    if sorted(header) != sorted(columns) or len(header) != len(set(header)):
        raise ConfigError(f"{where}: header must be {', '.join(columns)}; got {', '.join(header)}")
    rows = []
    for number, row in enumerate(table[1:], start=2):
        if len(row) != len(header):
            raise ConfigError(f"{where}: row {number} has {len(row)} cells, not {len(header)}")
        rows.append((number, dict(zip(header, (cell.strip(" ") for cell in row), strict=True))))
    return rows


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    for key in keys:
        if keys.count(key) > 1:
            raise ValueError(f"duplicate key {key!r}")
    return dict(pairs)


def _json_rows(text: str, where: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except ValueError as exc:
        raise ConfigError(f"{where}: not valid JSON: {exc}") from exc
    if not isinstance(data, list):
        raise ConfigError(f"{where}: must be a JSON array of objects")
    rows = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict) or sorted(item) != sorted(columns):
            raise ConfigError(f"{where}: item {number} must have exactly {', '.join(columns)}")
        row: dict[str, str] = {}
        for key, value in item.items():
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise ConfigError(f"{where}: item {number}: {key} must be a string or integer")
            row[key] = str(value)
        rows.append((number, row))
    return rows


def _cell(where: str, number: int, column: str, value: str) -> str:
    if not value:
        raise ConfigError(f"{where}: row {number}: {column} is empty")
    if value.startswith(_FORMULA):
        raise ConfigError(f"{where}: row {number}: {column} looks like a spreadsheet formula")
    return value


def _shown(text: str) -> str:
    """A cell as an error shows it: quoted, and cut at 40 characters."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _integer(where: str, number: int, column: str, value: str) -> int:
    text = _cell(where, number, column, value)
    if not _DIGITS.fullmatch(text):
        raise ConfigError(f"{where}: row {number}: {column} is not a whole number: {_shown(text)}")
    return int(text)


def _address(where: str, number: int, column: str, value: str) -> Address:
    text = _cell(where, number, column, value)
    if not _ADDRESS.fullmatch(text):
        raise ConfigError(f"{where}: row {number}: {column} is not an address: {_shown(text)}")
    checksum = to_checksum_address(text)
    mixed = text[2:] != text[2:].lower() and text[2:] != text[2:].upper()
    if mixed and text != checksum:
        raise ConfigError(f"{where}: row {number}: {column} has a bad checksum: {text}")
    return Address(checksum)


def _facts(
    spec: InputSpec, rows: list[tuple[int, dict[str, str]]], where: str
) -> dict[Address, dict[str, int]]:
    facts: dict[Address, dict[str, int]] = {}
    first: dict[Address, int] = {}
    # One person, one KYC claim: a UID or deposit address on two rows is an error too.
    seen: dict[tuple[str, str], int] = {}
    for number, row in rows:
        address = _address(where, number, "address", row["address"])
        if address in first:
            raise ConfigError(
                f"{where}: {address} appears twice (rows {first[address]} and {number})"
            )
        first[address] = number
        if spec.kind == "kyc":
            if not row["uid"] or not row["deposit_address"]:
                facts[address] = {"kyc": 0}  # a record still incomplete: not KYC with both
                continue
            uid = _cell(where, number, "uid", row["uid"])
            if len(uid) > _MAX_UID or not uid.isprintable():
                raise ConfigError(f"{where}: row {number}: uid is not a printable short string")
            deposit = _address(where, number, "deposit_address", row["deposit_address"])
            for column, value in (("uid", uid), ("deposit_address", deposit.lower())):
                if (column, value) in seen:
                    raise ConfigError(
                        f"{where}: the same {column} on rows {seen[(column, value)]} and {number}"
                    )
                seen[(column, value)] = number
            facts[address] = {"kyc": 1}
        else:
            facts[address] = {f: _integer(where, number, f, row[f]) for f in spec.facts}
    return facts


def _tiers(rows: list[tuple[int, dict[str, str]]], where: str) -> dict[int, int]:
    tiers: dict[int, int] = {}
    for number, row in rows:
        token = _integer(where, number, "token_id", row["token_id"])
        if token in tiers:
            raise ConfigError(f"{where}: row {number}: token {token} appears twice")
        tiers[token] = _integer(where, number, "tier", row["tier"])
    return tiers
