"""Attacks on the Lense page from a real browser: another origin (another port of
127.0.0.1, so the SameSite cookie is sent) posting the form or reading the page, script
inside third-party text, a DNS-rebinding host name."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import REBIND, Site, site_for
from tests.browser.harness import Offline
from tests.unit.api.fake_lense import WALLET, FakeLense

pytestmark = pytest.mark.xdist_group("browser")

SCRIPT = '<script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2">'


@contextmanager
def attacker(pages: dict[str, str]) -> Iterator[str]:
    """Another web origin on 127.0.0.1 serving ``pages`` (path → HTML), no CSP."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=30)


def test_another_origin_cannot_post_the_form_even_with_the_cookie(
    page: Page, site: Site, fake_lense: FakeLense
) -> None:
    page.goto(site.login_url())  # the victim is logged in
    action = f"{site.url}/lense/{WALLET}/ask"
    form = (f'<form id="f" method="post" action="{action}"><input name="question" '
            'value="biggest"><input name="csrf" value="guessed"></form>'
            '<script>document.getElementById("f").submit()</script>')  # fmt: skip
    with attacker({"/": form}) as evil:
        page.goto(evil + "/")
        expect(page).to_have_url(action)
        expect(page.locator("body")).to_contain_text("requests from other sites are not allowed")
    assert fake_lense.asked == []


def test_another_origin_cannot_read_the_page_or_the_report(
    page: Page, site: Site, fake_lense: FakeLense
) -> None:
    page.goto(site.login_url())
    reports = fake_lense.reports
    probe = f"""<script>
    const tries = {{page: "{site.url}/lense/{WALLET}", api: "{site.url}/v1/lense/{WALLET}"}};
    const out = {{}};
    Promise.all(Object.entries(tries).map(([name, url]) =>
      fetch(url, {{credentials: "include"}}).then(r => r.text())
        .then(t => {{ out[name] = "read " + t.length; }}, () => {{ out[name] = "blocked"; }})))
      .then(() => {{ document.title = JSON.stringify(out, ["api", "page"]); }});
    </script>"""
    with attacker({"/": probe}) as evil:
        page.goto(evil + "/")
        expect(page).to_have_title('{"api":"blocked","page":"blocked"}')
    assert fake_lense.reports == reports  # refused before any report was built


def test_the_page_cannot_be_framed_by_another_origin(page: Page, site: Site) -> None:
    page.goto(site.login_url())
    with attacker({"/": f'<iframe src="{site.url}/lense/{WALLET}"></iframe>'}) as evil:
        page.goto(evil + "/")
        page.wait_for_load_state("load")
        framed = [f for f in page.frames if f != page.main_frame]
        assert len(framed) == 1
        assert "Holdings" not in framed[0].evaluate("document.body.innerText")


def test_script_in_third_party_text_stays_inert(
    page: Page, site: Site, fake_lense: FakeLense, offline: Offline
) -> None:
    fake_lense.renamed["REX"] = SCRIPT
    page.goto(site.login_url())
    expect(page.locator("#report")).to_contain_text(SCRIPT)  # shown as text
    page.get_by_label("Your question").fill(SCRIPT)
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.locator("#answer .question")).to_have_text(SCRIPT)
    assert page.evaluate("window.pwned") is None
    assert offline.errors == []  # escaped: nothing was even attempted


def test_the_policy_blocks_script_that_slipped_into_the_report(
    browser: Any, offline: Offline, request: pytest.FixtureRequest
) -> None:
    lense = FakeLense(raw_html=f'<h2>Holdings</h2>{SCRIPT}<p onclick="x()">net</p>')
    for site in site_for(lense):
        context = browser.new_context()
        offline.attach(context)
        page = context.new_page()
        try:
            page.goto(site.login_url())
            expect(page.locator("#report h2")).to_have_text("Holdings")
            page.wait_for_load_state("load")
            assert page.evaluate("window.pwned") is None
            assert any("Content Security Policy" in e for e in offline.errors), offline.errors
        finally:
            context.close()
    assert offline.blocked == []


def test_a_rebinding_host_name_is_refused(page: Page, site: Site, fake_lense: FakeLense) -> None:
    page.goto(site.login_url())
    port = site.url.rsplit(":", 1)[1]
    response = page.goto(f"http://{REBIND}:{port}/lense/{WALLET}")
    assert response is not None and response.status == 421
    expect(page.locator("body")).to_contain_text(f"does not answer for host '{REBIND}:{port}'")
    login = page.goto(f"http://{REBIND}:{port}/login")
    assert login is not None and login.status == 421
    assert fake_lense.reports == 1  # the page read as 127.0.0.1 only
