"""The Wallet agent's memory, in SQLite: spends, intents, confirmations, the breaker.

* ``spends`` — USD value of every transaction sent, for the rolling daily cap (a spend is
  reserved *before* signing, in the same ``BEGIN IMMEDIATE`` transaction that checks the cap,
  and removed only if the transaction definitely failed, so splitting or racing transfers —
  from threads or from other processes — cannot dodge the cap);
* ``intents`` — one row per idempotency key: the fingerprint it was for, ``sending`` with the
  signed transaction (written before broadcast) → ``done`` with the receipt, or ``failed``;
* ``confirmations`` — each used once;
* ``failures`` — consecutive failed transactions and when the breaker opened.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rexos.sqlite import open_store

__all__ = ["IntentRecord", "WalletLedger"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS spends (
    intent_key TEXT PRIMARY KEY, at INTEGER NOT NULL, usd TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS intents (
    intent_key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,
    tx_hash TEXT,
    raw_tx BLOB,
    block INTEGER,
    error TEXT
);
CREATE TABLE IF NOT EXISTS used_confirmations (fingerprint_nonce TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS breaker (
    id INTEGER PRIMARY KEY CHECK (id = 1), failures INTEGER NOT NULL, opened_at INTEGER
);
"""

_DAY = 86_400


@dataclass(frozen=True, slots=True)
class IntentRecord:
    key: str
    fingerprint: str
    state: str
    tx_hash: str | None
    raw_tx: bytes | None
    block: int | None
    error: str | None


class WalletLedger:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = open_store(path, _SCHEMA)
        self._lock = threading.Lock()
        with self._lock, self._db:
            self._db.execute("INSERT OR IGNORE INTO breaker VALUES (1, 0, NULL)")

    def close(self) -> None:
        self._db.close()

    # spends
    def spent_since(self, since: int) -> Decimal:
        rows = self._db.execute("SELECT usd FROM spends WHERE at > ?", (since,)).fetchall()
        return sum((Decimal(r[0]) for r in rows), Decimal(0))

    def spent_last_day(self, now: int) -> Decimal:
        return self.spent_since(now - _DAY)

    def drop_spend(self, key: str) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM spends WHERE intent_key = ?", (key,))

    # intents
    def intent(self, key: str) -> IntentRecord | None:
        row = self._db.execute(
            "SELECT intent_key, fingerprint, state, tx_hash, raw_tx, block, error FROM intents "
            "WHERE intent_key = ?",
            (key,),
        ).fetchone()
        return None if row is None else IntentRecord(*row)

    def reserve(
        self, key: str, fingerprint: str, usd: Decimal, now: int, daily_cap: Decimal
    ) -> Decimal | None:
        """Claim ``key`` for ``fingerprint`` and reserve ``usd`` of the daily cap, atomically.

        One ``BEGIN IMMEDIATE`` transaction reads the last 24 hours and writes the spend, so
        of two processes racing for the last of the cap only one gets it. Returns ``None``
        when reserved, else what the last 24 hours already hold (nothing is written).
        """
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                rows = self._db.execute(
                    "SELECT usd FROM spends WHERE at > ?", (now - _DAY,)
                ).fetchall()
                spent = sum((Decimal(r[0]) for r in rows), Decimal(0))
                if spent + usd > daily_cap:
                    self._db.rollback()
                    return spent
                self._db.execute(
                    "INSERT INTO intents VALUES (?, ?, 'signing', NULL, NULL, NULL, NULL)",
                    (key, fingerprint),
                )
                self._db.execute("INSERT INTO spends VALUES (?, ?, ?)", (key, now, str(usd)))
            except BaseException:
                self._db.rollback()
                raise
            self._db.commit()
            return None

    def sending(self, key: str, tx_hash: str, raw: bytes) -> None:
        with self._lock, self._db:
            self._db.execute(
                "UPDATE intents SET state = 'sending', tx_hash = ?, raw_tx = ? "
                "WHERE intent_key = ?",
                (tx_hash, raw, key),
            )

    def finish(self, key: str, block: int) -> None:
        with self._lock, self._db:
            self._db.execute(
                "UPDATE intents SET state = 'done', block = ? WHERE intent_key = ?", (block, key)
            )

    def fail(self, key: str, error: str) -> None:
        with self._lock, self._db:
            self._db.execute(
                "UPDATE intents SET state = 'failed', error = ? WHERE intent_key = ?", (error, key)
            )
            self._db.execute("DELETE FROM spends WHERE intent_key = ?", (key,))

    def forget_unsent(self, key: str) -> None:
        """Drop an intent that never reached the network (failed before signing)."""
        with self._lock, self._db:
            self._db.execute(
                "DELETE FROM intents WHERE intent_key = ? AND state = 'signing'", (key,)
            )
            self._db.execute("DELETE FROM spends WHERE intent_key = ?", (key,))

    # confirmations
    def use_confirmation(self, token: str) -> bool:
        """Mark a confirmation used; False if it was used before."""
        with self._lock, self._db:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO used_confirmations VALUES (?)", (token,)
            )
            return cursor.rowcount == 1

    # breaker
    def breaker(self) -> tuple[int, int | None]:
        failures, opened = self._db.execute(
            "SELECT failures, opened_at FROM breaker WHERE id = 1"
        ).fetchone()
        return int(failures), None if opened is None else int(opened)

    def record_failure(self, now: int, threshold: int) -> None:
        with self._lock, self._db:
            failures = self._db.execute("SELECT failures FROM breaker WHERE id = 1").fetchone()[0]
            failures = int(failures) + 1
            opened = now if failures >= threshold else None
            self._db.execute(
                "UPDATE breaker SET failures = ?, opened_at = COALESCE(?, opened_at) WHERE id = 1",
                (failures, opened),
            )

    def reset_breaker(self) -> None:
        with self._lock, self._db:
            self._db.execute("UPDATE breaker SET failures = 0, opened_at = NULL WHERE id = 1")
