"""The report as plain text for a terminal: the same sections, tables as aligned columns.

Numbers are the facts' rendered values, so amounts read in token units; third-party text is
quoted.
"""

from __future__ import annotations

from rexos.lense.facts import FactSet
from rexos.lense.report_blocks import Cell, ChartRef, Paragraph, Section, Table

__all__ = ["render_plain"]


def _runs(facts: FactSet, runs: Cell) -> str:
    out = []
    for run in runs:
        if isinstance(run, str):
            out.append(run)
        elif run.untrusted:
            out.append(f"\u201c{facts.render(run.id)}\u201d")
        else:
            out.append(facts.render(run.id))
    return "".join(out)


def _lines(text: str) -> list[str]:
    """A cell's lines: one per ``;``-separated part (a number is never cut)."""
    parts = text.split("; ")
    return [part + (";" if k < len(parts) - 1 else "") for k, part in enumerate(parts)]


def _table(facts: FactSet, table: Table) -> list[str]:
    rows = [[[h] for h in table.header]]
    rows += [[_lines(_runs(facts, c)) for c in row] for row in table.rows]
    widths = [max(len(line) for row in rows for line in row[k]) for k in range(len(table.header))]
    out: list[str] = []
    for number, row in enumerate(rows):
        for k in range(max(len(cell) for cell in row)):
            cells = [cell[k] if k < len(cell) else "" for cell in row]
            out.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
        if number == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def render_plain(facts: FactSet, sections: tuple[Section, ...]) -> str:
    """The report's text (charts are left to the HTML and PDF)."""
    lines: list[str] = []
    for section in sections:
        lines += ["", section.title.upper(), ""]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                prefix = {"note": "note: ", "warning": "! ", "untrusted": "  > "}.get(
                    block.style, ""
                )
                lines.append(prefix + _runs(facts, block.runs))
            elif isinstance(block, Table):
                lines += [*_table(facts, block), ""]
            elif isinstance(block, ChartRef):
                continue
    return "\n".join(lines).strip() + "\n"
