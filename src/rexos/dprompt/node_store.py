"""The provider node's progress, kept in SQLite so a restart never answers twice.

Three duties are tracked per request id:

* **answer** — ``seen`` → ``answering`` (the signed transaction and its hash are
  written *before* it is broadcast) → ``answered`` → ``done``;
* **vote** (committee duty) — ``seen`` → ``committing`` (the vote and its salt
  are written before the commit is sent) → ``committed`` → ``revealing`` →
  ``revealed``;
* **audit** (re-executing another provider's answer) — ``seen`` → ``checked``
  (it matched) or ``challenging`` (the challenge is written before it is sent)
  → ``challenged`` (waiting to resolve the dispute);

``done`` ends any duty (finished, missed or not ours).

Every write is one transaction in WAL mode; inserts are ``INSERT OR IGNORE``
and state changes are plain overwrites, so replaying a step is harmless.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rexos.sqlite import open_store

__all__ = [
    "AnswerRecord",
    "AnswerState",
    "AuditRecord",
    "AuditState",
    "NodeStore",
    "VoteRecord",
    "VoteState",
]

AnswerState = Literal["seen", "answering", "answered", "done"]
VoteState = Literal["seen", "committing", "committed", "revealing", "revealed", "done"]
AuditState = Literal["seen", "checked", "challenging", "challenged", "done"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    deadline INTEGER NOT NULL,
    block INTEGER NOT NULL,
    state TEXT NOT NULL,
    tx_hash TEXT,
    raw_tx BLOB
);
CREATE TABLE IF NOT EXISTS votes (
    id INTEGER PRIMARY KEY,
    state TEXT NOT NULL,
    output_hash TEXT,
    salt BLOB,
    tx_hash TEXT,
    raw_tx BLOB
);
CREATE TABLE IF NOT EXISTS audits (
    id INTEGER PRIMARY KEY,
    state TEXT NOT NULL,
    tx_hash TEXT,
    raw_tx BLOB
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One request the node may have to answer."""

    id: int
    provider: str
    deadline: int
    state: AnswerState
    tx_hash: str | None
    raw_tx: bytes | None


@dataclass(frozen=True, slots=True)
class VoteRecord:
    """One dispute the node sits on as a committee member."""

    id: int
    state: VoteState
    output_hash: str | None
    salt: bytes | None
    tx_hash: str | None
    raw_tx: bytes | None


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """Another provider's answer this node re-executes."""

    id: int
    state: AuditState
    tx_hash: str | None
    raw_tx: bytes | None


class NodeStore:
    """SQLite-backed progress of one provider node (one file per signer and chain)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = open_store(self.path, _SCHEMA, autocommit=True)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _write(self, sql: str, args: tuple[object, ...]) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(sql, args)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # ------------------------------------------------------------ blocks

    def last_block(self) -> int:
        """The last block whose events were read (``-1`` before the first step)."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'last_block'").fetchone()
        return -1 if row is None else int(row[0])

    def set_last_block(self, block: int) -> None:
        self._write("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_block', ?)", (block,))

    # ------------------------------------------------------------ answers

    def see_request(self, request_id: int, provider: str, deadline: int, block: int) -> None:
        """Record a new request seen in ``block`` (a request already known keeps its state)."""
        self._write(
            "INSERT OR IGNORE INTO answers (id, provider, deadline, block, state) "
            "VALUES (?, ?, ?, ?, 'seen')",
            (request_id, provider, deadline, block),
        )

    def request_block(self, request_id: int) -> int:
        """The block of the request's ``Requested`` event, ``0`` when this node never saw it."""
        with self._lock:
            row = self._db.execute(
                "SELECT block FROM answers WHERE id = ?", (request_id,)
            ).fetchone()
        return 0 if row is None else int(row[0])

    def answer(self, request_id: int) -> AnswerRecord | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, provider, deadline, state, tx_hash, raw_tx FROM answers WHERE id = ?",
                (request_id,),
            ).fetchone()
        return None if row is None else AnswerRecord(*row)

    def pending_answers(self) -> list[AnswerRecord]:
        """Requests not ``done``, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, provider, deadline, state, tx_hash, raw_tx FROM answers "
                "WHERE state != 'done' ORDER BY id"
            ).fetchall()
        return [AnswerRecord(*row) for row in rows]

    def set_answer(
        self,
        request_id: int,
        state: AnswerState,
        tx_hash: str | None = None,
        raw_tx: bytes | None = None,
    ) -> None:
        """Move a request to ``state``; a ``None`` tx keeps the one recorded."""
        self._write(
            "UPDATE answers SET state = ?, tx_hash = COALESCE(?, tx_hash), "
            "raw_tx = COALESCE(?, raw_tx) WHERE id = ?",
            (state, tx_hash, raw_tx, request_id),
        )

    # ------------------------------------------------------------ votes

    def see_dispute(self, request_id: int) -> None:
        """Record a dispute whose committee includes this node."""
        self._write("INSERT OR IGNORE INTO votes (id, state) VALUES (?, 'seen')", (request_id,))

    def vote(self, request_id: int) -> VoteRecord | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, state, output_hash, salt, tx_hash, raw_tx FROM votes WHERE id = ?",
                (request_id,),
            ).fetchone()
        return None if row is None else VoteRecord(*row)

    def pending_votes(self) -> list[VoteRecord]:
        """Disputes whose vote is not finished, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, state, output_hash, salt, tx_hash, raw_tx FROM votes "
                "WHERE state NOT IN ('revealed', 'done') ORDER BY id"
            ).fetchall()
        return [VoteRecord(*row) for row in rows]

    def set_vote(
        self,
        request_id: int,
        state: VoteState,
        *,
        output_hash: str | None = None,
        salt: bytes | None = None,
        tx_hash: str | None = None,
        raw_tx: bytes | None = None,
    ) -> None:
        """Move a vote to ``state``; ``None`` fields keep what was recorded."""
        self._write(
            "UPDATE votes SET state = ?, output_hash = COALESCE(?, output_hash), "
            "salt = COALESCE(?, salt), tx_hash = COALESCE(?, tx_hash), "
            "raw_tx = COALESCE(?, raw_tx) WHERE id = ?",
            (state, output_hash, salt, tx_hash, raw_tx, request_id),
        )

    # ------------------------------------------------------------ audits

    def see_audit(self, request_id: int) -> None:
        """Record an answer picked for audit (an answer already known keeps its state)."""
        self._write("INSERT OR IGNORE INTO audits (id, state) VALUES (?, 'seen')", (request_id,))

    def audit(self, request_id: int) -> AuditRecord | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, state, tx_hash, raw_tx FROM audits WHERE id = ?", (request_id,)
            ).fetchone()
        return None if row is None else AuditRecord(*row)

    def pending_audits(self) -> list[AuditRecord]:
        """Audits not yet checked or done (a challenged one waits to be resolved), oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, state, tx_hash, raw_tx FROM audits "
                "WHERE state NOT IN ('checked', 'done') ORDER BY id"
            ).fetchall()
        return [AuditRecord(*row) for row in rows]

    def set_audit(
        self,
        request_id: int,
        state: AuditState,
        tx_hash: str | None = None,
        raw_tx: bytes | None = None,
    ) -> None:
        """Move an audit to ``state``; a ``None`` tx keeps the one recorded."""
        self._write(
            "UPDATE audits SET state = ?, tx_hash = COALESCE(?, tx_hash), "
            "raw_tx = COALESCE(?, raw_tx) WHERE id = ?",
            (state, tx_hash, raw_tx, request_id),
        )
