"""Context and fields: a statement before the question gives context, not the kind; "today"
that only means "now"; the one field of a holding, source, news item, sentiment or change
that is asked; words that name no fact in the report. Each rule in these tests' own words."""

from __future__ import annotations

import pytest

from rexos.lense.qa import answer
from rexos.lense.qa_score import invented_numbers
from tests.unit.lense.lense_fixtures import wallet_a, wallet_b

A, B = wallet_a(), wallet_b()
REX = "31337:0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
WETH = "31337:0x5FbDB2315678afecb367f032d93F642f64180aa3"
MEME = "31337:0x8A791620dd6260079BF849Dc5567aDC3F2FdC318"
USDC = "31337:0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"
STAKE = "31337:0x0165878A594ca255338adfa4d48449f69242Eb8F:stake"
LP = "31337:0xa513E6E4b8f2a923D98304ec87F64353C4D5C853:lp"
SPENDER = f"risk.approvals.{USDC}.0x5e1f00D00dFeedBeefCafe000000000000000Bad.spender"


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        # a statement first: its words give context; the question says what is asked
        ("My neighbour mentioned allowances. Is there anything there I ought to look at?",
         "risk.approvals.count"),
        ("I staked some REX a long time ago. What is it worth now?",
         f"holding.{STAKE}.usd"),
        ("A friend told me prices slid this week. How much did my wallet lose?",
         "perf.total.change_7d_usd"),
        ("Has much been published on my coins lately? How many pieces in all?", "news.count"),
        # "today" that only means "now"
        ("Hello there. What is my devnet Ether worth in dollars today?",
         "holding.31337:native.usd"),
        ("what's weth trading at today", f"price.{WETH}.median"),
        # one field of a holding
        ("What pool is my liquidity sitting in?", f"holding.{LP}.venue"),
        ("What is the full name of the sREX token?", f"holding.{STAKE}.name"),
        ("What type of position is the RLP one?", f"holding.{LP}.kind"),
        ("how big a chunk of the total is my WETH", f"holding.{WETH}.share_pct"),
        ("does my devnet USDC count towards the total?", f"holding.{USDC}.counted"),
        # sources, sentiment counts, news items, spenders
        ("Which is the second price source for WETH called?", f"price.{WETH}.source.2.name"),
        ("What did the third source quote for WETH?", f"price.{WETH}.source.3.usd"),
        ("Count of neutral items behind the REX mood.", f"sentiment.{REX}.neutral"),
        ("Give me the link to the piece about the hawkish Fed.", "news.2.url"),
        ("Which tone did the article on MEME's rally get?", "news.6.sentiment"),
        ("Is there a story on REX sliding? What does it report?", "news.4.title"),
        ("Please identify the spender with the unlimited USDC allowance.", SPENDER),
        # changes since the previous report
        ("What was added to the wallet since the prior report?",
         f"change.added.{LP}"),
        ("How did net worth move relative to the previous report?", "change.net_worth.usd"),
        ("Top holding's share: change since the last report?",
         "change.risk.concentration.top_share_pct"),
        ("Which token was in my wallet before but is not there now?",
         "change.removed.31337:0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9"),
        # concentration, paper gains, cost, sums and the mood
        ("What share of everything sits in a single coin?", "risk.concentration.top_share_pct"),
        ("am i in the green overall", "perf.total.unrealised_usd"),
        ("what did all of it cost me", "perf.total.cost_basis_usd"),
        ("sum of my counted holdings in dollars", "net_worth.usd"),
        ("is the crowd liking MEME or not", f"sentiment.{MEME}.label"),
        # shorthand
        ("weth 1d", f"perf.{WETH}.change_24h_pct"),
        ("eth wk", "perf.31337:native.change_7d_pct"),
        ("weth src count", f"price.{WETH}.sources"),
        ("rlp val", f"holding.{LP}.usd"),
    ],
)  # fmt: skip
def test_the_asked_fact_is_the_headline(question: str, fact_id: str) -> None:
    got = answer(A, question)
    assert got.known and got.value == A.value(fact_id), (got.kind, got.text)
    assert fact_id in got.cited and A.render(fact_id) in got.text
    assert not invented_numbers(got, A)


@pytest.mark.parametrize(
    "question",
    [
        "weth to 5k by spring?",
        "where is REX heading next",
        "What yearly interest does the stake pay?",
        "Work out the Sharpe ratio of this wallet.",
        "How volatile has MEME been?",
        "Who is the issuer of USDC?",
        "What was my average entry price on WETH?",
        "How much REX did I purchase, and when?",
        "Which exchange quotes MEME the highest?",
        "I read a while ago that gas is cheap. What did I pay in gas?",
    ],
)
def test_what_no_fact_holds_is_not_known(question: str) -> None:
    got = answer(A, question)
    assert not got.known and got.text.startswith("I don't know") and got.value is None


def test_a_news_topic_does_not_make_a_question_about_absent_data() -> None:
    """ "Deposits" in an article's topic is the article's subject, not a deposit history."""
    got = answer(A, "When was the post about sREX deposits published?")
    assert got.value == A.value("news.1.published")


def test_context_never_outranks_a_question_that_names_an_asset() -> None:
    got = answer(B, "I was told to look at my approvals. How much REX do I have?")
    assert got.value == B.value(f"holding.{REX}.amount")


def test_today_stays_a_window_when_a_move_is_asked() -> None:
    got = answer(A, "how did weth do today")
    assert got.value == A.value(f"perf.{WETH}.change_24h_pct")
