"""Lense report figures: time to write a 50-asset wallet's report with its five charts, as
HTML and as PDF, and the share of the report's numbers that are a fact's rendered value.

Run: ``python benchmarks/lense_report.py``. Prints the figures and writes them under the key
``"report"`` of ``benchmarks/lense.json`` (re-read just before writing; other keys kept).

The wallet is constructed: 50 assets over two chains (balances, a stake, an LP share, two
spam tokens, a disputed and an unpriced price), three price sources each, performance,
twelve news items and five approvals, run through the real fact builder. A run is
``collect_facts`` → sections → the five charts (Chart agent, vl-convert) → HTML → PDF.
"Cold" is the first run in this process (vl-convert's JavaScript engine starts then);
"warm" is the median of the next runs. Numbers traced: every number in the HTML text and
in the PDF's text (read back from the file) checked against the facts.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from rexos.lense.facts import FactSet
from rexos.lense.model import (
    NATIVE,
    Asset,
    AssetPerformance,
    CheckedPrice,
    Discovery,
    Position,
    PriceQuote,
    SpamVerdict,
)
from rexos.lense.report import LenseReport
from rexos.lense.report_facts import LenseInputs, NewsFact, SentimentFact, collect_facts
from rexos.lense.report_risk import Approval

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the report readers of the tests
from tests.unit.lense.report_text import NUMBER, html_text, pdf_lines  # noqa: E402

OUT = Path(__file__).with_name("lense.json")
ASSETS = 50
WARM_RUNS = 5
GOAL_S = 3.0
AS_OF = "2026-12-07T03:00:00Z"
BLOCKS = {31337: 18_452, 31338: 9_107}


def _asset(n: int) -> Asset:
    chain = 31337 if n % 3 else 31338
    if n < 2:
        return Asset(31337 + n, NATIVE, "ETH", "Ether", 18)
    return Asset(chain, f"0x{n:040x}", f"TK{n}", f"Token {n}", 6 if n % 5 == 0 else 18)


def _price(asset: Asset, n: int) -> CheckedPrice:
    base = Decimal(3000) if asset.token == NATIVE else Decimal(n) / Decimal(7)
    if n == 7:
        return CheckedPrice(asset.key, (), None, None, "unpriced", False)
    spread = Decimal("0.3") if n == 9 else Decimal("0.004")
    quotes = tuple(
        PriceQuote(name, (base * (1 + spread * k)).quantize(Decimal("0.0001")),
                   f"block {BLOCKS[asset.chain_id]} on chain {asset.chain_id}")
        for k, name in enumerate(("dex spot", "v3 twap 1800 s", "coingecko"))
    )  # fmt: skip
    values = sorted(q.usd for q in quotes)
    divergence = ((values[-1] - values[0]) / values[1] * 10_000).quantize(Decimal("0.1"))
    flag = "disputed" if divergence > 1000 else "diverging" if divergence > 200 else "ok"
    return CheckedPrice(asset.key, quotes, values[1], divergence, flag, False)  # type: ignore[arg-type]


def _inputs() -> LenseInputs:
    assets = [_asset(n) for n in range(ASSETS)]
    positions = tuple(
        Position(a, (n + 1) * 10 ** (a.decimals + 1) // 3,
                 "stake" if n == 4 else "lp" if n == 6 else "balance",
                 f"multicall balanceOf at block {BLOCKS[a.chain_id]} on chain {a.chain_id}")
        for n, a in enumerate(assets)
    )  # fmt: skip
    spam = {assets[11].key: SpamVerdict(True, ("no liquidity", "airdropped unsolicited")),
            assets[13].key: SpamVerdict(True, ("homoglyph name",))}  # fmt: skip
    prices = {a.key: _price(a, n) for n, a in enumerate(assets)}
    perf = {
        a.key: AssetPerformance(
            a.key, Decimal(n * 40), Decimal(n - 20), Decimal(n * 3 - 60),
            {"24h": Decimal(n % 7 - 3), "7d": Decimal(n % 11 - 6), "30d": None if n % 4 else
             Decimal(n % 13 - 5)}, "FIFO over the index",
        )
        for n, a in enumerate(assets)
    }  # fmt: skip
    news = [
        NewsFact(f"Headline {n} about TK{n + 2} and the market", f"https://n.example/{n}",
                 "n.example", f"2026-12-0{1 + n % 6}T{10 + n:02d}:00:00Z", (f"TK{n + 2}",),
                 "positive" if n % 2 else "negative", Decimal(n % 5 - 2) / 4)
        for n in range(12)
    ]  # fmt: skip
    sentiment = [
        SentimentFact(assets[n + 2].key, Decimal(n % 5 - 2) / 4, "neutral", 1, 0, 0, 1, "m")
        for n in range(12)
    ]
    approvals = [
        Approval(assets[n + 2].key, f"TK{n + 2}", 18, f"0x{n + 1:040x}", 2**256 - 1, "allowance")
        for n in range(5)
    ]
    return LenseInputs(
        Discovery("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", positions, spam, BLOCKS, 40),
        prices, perf, AS_OF, {31337: "devnet", 31338: "devnet-b"}, news, sentiment, approvals,
    )  # fmt: skip


def _run(inputs: LenseInputs) -> tuple[dict[str, float], FactSet, str, bytes, int]:
    start = time.perf_counter()
    facts = collect_facts(inputs)
    report = LenseReport.of(facts)
    made = time.perf_counter()
    charts = report.charts()
    for chart in charts.values():
        assert chart.svg and chart.png
    drawn = time.perf_counter()
    html = report.html()
    written = time.perf_counter()
    pdf = report.pdf()
    done = time.perf_counter()
    times = {"facts_and_sections_s": made - start, "charts_s": drawn - made,
             "html_s": written - drawn, "pdf_s": done - written,
             "total_s": done - start}  # fmt: skip
    return times, facts, html, pdf, len(charts)


def _traced(facts: FactSet, html: str, pdf: bytes) -> dict[str, Any]:
    outside, shown = html_text(html)
    html_numbers = sum(len(NUMBER.findall(text)) for _, text in shown)
    stray = NUMBER.findall(outside)
    wrong = [i for i, text in shown if text != facts.render(i)]
    known = {n for f in facts for n in NUMBER.findall(facts.render(f.id))}
    pdf_numbers = [n for line in pdf_lines(pdf) for n in NUMBER.findall(line)]
    pdf_stray = [n for n in pdf_numbers if n not in known]
    total = html_numbers + len(stray) + len(pdf_numbers)
    traced = html_numbers - sum(len(NUMBER.findall(t)) for i, t in shown if i in wrong)
    traced += len(pdf_numbers) - len(pdf_stray)
    return {
        "html_numbers": html_numbers + len(stray),
        "html_untraced": len(stray) + len(wrong),
        "pdf_numbers": len(pdf_numbers),
        "pdf_untraced": len(pdf_stray),
        "share_traced": round(traced / total, 4) if total else None,
    }


def main() -> int:
    inputs = _inputs()
    cold, facts, html, pdf, charts = _run(inputs)
    warm = [_run(inputs)[0] for _ in range(WARM_RUNS)]
    median = {k: round(statistics.median(w[k] for w in warm), 3) for k in warm[0]}
    figures = {
        "assets": ASSETS,
        "positions": len(inputs.discovery.positions),
        "facts": len(facts),
        "charts": charts,
        "html_bytes": len(html.encode()),
        "pdf_bytes": len(pdf),
        "cold_s": {k: round(v, 3) for k, v in cold.items()},
        "warm_median_s": median,
        "warm_runs": WARM_RUNS,
        "goal_s": GOAL_S,
        "numbers": _traced(facts, html, pdf),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f} at the end",
        "note": "wall time in one process; a run is facts, sections, five charts (SVG and PNG "
        "through the Chart agent), HTML and PDF; cold includes starting vl-convert",
    }
    print(json.dumps(figures, indent=2))
    data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    data["report"] = figures
    OUT.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
