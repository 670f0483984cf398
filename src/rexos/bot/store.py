"""The trading bot's memory, in SQLite under ``$REXOS_HOME/bot/``: strategies and their trades.

* ``strategies`` — one row per strategy: its owner and chain, the validated spec (JSON), its
  status (``active``, ``paused`` with the reason, ``done``, ``removed``) and progress (trades
  made, tokens sold, time of the latest), and an ``attempt`` counter that each pause bumps so a
  resumed strategy plans its next trade under fresh intent keys;
* ``fires`` — one row per trade, keyed by (strategy, trade number): recording a trade twice
  (a re-run after a crash) changes nothing.

Ids are random (8 hex digits), never reused, so a wiped store cannot replay an old intent key.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, cast

from rexos.bot.strategies import Dca, Limit, Progress, TakeProfitStopLoss, parse_strategy
from rexos.errors import UsageError
from rexos.sqlite import open_store

__all__ = ["BotStore", "Fire", "Status", "StoredStrategy"]

Status = Literal["active", "paused", "done", "removed"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS strategies (
    id TEXT PRIMARY KEY,
    chain_id INTEGER NOT NULL,
    owner TEXT NOT NULL,
    spec TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    started_at INTEGER NOT NULL,
    fires INTEGER NOT NULL DEFAULT 0,
    spent TEXT NOT NULL DEFAULT '0',
    last_fire_at INTEGER,
    attempt INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS fires (
    strategy_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    at INTEGER NOT NULL,
    why TEXT NOT NULL,
    sold TEXT NOT NULL,
    bought TEXT,
    tx_hash TEXT NOT NULL,
    block INTEGER NOT NULL,
    PRIMARY KEY (strategy_id, n)
);
"""

_COLUMNS = (
    "id, chain_id, owner, spec, status, reason, started_at, fires, spent, last_fire_at, attempt"
)


@dataclass(frozen=True, slots=True)
class Fire:
    """One trade a strategy made."""

    n: int
    """Trade number, from 0."""
    at: int
    """Chain time of the tick that made it."""
    why: str
    sold: Decimal
    bought: Decimal | None
    """Whole tokens received (``None`` if the receipt did not say)."""
    tx_hash: str
    block: int


@dataclass(frozen=True, slots=True)
class StoredStrategy:
    id: str
    chain_id: int
    owner: str
    strategy: Dca | Limit | TakeProfitStopLoss
    status: Status
    reason: str | None
    """Why it is paused."""
    progress: Progress
    attempt: int

    def to_json(self) -> dict[str, Any]:
        s, p = self.strategy, self.progress
        next_at = s.next_at(p) if isinstance(s, Dca) and self.status == "active" else None
        return {
            "id": self.id,
            "kind": s.kind,
            "status": self.status,
            "reason": self.reason,
            "summary": s.describe(),
            "chain_id": self.chain_id,
            "owner": self.owner,
            "strategy": s.model_dump(mode="json"),
            "fires": p.fires,
            "spent": _plain(p.spent),
            "started_at": p.started_at,
            "last_fire_at": p.last_fire_at,
            "next_at": next_at,
        }


class BotStore:
    def __init__(self, path: Path) -> None:
        self._db = open_store(path, _SCHEMA)
        self._lock = threading.Lock()

    @staticmethod
    def path_in(home: Path) -> Path:
        """Where the store of data directory ``home`` lives."""
        return home / "bot" / "strategies.sqlite"

    def close(self) -> None:
        self._db.close()

    def add(
        self, chain_id: int, owner: str, strategy: Dca | Limit | TakeProfitStopLoss, now: int
    ) -> StoredStrategy:
        """Store an active ``strategy`` for ``owner`` on ``chain_id``, started at ``now``."""
        with self._lock, self._db:
            while True:
                sid = secrets.token_hex(4)
                if self._row(sid) is None:
                    break
            self._db.execute(
                "INSERT INTO strategies (id, chain_id, owner, spec, status, started_at) "
                "VALUES (?, ?, ?, ?, 'active', ?)",
                (sid, chain_id, owner, strategy.model_dump_json(), now),
            )
        return self.require(sid)

    def get(self, sid: str) -> StoredStrategy | None:
        row = self._row(sid)
        return None if row is None else _strategy(row)

    def require(self, sid: str) -> StoredStrategy:
        """The strategy ``sid``; a :class:`UsageError` naming it when there is none."""
        found = self.get(sid)
        if found is None:
            raise UsageError(f"no bot strategy {sid!r} (see `rexos bot list`)")
        return found

    def strategies(
        self, owner: str | None = None, chain_id: int | None = None, *, removed: bool = False
    ) -> list[StoredStrategy]:
        """Strategies in the order they were added; removed ones only with ``removed``."""
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM strategies ORDER BY rowid").fetchall()
        found = [_strategy(r) for r in rows]
        return [
            s
            for s in found
            if (owner is None or s.owner.lower() == owner.lower())
            and (chain_id is None or s.chain_id == chain_id)
            and (removed or s.status != "removed")
        ]

    def active(self, owner: str, chain_id: int) -> list[StoredStrategy]:
        return [s for s in self.strategies(owner, chain_id) if s.status == "active"]

    def fires(self, sid: str) -> list[Fire]:
        rows = self._db.execute(
            "SELECT n, at, why, sold, bought, tx_hash, block FROM fires WHERE strategy_id = ? "
            "ORDER BY n",
            (sid,),
        ).fetchall()
        return [
            Fire(int(n), int(at), why, Decimal(sold), None if b is None else Decimal(b), h, int(k))
            for n, at, why, sold, b, h, k in rows
        ]

    def record_fire(self, sid: str, fire: Fire) -> StoredStrategy:
        """Record trade ``fire.n`` and advance the progress (``done`` when it is finished).

        A trade already recorded (same number) changes nothing: a re-run is harmless.
        """
        with self._lock, self._db:
            current = self._row(sid)
            if current is None:
                raise UsageError(f"no bot strategy {sid!r}")
            s = _strategy(current)
            if fire.n != s.progress.fires:
                return s
            self._db.execute(
                "INSERT INTO fires VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (sid, fire.n, fire.at, fire.why, str(fire.sold),
                 None if fire.bought is None else str(fire.bought), fire.tx_hash, fire.block),
            )  # fmt: skip
            progress = replace(
                s.progress,
                fires=fire.n + 1,
                spent=s.progress.spent + fire.sold,
                last_fire_at=fire.at,
            )
            finished = s.strategy.finished(progress) and s.status == "active"
            self._db.execute(
                "UPDATE strategies SET fires = ?, spent = ?, last_fire_at = ?, "
                "status = CASE WHEN ? THEN 'done' ELSE status END WHERE id = ?",
                (progress.fires, str(progress.spent), fire.at, finished, sid),
            )
        return self.require(sid)

    def pause(self, sid: str, reason: str) -> StoredStrategy:
        """Pause an active strategy with ``reason``; its next trade gets fresh intent keys."""
        with self._lock, self._db:
            self._db.execute(
                "UPDATE strategies SET status = 'paused', reason = ?, attempt = attempt + 1 "
                "WHERE id = ? AND status = 'active'",
                (reason, sid),
            )
        return self.require(sid)

    def resume(self, sid: str) -> StoredStrategy:
        """Make a paused strategy active again (after the user fixed what paused it)."""
        s = self.require(sid)
        if s.status != "paused":
            raise UsageError(f"bot strategy {sid} is {s.status}, not paused")
        with self._lock, self._db:
            self._db.execute(
                "UPDATE strategies SET status = 'active', reason = NULL WHERE id = ? "
                "AND status = 'paused'",
                (sid,),
            )
        return self.require(sid)

    def remove(self, sid: str) -> StoredStrategy | None:
        """Stop a strategy for good (kept, as ``removed``, with its trades); ``None`` if there
        is no such strategy."""
        with self._lock, self._db:
            self._db.execute("UPDATE strategies SET status = 'removed' WHERE id = ?", (sid,))
        return self.get(sid)

    def _row(self, sid: str) -> tuple[Any, ...] | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM strategies WHERE id = ?", (sid.strip().lower(),)
        ).fetchone()
        return cast("tuple[Any, ...] | None", row)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _strategy(row: tuple[Any, ...]) -> StoredStrategy:
    sid, chain_id, owner, spec, status, reason, started, fires, spent, last, attempt = row
    progress = Progress(int(started), int(fires), Decimal(spent), last)
    return StoredStrategy(
        sid, int(chain_id), owner, parse_strategy(spec), status, reason, progress, int(attempt)
    )
