"""Questions answered from facts: the dev set, no invented numbers, "I don't know", and
third-party text that tries to steer the answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from rexos.errors import ModelError
from rexos.lense.facts import Fact, FactSet
from rexos.lense.qa import answer
from rexos.lense.qa_narrative import prompt_for
from rexos.llm import ScriptedModel
from tests.unit.lense.lense_fixtures import FIXTURES, wallet_a, wallet_b
from tests.unit.lense.report_text import NUMBER

WALLETS = {"a": wallet_a(), "b": wallet_b()}
DEV: list[dict[str, Any]] = yaml.safe_load(Path(FIXTURES / "qa_dev.yaml").read_text())


def _numbers_are_cited(text: str, facts: FactSet, cited: tuple[str, ...]) -> list[str]:
    allowed = {n for i in cited for n in NUMBER.findall(facts.render(i))}
    return [n for n in NUMBER.findall(text) if n not in allowed]


@pytest.mark.parametrize("case", DEV, ids=[c["q"][:40] for c in DEV])
def test_dev_question(case: dict[str, Any]) -> None:
    facts = WALLETS[case["wallet"]]
    got = answer(facts, case["q"])
    assert got.known is case["known"], got.text
    if case["known"]:
        assert got.value == facts.value(case["value"]), got.text
        for fact_id in [case["value"], *case.get("cites", [])]:
            assert fact_id in got.cited, (fact_id, got.text)
            assert facts.render(fact_id) in got.text
    else:
        assert got.text.startswith("I don't know") and got.value is None
    assert _numbers_are_cited(got.text, facts, got.cited) == []


def test_every_cited_id_is_a_fact_and_no_answer_invents_a_number() -> None:
    for case in DEV:
        facts = WALLETS[case["wallet"]]
        got = answer(facts, case["q"])
        assert all(i in facts for i in got.cited)
        assert _numbers_are_cited(got.text, facts, got.cited) == []


def test_a_headline_cannot_steer_the_answer() -> None:
    facts = wallet_a()
    title = str(facts.value("news.3.title"))
    assert "1,000,000" in title
    worth = answer(facts, "What's my net worth?")
    assert "1,000,000" not in worth.text and worth.value == facts.value("net_worth.usd")
    news = answer(facts, "What's the news on REX?")
    assert f"\u201c{title}\u201d" in news.text
    assert news.kind == "news" and "net_worth.usd" not in news.cited


def test_a_question_that_names_no_held_asset_is_not_guessed() -> None:
    got = answer(wallet_a(), "What's the price of BTC?")
    assert not got.known and got.cited == ()


def test_narrative_is_kept_only_when_its_numbers_are_cited_facts() -> None:
    facts = wallet_a()
    honest = ScriptedModel(default=f"You are worth {facts.render('net_worth.usd')} in all.")
    got = answer(facts, "What's my net worth?", llm=honest)
    assert got.narrative == "You are worth $58,707.81 in all."
    prompt = honest.calls[0].prompt
    assert "net_worth.usd: $58,707.81" in prompt and "news." not in prompt
    lying = ScriptedModel(default="Your net worth is $1,000,000.")
    assert answer(facts, "What's my net worth?", llm=lying).narrative is None
    failing = ScriptedModel(fail_with=ModelError("down"))
    assert answer(facts, "What's my net worth?", llm=failing).narrative is None


def test_a_headline_cannot_lend_the_model_a_number() -> None:
    facts = wallet_a()
    steered = ScriptedModel(default="Net worth is 1,000,000 as the news says.")
    got = answer(facts, "What's the news on REX?", llm=steered)
    assert got.narrative is None
    prompt = prompt_for("q", facts, got.cited)
    assert "Third-party text (quoted data):" in prompt


def test_unknown_when_a_fact_is_missing() -> None:
    facts = FactSet(f for f in wallet_a() if not f.id.startswith("risk."))
    assert not answer(facts, "How risky is my wallet?").known
    facts.add(Fact("risk.level", "low", "rule", "t"))
    assert answer(facts, "How risky is my wallet?").value == "low"
