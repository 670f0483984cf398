"""The real Lense report and question answerer in the page (over the fixture wallet's
facts, as the fact builder wrote them): every figure the page shows is a fact of the
report's JSON, rendered the same; a question asked in the form gets the API's answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from rexos.api.lense import ReportLense
from rexos.errors import RexosError
from rexos.lense.facts import FactSet
from rexos.lense.report import LenseReport
from rexos.types import Address
from tests.browser.conftest import Site, site_for
from tests.browser.harness import Offline, screenshot_path
from tests.unit.api.fake_lense import WALLET, fixture_facts

pytestmark = pytest.mark.xdist_group("browser")


def _build(address: Address, previous: LenseReport | None) -> LenseReport:
    if address != WALLET:
        raise RexosError(f"no fixture for {address}")
    return LenseReport.of(fixture_facts())


@pytest.fixture(scope="module")
def real_site() -> Iterator[Site]:
    yield from site_for(ReportLense(_build))


def _api(page: Page, site: Site, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {site.token}"}
    url = site.url + path
    got = page.request.post(url, headers=headers, data=body) if body else page.request.get(
        url, headers=headers)  # fmt: skip
    assert got.status == 200, got.text()
    return got.json()


def test_every_figure_in_the_page_is_a_fact_of_the_reports_json(
    page: Page, real_site: Site, offline: Offline
) -> None:
    page.goto(real_site.login_url())
    facts = FactSet.from_json(_api(page, real_site, f"/v1/lense/{WALLET}"))
    shown = page.locator("#report [data-fact]")
    expect(shown.first).to_be_visible()
    pairs = shown.evaluate_all("els => els.map(e => [e.dataset.fact, e.textContent])")
    assert len(pairs) > 50
    for fact_id, text in pairs:
        assert fact_id in facts, fact_id
        assert text == facts.render(fact_id), fact_id
    expect(page.locator("#report")).to_contain_text(facts.render("net_worth.usd"))
    charts = page.locator("#report figure img")
    assert charts.count() >= 1
    widths = charts.evaluate_all("imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
    assert all(w > 0 for w in widths)  # the charts (data: URIs) are drawn under the CSP
    assert offline.errors == []
    page.screenshot(path=screenshot_path("lense-real-report"), full_page=True)


@pytest.mark.parametrize(
    "question",
    [
        "What's my biggest position?",
        "How risky is my wallet?",
        "What's the news on REX?",
        "Why is my portfolio down this week?",
    ],
)
def test_a_question_gets_the_apis_answer_with_its_facts(
    page: Page, real_site: Site, question: str
) -> None:
    page.goto(real_site.login_url())
    page.get_by_label("Your question").fill(question)
    page.get_by_role("button", name="Ask", exact=True).click()
    expected = _api(page, real_site, f"/v1/lense/{WALLET}/ask", {"question": question})
    assert expected["known"], expected
    expect(page.get_by_test_id("answer-text")).to_have_text(expected["text"])
    items = page.locator("ul.cited li")
    expect(items).to_have_count(len(expected["cited"]))
    for item, fact in zip(items.all(), expected["cited"], strict=True):
        expect(item).to_contain_text(fact["id"])
        expect(item).to_contain_text(fact["shown"])
