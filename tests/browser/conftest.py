"""Fixtures for the browser tests: one Chromium for the run, a fresh context per test
(offline, screenshots kept), and the RexOS app with a Lense source on a loopback port.

All browser tests share the browser, so they run in one xdist group (``-n 2 --dist
loadgroup``): each module sets ``pytestmark = pytest.mark.xdist_group("browser")``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from rexos.api.app import create_app
from rexos.api.guard import GuardPolicy
from rexos.api.lense import LenseSource
from rexos.api.web_session import WebSessions
from tests.browser.harness import CHROMIUM, WAIT_MS, Offline, screenshot_path, serve
from tests.unit.api.fake_lense import WALLET, FakeLense

expect.set_options(timeout=WAIT_MS)

TOKEN = "b" * 43
REBIND = "rebind.test"
"""A name Chromium resolves to 127.0.0.1 (as a DNS-rebinding attacker's name would)."""


# Module scope, not session: Playwright's sync API keeps an asyncio loop running in the main
# thread while it is open, and a later test in the same worker that calls asyncio.run() (the
# provider node's) fails with "cannot be called from a running event loop".
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian's chromium is missing: run `make browser`"
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[
            f"--host-resolver-rules=MAP {REBIND} 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
        timeout=WAIT_MS,
    )
    yield browser
    browser.close()


@dataclass
class Site:
    """The app under test: its base URL, the Lense source behind it, its sessions."""

    url: str
    lense: LenseSource
    sessions: WebSessions
    token: str = TOKEN

    def login_url(self, next_path: str = f"/lense/{WALLET}") -> str:
        return f"{self.url}/login?code={self.sessions.new_code()}&next={next_path}"


def site_for(lense: LenseSource) -> Iterator[Site]:
    """The RexOS app over ``lense`` (pages and API) on a free loopback port."""
    holder: list[WebSessions] = []

    def make(port: int) -> object:
        sessions = WebSessions(port)
        holder.append(sessions)
        return create_app(None, GuardPolicy.build(TOKEN, port), lense=lense, web=sessions,
                          home=WALLET)  # fmt: skip

    with serve(make) as url:
        yield Site(url, lense, holder[0])


@pytest.fixture
def fake_lense() -> FakeLense:
    return FakeLense()


@pytest.fixture
def site(fake_lense: FakeLense) -> Iterator[Site]:
    yield from site_for(fake_lense)


@pytest.fixture
def offline() -> Offline:
    return Offline(frozenset({"127.0.0.1", REBIND}))


def _context_page(
    browser: Browser, offline: Offline, request: pytest.FixtureRequest, javascript: bool
) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=javascript,
                                  viewport={"width": 1280, "height": 900})  # fmt: skip
    context.set_default_timeout(WAIT_MS)
    offline.attach(context)
    page = context.new_page()
    try:
        yield page
        name = request.node.nodeid.split("@")[0].removeprefix("tests/browser/")  # no xdist group
        page.screenshot(path=screenshot_path(name), full_page=True)
    finally:
        context.close()
    assert offline.blocked == [], f"the page tried to reach outside: {offline.blocked}"


@pytest.fixture
def page(browser: Browser, offline: Offline, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in a fresh context (no cookies), offline; a full-page screenshot is kept."""
    yield from _context_page(browser, offline, request, javascript=True)


@pytest.fixture
def page_without_js(
    browser: Browser, offline: Offline, request: pytest.FixtureRequest
) -> Iterator[Page]:
    yield from _context_page(browser, offline, request, javascript=False)
