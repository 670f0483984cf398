"""docs/explanation/sql.md: every refused example is refused, the figures are the defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rexos.agents.database import DEFAULT_MAX_ROWS, check_sql, table_names
from rexos.agents.database.functions import MAX_SERIES
from rexos.chainindex.limits import DEFAULT_MEMORY_MB, DEFAULT_THREADS, DEFAULT_TIMEOUT_S
from rexos.errors import UnsafeQuery

DOC = Path(__file__).parents[4] / "docs" / "explanation" / "sql.md"
TEXT = DOC.read_text(encoding="utf-8")
REFUSED = re.findall(r"^\| `(.+?)` \|", TEXT, re.M)


def test_the_doc_has_refused_examples() -> None:
    assert len(REFUSED) >= 8


@pytest.mark.parametrize("sql", REFUSED)
def test_every_refused_example_is_refused(sql: str) -> None:
    with pytest.raises(UnsafeQuery, match=r"^refused SQL: "):
        check_sql(sql, table_names())


def test_the_allowed_example_is_allowed() -> None:
    assert "`SELECT i FROM range(10) AS r(i)`" in TEXT
    check_sql("SELECT i FROM range(10) AS r(i)", table_names())


def test_the_figures_are_the_defaults() -> None:
    for figure in (
        f"`memory_limit` {DEFAULT_MEMORY_MB} MB",
        f"`threads` {DEFAULT_THREADS}",
        f"after {DEFAULT_TIMEOUT_S:g} s",
        f"at most {MAX_SERIES} elements",
        f"({DEFAULT_MAX_ROWS} by default)",
    ):
        assert figure in TEXT, figure
