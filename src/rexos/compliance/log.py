"""The decision log: one JSON line per compliance decision, appended, owner-only.

Each line holds when, where (the entry: ``cli:swap``, ``action:transfer``), the service, the
verdict and the rule that decided, and only what that rule needs: the jurisdiction code for a
jurisdiction rule; for a sanctions hit the role of the address, its first six and last four
hex digits and the list's name and date. Never a declared identity, an attestation's
subject or signature, or an address that passed screening.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from rexos.errors import StorageError
from rexos.private_files import ensure_private_dir, tighten_file

__all__ = ["LOG_FILE", "DecisionLog", "short_address"]

LOG_FILE = "compliance/decisions.jsonl"

_FIELDS = frozenset(
    {"entry", "service", "verdict", "rule", "jurisdiction", "role", "address", "list"}
)


def short_address(address: str) -> str:
    """``0x1234…abcd``: enough to find the entry on a public list, no more."""
    text = address.lower()
    return f"{text[:6]}…{text[-4:]}"


class DecisionLog:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def append(self, now: float, **fields: str) -> None:
        """Append one decision; only the fields named in the module's docstring are taken."""
        unknown = set(fields) - _FIELDS
        if unknown:
            raise ValueError(f"not a decision-log field: {sorted(unknown)}")
        stamp = datetime.fromtimestamp(now, UTC).isoformat(timespec="seconds")
        line = json.dumps({"time": stamp, **fields}, ensure_ascii=False) + "\n"
        ensure_private_dir(self.path.parent)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
            try:
                os.write(fd, line.encode())
            finally:
                os.close(fd)
        except OSError as exc:
            raise StorageError(f"cannot append to {self.path} ({exc.strerror})") from exc
        tighten_file(self.path)

    def read(self) -> list[dict[str, str]]:
        """Every decision logged so far, oldest first."""
        try:
            text = self.path.read_text("utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise StorageError(f"cannot read {self.path} ({exc.strerror})") from exc
        return [json.loads(line) for line in text.splitlines() if line.strip()]
