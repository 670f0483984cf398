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
  ``glob(...)``) but a bounded ``range``/``generate_series``, and, anywhere, a function
  that reads files, the network, settings or the environment, or whose output size an
  argument sets (``repeat``, ``lpad``, ``printf``, ...; see
  :mod:`~rexos.agents.database.functions`), and list lambdas;
- ``WITH RECURSIVE`` (it may never end), ``SAMPLE``/``TABLESAMPLE``, and ``LIMIT ...
  PERCENT`` or ``WITH TIES`` (more rows than the cap).

The query returned is regenerated from the syntax tree without comments (so a comment
cannot smuggle text past the parser), checked again, and carries a ``LIMIT`` of at most
``max_rows``: added when missing, lowered when larger; a ``LIMIT`` that is not a plain
number is refused. The store runs it on a read-only connection with external access
disabled, under memory, thread, time and row limits
(:class:`~rexos.chainindex.limits.QueryLimits`).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from rexos.agents.database.functions import check_call, denied, refuse
from rexos.bounds import MAX_SQL_ROWS

__all__ = ["DEFAULT_MAX_ROWS", "check_sql"]

DEFAULT_MAX_ROWS = MAX_SQL_ROWS

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


def _check_tables(tree: exp.Expression, allowed: frozenset[str]) -> None:
    ctes = {str(cte.alias_or_name).lower() for cte in tree.find_all(exp.CTE)}
    for name in ctes:
        if denied(name):
            raise refuse(f"a CTE may not shadow the system name {name!r}")
    for table in tree.find_all(exp.Table):
        if isinstance(table.this, exp.GenerateSeries):
            continue
        if not isinstance(table.this, exp.Identifier):
            raise refuse(
                "table functions are not allowed in FROM (only the index's tables and a "
                "bounded range()/generate_series())"
            )
        if table.args.get("db") or table.args.get("catalog"):
            raise refuse(f"qualified table names are not allowed: {table.sql('duckdb')}")
        name = str(table.name).lower()
        if denied(name):
            raise refuse(f"system tables are not queryable: {table.name!r}")
        if name not in allowed and name not in ctes:
            known = ", ".join(sorted(allowed))
            raise refuse(f"unknown table {table.name!r} (known: {known})")


def _check_nodes(tree: exp.Expression) -> None:
    for node in tree.walk():
        if isinstance(node, _FORBIDDEN_NODES):
            raise refuse(f"{type(node).__name__.upper()} is not a read-only query")
        if isinstance(node, exp.Func):
            check_call(node)
        elif isinstance(node, exp.With) and node.args.get("recursive"):
            raise refuse("WITH RECURSIVE is not allowed: a recursive query may never end")
        elif isinstance(node, exp.TableSample):
            raise refuse("SAMPLE/TABLESAMPLE is not allowed: use LIMIT for fewer rows")
        elif isinstance(node, exp.LimitOptions) and node.args.get("percent"):
            raise refuse("LIMIT ... PERCENT is not allowed: give a number of rows")
        elif isinstance(node, exp.LimitOptions) and node.args.get("with_ties"):
            raise refuse("LIMIT ... WITH TIES is not allowed: it can return more rows")
        elif isinstance(node, exp.Lambda | exp.Comprehension):
            raise refuse("list lambdas are not allowed: their output size is unbounded")


def _limit(tree: exp.Query, max_rows: int) -> exp.Query:
    clause = tree.args.get("limit")
    if clause is None:
        return tree.limit(max_rows, copy=False)
    value = clause.expression if isinstance(clause, exp.Limit) else None
    if not isinstance(value, exp.Literal) or value.is_string or not value.this.isdigit():
        raise refuse("LIMIT must be a whole number")
    if int(value.this) > max_rows:
        clause.set("expression", exp.Literal.number(max_rows))
    return tree


def _limited(tree: exp.Expression, max_rows: int) -> bool:
    """Whether the outermost query of ``tree`` has a whole-number LIMIT of at most
    ``max_rows``."""
    clause = tree.args.get("limit")
    value = clause.expression if isinstance(clause, exp.Limit) else None
    if not isinstance(value, exp.Literal) or value.is_string or not value.this.isdigit():
        return False
    return int(value.this) <= max_rows


def _parse(sql: str) -> list[exp.Expr]:
    try:
        parsed = sqlglot.parse(sql, read="duckdb")
    except SqlglotError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise refuse(f"cannot parse it ({first})") from exc
    return [p for p in parsed if p is not None]


def check_sql(sql: str, allowed_tables: Iterable[str], max_rows: int = DEFAULT_MAX_ROWS) -> str:
    """Return ``sql`` as one safe, limited, comment-free DuckDB ``SELECT``; else raise
    :class:`~rexos.errors.UnsafeQuery` with the reason."""
    if max_rows < 1:
        raise refuse(f"max_rows must be ≥ 1, got {max_rows}")
    statements = _parse(sql)
    if len(statements) != 1:
        raise refuse(f"expected exactly one statement, got {len(statements)}")
    (tree,) = statements
    if not isinstance(tree, _ROOTS):
        raise refuse(f"only SELECT queries are allowed, not {type(tree).__name__.upper()}")
    allowed = frozenset(t.lower() for t in allowed_tables)
    _check_nodes(tree)
    _check_tables(tree, allowed)
    safe = _limit(tree, max_rows).sql(dialect="duckdb", comments=False)
    again = _parse(safe)
    if len(again) != 1 or not isinstance(again[0], _ROOTS):
        raise refuse("the query does not round-trip as one SELECT")
    if not _limited(again[0], max_rows):
        # "FROM SELECT * FROM t": the limit added to the outer query reads back as the inner
        # query's (a query used as a table needs parentheses)
        raise refuse("the query does not keep its row limit (put a subquery in parentheses)")
    _check_nodes(again[0])
    _check_tables(again[0], allowed)
    return safe
