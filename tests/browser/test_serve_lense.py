"""`rexos serve` as a user runs it, on a py-evm devnet: the printed one-time link opens the
Lense page of the wallet in Chromium, with the report build_report made from the chain,
and a question asked in the form is answered from its facts; its Studio page publishes an
agent from the served wallet."""

from __future__ import annotations

import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from rexos.lense.facts import FactSet
from tests.browser.harness import screenshot_path
from tests.e2e.conftest import PASS_ENV, PASSPHRASE, Devnet, devnet

pytestmark = pytest.mark.xdist_group("browser")
__all__ = ["devnet"]  # the module-scoped devnet fixture, used here

LINK = re.compile(r"Lense page: (http://127\.0\.0\.1:\d+/login\?code=[A-Za-z0-9_-]+)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_listening(port: int, server: subprocess.Popen[str]) -> None:
    """Until the server accepts connections (it prints the link just before it listens)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and server.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"rexos serve is not listening on {port} (exit {server.poll()})")


@pytest.fixture
def served(devnet: Devnet, tmp_path: Path) -> Iterator[str]:
    """`rexos serve -w alice` running; yields the one-time link it printed."""
    env = {**os.environ, PASS_ENV: PASSPHRASE, "COLUMNS": "200"}
    port = _free_port()
    args = [sys.executable, "-m", "rexos.cli.main", "--home", str(devnet.home), "--rpc",
            devnet.url, "serve", "-w", "alice", "--port", str(port),
            "--passphrase-env", PASS_ENV]  # fmt: skip
    server = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    assert server.stdout is not None
    reader = threading.Thread(target=lambda: [lines.put(x) for x in server.stdout], daemon=True)  # type: ignore[union-attr]
    reader.start()
    seen: list[str] = []
    try:
        while True:
            try:
                line = lines.get(timeout=120)
            except queue.Empty:
                raise AssertionError(f"no log-in link from rexos serve: {seen}") from None
            seen.append(line)
            found = LINK.search(line)
            if found:
                break
        _wait_listening(port, server)
        yield found.group(1)
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_the_printed_link_opens_the_wallets_report_and_its_studio_publishes_from_its_wallet(
    page: Page, served: str, devnet: Devnet
) -> None:
    base = served.split("/login")[0]
    page.goto(served)
    expect(page).to_have_url(f"{base}/lense/{devnet.alice}")
    token = (devnet.home / "api.token").read_text().strip()
    got = page.request.get(f"{base}/v1/lense/{devnet.alice}",
                           headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert got.status == 200, got.text()
    facts = FactSet.from_json(got.json())
    assert facts.value("wallet.address") == devnet.alice
    worth = page.locator('#report [data-fact="net_worth.usd"]').first
    expect(worth).to_have_text(facts.render("net_worth.usd"))
    holdings = [i for i in facts.ids("holding.") if i.endswith(".symbol")]
    assert holdings
    for fact_id in holdings:
        expect(page.locator(f'#report [data-fact="{fact_id}"]').first).to_have_text(
            facts.render(fact_id))  # fmt: skip
    question = "What's my biggest position?"
    page.get_by_label("Your question").fill(question)
    page.get_by_role("button", name="Ask", exact=True).click()
    asked = page.request.post(f"{base}/v1/lense/{devnet.alice}/ask", data={"question": question},
                              headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert asked.status == 200 and asked.json()["known"], asked.text()
    expect(page.get_by_test_id("answer-text")).to_have_text(asked.json()["text"])
    page.screenshot(path=screenshot_path("rexos-serve-lense"), full_page=True)
    # the Studio page publishes from the server's wallet, after showing the transaction
    page.goto(f"{base}/studio?template=portfolio-digest")
    page.get_by_role("button", name="Run evals").click()
    page.get_by_role("button", name=f"Publish from {devnet.alice}").click()
    expect(page.get_by_test_id("confirm-publish")).to_contain_text("as a new listing")
    page.get_by_role("button", name="Sign and publish").click()
    expect(page.get_by_test_id("published")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"See listing \d+")).click()
    expect(page.locator("main")).to_contain_text(devnet.alice)  # the owner
    assert (devnet.home / "agents" / "my-portfolio-digest-1.0.0.yaml").is_file()
