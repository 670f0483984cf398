"""The Lense report: facts, the sections written from them, HTML, PDF and JSON.

``LenseReport.of(facts)`` builds the sections from the facts alone; :meth:`LenseReport.html`
and :meth:`LenseReport.pdf` render them with the five charts (drawn once, on first use);
:meth:`LenseReport.write` puts the files and ``facts.json`` side by side. Every number in
the text is a fact's rendered value (see :mod:`rexos.lense.report_blocks`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rexos.lense.facts import FactSet
from rexos.lense.report_blocks import Section
from rexos.lense.report_charts import Chart, render_charts
from rexos.lense.report_sections import NOT_ADVICE, sections

__all__ = ["NOT_ADVICE", "UNITS_NOTE", "LenseReport"]

UNITS_NOTE = (
    "Facts of type base_units are token amounts in base units (integers, written as strings); "
    "divide by 10**decimals for token units. Decimals (USD, percentages) are strings."
)


@dataclass
class LenseReport:
    """A report over ``facts``; ``sections`` are written from them when not given."""

    facts: FactSet
    sections: tuple[Section, ...] = ()
    _charts: dict[str, Chart] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.sections:
            self.sections = sections(self.facts)

    @classmethod
    def of(cls, facts: FactSet) -> LenseReport:
        """The report of ``facts``."""
        return cls(facts)

    def charts(self) -> dict[str, Chart]:
        """The charts (rendered on first call, then kept)."""
        if self._charts is None:
            self._charts = render_charts(self.facts)
        return self._charts

    def html(self) -> str:
        """The report as a self-contained HTML page."""
        from rexos.lense.report_html import render_html

        return render_html(self.facts, self.sections, self.charts())

    def pdf(self) -> bytes:
        """The report as a PDF document."""
        from rexos.lense.report_pdf import render_pdf

        return render_pdf(self.facts, self.sections, self.charts())

    def text(self) -> str:
        """The report as plain text for a terminal (amounts in token units)."""
        from rexos.lense.report_plain import render_plain

        return render_plain(self.facts, self.sections)

    def to_json(self) -> dict[str, Any]:
        """``{"facts": [...], "sections": [ids], "units": ..., "note": ...}``."""
        return {
            **self.facts.to_json(),
            "sections": [s.id for s in self.sections],
            "units": UNITS_NOTE,
            "note": NOT_ADVICE,
        }

    def write(
        self, *, html: Path | None = None, pdf: Path | None = None, facts: Path | None = None
    ) -> list[Path]:
        """Write the asked files; ``facts.json`` goes beside the HTML or PDF when not given."""
        written: list[Path] = []
        if html is not None:
            html.write_text(self.html())
            written.append(html)
        if pdf is not None:
            pdf.write_bytes(self.pdf())
            written.append(pdf)
        beside = html or pdf
        target = facts or (beside.parent / "facts.json" if beside is not None else None)
        if target is not None:
            target.write_text(json.dumps(self.facts.to_json(), indent=1) + "\n")
            written.append(target)
        return written
