"""Agent figures: golden-suite accuracy per category and intent-parse latency.

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


def main() -> int:
    acc = accuracy()
    lat = latency_us()
    tick = ticker_throughput()
    print(f"{'category':<12}{'cases':>7}{'correct':>9}{'accuracy':>10}")
    for name, row in acc.items():
        print(f"{name:<12}{row['cases']:>7}{row['correct']:>9}{row['accuracy']:>10.2%}")
    print(f"ticker extraction: {tick['mentions_per_s']} mentions/s ({tick['texts_per_s']} texts/s)")
    print(f"intent parse latency (µs): median {lat['median']}, p95 {lat['p95']}, max {lat['max']}")
    result = {
        "machine": platform.platform(),
        "python": platform.python_version(),
        "golden_intents": acc,
        "intent_parse_latency_us": lat,
        "ticker_extraction": tick,
        "not_yet_measured": [
            "end-to-end time of a three-step plan on the devnet (plan runner not built yet)",
        ],
    }
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
