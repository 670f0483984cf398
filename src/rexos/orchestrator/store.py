"""Plans on disk (SQLite in the data directory), written after every state change."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from rexos.errors import UsageError
from rexos.orchestrator.plan import Plan
from rexos.sqlite import open_store

__all__ = ["PlanStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS plans (
    id TEXT PRIMARY KEY,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    doc TEXT NOT NULL
);
"""


class PlanStore:
    def __init__(self, path: Path) -> None:
        self._db = open_store(path, _SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def save(self, plan: Plan) -> None:
        now = int(time.time())
        doc = json.dumps(plan.to_json(), sort_keys=True)
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO plans (id, created, updated, doc) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET updated = excluded.updated, doc = excluded.doc",
                (plan.id, now, now, doc),
            )

    def load(self, plan_id: str) -> Plan:
        row = self._db.execute("SELECT doc FROM plans WHERE id = ?", (plan_id,)).fetchone()
        if row is None:
            raise UsageError(f"no plan {plan_id!r} (see `rexos plan list`)")
        return Plan.from_json(json.loads(row[0]))

    def recent(self, limit: int = 20) -> list[Plan]:
        rows = self._db.execute(
            "SELECT doc FROM plans ORDER BY updated DESC, rowid DESC LIMIT ?", (limit,)
        ).fetchall()
        return [Plan.from_json(json.loads(r[0])) for r in rows]

    def unfinished(self) -> list[Plan]:
        """Plans a crash or a pending confirmation left before ``done``/``failed``."""
        return [p for p in self.recent(200) if p.state in ("pending", "awaiting_confirmation")]
