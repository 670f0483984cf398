"""The report states no number that is not a fact: HTML and PDF read back and traced.

The reports are rendered once per wallet (charts included) from the fixture facts.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from rexos.lense.facts import Fact, FactSet
from rexos.lense.report import NOT_ADVICE, LenseReport
from rexos.lense.report_blocks import Paragraph, Table
from rexos.lense.report_charts import CHART_NAMES, chart_specs
from tests.unit.lense.lense_fixtures import wallet_a, wallet_b
from tests.unit.lense.report_text import NUMBER, html_text, pdf_lines

WALLETS = {"wallet_a": wallet_a, "wallet_b": wallet_b}


@cache
def _report(name: str) -> tuple[FactSet, str, bytes]:
    facts = WALLETS[name]()
    report = LenseReport.of(facts)
    return facts, report.html(), report.pdf()


def _fact_numbers(facts: FactSet) -> set[str]:
    return {n for fact in facts for n in NUMBER.findall(facts.render(fact.id))}


@pytest.mark.parametrize("name", WALLETS)
def test_every_number_in_the_html_is_a_rendered_fact(name: str) -> None:
    facts, html, _ = _report(name)
    outside, shown = html_text(html)
    assert NUMBER.findall(outside) == []
    assert len(shown) > 50
    for fact_id, text in shown:
        assert text == facts.render(fact_id), fact_id


@pytest.mark.parametrize("name", WALLETS)
def test_every_number_in_the_pdf_is_a_rendered_fact(name: str) -> None:
    facts, _, pdf = _report(name)
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    numbers = [n for line in pdf_lines(pdf) for n in NUMBER.findall(line)]
    assert len(numbers) > 50
    known = _fact_numbers(facts)
    assert [n for n in numbers if n not in known] == []


def test_the_pdf_says_what_the_html_says() -> None:
    facts, html, pdf = _report("wallet_a")
    text = " ".join(pdf_lines(pdf))
    for fact_id in ("net_worth.usd", "perf.total.unrealised_usd", "risk.level"):
        assert facts.render(fact_id) in text
        assert facts.render(fact_id) in html
    assert "Information, not advice" in text and NOT_ADVICE in html


def test_a_number_added_to_the_text_is_refused() -> None:
    with pytest.raises(ValueError, match="outside a fact"):
        Paragraph(("Net worth is 1,000,000",))
    with pytest.raises(ValueError, match="outside a fact"):
        Table(("Top 5",), ())


def test_a_changed_fact_changes_the_report() -> None:
    facts = wallet_b()
    changed = FactSet(
        Fact(f.id, Decimal("123456.78"), f.source, f.as_of, f.unit, f.label, f.decimals)
        if f.id == "net_worth.usd" else f
        for f in facts
    )  # fmt: skip
    report = LenseReport.of(changed)
    assert "$123,456.78" in " ".join(pdf_lines(report.pdf()))


def test_sections_say_spam_disputed_and_approvals() -> None:
    _, html, _ = _report("wallet_a")
    assert 'data-fact="holding.31337:0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6.spam_rules"' in html
    assert "Left out of net worth" in html
    assert "risk.approvals.31337:0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0." in html
    assert "Since the report of" in html
    _, html_b, _ = _report("wallet_b")
    assert "No earlier report" in html_b and "No source prices" in html_b


def test_third_party_text_is_escaped_and_marked_untrusted() -> None:
    facts = wallet_a()
    evil = '<script>alert(1)</script><img src=x onerror="steal()">'
    fact = facts["news.1.title"]
    hostile = FactSet(
        Fact(f.id, evil, f.source, f.as_of, label=f.label) if f.id == fact.id else f for f in facts
    )
    html = LenseReport(hostile, _charts={}).html()
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'data-fact="news.1.title" data-untrusted="true"' in html


def test_five_charts_each_point_a_fact_value() -> None:
    facts = wallet_a()
    planned = chart_specs(facts)
    assert [p.name for p in planned] == list(CHART_NAMES)
    for plan in planned:
        assert len(plan.fact_ids) == len(plan.spec.points)
        for point, fact_id in zip(plan.spec.points, plan.fact_ids, strict=True):
            assert point.y == Decimal(facts.value(fact_id))  # type: ignore[arg-type]
    _, html, pdf = _report("wallet_a")
    assert html.count('<figure data-chart="') == 5
    assert pdf.count(b"/Subtype /Image") == 5


def test_write_puts_facts_json_beside_the_report(tmp_path: Path) -> None:
    report = LenseReport(wallet_b(), _charts={})
    written = report.write(html=tmp_path / "r.html", pdf=tmp_path / "r.pdf")
    assert [p.name for p in written] == ["r.html", "r.pdf", "facts.json"]
    back = FactSet.from_json(json.loads((tmp_path / "facts.json").read_text()))
    assert [f.id for f in back] == [f.id for f in report.facts]
