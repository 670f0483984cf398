"""The DuckDB file of one chain's index: the only module that imports ``duckdb``.

Writes go through :meth:`IndexStore.write` (one transaction per block chunk: the rows and
the cursor move together). Questions run on :func:`run_query`, a connection opened
``read_only`` with external access (files, network, extensions) disabled, memory and
threads limited and then the configuration locked, behind the SQL guard; a timer
interrupts a query that runs too long and at most ``max_rows + 1`` rows are fetched
(:class:`~rexos.chainindex.limits.QueryLimits`).

An index that cannot be used never reaches the user as a traceback: a file that is
corrupt, truncated, not a DuckDB database, a folder or locked by another process raises
:class:`~rexos.errors.StoreUnreadable`, one line naming the file and what to do (the
index is rebuilt from the chain by ``rexos index``). Its folder is made 0700; DuckDB
creates the file and its ``.wal`` with the umask's mode, so they are narrowed to 0600
once open and after each write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb

from rexos.chainindex.limits import DEFAULT_LIMITS, QueryLimits, deadline
from rexos.chainindex.schema import TABLES, ddl
from rexos.errors import StoreUnreadable, UnsafeQuery, UsageError
from rexos.private_files import ensure_private_dir, tighten_file

__all__ = ["IndexStore", "QueryResult", "Value", "index_path", "run_query"]

Value = int | str | bool | Decimal | dt.datetime | dt.date | None
"""A cell of a query result as DuckDB returns it (``HUGEINT`` amounts are ``int``)."""

_COLUMNS = {t.name: t.column_names for t in TABLES}
_BIG_TYPES = ("HUGEINT", "UHUGEINT", "DECIMAL", "UBIGINT")
_REBUILD = "move it aside and rebuild it with `rexos index`"


def index_path(home: Path, chain_id: int) -> Path:
    """Where chain ``chain_id``'s index lives under the data directory ``home``."""
    return home / "index" / f"{chain_id}.duckdb"


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The SQL that ran, its column names and types, and its rows."""

    sql: str
    columns: tuple[str, ...]
    types: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]

    def json_rows(self) -> list[list[object]]:
        """The rows with amounts (128-bit or decimal columns) and times as strings."""
        big = [t.upper().startswith(_BIG_TYPES) for t in self.types]
        return [[_json_cell(v, b) for v, b in zip(row, big, strict=True)] for row in self.rows]

    def to_json(self) -> dict[str, object]:
        """``{"sql", "columns", "rows"}`` (see :meth:`json_rows`)."""
        return {"sql": self.sql, "columns": list(self.columns), "rows": self.json_rows()}


def _json_cell(value: Value, big: bool) -> object:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral_value() else str(value)
    if isinstance(value, int) and big:
        return str(value)
    return value


class IndexStore:
    """A writable handle on one index file (tables created on open)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        ensure_private_dir(path.parent)
        if path.is_dir():
            raise StoreUnreadable(f"{path} is a folder, not a DuckDB index: {_REBUILD}")
        try:
            self._db = duckdb.connect(str(path))
        except duckdb.Error as exc:
            raise _unreadable(path, exc) from exc
        try:
            for statement in ddl():
                self._db.execute(statement)
        except duckdb.Error as exc:
            self._db.close()
            raise _unreadable(path, exc) from exc
        tighten_file(path)
        self._tighten_wal()

    def _tighten_wal(self) -> None:
        tighten_file(self.path.with_name(self.path.name + ".wal"))

    def close(self) -> None:
        try:
            self._db.close()
        except duckdb.Error as exc:  # the checkpoint on close met damage
            raise _unreadable(self.path, exc) from exc

    def __enter__(self) -> IndexStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cursor_block(self, chain_id: int) -> int | None:
        """The last block indexed for ``chain_id``; ``None`` before the first run."""
        try:
            query = self._db.execute("SELECT block FROM cursor WHERE chain_id = ?", [chain_id])
            row = query.fetchone()
        except duckdb.Error as exc:
            raise _unreadable(self.path, exc) from exc
        return None if row is None else int(row[0])

    @contextmanager
    def write(self) -> Iterator[_Writer]:
        """One transaction: committed when the block ends, rolled back on an exception.

        Damage met while writing (a corrupt page, an I/O error) raises
        :class:`~rexos.errors.StoreUnreadable`; other exceptions pass through.
        """
        try:
            self._db.execute("BEGIN TRANSACTION")
            try:
                yield _Writer(self._db)
            except BaseException:
                with suppress(duckdb.Error):
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except duckdb.Error as exc:
            if not _damage(exc):
                raise
            raise _unreadable(self.path, exc) from exc
        self._tighten_wal()

    def count(self, table: str) -> int:
        """Rows in ``table`` (a schema table)."""
        if table not in _COLUMNS:
            raise UsageError(f"no table {table!r} in the index")
        try:
            row = self._db.execute(f"SELECT count(*) FROM {table}").fetchone()
        except duckdb.Error as exc:
            raise _unreadable(self.path, exc) from exc
        return 0 if row is None else int(row[0])


class _Writer:
    """Inserts inside one :meth:`IndexStore.write` transaction."""

    def __init__(self, db: duckdb.DuckDBPyConnection) -> None:
        self._db = db

    def insert(self, table: str, rows: Sequence[Mapping[str, Value]]) -> int:
        """Insert ``rows`` into ``table``, skipping keys already there; return rows given."""
        if not rows:
            return 0
        names = _COLUMNS[table]
        marks = ", ".join("?" for _ in names)
        sql = f"INSERT OR IGNORE INTO {table} ({', '.join(names)}) VALUES ({marks})"
        self._db.executemany(sql, [[row.get(n) for n in names] for row in rows])
        return len(rows)

    def set_cursor(self, chain_id: int, block: int) -> None:
        self._db.execute("INSERT OR REPLACE INTO cursor VALUES (?, ?)", [chain_id, block])


def run_query(path: Path, sql: str, *, limits: QueryLimits = DEFAULT_LIMITS) -> QueryResult:
    """Run guarded ``sql`` on a read-only, offline connection to the index at ``path``,
    under ``limits`` (memory, threads, wall-clock timeout, rows fetched).

    Exceeding a limit raises :class:`~rexos.errors.UnsafeQuery` (``stopped SQL: ...``);
    an index file that cannot be opened :class:`~rexos.errors.StoreUnreadable`; any other
    failure a :class:`~rexos.errors.UsageError`; all on one line.
    """
    if not path.is_file():
        raise UsageError(f"no index at {path}: run `rexos index` first")
    config = limits.duckdb_config()
    try:
        connection = duckdb.connect(str(path), read_only=True, config=config)
    except duckdb.Error as exc:
        raise _unreadable(path, exc) from exc
    try:
        with connection as db, deadline(db, limits.timeout_s) as expired:
            try:
                cursor = db.execute(sql)
                description = cursor.description or []
                rows = tuple(tuple(row) for row in cursor.fetchmany(limits.max_rows + 1))
            except duckdb.InterruptException as exc:
                if not expired.is_set():
                    raise
                raise _stopped(f"it ran longer than the {limits.timeout_s} s limit") from exc
    except duckdb.OutOfMemoryException as exc:
        raise _stopped(f"it needs more than the {limits.memory_mb} MB memory limit") from exc
    except duckdb.Error as exc:
        raise UsageError(f"the query failed: {_first_line(exc)}") from exc
    if len(rows) > limits.max_rows:
        raise _stopped(f"it returns more than {limits.max_rows} rows")
    return QueryResult(
        sql=sql,
        columns=tuple(str(d[0]) for d in description),
        types=tuple(str(d[1]) for d in description),
        rows=rows,
    )


def _stopped(reason: str) -> UnsafeQuery:
    return UnsafeQuery(f"stopped SQL: {reason}")


def _damage(exc: duckdb.Error) -> bool:
    """Whether ``exc`` comes from the file (I/O, corruption), not from the rows written."""
    damaged = (duckdb.IOException, duckdb.FatalException, duckdb.InternalException)
    return isinstance(exc, damaged) or "corrupt" in str(exc).lower()


def _unreadable(path: Path, exc: duckdb.Error) -> StoreUnreadable:
    reason = " ".join(_first_line(exc).split())
    if "conflicting lock" in reason.lower() or "could not set lock" in reason.lower():
        return StoreUnreadable(
            f"{path} is in use by another process ({reason}): wait for it to finish and retry"
        )
    return StoreUnreadable(f"{path} is not a readable DuckDB index ({reason}): {_REBUILD}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
