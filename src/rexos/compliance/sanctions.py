"""Sanctions screening: is an address on a list the operator keeps?

A list file holds one EVM address a line; ``#`` starts a comment, and header comments of the
form ``# key: value`` describe it (``list``, ``date``, ``source``). RexOS ships the OFAC SDN
digital-currency addresses of EVM chains (``data/ofac_sdn_evm.txt``, dated, with its source);
the operator points the policy's ``[sanctions].lists`` at newer or additional files.

Addresses are compared as 20 bytes, so case (checksummed, lower, upper) never matters. A file
that is not such a list — a malformed line, an unreadable file, one larger than
:data:`MAX_LIST_BYTES` — is one :class:`ConfigError` naming the file and line, never a
partial list: screening against half a list would pass what the other half names.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rexos.errors import ConfigError, InvalidAddress

__all__ = [
    "DEFAULT_LIST",
    "MAX_LIST_BYTES",
    "SanctionsList",
    "address_bytes",
    "default_list_path",
    "load_list",
]

DEFAULT_LIST = "default"
"""The name in the policy for the shipped OFAC SDN list."""

MAX_LIST_BYTES = 64 * 1024 * 1024
"""A list file above this size is refused unread (about 1.5 million addresses)."""

_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_HEADER = re.compile(r"#\s*([a-z-]+):\s*(.+)")


def address_bytes(address: str) -> bytes:
    """The 20 bytes of ``address`` (any case); :class:`InvalidAddress` if it is not one."""
    text = address.strip()
    if not _ADDRESS.fullmatch(text):
        raise InvalidAddress(f"not an address: {address!r} (0x and 40 hex digits)")
    return bytes.fromhex(text[2:])


@dataclass(frozen=True, slots=True)
class SanctionsList:
    name: str
    """The list's ``# list:`` header, else its file name."""
    date: str
    """The ``# date:`` header (when the list was extracted), else ``undated``."""
    source: str
    """The ``# source:`` header, else the file read."""
    path: str
    addresses: frozenset[bytes]

    def __contains__(self, address: object) -> bool:
        return isinstance(address, bytes) and address in self.addresses

    @property
    def label(self) -> str:
        """``name (date)``: how a refusal names the list."""
        return f"{self.name} ({self.date})"


def default_list_path() -> Path:
    return Path(str(resources.files("rexos.compliance").joinpath("data/ofac_sdn_evm.txt")))


def load_list(name: str, home: Path) -> SanctionsList:
    """The list ``name`` of a policy: :data:`DEFAULT_LIST` or a path (relative to ``home``)."""
    path = default_list_path() if name == DEFAULT_LIST else Path(home) / Path(name).expanduser()
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise ConfigError(f"sanctions list {path}: cannot read: {exc.strerror}") from exc
    if size > MAX_LIST_BYTES:
        raise ConfigError(
            f"sanctions list {path}: {size:,} bytes, above the limit of {MAX_LIST_BYTES:,}: "
            "split it into several lists"
        )
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"sanctions list {path}: cannot read: {exc}") from exc
    return _parse(text, path)


def _parse(text: str, path: Path) -> SanctionsList:
    headers: dict[str, str] = {}
    found: set[bytes] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            header = _HEADER.fullmatch(line)
            if header is not None and not found:
                headers.setdefault(header[1], header[2].strip())
            continue
        entry = line.split("#", 1)[0].strip()
        if not _ADDRESS.fullmatch(entry):
            raise ConfigError(
                f"sanctions list {path}: line {number}: not an EVM address: {entry[:60]!r}"
            )
        found.add(bytes.fromhex(entry[2:]))
    return SanctionsList(
        headers.get("list", path.name),
        headers.get("date", "undated"),
        headers.get("source", str(path)),
        str(path),
        frozenset(found),
    )
