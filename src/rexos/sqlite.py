"""One way to open the small SQLite stores of services (relayer, wallet ledger, ...)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

__all__ = ["open_store"]


def open_store(path: Path, schema: str) -> sqlite3.Connection:
    """Open (creating folders and tables) a store in WAL mode with full fsync, usable from
    several threads; callers serialise writes with their own lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    with db:
        db.executescript(schema)
    return db
