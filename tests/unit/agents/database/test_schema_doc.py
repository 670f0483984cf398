"""The reference page lists every table and column of the schema, and is current."""

from __future__ import annotations

from pathlib import Path

from rexos.agents.database import TABLES, schema_markdown
from rexos.chainindex.schema import ddl

DOC = Path(__file__).parents[4] / "docs" / "reference" / "database-schema.md"


def test_the_doc_lists_every_table_and_column() -> None:
    text = DOC.read_text(encoding="utf-8")
    for table in TABLES:
        assert f"## `{table.name}`" in text
        for column in table.columns:
            assert f"| `{column.name}` | `{column.type}` | {column.doc} |" in text


def test_the_doc_is_generated_from_the_schema() -> None:
    assert DOC.read_text(encoding="utf-8") == schema_markdown()


def test_every_column_is_documented_and_amounts_are_never_float() -> None:
    for table in TABLES:
        assert table.doc and set(table.primary_key) <= set(table.column_names)
        for column in table.columns:
            assert column.doc.strip()
            assert "FLOAT" not in column.type and "DOUBLE" not in column.type


def test_the_ddl_creates_every_table() -> None:
    statements = ddl()
    assert len(statements) == len(TABLES)
    assert all(s.startswith("CREATE TABLE IF NOT EXISTS") for s in statements)
