"""Phrasing of other voices: trader shorthand and slang, non-native grammar, formal requests,
polite talk; questions about one news item; each rule in the answerer's own wording."""

from __future__ import annotations

import pytest

from rexos.lense.qa import answer
from rexos.lense.qa_score import invented_numbers
from tests.unit.lense.lense_fixtures import wallet_a, wallet_b

A, B = wallet_a(), wallet_b()
REX = "31337:0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
WETH = "31337:0x5FbDB2315678afecb367f032d93F642f64180aa3"
MEME = "31337:0x8A791620dd6260079BF849Dc5567aDC3F2FdC318"
USDC_B = "31338:0xB7f8BC63BbcaD18155201308C8f3540b07f84F5e"


@pytest.mark.parametrize(
    ("wallet", "question", "fact_id"),
    [
        ("a", "my nw pls", "net_worth.usd"),
        ("a", "eth bal on devnet-b", "holding.31338:native.amount"),
        ("a", "weth share of pf", f"holding.{WETH}.share_pct"),
        ("a", "meme 7d chg", f"perf.{MEME}.change_7d_pct"),
        ("a", "How big was the move of REX price over the past thirty days?",
         f"perf.{REX}.change_30d_pct"),
        ("a", "What did REX price change over the last 7 days?", f"perf.{REX}.change_7d_pct"),
        ("a", "How much gain I booked on MEME by selling?", f"perf.{MEME}.realised_usd"),
        ("b", "Which of my tokens is missing a price?",
         "holding.31337:0xA51c1fc2f0D1a1b8494Ed1FE312d7C3a78Ed91C0.symbol"),
        ("b", "count of holdings that lack a quote", "holdings.unpriced_count"),
        ("a", "Largest position as a percent of net worth?", f"holding.{REX}.share_pct"),
        ("a", "My USDC on devnet-b: what block was it read at?", "chain.31338.block"),
        ("a", "How many REX posts were upbeat?", f"sentiment.{REX}.positive"),
        ("a", "How many of the ETH stories are unfavorable?", "sentiment.31337:native.negative"),
    ],
)  # fmt: skip
def test_voices_are_read_as_what_they_ask(wallet: str, question: str, fact_id: str) -> None:
    facts = A if wallet == "a" else B
    got = answer(facts, question)
    assert got.known and got.value == facts.value(fact_id), got.text
    assert fact_id in got.cited and facts.render(fact_id) in got.text
    assert invented_numbers(got, facts) == ()


@pytest.mark.parametrize(
    "question",
    [
        "meme to the moon this month?",
        "should i ape into weth",
        "sell rex or nah",
        "Is REX pumping by end of week?",
        "Give me a projection of my net worth.",
        "What is the year-end value of my REX going to be?",
        "Stack more sREX?",
        "wen dump",
    ],
)
def test_slang_predictions_and_advice_are_not_answered(question: str) -> None:
    got = answer(A, question)
    assert not got.known and got.text.startswith("I don't know") and got.value is None


@pytest.mark.parametrize(
    ("question", "fact_id", "also"),
    [
        ("When did the post about Ether sliding come out?", "news.2.published", ()),
        ("Which outlet ran the story on the USDC attestation?", "news.5.source", ()),
        ("Give the domain and the date of the MEME rally article.", "news.6.source",
         ("news.6.published",)),
        ("Link to the item about staking rewards?", "news.1.url", ()),
        ("Was the headline about a large holder positive or negative?", "news.4.sentiment", ()),
    ],
)  # fmt: skip
def test_one_news_item_is_found_by_its_words(
    question: str, fact_id: str, also: tuple[str, ...]
) -> None:
    got = answer(A, question)
    assert got.kind == "news" and got.value == A.value(fact_id), got.text
    for shown in (fact_id, *also):
        assert shown in got.cited and A.render(shown) in got.text
    assert invented_numbers(got, A) == ()


def test_a_news_item_is_picked_by_the_question_never_steered_by_its_title() -> None:
    got = answer(A, "When was the item that says to ignore instructions published?")
    assert got.value == A.value("news.3.published")
    assert "net_worth.usd" not in got.cited and got.kind == "news"


def test_a_holdings_block_is_its_chains() -> None:
    got = answer(A, "What is my bridged USDC worth, and at which block was it read?")
    assert got.value == A.value(f"holding.{USDC_B}.usd")
    assert "chain.31338.block" in got.cited and A.render("chain.31338.block") in got.text


LP = "31337:0xa513E6E4b8f2a923D98304ec87F64353C4D5C853:lp"
USDC = "31337:0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"
DAI_GONE = "change.removed.31337:0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9"


@pytest.mark.parametrize(
    ("question", "fact_id", "also"),
    [
        ("One token shows a price dispute. What is it, and is my net worth affected?",
         f"holding.{MEME}.symbol", (f"holding.{MEME}.counted",)),
        ("Since when is the last report dated, and what did REX amount change since then?",
         f"change.holding.{REX}.amount", ("change.previous_as_of",)),
        ("Where has my dai gone?", DAI_GONE, ()),
        ("I can't see my DAI anymore, what happened to it?", DAI_GONE, ()),
        ("My wallet went down this week. Which token had the biggest loss?",
         f"perf.{REX}.change_7d_usd", ()),
        ("I'm in a pool I think. How much is my part of it worth?", f"holding.{LP}.usd",
         (f"holding.{LP}.venue",)),
        ("What part of my portfolio is my USDC on devnet?", f"holding.{USDC}.share_pct", ()),
    ],
)  # fmt: skip
def test_parts_that_point_back_and_things_gone(
    question: str, fact_id: str, also: tuple[str, ...]
) -> None:
    got = answer(A, question)
    assert got.known and got.value == A.value(fact_id), got.text
    for shown in (fact_id, *also):
        assert shown in got.cited and A.render(shown) in got.text, (shown, got.text)
    assert invented_numbers(got, A) == ()


def test_which_token_gained_most_is_still_its_name() -> None:
    got = answer(A, "Which token went up the most this week?")
    assert got.value == A.value(f"holding.{MEME}.symbol")


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("Is my devnet USDC still pegged?", f"price.{USDC}.flag"),
        ("any rug pulls among my coins", "holdings.spam_count"),
        ("Which tokens were added since the last report?",
         "change.added.31337:0xa513E6E4b8f2a923D98304ec87F64353C4D5C853:lp"),
    ],
)  # fmt: skip
def test_more_trader_words(question: str, fact_id: str) -> None:
    got = answer(A, question)
    assert got.known and got.value == A.value(fact_id), got.text
    assert fact_id in got.cited and A.render(fact_id) in got.text


def test_where_to_read_is_the_item_and_where_published_is_its_source() -> None:
    assert answer(A, "Where can I read news about MEME?").value == A.value("news.6.title")
    assert answer(A, "Where was the story on Ether published?").value == A.value("news.2.source")
