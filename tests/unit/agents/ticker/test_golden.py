"""The golden ticker suite: every case in tests/golden/ticker_cases.yaml, accuracy printed.

Threshold: 100 %. Extraction is deterministic over the committed snapshot, so a miss is a
regression. A case passes when its mentions match in order: text, symbol, chain id,
address and, where given, the start of the ranked candidate list.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from rexos.agents.ticker import Mention, TickerDB, TickerExtractor
from tests.unit.agents.ticker._support import devnet_entries

CASES_FILE = Path(__file__).parents[4] / "tests/golden/ticker_cases.yaml"
MIN_CASES = 50


def _cases() -> list[dict[str, Any]]:
    cases = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    assert isinstance(cases, list)
    return cases


@cache
def _extractor(devnet: bool) -> TickerExtractor:
    return TickerExtractor(TickerDB.default(devnet_entries() if devnet else ()))


def _got(m: Mention, expected: dict[str, Any]) -> dict[str, Any]:
    got: dict[str, Any] = {
        "text": m.text,
        "symbol": m.symbol,
        "chain_id": m.chain_id,
        "address": m.address,
    }
    if "candidates" in expected:
        wanted = len(expected["candidates"])
        got["candidates"] = [f"{c.token.symbol}@{c.token.chain_id}" for c in m.candidates][:wanted]
    return got


def _run(case: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    result = _extractor(bool(case.get("devnet"))).extract(case["text"], chain_id=case.get("chain"))
    expected: list[dict[str, Any]] = case["mentions"]
    got = [_got(m, e) for m, e in zip(result.mentions, expected, strict=False)]
    got += [_got(m, {}) for m in result.mentions[len(expected) :]]
    return got, expected


def test_enough_cases_of_each_kind() -> None:
    cases = _cases()
    assert len(cases) >= MIN_CASES
    assert sum(1 for c in cases if not c["mentions"]) >= 8, "common-word traps"
    assert sum(1 for c in cases for m in c["mentions"] if m["address"] is None) >= 4, "ambiguous"
    assert any(c.get("devnet") for c in cases)


def test_golden_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    cases = _cases()
    misses = []
    for case in cases:
        got, expected = _run(case)
        if got != expected:
            misses.append(f"{case['text']!r}: got {got}, expected {expected}")
    accuracy = 1 - len(misses) / len(cases)
    with capsys.disabled():
        print(f"\nticker golden: {len(cases) - len(misses)}/{len(cases)} = {accuracy:.1%}")
    assert not misses, "\n".join(misses)
