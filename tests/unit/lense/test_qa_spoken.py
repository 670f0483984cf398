"""Questions in the fifth blind set's voices, each in this file's own wording (never a set's
question): speech-to-text spellings of held tokens, an adviser asking for a client, two
questions in one where only one can be answered, two held assets compared, "exposure" as a
position's value, and dates, networks and records the report does not hold. Every answer
states only cited facts' numbers."""

from __future__ import annotations

import pytest

from rexos.lense.facts import FactSet
from rexos.lense.qa import answer
from rexos.lense.qa_score import invented_numbers
from rexos.lense.qa_spoken import lexicon, sound_key, spoken
from tests.unit.lense.lense_fixtures import wallet_a, wallet_b

A, B = wallet_a(), wallet_b()
REX = "31337:0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
USDC = "31337:0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"
MEME = "31337:0x8A791620dd6260079BF849Dc5567aDC3F2FdC318"


def _known(facts: FactSet, question: str, fact_id: str, *also: str) -> str:
    got = answer(facts, question)
    assert got.known, (question, got.text)
    assert got.value == facts.value(fact_id), (question, got.text)
    for cited in (fact_id, *also):
        assert cited in got.cited and facts.render(cited) in got.text, (question, cited)
    assert invented_numbers(got, facts) == ()
    return got.text


def _unknown(facts: FactSet, question: str) -> None:
    got = answer(facts, question)
    assert not got.known and got.value is None, (question, got.text)
    assert got.text.startswith("I don't know") and invented_numbers(got, facts) == ()


def test_sound_keys_match_spellings_that_sound_alike() -> None:
    assert sound_key("eeth") == sound_key("ETH")
    assert sound_key("wrecks") == sound_key("REX")
    assert sound_key("ether") != sound_key("ETH")


@pytest.mark.parametrize(
    ("question", "written"),
    [
        ("what is my eeth worth", "what is my ETH worth"),
        ("price of rekks please", "price of REX please"),
        ("is my you es dee sea counted", "is my USDC counted"),
        ("how much u s d c on dev net b", "how much USDC on devnet b"),
        ("holdings on dev net", "holdings on devnet"),
    ],
)
def test_spoken_spellings_of_held_tokens_are_written_as_the_facts_write_them(
    question: str, written: str
) -> None:
    assert spoken(A, question) == written


@pytest.mark.parametrize(
    "question",
    [
        "what is it with weth these days",  # "with" sounds like WETH but is a word people use
        "see you tomorrow",  # letter names that spell nothing held
        "how are you, see?",
        "what about pepe",  # wallet a holds no PEPE: nothing to hear it as
    ],
)
def test_ordinary_words_and_unheld_tokens_are_left_as_they_are(question: str) -> None:
    assert spoken(A, question) == question
    assert "with" in lexicon()


def test_a_spoken_token_is_answered_from_its_facts() -> None:
    _known(B, "whats my eeth balance", "holding.31337:native.amount")
    _known(A, "what does one rekks cost on dev net", f"price.{REX}.median")
    got = answer(A, "is there an unlimited approval on my you ess dee sea")
    spender = f"risk.approvals.{USDC}.0x5e1f00D00dFeedBeefCafe000000000000000Bad.spender"
    assert got.known and got.kind == "approvals" and spender in got.cited


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("Kindly report my client's net worth.", "net_worth.usd"),
        ("How many REX does the client hold?", f"holding.{REX}.amount"),
        ("For the customer, what is the MEME price?", f"price.{MEME}.median"),
        ("Which wallet address does our client's report cover?", "wallet.address"),
    ],
)
def test_an_advisers_client_is_the_wallets_owner(question: str, fact_id: str) -> None:
    _known(A, question, fact_id)


def test_another_persons_wallet_is_still_not_this_one() -> None:
    _unknown(A, "What is my cousin's wallet worth?")


def test_two_questions_where_one_is_out_of_reach_answer_the_other() -> None:
    text = _known(A, "What is my REX balance, and what was it in 2023?", f"holding.{REX}.amount")
    assert "I don't know the rest" in text
    text = _known(B, "What is my net worth? How much do I hold on Solana?", "net_worth.usd")
    assert "I don't know the rest" in text


def test_another_persons_wallet_in_one_part_does_not_answer_for_it() -> None:
    question = "What is my ETH on devnet worth? And how much is in my brother's wallet?"
    text = _known(B, question, "holding.31337:native.usd")
    assert text.endswith("it holds no facts on another one.")


@pytest.mark.parametrize(
    "question",
    [
        "Do I own any NFTs, and what are they worth?",  # the second part points back
        "How much MEME did I buy, and when?",  # a one-word part is not asked alone
    ],
)
def test_a_part_that_leans_on_an_unanswerable_one_is_not_answered(question: str) -> None:
    _unknown(A, question)


def test_two_named_assets_are_compared_with_both_values_cited() -> None:
    usd = f"holding.{REX}.usd", "holding.31337:native.usd"
    _known(A, "Is my REX or my ETH on devnet worth more?", f"holding.{REX}.symbol", *usd)
    _known(A, "Which is smaller by value on devnet, REX vs ETH?", "holding.31337:native.symbol",
           *usd)  # fmt: skip


def test_exposure_with_a_superlative_asks_the_position_not_the_risk() -> None:
    got = answer(A, "largest single exposure by dollar size?")
    assert got.kind == "biggest" and got.known
    assert got.value == A.value("risk.concentration.top_symbol")


@pytest.mark.parametrize(
    ("facts", "question"),
    [
        (A, "what was my REX worth on the third of November?"),
        (A, "net worth on November 2nd, please"),
        (B, "USDC held on chain 42161?"),
        (A, "what is the lowest MEME has ever traded at"),
        (A, "who controls the spender on my USDC?"),
        (B, "is REX safer than ETH?"),
        (B, "when was the prior report made?"),  # wallet b has no previous report
        (B, "how many ETH are staked?"),  # nothing is staked in wallet b
    ],
)
def test_what_the_report_does_not_hold_is_not_known(facts: FactSet, question: str) -> None:
    _unknown(facts, question)


def test_a_held_day_and_chain_id_are_still_answered() -> None:
    _known(A, "when was the previous report made?", "change.previous_as_of")
    _known(A, "total value as of this report?", "net_worth.usd")


def test_asking_about_the_client_keeps_its_tense() -> None:
    assert spoken(B, "When did the client first sell ETH?") == "When did I first sell ETH?"
    assert spoken(B, "Does our customer own REX?") == "Do I own REX?"
    _unknown(B, "When did our client first sell ETH?")


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("what is REX marked at?", f"price.{REX}.median"),
        ("mark price for MEME", f"price.{MEME}.median"),
        ("overall notional of my book", "net_worth.usd"),
        ("total dollar exposure, all positions", "net_worth.usd"),
    ],
)
def test_a_traders_jargon_names_the_fact_it_means(question: str, fact_id: str) -> None:
    _known(A, question, fact_id)


def test_a_delta_is_a_change_and_spam_stays_marked() -> None:
    assert answer(A, "what's the 7d delta on MEME").kind == "performance"
    assert answer(A, "which tokens are marked as spam?").kind == "spam"


@pytest.mark.parametrize("question", ["REX dropped this week. but why?", "wallet is red. why"])
def test_a_bare_why_after_a_statement_asks_its_cause(question: str) -> None:
    got = answer(A, question)
    assert got.kind == "why_move" and got.known and invented_numbers(got, A) == ()
