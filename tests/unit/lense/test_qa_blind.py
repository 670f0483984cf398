"""The blind question sets (tests/fixtures/lense/qa_blind.yaml, qa_blind2.yaml by five
personas, qa_blind3.yaml, qa_blind4.yaml and qa_blind5.yaml by six other voices each; all
written without the answerer's code): every dev-half question of the first set, and at least
95 % of the later sets' dev halves, answered right by the benchmark's grading
(:func:`rexos.lense.qa_score.grade`: the headline value, and the expected facts cited and
shown); no answer on either half of any set states a number that is not a cited fact's (a
safety property: only the count of failures is reported, never a test-half question). The
test halves' accuracy is measured by the benchmark, not asserted here, so the answerer is
never tuned on them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from rexos.lense.facts import FactSet
from rexos.lense.qa import Answer, answer
from rexos.lense.qa_score import grade
from tests.unit.lense.lense_fixtures import FIXTURES, wallet_a, wallet_b
from tests.unit.lense.report_text import NUMBER

WALLETS = {"a": wallet_a(), "b": wallet_b()}
BLIND: list[dict[str, Any]] = yaml.safe_load(Path(FIXTURES / "qa_blind.yaml").read_text())
DEV = [q for q in BLIND if q["split"] == "dev"]
BLIND2: list[dict[str, Any]] = yaml.safe_load(Path(FIXTURES / "qa_blind2.yaml").read_text())
DEV2 = [q for q in BLIND2 if q["split"] == "dev"]
BLIND3: list[dict[str, Any]] = yaml.safe_load(Path(FIXTURES / "qa_blind3.yaml").read_text())
DEV3 = [q for q in BLIND3 if q["split"] == "dev"]
BLIND4: list[dict[str, Any]] = yaml.safe_load(Path(FIXTURES / "qa_blind4.yaml").read_text())
DEV4 = [q for q in BLIND4 if q["split"] == "dev"]
BLIND5: list[dict[str, Any]] = yaml.safe_load(Path(FIXTURES / "qa_blind5.yaml").read_text())
DEV5 = [q for q in BLIND5 if q["split"] == "dev"]


def invented(facts: FactSet, got: Answer) -> list[str]:
    allowed = {n for i in got.cited for n in NUMBER.findall(facts.render(i))}
    return [n for n in NUMBER.findall(got.text) if n not in allowed]


@pytest.mark.parametrize("case", DEV, ids=[f"{q['id']}" for q in DEV])
def test_dev_half(case: dict[str, Any]) -> None:
    facts = WALLETS[case["wallet"]]
    got = answer(facts, case["q"])
    graded = grade(case, got, facts)
    assert graded.correct, (case["q"], graded.why, got.text)


def _wrong(dev_half: list[dict[str, Any]]) -> list[tuple[Any, str, str]]:
    wrong = []
    for case in dev_half:
        assert case["split"] == "dev"
        facts = WALLETS[case["wallet"]]
        got = answer(facts, case["q"])
        graded = grade(case, got, facts)
        if not graded.correct:
            wrong.append((case["id"], case["q"], graded.why))
    return wrong


@pytest.mark.parametrize(
    "dev_half", [DEV2, DEV3, DEV4, DEV5], ids=["second", "third", "fourth", "fifth"]
)
def test_later_sets_dev_halves_are_at_least_95_percent_right(
    dev_half: list[dict[str, Any]],
) -> None:
    assert len(dev_half) >= 60
    wrong = _wrong(dev_half)
    assert len(wrong) <= len(dev_half) * 5 // 100, wrong


def test_no_answer_on_either_half_invents_a_number() -> None:
    assert len(BLIND) >= 60 and len(BLIND2) >= 60
    for case in BLIND + BLIND2:
        facts = WALLETS[case["wallet"]]
        got = answer(facts, case["q"])
        assert invented(facts, got) == [], (case["id"], got.text)
        assert all(i in facts for i in got.cited)


@pytest.mark.parametrize("later_set", [BLIND3, BLIND4, BLIND5], ids=["third", "fourth", "fifth"])
def test_no_answer_on_a_later_set_invents_a_number(later_set: list[dict[str, Any]]) -> None:
    """Both halves are checked; a failure names only how many answers, never a test-half
    question or answer (reading one would be tuning on it)."""
    assert len(later_set) >= 150
    failing = 0
    for case in later_set:
        facts = WALLETS[case["wallet"]]
        got = answer(facts, case["q"])
        failing += bool(invented(facts, got)) or not all(i in facts for i in got.cited)
    assert failing == 0, f"{failing} answers state a number that is not a cited fact's"
