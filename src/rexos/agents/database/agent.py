"""The Database agent: a question about the chain → guarded SQL → rows from the index."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rexos.agents.database.guard import DEFAULT_MAX_ROWS
from rexos.agents.database.limits import DEFAULT_LIMITS, QueryLimits
from rexos.agents.database.questions import LLM, Vocabulary, to_sql
from rexos.agents.database.store import QueryResult, run_query

__all__ = ["ask", "vocabulary"]


def vocabulary(path: Path, *, limits: QueryLimits = DEFAULT_LIMITS) -> Vocabulary:
    """The token symbols and venue names present in the index at ``path``."""
    symbols = run_query(path, "SELECT symbol FROM tokens", limits=limits).rows
    venues = run_query(path, "SELECT DISTINCT venue FROM swaps", limits=limits).rows
    return Vocabulary(
        symbols=tuple(str(r[0]) for r in symbols), venues=tuple(str(r[0]) for r in venues)
    )


def ask(
    path: Path,
    question: str,
    *,
    me: str | None = None,
    llm: LLM | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    limits: QueryLimits = DEFAULT_LIMITS,
) -> QueryResult:
    """Answer ``question`` from the index at ``path``; the result carries the SQL that ran.

    ``me`` is the address "my" refers to; ``llm`` handles questions no template matches.
    The query runs under ``limits`` (memory, threads, timeout), fetching at most
    ``max_rows`` rows, the guard's ``LIMIT``.
    """
    words = vocabulary(path, limits=limits)
    translation = to_sql(question, vocabulary=words, me=me, llm=llm, max_rows=max_rows)
    return run_query(path, translation.sql, limits=replace(limits, max_rows=max_rows))
