"""Facts: JSON round trip with exact types, rendering, and the fixtures built by the builder."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from rexos.lense.facts import Fact, FactSet, format_usd
from tests.unit.lense.lense_fixtures import FIXTURES, fixture_text, wallet_a, wallet_b


def _set() -> FactSet:
    return FactSet([
        Fact("net_worth.usd", Decimal("1234.5"), "sum", "t", unit="USD"),
        Fact("holding.1:0xA.amount", 15 * 10**17, "multicall", "block 3", unit="REX", decimals=18),
        Fact("holdings.count", 4, "discovery", "t"),
        Fact("price.1:0xA.divergence_bps", None, "spread", "t", unit="bps"),
        Fact("holding.1:0xA.symbol", "REX", "multicall", "t"),
        Fact("perf.1:0xA.change_7d_pct", Decimal("-12.4"), "perf", "t", unit="pct_change"),
        Fact("risk.approvals.1:0xA.0xB", 2**256 - 1, "allowance", "t", unit="REX", decimals=18),
    ])  # fmt: skip


def test_json_round_trip_keeps_types_and_writes_exact_numbers_as_text() -> None:
    facts = _set()
    data = json.loads(json.dumps(facts.to_json()))
    by_id = {f["id"]: f for f in data["facts"]}
    assert by_id["net_worth.usd"] == {
        **by_id["net_worth.usd"],
        "type": "decimal",
        "value": "1234.5",
    }
    assert by_id["holding.1:0xA.amount"]["value"] == str(15 * 10**17)
    assert by_id["holdings.count"]["value"] == 4
    back = FactSet.from_json(data)
    assert [f.id for f in back] == [f.id for f in facts]
    assert back["net_worth.usd"].value == Decimal("1234.5")
    assert back["holding.1:0xA.amount"].value == 15 * 10**17
    assert back.value("price.1:0xA.divergence_bps") is None


def test_rendering_reads_in_token_units_and_dollars() -> None:
    facts = _set()
    assert facts.render("net_worth.usd") == "$1,234.50"
    assert facts.render("holding.1:0xA.amount") == "1.5000 REX"
    assert facts.render("holdings.count") == "4"
    assert facts.render("price.1:0xA.divergence_bps") == "unknown"
    assert facts.render("perf.1:0xA.change_7d_pct") == "-12.40%"
    assert facts.render("risk.approvals.1:0xA.0xB") == "unlimited"
    assert format_usd(Decimal("0.000123456")) == "$0.0001235"
    assert format_usd(Decimal("1.245")) == "$1.2450"
    assert format_usd(Decimal("-31")) == "-$31.00"


def test_ids_are_unique_and_values_never_floats() -> None:
    facts = _set()
    with pytest.raises(ValueError, match="twice"):
        facts.add(Fact("holdings.count", 5, "x", "t"))
    with pytest.raises(TypeError):
        Fact("a.b", 1.5, "x", "t")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Fact("a..b", 1, "x", "t")


@pytest.mark.parametrize(("name", "build"), [("wallet_a", wallet_a), ("wallet_b", wallet_b)])
def test_committed_fixtures_are_what_the_builder_writes(name: str, build: object) -> None:
    assert callable(build)
    assert (FIXTURES / f"{name}.facts.json").read_text() == fixture_text(build())


def test_wallet_a_net_worth_is_the_sum_of_counted_holdings() -> None:
    facts = wallet_a()
    counted = [
        i.removesuffix(".counted") for i in facts.ids("holding.")
        if i.endswith(".counted") and facts.value(i) == "yes"
    ]  # fmt: skip
    total = sum((facts.value(f"{h}.usd") for h in counted), Decimal(0))  # type: ignore[misc]
    assert facts.value("net_worth.usd") == total.quantize(Decimal("0.01"))
    assert facts.value("holdings.spam_count") == 1
    assert facts.value("risk.disputed.count") == 1
    assert facts.value("risk.approvals.count") == 1
    assert "change.added.31337:0xa513E6E4b8f2a923D98304ec87F64353C4D5C853:lp" in facts
