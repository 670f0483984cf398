"""One way to open the small SQLite stores of services (relayer, wallet ledger, plans, ...).

A store that cannot be used never reaches the user as a traceback: a file that
is corrupt, truncated, not a database, a folder, locked or not readable raises
:class:`~rexos.errors.StoreUnreadable`, one line naming the file and what to do.
SQLite notices most damage only when it reads pages, so the store is checked
(``PRAGMA quick_check``, a pass over every page that skips the index
cross-checks) when it is opened, before anything relies on it; the stores are
small, so this costs milliseconds.

Stores hold private data (signed transactions, plans), so their folder is made
0700 and the database file is created 0600 before SQLite opens it; SQLite gives
its ``-wal`` and ``-shm`` side files the database file's mode, and files left
by an older version with wider modes are tightened.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from rexos.errors import StoreUnreadable
from rexos.private_files import ensure_private_dir, tighten_file

__all__ = ["open_store"]

_AFRESH = "move it aside to start afresh, or restore a backup"


def open_store(path: Path, schema: str, *, autocommit: bool = False) -> sqlite3.Connection:
    """Open (creating folders and tables) a store in WAL mode with full fsync, usable from
    several threads; callers serialise writes with their own lock.

    ``autocommit`` opens the connection without implicit transactions (the
    caller issues ``BEGIN``/``COMMIT``). Raises :class:`StoreUnreadable` when the
    file cannot be used as a store.
    """
    path = Path(path)
    ensure_private_dir(path.parent)
    _create_private(path)
    try:
        if autocommit:
            db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        else:
            db = sqlite3.connect(path, check_same_thread=False)
    except sqlite3.Error as exc:
        raise _unreadable(path, exc) from exc
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        _check_pages(db, path)
        if autocommit:
            db.executescript(schema)
        else:
            with db:
                db.executescript(schema)
    except sqlite3.Error as exc:
        db.close()
        raise _unreadable(path, exc) from exc
    except StoreUnreadable:
        db.close()
        raise
    for side in ("-wal", "-shm"):
        tighten_file(path.with_name(path.name + side))
    return db


def _create_private(path: Path) -> None:
    """Create an empty database file with mode 0600 (or tighten an existing one)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except IsADirectoryError as exc:
        raise StoreUnreadable(
            f"{path} is a folder, not a SQLite database: move it aside so a new store can be made"
        ) from exc
    except PermissionError as exc:
        raise StoreUnreadable(
            f"{path} cannot be opened (permission denied): it must be readable and writable "
            "by the user running RexOS"
        ) from exc
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise StoreUnreadable(f"{path} cannot be opened ({reason}): {_AFRESH}") from exc
    os.close(fd)
    tighten_file(path)


def _check_pages(db: sqlite3.Connection, path: Path) -> None:
    problems = [str(row[0]) for row in db.execute("PRAGMA quick_check").fetchall()]
    if problems != ["ok"]:
        first = problems[0] if problems else "no answer from the integrity check"
        raise StoreUnreadable(f"{path} is a damaged SQLite database ({first.strip()}): {_AFRESH}")


def _unreadable(path: Path, exc: sqlite3.Error) -> StoreUnreadable:
    reason = " ".join(str(exc).split()) or type(exc).__name__
    lowered = reason.lower()
    if "locked" in lowered or "busy" in lowered:
        return StoreUnreadable(
            f"{path} is in use by another process ({reason}): wait for it to finish and retry"
        )
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        return StoreUnreadable(
            f"{path} cannot be opened for writing ({reason}): it and its folder must be "
            "writable by the user running RexOS"
        )
    return StoreUnreadable(f"{path} is not a readable SQLite database ({reason}): {_AFRESH}")
