"""The Lense page in Chromium: log in, read the report, ask a question (with and without
JavaScript), offline, with screenshots kept under tests/browser/artefacts/."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site
from tests.browser.harness import WAIT_MS, Offline, screenshot_path
from tests.unit.api.fake_lense import WALLET, FakeLense

pytestmark = pytest.mark.xdist_group("browser")


def _api(page: Page, site: Site, method: str, path: str, body: Any = None) -> Any:
    """The JSON API with the bearer token (what a script would read)."""
    headers = {"Authorization": f"Bearer {site.token}"}
    if method == "GET":
        got = page.request.get(site.url + path, headers=headers)
    else:
        got = page.request.post(site.url + path, headers=headers, data=body)
    assert got.status == 200, got.text()
    return got.json()


def _facts(page: Page, site: Site) -> dict[str, dict[str, Any]]:
    data = _api(page, site, "GET", f"/v1/lense/{WALLET}")
    return {f["id"]: f for f in data["facts"]}


def test_the_page_shows_the_reports_facts(page: Page, site: Site, fake_lense: FakeLense) -> None:
    page.goto(site.login_url())
    expect(page).to_have_url(f"{site.url}/lense/{WALLET}")
    expect(page).to_have_title(f"Lense {WALLET[:6]}…{WALLET[-4:]} · RexOS")
    expect(page.get_by_test_id("address")).to_have_text(WALLET)
    facts = _facts(page, site)
    report = page.locator("#report")
    expect(report).to_contain_text(fake_lense.facts.render("net_worth.usd"))
    holdings = [i.removesuffix(".name") for i in facts if i.startswith("holding.")
                and i.endswith(".name")]  # fmt: skip
    assert len(holdings) > 3
    text = report.inner_text()
    for key in holdings:
        assert facts[f"{key}.name"]["value"] in text
        assert fake_lense.facts.render(f"{key}.usd") in text
    footer = page.locator("footer")
    expect(footer).to_contain_text("Information, not advice.")
    expect(page.get_by_role("link", name="Lense")).to_have_attribute("aria-current", "page")


def test_a_question_asked_in_the_form_is_answered_with_its_facts(
    page: Page, site: Site, fake_lense: FakeLense
) -> None:
    page.goto(site.login_url())
    question = "What's my biggest position?"
    page.get_by_label("Your question").fill(question)
    page.get_by_role("button", name="Ask", exact=True).click()
    answer = page.get_by_test_id("answer-text")
    expected = _api(page, site, "POST", f"/v1/lense/{WALLET}/ask", {"question": question})
    expect(answer).to_have_text(expected["text"], timeout=WAIT_MS)
    expect(page).to_have_url(f"{site.url}/lense/{WALLET}")  # swapped in, no navigation
    cited = page.locator("ul.cited li")
    expect(cited).to_have_count(len(expected["cited"]))
    for row, fact in zip(cited.all(), expected["cited"], strict=True):
        expect(row).to_contain_text(fact["id"])
        expect(row).to_contain_text(fact["shown"])
    assert fake_lense.asked[0] == (WALLET, question)


def test_a_suggested_question_is_one_click(page: Page, site: Site) -> None:
    page.goto(site.login_url())
    page.get_by_role("button", name="How risky is my wallet?").click()
    expect(page.get_by_test_id("answer-text")).to_contain_text("I don't know")
    expect(page.get_by_label("Your question")).to_have_value("How risky is my wallet?")


def test_the_form_works_without_javascript(page_without_js: Page, site: Site) -> None:
    page = page_without_js
    page.goto(site.login_url())
    page.get_by_label("Your question").fill("what is my BIGGEST position")
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page).to_have_url(f"{site.url}/lense/{WALLET}/ask")
    expect(page.get_by_test_id("answer-text")).to_contain_text("Your biggest position is")
    expect(page.get_by_label("Your question")).to_have_value("what is my BIGGEST position")


def test_logging_in_with_the_api_token(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/lense/{WALLET}")
    expect(page).to_have_url(f"{site.url}/login?next=/lense/{WALLET}")
    page.get_by_label("API token").fill("not-the-token")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("That is not the API token.")
    page.get_by_label("API token").fill(site.token)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{site.url}/lense/{WALLET}")
    cookie = next(c for c in page.context.cookies() if c["name"].startswith("rexos_session_"))
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == ""  # no script can read the session


def test_logging_out_ends_the_session(page: Page, site: Site) -> None:
    page.goto(site.login_url())
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{site.url}/login")
    page.goto(f"{site.url}/lense/{WALLET}")
    expect(page).to_have_url(f"{site.url}/login?next=/lense/{WALLET}")


def test_the_page_loads_nothing_from_outside_and_logs_no_error(
    page: Page, site: Site, offline: Offline
) -> None:
    loaded: list[str] = []
    page.on("requestfinished", lambda r: loaded.append(r.url))
    page.goto(site.login_url())
    page.get_by_role("button", name="What's my biggest position?").click()
    expect(page.get_by_test_id("answer-text")).to_contain_text("Your biggest position is")
    assert {u.split("?")[0] for u in loaded} >= {
        f"{site.url}/static/vendor/pico/pico.classless.min.css", f"{site.url}/static/rexos.css",
        f"{site.url}/static/rexos.js"}  # fmt: skip
    assert all(u.startswith(site.url) for u in loaded)
    assert offline.errors == []


def test_a_page_that_reaches_outside_fails_the_harness(page: Page, site: Site) -> None:
    offline = Offline(frozenset({"127.0.0.1"}))
    offline.attach(page.context)
    probe = page.context.new_page()
    probe.set_content('<img src="https://cdn.example.com/x.png">')
    probe.wait_for_load_state("load")
    assert offline.blocked == ["https://cdn.example.com/x.png"]
    probe.close()


def test_a_screenshot_is_kept(page: Page, site: Site) -> None:
    page.goto(site.login_url())
    path = screenshot_path("lense-report")
    page.screenshot(path=path, full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


def test_on_a_phone_the_form_follows_the_report_and_nothing_spills_sideways(
    page: Page, site: Site
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site.login_url())
    report = page.locator("#report").bounding_box()
    ask = page.locator("#ask").bounding_box()
    assert report is not None and ask is not None
    assert ask["y"] >= report["y"] + report["height"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=screenshot_path("lense-phone"), full_page=True)
