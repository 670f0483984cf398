"""The report as one self-contained HTML page (no script, no outside resource).

Every fact is a ``<span class="fact" data-fact="<id>">`` holding its rendered value, with its
source and time in the ``title``; third-party text sits in ``<q class="untrusted">``, escaped.
Charts are SVG images in ``data:`` URIs, so text inside them (token symbols) is never markup
of the page.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from html import escape

from rexos.lense.facts import FactSet
from rexos.lense.report_blocks import Block, Cell, ChartRef, FactRef, Paragraph, Section, Table
from rexos.lense.report_charts import Chart

__all__ = ["render_html"]

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0 auto;
max-width:60rem;padding:1.5rem;color:#1b1f24;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.9rem}
th,td{border-bottom:1px solid #e5e8eb;padding:.3rem .4rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.fact{font-variant-numeric:tabular-nums}
.note{color:#57606a;font-size:.9rem}.warning{color:#9a3412;font-weight:600}
.untrusted{border-left:3px solid #d0d7de;padding-left:.6rem}
q.untrusted-text{font-style:italic;quotes:"\\201C" "\\201D"}
figure{margin:1rem 0}figure img{max-width:100%}
"""


def _fact(facts: FactSet, ref: FactRef) -> str:
    fact = facts[ref.id]
    title = escape(f"{fact.source} · {fact.as_of}", quote=True)
    text = escape(facts.render(ref.id))
    if ref.untrusted:
        return (f'<q class="fact untrusted-text" data-fact="{escape(ref.id, quote=True)}" '
                f'data-untrusted="true" title="{title}">{text}</q>')  # fmt: skip
    return (
        f'<span class="fact" data-fact="{escape(ref.id, quote=True)}" title="{title}">{text}</span>'
    )


def _runs(facts: FactSet, runs: Cell) -> str:
    return "".join(escape(r) if isinstance(r, str) else _fact(facts, r) for r in runs)


def _table(facts: FactSet, table: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.header)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_runs(facts, cell)}</td>" for cell in row) + "</tr>"
        for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _chart(chart: Chart | None) -> str:
    if chart is None:
        return ""
    data = base64.b64encode(chart.svg.encode()).decode()
    alt = escape(chart.title, quote=True)
    return (f'<figure data-chart="{chart.name}"><img alt="{alt}" '
            f'src="data:image/svg+xml;base64,{data}"></figure>')  # fmt: skip


def _block(facts: FactSet, block: Block, charts: Mapping[str, Chart]) -> str:
    if isinstance(block, Paragraph):
        return f'<p class="{block.style}">{_runs(facts, block.runs)}</p>'
    if isinstance(block, Table):
        return _table(facts, block)
    assert isinstance(block, ChartRef)
    return _chart(charts.get(block.name))


def _section(facts: FactSet, section: Section, charts: Mapping[str, Chart]) -> str:
    body = "\n".join(_block(facts, b, charts) for b in section.blocks)
    return f'<section id="{section.id}"><h2>{escape(section.title)}</h2>\n{body}\n</section>'


def render_html(facts: FactSet, sections: tuple[Section, ...], charts: Mapping[str, Chart]) -> str:
    """The whole report page."""
    body = "\n".join(_section(facts, s, charts) for s in sections)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\">"
        f"<title>Lense report</title><style>{_STYLE}</style></head>\n<body>\n"
        f"<h1>Lense report</h1>\n{body}\n</body></html>\n"
    )
