"""``risk.concentration.top_symbol`` names the holding the answerer calls the biggest, also
when two holdings' shares round to the same figure (ties go to the exact USD value)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rexos.lense.facts import Fact, FactSet
from rexos.lense.qa import answer
from rexos.lense.report_risk import add_risk_facts

AS_OF = "2026-12-07T03:00:00Z"


def _holding(facts: FactSet, key: str, symbol: str, usd: str, share: str) -> None:
    base = f"holding.31337:{key}"
    facts.add(Fact(f"{base}.symbol", symbol, "test", AS_OF))
    facts.add(Fact(f"{base}.kind", "balance", "test", AS_OF))
    facts.add(Fact(f"{base}.chain", "devnet", "test", AS_OF))
    facts.add(Fact(f"{base}.usd", Decimal(usd), "test", AS_OF, unit="USD"))
    facts.add(Fact(f"{base}.counted", "yes", "test", AS_OF))
    facts.add(Fact(f"{base}.share_pct", Decimal(share), "test", AS_OF, unit="pct"))


@pytest.mark.parametrize("smaller_first", [True, False])
def test_a_tie_in_rounded_share_goes_to_the_larger_exact_value(smaller_first: bool) -> None:
    facts = FactSet()
    rows = [("0xAAA", "AAA", "1000.004", "33.33"), ("0xBBB", "BBB", "1000.006", "33.33")]
    for key, symbol, usd, share in rows if smaller_first else rows[::-1]:
        _holding(facts, key, symbol, usd, share)
    _holding(facts, "0xCCC", "CCC", "999.99", "33.33")
    add_risk_facts(facts, AS_OF, [])
    assert facts.value("risk.concentration.top_symbol") == "BBB"
    assert facts.value("risk.concentration.top_share_pct") == Decimal("33.33")
    biggest = answer(facts, "Which token is my biggest position?")
    assert biggest.value == facts.value("risk.concentration.top_symbol")


def test_the_larger_share_wins_over_fact_order() -> None:
    facts = FactSet()
    _holding(facts, "0xAAA", "AAA", "100", "9.09")
    _holding(facts, "0xBBB", "BBB", "1000", "90.91")
    add_risk_facts(facts, AS_OF, [])
    assert facts.value("risk.concentration.top_symbol") == "BBB"
    assert facts.value("risk.level") == "high"
