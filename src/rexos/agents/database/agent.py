"""The Database agent: a question about the chain → guarded SQL → rows from the index."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from rexos.agents.database.guard import DEFAULT_MAX_ROWS
from rexos.agents.database.questions import LLM, Vocabulary, to_sql
from rexos.chainindex.limits import DEFAULT_LIMITS, QueryLimits
from rexos.chainindex.store import QueryResult, run_query
from rexos.types import display_units

__all__ = ["AmountUnit", "amount_units", "ask", "display_rows", "vocabulary"]

_AMOUNT_TYPES = ("HUGEINT", "UHUGEINT", "DECIMAL", "UBIGINT")
_REX_TABLES = re.compile(r"\bfrom\s+(stakes|dprompt_requests)\b", re.I)
_TOKEN_TABLES = re.compile(r"\bfrom\s+(transfers|swaps|bridge_transfers)\b", re.I)
_ONE_SYMBOL = re.compile(r"upper\(token_symbol\)\s*=\s*'([A-Za-z0-9.]+)'", re.I)
_SYMBOL_COLUMN = {"amount_in": "token_in_symbol", "volume": "token_in_symbol"}
_SYMBOL_COLUMN |= {"amount_out": "token_out_symbol", "amount": "token_symbol"}


@dataclass(frozen=True, slots=True)
class AmountUnit:
    """The token an amount cell is counted in: its base units divide by ``10**decimals``."""

    symbol: str
    decimals: int


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
    names: Mapping[str, str] | None = None,
    llm: LLM | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    limits: QueryLimits = DEFAULT_LIMITS,
) -> QueryResult:
    """Answer ``question`` from the index at ``path``; the result carries the SQL that ran.

    ``me`` is the address "my" refers to; ``names`` maps wallet names (from the keystore)
    to addresses, so "how many swaps did alice make" reads alice's swaps; ``llm`` handles
    questions no template matches. The query runs under ``limits`` (memory, threads,
    timeout), fetching at most ``max_rows`` rows, the guard's ``LIMIT``.
    """
    words = vocabulary(path, limits=limits)
    translation = to_sql(
        question, vocabulary=words, me=me, names=names or {}, llm=llm, max_rows=max_rows
    )
    return run_query(path, translation.sql, limits=replace(limits, max_rows=max_rows))


def amount_units(
    path: Path, result: QueryResult, *, limits: QueryLimits = DEFAULT_LIMITS
) -> tuple[tuple[AmountUnit | None, ...], ...]:
    """For each cell of ``result``, the token its amount is counted in (``None``: not known).

    An amount column takes its token from a symbol column beside it (``amount`` from
    ``token_symbol``, ``amount_in``/``volume`` from ``token_in_symbol``, ``amount_out`` from
    ``token_out_symbol``); otherwise from the one symbol the query filters transfers on, or
    REX for the stakes and DPrompt tables (amounts there are REX wei). Decimals come from
    the index's ``tokens`` table. A sum over several tokens stays unknown.
    """
    rows = run_query(path, "SELECT symbol, decimals FROM tokens", limits=limits).rows
    known = {str(s).upper(): AmountUnit(str(s), int(str(d))) for s, d in rows}
    symbols = {s.upper() for s in _ONE_SYMBOL.findall(result.sql)}
    whole: str | None = None
    if len(symbols) == 1:
        whole = symbols.pop()
    elif _REX_TABLES.search(result.sql) and not _TOKEN_TABLES.search(result.sql):
        whole = "REX"
    columns = [c.lower() for c in result.columns]

    def unit(column: int, row: tuple[object, ...]) -> AmountUnit | None:
        if not result.types[column].upper().startswith(_AMOUNT_TYPES):
            return None
        beside = _SYMBOL_COLUMN.get(columns[column])
        symbol = str(row[columns.index(beside)]) if beside in columns else whole
        return None if symbol is None else known.get(symbol.upper())

    return tuple(tuple(unit(k, row) for k in range(len(columns))) for row in result.rows)


def display_rows(
    result: QueryResult, units: tuple[tuple[AmountUnit | None, ...], ...]
) -> list[list[str]]:
    """The rows as a person reads them: amounts in token units, rounded to 4 decimals with
    thousands separated (``"11,791.9290 REX"``); other cells as :meth:`QueryResult.json_rows`
    gives them. The exact base units stay in ``json_rows``."""
    shown: list[list[str]] = []
    for row, raw, row_units in zip(result.json_rows(), result.rows, units, strict=True):
        cells = []
        for cell, value, unit in zip(row, raw, row_units, strict=True):
            units_ = _integer(value)
            if unit is not None and units_ is not None:
                cells.append(f"{display_units(units_, unit.decimals)} {unit.symbol}")
            else:
                cells.append("" if cell is None else str(cell))
        shown.append(cells)
    return shown


def _integer(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    return None
