"""The golden intent suite: every case in intents.yaml, accuracy printed per category.

Threshold: 100 %. The grammar is deterministic and the cases are commands it is
meant to read (including the questions it must ask), not open paraphrases, so any
miss is a regression, not noise. A category is the expected intent, "clarify" for
single commands that must be answered with a question, and "steps" for multi-step
requests.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from rexos.orchestrator.intent import INTENT_NAMES, Clarification, Intent, parse, parse_steps

CASES_FILE = Path(__file__).with_name("intents.yaml")
THRESHOLD = 1.0
MIN_CASES = 100


def _cases() -> list[dict[str, Any]]:
    cases = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    assert isinstance(cases, list)
    return cases


def _category(case: dict[str, Any]) -> str:
    if "intent" in case:
        return str(case["intent"])
    return "clarify" if "clarify" in case else "steps"


def _expected(case: dict[str, Any]) -> object:
    if "intent" in case:
        return {"intent": case["intent"], "args": case["args"]}
    if "clarify" in case:
        return {"missing": case["clarify"], **({"says": case["says"]} if "says" in case else {})}
    if "steps_clarify" in case:
        return dict(case["steps_clarify"])
    return list(case["steps"])


def _actual(case: dict[str, Any]) -> object:
    known = set(case["known"]) if "known" in case else None
    if "steps" in case or "steps_clarify" in case:
        result = parse_steps(case["text"], known)
        if isinstance(result, Clarification):
            return {"step": result.step, "missing": result.missing}
        return [found.to_json() for found in result]
    single = parse(case["text"], known)
    if isinstance(single, Intent):
        return single.to_json()
    if "says" not in case:
        return {"missing": single.missing}
    says = case["says"] if case["says"].lower() in single.question.lower() else single.question
    return {"missing": single.missing, "says": says}


def test_the_suite_covers_every_intent_and_bad_input() -> None:
    cases = _cases()
    counts = Counter(_category(c) for c in cases)
    assert len(cases) >= MIN_CASES
    for name in INTENT_NAMES:
        assert counts[name] >= 3, f"only {counts[name]} golden cases for {name}"
    assert counts["clarify"] >= 20 and counts["steps"] >= 5
    keys = {"intent", "clarify", "steps", "steps_clarify"}
    for case in cases:
        assert len(keys & set(case)) == 1, case
        assert "says" not in case or "clarify" in case, case


def test_golden_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    misses: list[str] = []
    for case in _cases():
        category = _category(case)
        total[category] += 1
        expected, actual = _expected(case), _actual(case)
        if actual == expected:
            right[category] += 1
        else:
            misses.append(f"{case['text']!r}: expected {expected}, got {actual}")
    with capsys.disabled():
        print("\nintent golden accuracy")
        for category in sorted(total):
            share = right[category] / total[category]
            print(f"  {category:<10} {right[category]:>3}/{total[category]:<3} {share:7.1%}")
        overall = sum(right.values()) / sum(total.values())
        print(f"  {'overall':<10} {sum(right.values()):>3}/{sum(total.values()):<3} {overall:7.1%}")
    for category in total:
        assert right[category] / total[category] >= THRESHOLD, "\n".join(misses)
