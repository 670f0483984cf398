"""The report as a PDF: the same sections as the HTML page, laid out on A4 pages.

Text wraps at spaces; a fact's rendered value is split only at its own spaces, so a number
is never cut. Third-party text is set in italics between quotes. Charts are the Chart
agent's PNGs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rexos.lense.facts import FactSet
from rexos.lense.report_blocks import Cell, ChartRef, Paragraph, Section, Table
from rexos.lense.report_charts import Chart
from rexos.lense.report_pdf_writer import PAGE_HEIGHT, PAGE_WIDTH, FontName, PdfWriter, text_width

__all__ = ["render_pdf"]

_MARGIN = 48.0
_WIDTH = PAGE_WIDTH - 2 * _MARGIN
_BODY, _SMALL, _TABLE, _HEADING = 9.5, 8.0, 7.5, 13.0


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    font: FontName


def _words(facts: FactSet, runs: Cell, font: FontName) -> list[_Word]:
    """The words of ``runs`` (third-party values in italics and quotes)."""
    words: list[_Word] = []
    open_end = False
    for run in runs:
        if isinstance(run, str):
            text, run_font = run, font
        else:
            text = facts.render(run.id)
            run_font = "F3" if run.untrusted else font
            if run.untrusted:
                text = f"\u201c{text}\u201d"
        glue = open_end and not text[:1].isspace()
        for k, part in enumerate(text.split(" ")):
            if k == 0 and glue and part:
                words[-1] = _Word(words[-1].text + part, words[-1].font)
            elif part:
                words.append(_Word(part, run_font))
        open_end = bool(words) and bool(text) and not text[-1:].isspace()
    return words


def _wrap(words: list[_Word], width: float, size: float) -> list[list[_Word]]:
    lines: list[list[_Word]] = [[]]
    used = 0.0
    space = text_width(" ", size)
    for word in words:
        w = text_width(word.text, size, word.font)
        if lines[-1] and used + space + w > width:
            lines.append([])
            used = 0.0
        used += (space if lines[-1] else 0.0) + w
        lines[-1].append(word)
    return [line for line in lines if line]


class _Layout:
    """A cursor going down A4 pages."""

    def __init__(self) -> None:
        self.pdf = PdfWriter()
        self.pdf.new_page()
        self.y = PAGE_HEIGHT - _MARGIN

    def room(self, height: float) -> None:
        if self.y - height < _MARGIN:
            self.pdf.new_page()
            self.y = PAGE_HEIGHT - _MARGIN

    def line_of(self, words: list[_Word], x: float, size: float, grey: float) -> None:
        """Draw one line, a run of same-font words at a time."""
        cursor = x
        space = text_width(" ", size)
        k = 0
        while k < len(words):
            font = words[k].font
            group = []
            while k < len(words) and words[k].font == font:
                group.append(words[k].text)
                k += 1
            text = " ".join(group)
            self.pdf.text(cursor, self.y, text, size, font, grey)
            cursor += text_width(text, size, font) + space

    def paragraph(self, words: list[_Word], size: float, grey: float, indent: float) -> None:
        """Wrapped lines of ``words``, then a little space."""
        for line in _wrap(words, _WIDTH - indent, size):
            self.room(size * 1.4)
            self.y -= size * 1.4
            self.line_of(line, _MARGIN + indent, size, grey)
        self.y -= size * 0.5


_STYLES: dict[str, tuple[FontName, float, float, float]] = {
    "text": ("F1", _BODY, 0.0, 0.0),
    "note": ("F3", _SMALL, 0.35, 0.0),
    "warning": ("F2", _BODY, 0.0, 0.0),
    "untrusted": ("F1", _BODY, 0.2, 10.0),
}


def _paragraph(out: _Layout, facts: FactSet, block: Paragraph) -> None:
    font, size, grey, indent = _STYLES[block.style]
    out.paragraph(_words(facts, block.runs, font), size, grey, indent)


def _table(out: _Layout, facts: FactSet, table: Table) -> None:
    weights = table.widths or tuple(1 for _ in table.header)
    widths = [_WIDTH * w / sum(weights) for w in weights]
    rows = [
        [[_Word(h, "F2")] for h in table.header],
        *([_words(facts, cell, "F1") for cell in row] for row in table.rows),
    ]
    for number, row in enumerate(rows):
        cells = [_wrap(words, w - 4, _TABLE) for words, w in zip(row, widths, strict=True)]
        height = max(len(c) for c in cells) * _TABLE * 1.3 + 4
        out.room(height)
        if number == 0:
            out.pdf.rect(_MARGIN, out.y - height, _WIDTH, height, 0.93)
        top, x = out.y, _MARGIN
        for lines, w in zip(cells, widths, strict=True):
            out.y = top - 1
            for line in lines:
                out.y -= _TABLE * 1.3
                out.line_of(line, x + 2, _TABLE, 0.0)
            x += w
        out.y = top - height
        out.pdf.line(_MARGIN, out.y, _MARGIN + _WIDTH, out.y)
    out.y -= _BODY * 0.6


def _chart(out: _Layout, chart: Chart | None) -> None:
    if chart is None:
        return
    px_w, px_h = PdfWriter.image_size(chart.png)
    width = min(_WIDTH, px_w / 2)
    height = width * px_h / px_w
    out.room(height + 8)
    out.y -= height + 4
    out.pdf.image(chart.png, _MARGIN, out.y, width, height)
    out.y -= 8


def _section(out: _Layout, facts: FactSet, section: Section, charts: Mapping[str, Chart]) -> None:
    out.room(_HEADING * 4)
    out.y -= _HEADING * 1.8
    out.pdf.text(_MARGIN, out.y, section.title, _HEADING, "F2")
    out.y -= _HEADING * 0.6
    for block in section.blocks:
        if isinstance(block, Paragraph):
            _paragraph(out, facts, block)
        elif isinstance(block, Table):
            _table(out, facts, block)
        elif isinstance(block, ChartRef):
            _chart(out, charts.get(block.name))


def render_pdf(facts: FactSet, sections: tuple[Section, ...], charts: Mapping[str, Chart]) -> bytes:
    """The whole report as PDF bytes."""
    out = _Layout()
    out.y -= 18
    out.pdf.text(_MARGIN, out.y, "Lense report", 18, "F2")
    for section in sections:
        _section(out, facts, section, charts)
    return out.pdf.output()
