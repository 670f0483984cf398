"""ReportLense, the routes' real Lense source: the real report and question answerer over
the fixture wallet's facts, reports kept for a while and built once at a time."""

from __future__ import annotations

import threading

import pytest

from rexos.api.lense import ReportLense, answer_json
from rexos.errors import RexosError
from rexos.lense.report import LenseReport
from rexos.types import Address
from tests.unit.api.fake_lense import WALLET, fixture_facts

ADDRESS = Address(WALLET)


class Builds:
    """Counts the reports built and the ``previous`` each build was given."""

    def __init__(self) -> None:
        self.previous: list[LenseReport | None] = []
        self.gate = threading.Event()
        self.gate.set()

    def __call__(self, address: Address, previous: LenseReport | None) -> LenseReport:
        if address != WALLET:
            raise RexosError(f"nothing known about {address}")
        self.gate.wait(60)
        self.previous.append(previous)
        return LenseReport.of(fixture_facts())


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_report_is_the_real_one_and_is_kept_for_max_age() -> None:
    builds, clock = Builds(), Clock()
    lense = ReportLense(builds, max_age=60, clock=clock)
    first = lense.report(ADDRESS)
    assert first.data["facts"] == fixture_facts().to_json()["facts"]
    assert 'data-fact="net_worth.usd"' in first.html and first.data["note"]
    clock.now = 59
    lense.report(ADDRESS)
    lense.ask(ADDRESS, "What's my biggest position?")
    assert len(builds.previous) == 1
    clock.now = 61
    lense.report(ADDRESS)
    assert len(builds.previous) == 2 and builds.previous[0] is None
    assert isinstance(builds.previous[1], LenseReport)  # what changed since the last one


def test_a_question_is_answered_from_the_reports_facts_with_citations() -> None:
    lense = ReportLense(Builds())
    facts = fixture_facts()
    got = lense.ask(ADDRESS, "What's my biggest position?")
    assert got.known and got.kind != "unknown" and got.cited
    top = str(facts.value("risk.concentration.top_symbol"))
    assert top in got.text
    for cited in got.cited:
        assert cited.value == facts.render(cited.id)
        assert (cited.source, cited.as_of) == (facts[cited.id].source, facts[cited.id].as_of)
    assert any(c.value in got.text for c in got.cited)
    body = answer_json(got)
    assert body["question"] == "What's my biggest position?"
    assert [c["id"] for c in body["cited"]] == [c.id for c in got.cited]
    assert all(set(c) == {"id", "shown", "source", "as_of"} for c in body["cited"])


def test_a_question_the_facts_cannot_answer_is_not_known() -> None:
    got = ReportLense(Builds()).ask(ADDRESS, "What will the weather be tomorrow?")
    assert not got.known and got.cited == () and got.value is None


def test_an_error_building_the_report_reaches_the_caller() -> None:
    with pytest.raises(RexosError, match="nothing known"):
        ReportLense(Builds()).report(Address("0x0000000000000000000000000000000000000001"))


def test_concurrent_requests_for_one_address_build_one_report() -> None:
    builds = Builds()
    builds.gate.clear()
    lense = ReportLense(builds)
    threads = [threading.Thread(target=lense.report, args=(ADDRESS,)) for _ in range(4)]
    for t in threads:
        t.start()
    builds.gate.set()
    for t in threads:
        t.join(60)
    assert len(builds.previous) == 1
