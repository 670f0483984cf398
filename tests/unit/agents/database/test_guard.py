"""The SQL guard: attacks refused with a reason, benign queries limited and kept.

Decisions the cases pin down: system catalogs (``information_schema``, ``duckdb_*()``,
``pg_*``, ``sqlite_*``) are not queryable, even through a CTE of the same name; table
functions in ``FROM`` are refused but a ``range()``/``generate_series()`` with literal
bounds and at most ``MAX_SERIES`` elements; comments are dropped from the SQL that runs, so
a comment can never end up as code. Resource attacks (issue 11) are refused before they run:
``LIMIT ... PERCENT``, ``WITH RECURSIVE``, ``SAMPLE``, list lambdas and every function whose
output size an argument sets (DuckDB's memory limit does not bound those).
"""

from __future__ import annotations

import pytest
import sqlglot

from rexos.agents.database import check_sql, table_names
from rexos.errors import UnsafeQuery, UsageError

TABLES = table_names()

ATTACKS = [
    ("DELETE FROM transfers", "only SELECT"),
    ("DROP TABLE transfers", "only SELECT"),
    ("INSERT INTO transfers SELECT * FROM transfers", "only SELECT"),
    ("UPDATE stakes SET amount = 0", "only SELECT"),
    ("CREATE TABLE x AS SELECT 1", "only SELECT"),
    ("SELECT 1; DROP TABLE transfers", "exactly one statement"),
    # the outer limit would read back as the bare inner query's (found by the fuzz test)
    ("FROM SELECT * FROM transfers", "row limit"),
    ("SELECT 1; SELECT 2", "exactly one statement"),
    ("ATTACH '/tmp/other.db' AS other", "only SELECT"),
    ("COPY transfers TO '/tmp/out.csv'", "only SELECT"),
    ("PRAGMA database_list", "only SELECT"),
    ("SET enable_external_access = true", "only SELECT"),
    ("INSTALL httpfs", "only SELECT"),
    ("LOAD httpfs", "only SELECT"),
    ("SELECT * FROM read_csv_auto('/etc/passwd')", r"read_csv_auto\(\) is not allowed"),
    ("SELECT * FROM '/etc/passwd'", "unknown table"),
    ("SELECT read_text('/etc/passwd')", "read_text"),
    ("SELECT * FROM transfers WHERE token IN (SELECT getenv('HOME'))", "getenv"),
    ("SELECT * FROM duckdb_settings()", r"duckdb_settings\(\) is not allowed"),
    ("SELECT * FROM duckdb_tables", "system tables"),
    ("SELECT * FROM sqlite_master", "system tables"),
    ("SELECT * FROM information_schema.tables", "qualified"),
    ("SELECT * FROM main.transfers", "qualified"),
    ("SELECT * FROM secrets", "unknown table"),
    ("SELECT 1 UNION ALL SELECT name FROM duckdb_settings()", "duckdb_settings"),
    ("SELECT * FROM glob('/home/*')", r"glob\(\) is not allowed"),
    ("SELECT * FROM transfers, range(1000000000)", "at most 1000 elements"),
    ("SELECT * FROM transfers, read_csv('x.csv')", "read_csv"),
    ("SELECT * FROM transfers, unnest_tables(1)", "table functions are not allowed"),
    (
        "WITH transfers AS (SELECT * FROM read_parquet('s3://x/y.parquet')) "
        "SELECT * FROM transfers",
        "read_parquet",
    ),
    ("WITH duckdb_settings AS (SELECT 1 AS a) SELECT * FROM duckdb_settings", "shadow"),
    ("SELECT * FROM transfers LIMIT (SELECT 5)", "LIMIT must be a whole number"),
    ("SELECT current_setting('threads')", "current_setting"),
    ("SELECT * FROM transfers INTO TEMP t", "cannot parse|INTO"),
    ("DESCRIBE transfers", "only SELECT"),
    ("SUMMARIZE transfers", "only SELECT"),
    ("EXPORT DATABASE '/tmp/x'", "cannot parse|only SELECT"),
    ("", "exactly one statement"),
    # issue 11: resource limits
    ("SELECT * FROM transfers LIMIT 50 PERCENT", "PERCENT"),
    ("SELECT * FROM transfers LIMIT 50%", "PERCENT"),
    ("SELECT * FROM (SELECT * FROM transfers LIMIT 99 PERCENT) AS t LIMIT 5", "PERCENT"),
    ("SELECT * FROM transfers ORDER BY amount LIMIT 5 WITH TIES", "WITH TIES"),
    (
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r",
        "WITH RECURSIVE",
    ),
    ("SELECT unnest(generate_series(1, 2000000000))", "at most 1000 elements"),
    ("SELECT len(range(200000000))", "at most 1000 elements"),
    ("SELECT * FROM generate_series(1, 1001)", "at most 1000 elements"),
    ("SELECT * FROM transfers, range(block) AS r(i)", "literal bounds"),
    ("SELECT range(0, 10, 0)", "literal bounds"),
    ("SELECT range(0.5, 10)", "literal bounds"),
    ("SELECT * FROM transfers USING SAMPLE 10%", "SAMPLE"),
    ("SELECT * FROM transfers TABLESAMPLE 10%", "SAMPLE"),
    ("SELECT * FROM transfers USING SAMPLE 5 ROWS", "SAMPLE"),
    ("SELECT * FROM duckdb_table_sample('transfers')", "duckdb_table_sample"),
    ("SELECT length(repeat('x', 1500000000))", r"repeat\(\) is not allowed"),
    ("SELECT len(repeat([1], 200000000))", r"repeat\(\) is not allowed"),
    ("SELECT length(lpad('x', 1500000000, 'y'))", "output size"),
    ("SELECT length(rpad('x', 1500000000, 'y'))", "output size"),
    ("SELECT printf('%500000000d', 1)", r"printf\(\) is not allowed"),
    ("SELECT format('{:>500000000}', 1)", r"format\(\) is not allowed"),
    ("SELECT len(list_resize([1], 200000000))", "list_resize"),
    ("SELECT len(array_resize([1], 200000000))", "array_resize"),
    ("SELECT bitstring('1', 2000000000)", "bitstring"),
    ("SELECT * FROM repeat_row(1, num_rows := 1000000000)", "repeat_row"),
    (
        "SELECT len(flatten(list_transform(l, lambda x: l))) "
        "FROM (SELECT list(amount) AS l FROM transfers) AS s",
        "lambdas",
    ),
    ("SELECT [l FOR x IN l] FROM (SELECT list(amount) AS l FROM transfers) AS s", "lambdas"),
    ("SELEC * FROM transfers", "cannot parse"),
]


@pytest.mark.parametrize(("sql", "reason"), ATTACKS)
def test_attacks_are_refused_with_a_reason(sql: str, reason: str) -> None:
    with pytest.raises(UnsafeQuery, match=reason) as info:
        check_sql(sql, TABLES)
    assert isinstance(info.value, UsageError)
    assert str(info.value).startswith("refused SQL: ")


BENIGN = [
    ("SELECT count(*) FROM transfers", "SELECT COUNT(*) FROM transfers LIMIT 1000"),
    ("select * from swaps limit 5", "SELECT * FROM swaps LIMIT 5"),
    ("SELECT * FROM swaps LIMIT 100000", "SELECT * FROM swaps LIMIT 1000"),
    ("FROM stakes", "SELECT * FROM stakes LIMIT 1000"),
    (
        "WITH t AS (SELECT * FROM transfers) SELECT count(*) FROM t",
        "WITH t AS (SELECT * FROM transfers) SELECT COUNT(*) FROM t LIMIT 1000",
    ),
    (
        "SELECT account FROM stakes UNION SELECT requester FROM dprompt_requests",
        "SELECT account FROM stakes UNION SELECT requester FROM dprompt_requests LIMIT 1000",
    ),
    (
        "SELECT amount FROM transfers -- */ DROP TABLE transfers; /*\n",
        "SELECT amount FROM transfers LIMIT 1000",
    ),
    ("SELECT /* hi */ 1 AS one;", "SELECT 1 AS one LIMIT 1000"),
    ("SELECT i FROM range(10) AS r(i)", "SELECT i FROM RANGE(0, 10) AS r(i) LIMIT 1000"),
    ("SELECT generate_series(1, 1000)", "SELECT GENERATE_SERIES(1, 1000) LIMIT 1000"),
    ("SELECT range(-10, 10, 3)", "SELECT RANGE(-10, 10, 3) LIMIT 1000"),
    ("SELECT * FROM unnest([1, 2]) AS u(x)", "SELECT * FROM UNNEST([1, 2]) AS u(x) LIMIT 1000"),
    (
        "SELECT venue, sum(amount_in) FROM swaps GROUP BY venue ORDER BY 2 DESC",
        "SELECT venue, SUM(amount_in) FROM swaps GROUP BY venue ORDER BY 2 DESC LIMIT 1000",
    ),
]


@pytest.mark.parametrize(("sql", "expected"), BENIGN)
def test_benign_queries_pass_limited_and_without_comments(sql: str, expected: str) -> None:
    assert check_sql(sql, TABLES) == expected


def test_a_limit_is_clamped_to_max_rows() -> None:
    assert check_sql("SELECT * FROM transfers LIMIT 50", TABLES, max_rows=10).endswith("LIMIT 10")
    assert check_sql("SELECT * FROM transfers LIMIT 5", TABLES, max_rows=10).endswith("LIMIT 5")


def test_only_the_allowed_tables_are_known() -> None:
    with pytest.raises(UnsafeQuery, match="unknown table 'swaps'"):
        check_sql("SELECT * FROM swaps", {"transfers"})


def test_the_output_is_one_select_that_parses_again() -> None:
    safe = check_sql("WITH a AS (SELECT 1 AS x) SELECT x FROM a UNION SELECT 2", TABLES)
    (tree,) = sqlglot.parse(safe, read="duckdb")
    assert tree is not None and tree.args.get("limit") is not None
