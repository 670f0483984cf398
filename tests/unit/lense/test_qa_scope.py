"""Questions a report cannot answer: another wallet's address, a time it does not hold,
another topic; the report's own wallet, times and dates still answer."""

from __future__ import annotations

import pytest

from rexos.lense.facts import FactSet
from rexos.lense.qa import answer
from rexos.lense.qa_scope import out_of_scope
from tests.unit.lense.lense_fixtures import wallet_a, wallet_b

A, B = wallet_a(), wallet_b()


@pytest.mark.parametrize(
    "question",
    [
        "what does 0x90F79bf6EB2c4f870365E785982E1f101E93b906 hold?",
        "whale 0xabcd1234 biggest bag?",
        "How much ETH was in my wallet on 2026-09-15?",
        "What was REX worth on 2025/12/31?",
        "net worth back in 2024?",
        "How did my tokens do in March?",
        "What was my balance at the beginning of the year?",
        "How much USDC did I hold in Q3?",
        "Please help me reset my login, I forgot it",
        "Can you write a poem about my risk?",
    ],
)
def test_other_wallets_times_and_topics_are_unknown(question: str) -> None:
    got = answer(A, question)
    assert not got.known and got.text.startswith("I don't know") and got.value is None
    assert got.cited == ()


def test_the_other_fixture_wallet_is_another_wallet() -> None:
    a_address = str(A.value("wallet.address"))
    assert out_of_scope(B, f"Net worth of {a_address}?") is not None
    assert out_of_scope(A, f"Net worth of {a_address}?") is None
    got = answer(A, f"what is the net worth of {a_address.lower()}")
    assert got.known and got.value == A.value("net_worth.usd")


@pytest.mark.parametrize(
    "question",
    [
        "What changed since 2026-11-30?",
        "Which news came out on 2026-12-06?",
        "Show the report of December 2026",
        "who is the spender 0x5e1f00D00dFeedBeefCafe000000000000000Bad",
        "May I see my net worth?",
    ],
)
def test_the_reports_own_times_and_addresses_are_in_scope(question: str) -> None:
    assert out_of_scope(A, question) is None


def test_a_report_without_dated_facts_holds_no_time_to_compare() -> None:
    assert out_of_scope(FactSet(), "net worth on 2020-01-01?") is None


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("At what time in UTC was the report generated?", "report.as_of"),
        ("Do I have more than 2000 REX?",
         "holding.31337:0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512.amount"),
    ],
)  # fmt: skip
def test_a_time_of_day_or_an_amount_is_no_other_time(question: str, fact_id: str) -> None:
    got = answer(A, question)
    assert got.known and got.value == A.value(fact_id), got.text
