"""Lense page figures in Chromium: how long the page takes to load and a question to be
answered, with the report already built (kept by the server) and with a fresh build.

Run: ``python benchmarks/lense_page.py``. Prints the figures and writes
``benchmarks/lense_page.json``. The app is ``rexos serve``'s (guard, sessions, pages) under
uvicorn on 127.0.0.1 over :class:`rexos.api.lense.ReportLense`, whose reports are the real
:class:`~rexos.lense.report.LenseReport` of the fixture wallet's facts
(``tests/fixtures/lense/wallet_a.facts.json``: 11 holdings, 5 charts); reading the chains is
``benchmarks/lense.py``'s part. Chromium is Debian's, driven by Playwright, offline.

* page, report kept: navigation to ``load`` of ``/lense/ADDRESS`` (HTML, CSS, script);
* page, report built: the same with the server's report expired (facts → sections, charts,
  HTML);
* answer: from the click on Ask to the answer swapped into the page (the script's fetch).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the harness and the fixture live in tests/
from playwright.sync_api import Page, sync_playwright  # noqa: E402
from tests.browser.conftest import site_for  # noqa: E402
from tests.browser.harness import CHROMIUM  # noqa: E402
from tests.unit.api.fake_lense import WALLET, fixture_facts  # noqa: E402

from rexos.api.lense import ReportLense  # noqa: E402
from rexos.lense.report import LenseReport  # noqa: E402
from rexos.types import Address  # noqa: E402

OUT = Path(__file__).with_suffix(".json")
RUNS = 20


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def _figures(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    return {"runs": len(ms), "median_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[max(0, round(0.95 * len(ms)) - 1)], 1),
            "max_ms": round(ms[-1], 1)}  # fmt: skip


def _load(page: Page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    return time.perf_counter() - start


def _answer(page: Page) -> float:
    page.evaluate("document.getElementById('answer').replaceChildren()")
    page.get_by_label("Your question").fill("What's my biggest position?")
    start = time.perf_counter()
    page.get_by_role("button", name="Ask", exact=True).click()
    page.get_by_test_id("answer-text").wait_for(state="visible")
    return time.perf_counter() - start


def main() -> None:
    clock = Clock()

    def build(address: Address, previous: LenseReport | None) -> LenseReport:
        return LenseReport.of(fixture_facts())

    lense = ReportLense(build, max_age=60, clock=clock)
    kept: list[float] = []
    built: list[float] = []
    answers: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM))
        for site in site_for(lense):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(site.login_url())  # logs in, builds the report once
            url = f"{site.url}/lense/{WALLET}"
            for _ in range(RUNS):
                kept.append(_load(page, url))
                answers.append(_answer(page))
                clock.now += 61  # the next load builds the report again
                built.append(_load(page, url))
        browser.close()
    result: dict[str, Any] = {
        "machine": platform.machine(), "python": platform.python_version(),
        "cpus": os.cpu_count(), "load_average_1min": round(os.getloadavg()[0], 2),
        "chromium": CHROMIUM.as_posix(), "holdings": 11,
        "page_report_kept": _figures(kept), "page_report_built": _figures(built),
        "answer_by_the_form": _figures(answers),
    }  # fmt: skip
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
