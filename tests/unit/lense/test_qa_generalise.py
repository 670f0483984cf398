"""Rules narrowed to the kind a question asks, not a word it happens to use, and the reader's
overrule of the rules that fire on common words. Every question here was written for these
tests (in no training file and no blind set)."""

from __future__ import annotations

import numpy as np
import pytest

from rexos.lense.qa import answer
from rexos.lense.qa_model import DIMENSIONS, OVERRULE, QaModel, decide
from rexos.lense.qa_score import invented_numbers
from tests.unit.lense.lense_fixtures import wallet_a

A = wallet_a()

# (question, the kind a correct answer needs): each once fell to a rule that fired on a word.
_NARROWED = [
    ("Could you tell me whether anything was written about REX lately?", "news"),
    ("do i need to revoke anything on this wallet?", "approvals"),
    ("got any sketchy coins sitting in here?", "spam"),
    ("any sketchy approvals i should look at", "approvals"),
    ("does some contract have unlimited spending rights over my USDC?", "approvals"),
    ("do the price sources conflict on any token?", "disputed"),
    ("The REX quotes conflict, by how many bps?", "price"),
    ("which of my coins fell hardest over the week", "movers"),
    ("worst token this week?", "movers"),
    ("what's pumping the most in my wallet", "movers"),
    ("what made my net worth drop this week", "why_move"),
    ("explain the dip in my wallet please", "why_move"),
    ("my bag went down this week, why", "why_move"),
    ("how come my portfolio is in the red", "why_move"),
    ("why is MEME pumping", "why_move"),
    ("what's the tone of the REX coverage", "sentiment"),
    ("are the headlines about MEME negative?", "sentiment"),
    ("how much for a single REX", "price"),
    ("in which token do i have the least money", "smallest"),
    ("what do i own the most of in dollars", "biggest"),
    ("which asset makes up most of my wallet", "biggest"),
    ("what am i holding", "list"),
    ("what stuff do i own", "list"),
    ("list my tokens with their values", "list"),
    ("which coins are in my wallet", "list"),
    ("did i make money on ETH", "pnl"),
    ("where does the profit number come from", "pnl"),
    ("how much money do i have overall", "net_worth"),
    ("long story short, what is the lot worth", "net_worth"),
    ("what's the headline figure for my wallet", "net_worth"),
    ("how many dollars sit in this address in total", "net_worth"),
    ("where does the total of my wallet come from", "net_worth"),
    ("how much REX do i have overall", "holding"),
    ("how many line items does this wallet show", "count"),
    ("how many tokens do i hold, spam included", "count"),
    ("whatever isn't counted in my net worth, list it", "disputed"),
    ("what do you say my whole bag is worth?", "net_worth"),
    ("which coins do i really own", "list"),
    ("at what price does the report value MEME?", "price"),
    ("my wallet fell this week and i'd like the reason", "why_move"),
    ("is REX coverage mostly positive or mostly negative?", "sentiment"),
    ("what's that USDC clone in my wallet?", "spam"),
]


@pytest.mark.parametrize(("question", "kind"), _NARROWED)
def test_a_rule_reads_the_kind_asked_not_a_word(question: str, kind: str) -> None:
    assert answer(A, question, reader=False).kind == kind
    got = answer(A, question)
    assert got.kind == kind and got.known, got.text
    assert invented_numbers(got, A) == ()


# Narrowing kept what must still decline: advice, predictions, assets this wallet lacks.
_STILL_DECLINED = [
    "tell me whether i should sell my REX",
    "should i revoke the router's allowance?",
    "best coin to buy today?",
    "will MEME pump next week?",
    "is REX about to moon?",
    "how much BTC do i have overall",
    "at what price did i buy REX?",
]


@pytest.mark.parametrize("question", _STILL_DECLINED)
def test_advice_predictions_and_missing_assets_are_still_declined(question: str) -> None:
    got = answer(A, question)
    assert not got.known and got.text.startswith("I don't know")
    assert got.value is None and invented_numbers(got, A) == ()


def test_policy_the_reader_overrules_only_the_common_word_rules_from_their_bar() -> None:
    assert set(OVERRULE) == {"holding", "performance"}
    bar = OVERRULE["holding"]
    assert decide("holding", "read", "list", bar) == "list"
    assert decide("holding", "read", "list", bar - 0.01) == "holding"
    assert decide("performance", "read", "movers", 0.99) == "movers"
    assert decide("price", "read", "news", 0.99) == "price"
    assert decide("net_worth", "read", "disputed", 0.99) == "net_worth"


def test_policy_a_declining_or_fixed_reading_is_never_overruled() -> None:
    for rule in ("advice", "no_data", "unknown", "out_of_scope"):
        assert decide(rule, "read", "holding", 1.0, overrule=0.0) == rule
    assert decide(None, "fixed", "net_worth", 1.0, overrule=0.0) is None
    assert decide("price", "read", "news", 0.3, overrule=0.3) == "news"  # a float: every kind
    assert decide("price", "read", "news", 0.29, overrule=0.3) == "price"


def _always(kind: str) -> QaModel:
    """A fake reader that names ``kind`` with near certainty for any question."""
    weights = np.zeros((DIMENSIONS, 2), dtype=np.float32)
    weights[:, 0] = 5.0
    return QaModel((kind, "unknown"), weights)


def test_an_overruled_rule_still_answers_from_cited_facts_only() -> None:
    question = "how much do i have"  # the holding rule's common words, no asset named
    assert answer(A, question, reader=False).kind == "holding"
    got = answer(A, question, model=_always("list"))
    assert got.kind == "list" and got.known
    assert invented_numbers(got, A) == ()
    assert all(i in A for i in got.cited)


def test_an_overruling_reader_cannot_answer_advice_or_a_prediction() -> None:
    for question in ("should I sell my REX now?", "what will ETH be worth next month?"):
        got = answer(A, question, model=_always("holding"), overrule=0.0)
        assert not got.known and got.text.startswith("I don't know")


def test_a_reader_overruling_a_price_rule_is_refused_by_default() -> None:
    question = "what's the price of one REX"
    assert answer(A, question, model=_always("news")).kind == "price"
    assert answer(A, question, model=_always("news"), overrule=0.5).kind == "news"
