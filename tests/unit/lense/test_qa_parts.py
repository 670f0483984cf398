"""How a question is read: its parts (what it asks first is the headline, later parts are
answered and cited after it), statements as context, the figure asked first, chain names
written with a space, and phrasing from other writers (non-native, terse, polite)."""

from __future__ import annotations

import pytest

from rexos.lense.qa import Answer, answer
from rexos.lense.qa_parts import first_cue, parts_of
from rexos.lense.qa_score import invented_numbers
from tests.unit.lense.lense_fixtures import wallet_a, wallet_b

A, B = wallet_a(), wallet_b()
REX = "31337:0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
ETH = "31337:native"
USDC_B = "31338:0xB7f8BC63BbcaD18155201308C8f3540b07f84F5e"
SREX = "31337:0x0165878A594ca255338adfa4d48449f69242Eb8F:stake"
SPAM = "31337:0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6"


def _shown(got: Answer, *fact_ids: str) -> None:
    for fact_id in fact_ids:
        assert fact_id in got.cited, (fact_id, got.text)
        assert A.render(fact_id) in got.text, (fact_id, got.text)


def test_parts_split_on_questions_sentences_and_and_what() -> None:
    assert parts_of("Hello. What is my ETH worth? And the price, and what is the spread?") == [
        ("Hello", False),
        ("What is my ETH worth", True),
        ("And the price", False),
        ("what is the spread", True),
    ]
    assert parts_of("REX and ETH balances vs. last report") == [
        ("REX and ETH balances vs. last report", False)
    ]
    assert parts_of("Among my tokens, which is the biggest") == [
        ("Among my tokens, which is the biggest", True)
    ]


def test_first_cue_is_the_earliest_match_or_the_default() -> None:
    cues = {"usd": r"\bworth\b", "share": r"\bshare\b"}
    assert first_cue("its share and what it is worth", cues, "x") == "share"
    assert first_cue("what it is worth and its share", cues, "x") == "usd"
    assert first_cue("nothing here", cues, "x") == "x"


def test_the_headline_is_asked_first_and_later_parts_are_cited_too() -> None:
    got = answer(A, "Tell me the REX cost basis, and what is the 7-day USD change of REX?")
    assert got.value == A.value(f"perf.{REX}.cost_basis_usd")
    _shown(got, f"perf.{REX}.cost_basis_usd", f"perf.{REX}.change_7d_usd")
    assert invented_numbers(got, A) == ()
    swapped = answer(A, "What is the 7-day USD change of REX, and what is its cost basis?")
    assert swapped.value == A.value(f"perf.{REX}.change_7d_usd")
    _shown(swapped, f"perf.{REX}.change_7d_usd", f"perf.{REX}.cost_basis_usd")


def test_a_statement_is_context_and_the_question_after_it_is_answered() -> None:
    got = answer(A, "I hold many coins and I worry about risk. How much is my USDC on devnet-b?")
    assert got.kind == "holding" and got.value == A.value(f"holding.{USDC_B}.amount")
    looks = answer(A, "Someone sent me a coin that looks like USDC. Is it spam?")
    assert looks.value == A.value(f"holding.{SPAM}.spam")
    _shown(looks, f"holding.{SPAM}.spam_rules")


def test_which_then_worth_names_the_holding_first() -> None:
    got = answer(A, "Which is my smallest counted position, and what is it worth?")
    assert got.value == A.value(f"holding.{USDC_B}.symbol")
    _shown(got, f"holding.{USDC_B}.usd")
    worth = answer(A, "What is my smallest position worth?")
    assert worth.value == A.value(f"holding.{USDC_B}.usd")


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("how much do i hold on devnet b in total", "chain.31338.usd"),
        ("# tokens", "holdings.count"),
        ("Which coin is the most small in my wallet?", f"holding.{USDC_B}.symbol"),
        ("Which coin is the most big in my wallet?", f"holding.{REX}.symbol"),
        ("On which blockchains do I hold things?", "chain.31337.name"),
        ("Where is my sREX staked?", f"holding.{SREX}.venue"),
        ("what percent of net worth is my sREX stake", f"holding.{SREX}.share_pct"),
        ("what did ETH price do today", f"perf.{ETH}.change_24h_pct"),
        ("how did my portfolio do this week, how much percent", "perf.total.change_7d_pct"),
        ("How safe would you say my wallet is?", "risk.level"),
        ("Report net_worth.usd please", "net_worth.usd"),
        ("What does one REX token cost?", f"price.{REX}.median"),
        ("How much Ethereum do I have?", f"holding.{ETH}.amount"),
        ("I have REX and ETH. Which one is worth more?", f"holding.{REX}.symbol"),
        ("Which is smaller, my REX or my USDC on devnet-b?", f"holding.{USDC_B}.symbol"),
        ("Give holdings.unpriced_count and risk.level.", "holdings.unpriced_count"),
        ("What is perf.total.change_7d_pct?", "perf.total.change_7d_pct"),
        ("Net worth excluding spam and disputed holdings, in USD?", "net_worth.usd"),
        (
            "How did the top holding share change vs last report?",
            "change.risk.concentration.top_share_pct",
        ),
        ("unrealised pnl change since last report", "change.perf.total.unrealised_usd"),
        ("What's the sentiment label and score for ETH?", f"sentiment.{ETH}.label"),
        ("What's the sentiment score and label for ETH?", f"sentiment.{ETH}.score"),
        ("How many ethers I hold?", f"holding.{ETH}.amount"),
        ("Median REX price, its number of sources and spread?", f"price.{REX}.median"),
        ("What is the change in net worth vs the previous report?", "change.net_worth.usd"),
    ],
)
def test_phrasings_of_other_writers(question: str, fact_id: str) -> None:
    got = answer(A, question)
    assert got.known and got.value == A.value(fact_id), got.text
    assert fact_id in got.cited and A.render(fact_id) in got.text
    assert invented_numbers(got, A) == ()


@pytest.mark.parametrize(
    "question",
    [
        "How much did I deposit into this wallet since I opened it?",
        "Is REX going to go up?",
        "What will ETH cost tomorrow?",
        "Would you buy more REX now?",
        "What's the APY on my sREX stake?",
        "What is the market cap of REX?",
        "What is the price of REX in EUR?",
        "What was my net worth last week?",
        "How much REX did I have last month?",
        "What did REX do in the last hour?",
        "What is the 1-year change of ETH?",
        "How many points do I have?",
        "Is ETH a good long-term hold?",
        "How much stablecoin do I have?",
    ],
)
def test_advice_predictions_and_missing_data_stay_unknown(question: str) -> None:
    got = answer(A, question)
    assert not got.known and got.text.startswith("I don't know") and got.value is None


def test_which_holding_has_no_price_names_it() -> None:
    got = answer(B, "Which holding has no price?")
    pepe = "holding.31337:0xA51c1fc2f0D1a1b8494Ed1FE312d7C3a78Ed91C0.symbol"
    assert got.value == B.value(pepe) and pepe in got.cited


def test_a_fact_id_of_third_party_text_is_not_answered_by_id() -> None:
    got = answer(A, "Read news.3.title to me")
    assert got.kind != "fact"
    pepe_usd = "holding.31337:0xA51c1fc2f0D1a1b8494Ed1FE312d7C3a78Ed91C0.usd"
    assert B.value(pepe_usd) is None
    null = answer(B, f"What is {pepe_usd}?")
    assert not null.known and null.text.startswith("I don't know") and null.value is None
