"""The SQL guard: attacks refused with a reason, benign queries limited and kept.

Decisions the cases pin down: system catalogs (``information_schema``, ``duckdb_*()``,
``pg_*``, ``sqlite_*``) are not queryable, even through a CTE of the same name; table
functions in ``FROM`` are refused (``range()`` too); comments are dropped from the SQL that
runs, so a comment can never end up as code.
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
    ("SELECT * FROM transfers, range(1000000000)", "table functions"),
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
