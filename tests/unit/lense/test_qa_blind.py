"""The blind question set (tests/fixtures/lense/qa_blind.yaml, written without the answerer's
code): every dev-half question answered right; no answer on either half states a number that
is not a cited fact's. The test half's accuracy is measured by the benchmark, not asserted
here, so the answerer is never tuned on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from rexos.lense.facts import FactSet
from rexos.lense.qa import Answer, answer
from tests.unit.lense.lense_fixtures import FIXTURES, wallet_a, wallet_b
from tests.unit.lense.report_text import NUMBER

WALLETS = {"a": wallet_a(), "b": wallet_b()}
BLIND: list[dict[str, Any]] = yaml.safe_load(Path(FIXTURES / "qa_blind.yaml").read_text())
DEV = [q for q in BLIND if q["split"] == "dev"]


def correct(facts: FactSet, case: dict[str, Any], got: Answer) -> bool:
    """The set's rule: known as stated; for a known answer the headline value is the named
    fact's and it and every listed fact are cited; an unknown one starts "I don't know"."""
    if not case["known"]:
        return not got.known and got.text.startswith("I don't know")
    wanted = [case["value"], *case.get("cites", [])]
    return (
        got.known
        and got.value == facts.value(case["value"])
        and all(i in got.cited for i in wanted)
    )


def invented(facts: FactSet, got: Answer) -> list[str]:
    allowed = {n for i in got.cited for n in NUMBER.findall(facts.render(i))}
    return [n for n in NUMBER.findall(got.text) if n not in allowed]


@pytest.mark.parametrize("case", DEV, ids=[f"{q['id']}" for q in DEV])
def test_dev_half(case: dict[str, Any]) -> None:
    facts = WALLETS[case["wallet"]]
    got = answer(facts, case["q"])
    assert correct(facts, case, got), (case["q"], got.text)


def test_no_answer_on_either_half_invents_a_number() -> None:
    assert len(BLIND) >= 60
    for case in BLIND:
        facts = WALLETS[case["wallet"]]
        got = answer(facts, case["q"])
        assert invented(facts, got) == [], (case["id"], got.text)
        assert all(i in facts for i in got.cited)
