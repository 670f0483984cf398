"""Property: whatever text reaches the guard, what comes out is one limited, read-only SELECT.

Inputs are random sequences of SQL fragments (statements, keywords, separators, comments,
table functions) and random text. For each, :func:`check_sql` either refuses with
:class:`UnsafeQuery` or returns SQL that an independent parse reads as exactly one
``SELECT``/set operation with no write, DDL or command node, no recursion, no sample, and a
top-level ``LIMIT`` no larger than ``max_rows``. Any other exception is a failure too.
"""

from __future__ import annotations

import sqlglot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlglot import exp

from rexos.agents.database import check_sql, table_names
from rexos.errors import UnsafeQuery

TABLES = table_names()
MAX_ROWS = 7

FRAGMENTS = [
    "SELECT * FROM transfers",
    "LIMIT 50 PERCENT",
    "WITH RECURSIVE r AS (SELECT 1 AS n)",
    "SELECT",
    "*",
    "count(*)",
    "amount",
    "FROM",
    "transfers",
    "swaps",
    "t",
    "AS",
    "WHERE",
    "amount > 0",
    "(",
    ")",
    ",",
    ";",
    "--",
    "/*",
    "*/",
    "\n",
    "'x'",
    '"transfers"',
    "WITH",
    "RECURSIVE",
    "t AS (SELECT 1 AS n)",
    "UNION ALL",
    "INTERSECT",
    "LIMIT",
    "5",
    "5000",
    "PERCENT",
    "%",
    "OFFSET 2",
    "USING SAMPLE 10%",
    "TABLESAMPLE 5",
    "ORDER BY 1",
    "DELETE FROM transfers",
    "DROP TABLE transfers",
    "INSERT INTO transfers VALUES (1)",
    "UPDATE transfers SET amount = 0",
    "CREATE TABLE x AS",
    "ATTACH 'x.db'",
    "COPY transfers TO 'x.csv'",
    "PRAGMA database_list",
    "SET threads = 64",
    "INSTALL httpfs",
    "LOAD httpfs",
    "CALL pragma_version()",
    "EXPORT DATABASE 'x'",
    "INTO",
    "range(10)",
    "range(1000000000)",
    "generate_series(1, 2000000000)",
    "read_csv('x')",
    "repeat('x', 99)",
    "lambda x: x",
    "unnest([1, 2])",
    "getenv('HOME')",
    "duckdb_settings()",
    "information_schema.tables",
]

FORBIDDEN = (
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
    exp.Pragma,
    exp.Set,
    exp.Install,
    exp.Into,
    exp.TableSample,
    exp.Lambda,
)

STATEMENTS = [f for f in FRAGMENTS if " " in f and not f.startswith(("LIMIT", "WITH", "t AS"))]
SOURCES = ["transfers", "swaps", "t", "range(10)", "range(1000000000)", "read_csv('x')"]
COLUMNS = ["*", "count(*)", "amount", "repeat('x', 9)", "unnest(generate_series(1, 5))"]
TAILS = [
    "",
    "LIMIT 5",
    "LIMIT 5000",
    "LIMIT 50 PERCENT",
    "LIMIT 5 WITH TIES",
    "USING SAMPLE 10%",
    "TABLESAMPLE 5",
    "OFFSET 3",
]


@st.composite
def shaped(draw: st.DrawFn) -> str:
    """A query-shaped string: [WITH [RECURSIVE] ...] SELECT ... FROM ... [tail] [; more]."""
    parts = []
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(["WITH t AS (", "WITH RECURSIVE t AS ("])))
        parts.append("SELECT 1 AS n UNION ALL SELECT n + 1 FROM t)")
    parts += ["SELECT", draw(st.sampled_from(COLUMNS)), "FROM", draw(st.sampled_from(SOURCES))]
    parts.append(draw(st.sampled_from(TAILS)))
    if draw(st.booleans()):
        parts += [draw(st.sampled_from(["UNION ALL", "EXCEPT"])), "SELECT amount FROM transfers"]
        parts.append(draw(st.sampled_from(TAILS)))
    parts.append(draw(st.sampled_from(["", ";", "; ", "--", "/*", "\n"])))
    parts.append(draw(st.sampled_from(["", *STATEMENTS])))
    return " ".join(parts)


fragments = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=10).map(" ".join)
anything = st.one_of(shaped(), fragments, st.text(max_size=80))


def _assert_one_limited_select(safe: str) -> None:
    statements = [s for s in sqlglot.parse(safe, read="duckdb") if s is not None]
    assert len(statements) == 1, safe
    (tree,) = statements
    assert isinstance(tree, exp.Select | exp.SetOperation), safe
    bad = [type(n).__name__ for n in tree.walk() if isinstance(n, FORBIDDEN)]
    assert not bad, (safe, bad)
    assert not any(w.args.get("recursive") for w in tree.find_all(exp.With)), safe
    limit = tree.args.get("limit")
    assert isinstance(limit, exp.Limit), safe
    assert limit.args.get("limit_options") is None, safe
    assert int(limit.expression.this) <= MAX_ROWS, safe


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anything)
def test_the_guard_lets_only_one_limited_select_through(sql: str) -> None:
    try:
        safe = check_sql(sql, TABLES, max_rows=MAX_ROWS)
    except UnsafeQuery as exc:
        assert str(exc).startswith("refused SQL: ")
        return
    _assert_one_limited_select(safe)


def test_the_property_can_fail() -> None:
    try:
        _assert_one_limited_select("SELECT 1; DELETE FROM transfers")
    except AssertionError:
        return
    raise AssertionError("a second statement passed the check")
