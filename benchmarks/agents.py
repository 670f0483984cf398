"""Agent figures: golden-suite accuracy per category, intent-parse latency, ticker throughput
and the end-to-end time of a three-step plan on an anvil devnet.

Run: ``python benchmarks/agents.py``. Prints the figures and writes ``benchmarks/agents.json``.
The golden cases are the test suite's (``tests/golden/intents.yaml``); latency is measured
over every case's text, repeated, on this machine.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from rexos.agents.ticker import TickerDB, TickerExtractor
from rexos.orchestrator.intent import parse, parse_steps

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the golden cases live in tests/
from tests.golden.test_intents_golden import _actual, _cases, _category, _expected  # noqa: E402

OUT = Path(__file__).with_suffix(".json")
REPEAT = 20


def accuracy() -> dict[str, dict[str, Any]]:
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for case in _cases():
        category = _category(case)
        total[category] += 1
        right[category] += _actual(case) == _expected(case)
    return {
        c: {"cases": total[c], "correct": right[c], "accuracy": round(right[c] / total[c], 4)}
        for c in sorted(total)
    }


def latency_us() -> dict[str, float]:
    texts = [(c["text"], "steps" in c or "steps_clarify" in c) for c in _cases()]
    samples = []
    for _ in range(REPEAT):
        for text, steps in texts:
            start = time.perf_counter_ns()
            parse_steps(text) if steps else parse(text)
            samples.append((time.perf_counter_ns() - start) / 1000)
    samples.sort()
    return {
        "median": round(statistics.median(samples), 1),
        "p95": round(samples[int(len(samples) * 0.95)], 1),
        "max": round(samples[-1], 1),
        "parses": len(samples),
    }


def ticker_throughput() -> dict[str, float]:
    """Mentions per second over the golden ticker texts (snapshot database, no devnet)."""
    import yaml

    cases = yaml.safe_load((ROOT / "tests" / "golden" / "ticker_cases.yaml").read_text())
    texts = [c["text"] for c in cases]
    extractor = TickerExtractor(TickerDB.default())
    mentions = 0
    start = time.perf_counter()
    for _ in range(REPEAT):
        for text in texts:
            mentions += len(extractor.extract(text).mentions)
    seconds = time.perf_counter() - start
    return {
        "mentions_per_s": round(mentions / seconds, 1),
        "texts_per_s": round(REPEAT * len(texts) / seconds, 1),
        "texts": len(texts),
    }


PLAN = "swap half my WETH to USDC, then stake all my REX and chart my portfolio"
PLAN_RUNS = 5
CAPS = "per_tx_usd_cap: '1e9'\ndaily_usd_cap: '1e9'\n"


def three_step_plan() -> dict[str, Any]:
    """Parse, plan, run (5 transactions: approve+swap, approve+stake; a chart) on anvil,
    from a chain snapshot each time; seconds per run."""
    import tempfile

    from tests.integration.orchestrator.conftest import ALICE, workspace

    from rexos.chain import AnvilChain
    from rexos.deployment import deploy_dev
    from rexos.orchestrator.charts import make_step_chart
    from rexos.orchestrator.executors import Executors
    from rexos.orchestrator.plan import build_plan
    from rexos.orchestrator.runner import PlanRunner
    from rexos.orchestrator.store import PlanStore
    from rexos.types import Address

    chain = AnvilChain()
    times, txs = [], 0
    try:
        manifest = deploy_dev(chain, funded=[Address(ALICE.address)])
        for n in range(PLAN_RUNS):
            snapshot = chain.web3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
            with tempfile.TemporaryDirectory() as tmp:
                home = Path(tmp) / f"run{n}"
                ws = workspace(chain, manifest, home, CAPS)
                start = time.perf_counter()
                steps = parse_steps(PLAN)
                assert isinstance(steps, list)
                plan = build_plan(PLAN, steps)
                plan.confirmed = True
                runner = PlanRunner(ws, PlanStore(home / "plans.sqlite"),
                                    Executors(ws, make_step_chart),
                                    confirmer=lambda step, prepared: True)  # fmt: skip
                done = runner.run(plan)
                times.append(time.perf_counter() - start)
                assert done.state == "done", [(s.id, s.error) for s in done.steps]
                txs = sum(len(s.txs) for s in done.steps)
            chain.web3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
    finally:
        chain.close()
    return {
        "request": PLAN,
        "runs": PLAN_RUNS,
        "transactions_per_run": txs,
        "median_s": round(statistics.median(times), 3),
        "min_s": round(min(times), 3),
        "max_s": round(max(times), 3),
        "chain": "anvil (prague), automine",
    }


def main() -> int:
    import understanding

    plan = three_step_plan()
    found = understanding.figures()
    understanding.show(found)
    acc = accuracy()
    lat = latency_us()
    tick = ticker_throughput()
    print(f"{'category':<12}{'cases':>7}{'correct':>9}{'accuracy':>10}")
    for name, row in acc.items():
        print(f"{name:<12}{row['cases']:>7}{row['correct']:>9}{row['accuracy']:>10.2%}")
    print(f"ticker extraction: {tick['mentions_per_s']} mentions/s ({tick['texts_per_s']} texts/s)")
    print(f"intent parse latency (µs): median {lat['median']}, p95 {lat['p95']}, max {lat['max']}")
    print(f"three-step plan end to end ({plan['transactions_per_run']} transactions + a chart): "
          f"median {plan['median_s']} s, min {plan['min_s']} s, max {plan['max_s']} s")  # fmt: skip
    result = {
        "machine": platform.platform(),
        "python": platform.python_version(),
        "golden_intents": acc,
        "intent_parse_latency_us": lat,
        "ticker_extraction": tick,
        "three_step_plan": plan,
        "understanding": found,
    }
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
