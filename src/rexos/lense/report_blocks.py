"""The report as a document: sections of paragraphs, tables and charts over fact references.

Both renderers (HTML and PDF) read this one model. A run of text is either literal words,
which may not contain a digit (checked when the block is made), or a :class:`FactRef`, whose
words are the fact's rendered value: so the report cannot state a number that is not a fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Block",
    "Cell",
    "ChartRef",
    "FactRef",
    "Paragraph",
    "Run",
    "Section",
    "Table",
    "check_literal",
]

ParagraphStyle = Literal["text", "note", "warning", "untrusted"]


@dataclass(frozen=True, slots=True)
class FactRef:
    """A fact's rendered value in the text; ``untrusted``: third-party words (news titles)."""

    id: str
    untrusted: bool = False


Run = str | FactRef
Cell = tuple[Run, ...]


def check_literal(text: str) -> str:
    """``text`` if it holds no digit; numbers may only come from facts."""
    if any(ch.isdigit() for ch in text):
        raise ValueError(f"report text may not state a number outside a fact: {text!r}")
    return text


def _check_runs(runs: tuple[Run, ...]) -> None:
    for run in runs:
        if isinstance(run, str):
            check_literal(run)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A line of text; ``note`` and ``warning`` are shown apart, ``untrusted`` quoted."""

    runs: tuple[Run, ...]
    style: ParagraphStyle = "text"

    def __post_init__(self) -> None:
        _check_runs(self.runs)


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a header row; each cell is a few runs."""

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[int, ...] = ()
    """Relative column widths (the PDF uses them); equal when empty."""

    def __post_init__(self) -> None:
        for title in self.header:
            check_literal(title)
        for row in self.rows:
            if len(row) != len(self.header):
                raise ValueError("a table row must have one cell per column")
            for cell in row:
                _check_runs(cell)


@dataclass(frozen=True, slots=True)
class ChartRef:
    """One of the report's charts, by name (see :mod:`rexos.lense.report_charts`)."""

    name: str


Block = Paragraph | Table | ChartRef


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of the report."""

    id: str
    title: str
    blocks: tuple[Block, ...]

    def __post_init__(self) -> None:
        check_literal(self.title)
