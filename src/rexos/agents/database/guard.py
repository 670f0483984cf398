"""The SQL guard: one read-only SELECT over the index's tables, with a row limit.

:func:`check_sql` parses with sqlglot (DuckDB dialect) and refuses, with
:class:`~rexos.errors.UnsafeQuery` naming the reason:

- anything but exactly one statement whose root is a ``SELECT`` or a set operation
  (``UNION`` / ``INTERSECT`` / ``EXCEPT``) of them, ``WITH`` allowed;
- any write, DDL or command node anywhere (``INSERT``, ``DELETE``, ``DROP``, ``ATTACH``,
  ``COPY``, ``PRAGMA``, ``SET``, ``INSTALL``/``LOAD``, ...), in a CTE too;
- a table that is neither an allowed table nor a CTE of the query, and any qualified
  name (``information_schema.tables``, ``main.transfers``, ``other_db.t``): system
  catalogs are not queryable, the schema is documented instead;
- every table function in ``FROM`` (``read_csv_auto(...)``, ``duckdb_settings()``,
  ``glob(...)``, ``range(...)``) and, anywhere, a function whose name reads files,
  the network, settings or the environment (deny-list below).

The query returned is regenerated from the syntax tree without comments (so a comment
cannot smuggle text past the parser) and carries a ``LIMIT`` of at most ``max_rows``:
added when missing, lowered when larger; a ``LIMIT`` that is not a plain number is
refused. The store runs it on a read-only connection with external access disabled.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from rexos.errors import UnsafeQuery

__all__ = ["DEFAULT_MAX_ROWS", "check_sql"]

DEFAULT_MAX_ROWS = 1000

_ROOTS = (exp.Select, exp.SetOperation)
_FORBIDDEN_NODES: tuple[type[exp.Expression], ...] = (
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Merge,
    exp.Drop,
    exp.Create,
    exp.Alter,
    exp.Command,
    exp.Copy,
    exp.Attach,
    exp.Detach,
    exp.Pragma,
    exp.Set,
    exp.Use,
    exp.Install,
    exp.Into,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Summarize,
    exp.Describe,
)
_DENIED_PREFIXES = (
    "read_",
    "duckdb_",
    "pragma_",
    "parquet_",
    "sqlite_",
    "postgres_",
    "mysql_",
    "iceberg_",
    "delta_",
    "http",
    "s3",
    "json_execute",
    "pg_",
    "information_schema",
)
_DENIED_NAMES = frozenset(
    {
        "glob",
        "getenv",
        "current_setting",
        "query",
        "query_table",
        "sniff_csv",
        "load_extension",
        "install",
        "load",
        "attach",
        "copy",
        "export_database",
        "import_database",
        "checkpoint",
        "force_checkpoint",
        "which_secret",
        "read_text",
        "read_blob",
        "write_csv",
        "from_json_file",
        "sql_auto_complete",
        "test_all_types",
        "enable_profiling",
    }
)


def _fail(reason: str) -> UnsafeQuery:
    return UnsafeQuery(f"refused SQL: {reason}")


def _function_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql_name().lower()


def _denied(name: str) -> bool:
    return name in _DENIED_NAMES or name.startswith(_DENIED_PREFIXES)


def _check_tables(tree: exp.Expression, allowed: frozenset[str]) -> None:
    ctes = {str(cte.alias_or_name).lower() for cte in tree.find_all(exp.CTE)}
    for name in ctes:
        if _denied(name):
            raise _fail(f"a CTE may not shadow the system name {name!r}")
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            raise _fail("table functions are not allowed in FROM (only the index's tables)")
        if table.args.get("db") or table.args.get("catalog"):
            raise _fail(f"qualified table names are not allowed: {table.sql('duckdb')}")
        name = str(table.name).lower()
        if _denied(name):
            raise _fail(f"system tables are not queryable: {table.name!r}")
        if name not in allowed and name not in ctes:
            known = ", ".join(sorted(allowed))
            raise _fail(f"unknown table {table.name!r} (known: {known})")


def _check_nodes(tree: exp.Expression) -> None:
    for node in tree.walk():
        if isinstance(node, _FORBIDDEN_NODES):
            raise _fail(f"{type(node).__name__.upper()} is not a read-only query")
        if isinstance(node, exp.Func) and _denied(_function_name(node)):
            raise _fail(f"function {_function_name(node)}() is not allowed")


def _limit(tree: exp.Query, max_rows: int) -> exp.Query:
    clause = tree.args.get("limit")
    if clause is None:
        return tree.limit(max_rows, copy=False)
    value = clause.expression if isinstance(clause, exp.Limit) else None
    if not isinstance(value, exp.Literal) or value.is_string or not value.this.isdigit():
        raise _fail("LIMIT must be a whole number")
    if int(value.this) > max_rows:
        clause.set("expression", exp.Literal.number(max_rows))
    return tree


def _parse(sql: str) -> list[exp.Expr]:
    try:
        parsed = sqlglot.parse(sql, read="duckdb")
    except SqlglotError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _fail(f"cannot parse it ({first})") from exc
    return [p for p in parsed if p is not None]


def check_sql(sql: str, allowed_tables: Iterable[str], max_rows: int = DEFAULT_MAX_ROWS) -> str:
    """Return ``sql`` as one safe, limited, comment-free DuckDB ``SELECT``; else raise
    :class:`~rexos.errors.UnsafeQuery` with the reason."""
    if max_rows < 1:
        raise _fail(f"max_rows must be ≥ 1, got {max_rows}")
    statements = _parse(sql)
    if len(statements) != 1:
        raise _fail(f"expected exactly one statement, got {len(statements)}")
    (tree,) = statements
    if not isinstance(tree, _ROOTS):
        raise _fail(f"only SELECT queries are allowed, not {type(tree).__name__.upper()}")
    allowed = frozenset(t.lower() for t in allowed_tables)
    _check_nodes(tree)
    _check_tables(tree, allowed)
    safe = _limit(tree, max_rows).sql(dialect="duckdb", comments=False)
    again = _parse(safe)
    if len(again) != 1 or not isinstance(again[0], _ROOTS):
        raise _fail("the query does not round-trip as one SELECT")
    return safe
