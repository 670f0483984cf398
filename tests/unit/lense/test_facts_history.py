"""What changed since the last report: the kept facts.json per address, and the changes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rexos.lense.facts import Fact, FactSet
from rexos.lense.history import add_changes, facts_path, load_previous, save_facts

ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


def _facts(as_of: str, worth: str, rex: int, symbols: dict[str, str]) -> FactSet:
    facts = FactSet([
        Fact("report.as_of", as_of, "clock", as_of),
        Fact("net_worth.usd", Decimal(worth), "sum", as_of, unit="USD"),
    ])  # fmt: skip
    for key, symbol in symbols.items():
        facts.add(Fact(f"holding.{key}.symbol", symbol, "chain", as_of))
        facts.add(Fact(f"holding.{key}.amount", rex, "chain", as_of, unit=symbol, decimals=18))
        facts.add(Fact(f"holding.{key}.share_pct", Decimal("40"), "x", as_of, unit="pct"))
    return facts


def test_changes_name_the_difference_and_the_holdings_that_came_and_went() -> None:
    before = _facts("2026-12-01T00:00:00Z", "100", 5 * 10**18, {"1:0xA": "REX", "1:0xB": "DAI"})
    now = _facts("2026-12-02T00:00:00Z", "150.5", 7 * 10**18, {"1:0xA": "REX", "1:0xC": "ETH"})
    assert add_changes(now, before) == 2
    assert now.value("change.net_worth.usd") == Decimal("50.5")
    assert now.render("change.net_worth.usd") == "+$50.50"
    assert now.value("change.holding.1:0xA.amount") == 2 * 10**18
    assert now.render("change.holding.1:0xA.amount") == "+2.0000 REX"
    assert "change.holding.1:0xA.share_pct" not in now  # unchanged is not a change
    assert now.value("change.added.1:0xC") == "ETH"
    assert now.value("change.removed.1:0xB") == "DAI"
    assert now.value("change.previous_as_of") == "2026-12-01T00:00:00Z"


def test_the_last_report_is_kept_per_address(tmp_path: Path) -> None:
    assert load_previous(tmp_path, ADDRESS) is None
    facts = _facts("2026-12-01T00:00:00Z", "100", 10**18, {"1:0xA": "REX"})
    path = save_facts(tmp_path, ADDRESS, facts)
    assert path == facts_path(tmp_path, ADDRESS.upper().replace("0X", "0x"))
    back = load_previous(tmp_path, ADDRESS)
    assert back is not None and back.value("holding.1:0xA.amount") == 10**18
