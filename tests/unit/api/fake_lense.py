"""A stand-in Lense source for the route and page tests: the real facts of a fixture
wallet (``tests/fixtures/lense/wallet_a.facts.json``), a small escaped HTML rendering of
them, and answers to one kind of question (the biggest position) citing their facts."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from rexos.api.lense import ReportView
from rexos.errors import RexosError
from rexos.lense.facts import FactSet
from rexos.types import Address
from rexos.web.lense_page import AnswerView, Cited

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "lense" / "wallet_a.facts.json"
WALLET = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
UNKNOWN = "I don't know: the report has no facts about that."


def fixture_facts() -> FactSet:
    return FactSet.from_json(json.loads(FIXTURE.read_text(encoding="utf-8")))


@dataclass
class FakeLense:
    facts: FactSet = field(default_factory=fixture_facts)
    raw_html: str | None = None
    """A report HTML to serve as it is (to show the page's own defences)."""
    renamed: dict[str, str] = field(default_factory=dict)
    """Holding symbol → the name shown instead (third-party text, escaped here)."""
    asked: list[tuple[str, str]] = field(default_factory=list)
    reports: int = 0

    def _holdings(self) -> list[str]:
        return [i.removesuffix(".symbol") for i in self.facts.ids("holding.") if
                i.endswith(".symbol")]  # fmt: skip

    def _html(self) -> str:
        rows = []
        for key in self._holdings():
            symbol = str(self.facts.value(f"{key}.symbol"))
            name = self.renamed.get(symbol, str(self.facts.value(f"{key}.name")))
            cells = [symbol, name, self.facts.render(f"{key}.amount"),
                     self.facts.render(f"{key}.usd")]  # fmt: skip
            rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
        return (
            "<!doctype html><html><head><title>report</title></head><body>"
            f'<h2>Holdings</h2><p>Net worth <strong data-fact="net_worth.usd">'
            f"{html.escape(self.facts.render('net_worth.usd'))}</strong></p>"
            "<table><thead><tr><th>Symbol</th><th>Name</th><th>Amount</th><th>USD</th></tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table></body></html>"
        )

    def report(self, address: Address) -> ReportView:
        if address != WALLET:
            raise RexosError(f"no report for {address} here")
        self.reports += 1
        return ReportView(address, self.raw_html or self._html(), self.facts.to_json())

    def ask(self, address: Address, question: str) -> AnswerView:
        self.asked.append((address, question))
        if "biggest" not in question.lower():
            return AnswerView(question, UNKNOWN, False)
        ids = ("risk.concentration.top_symbol", "risk.concentration.top_share_pct")
        cited = tuple(Cited(i, self.facts.render(i), self.facts[i].source, self.facts[i].as_of)
                      for i in ids)  # fmt: skip
        symbol, share = (c.value for c in cited)
        return AnswerView(question, f"Your biggest position is {symbol}, {share} of net worth.",
                          True, cited, share)  # fmt: skip
