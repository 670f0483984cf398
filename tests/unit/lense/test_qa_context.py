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
SPAM = "31337:0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6"
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


@pytest.mark.parametrize(
    ("wallet", "question", "fact_id", "also"),
    [
        # the price asked first when more follows; the topic only when it does not
        ("a", "WETH price, and how many feeds?", f"price.{WETH}.median",
         (f"price.{WETH}.sources",)),
        ("a", "weth price number of sources", f"price.{WETH}.sources", ()),
        ("a", "What does the price-check say about MEME?", f"price.{MEME}.flag", ()),
        ("a", "Is devnet USDC still at one dollar?", f"price.{USDC}.median", ()),
        # how much of a staked amount, and where
        ("a", "How much sREX is locked, and with which venue?", f"holding.{STAKE}.amount",
         (f"holding.{STAKE}.venue",)),
        ("b", "how much of the portfolio is REX", f"holding.{REX}.share_pct", ()),
        # realised on selling, unrealised shorthand, previous report shorthand
        ("a", "What did I lose on MEME by selling it?", f"perf.{MEME}.realised_usd", ()),
        ("a", "weth upnl", f"perf.{WETH}.unrealised_usd", ()),
        ("a", "weth rpnl", f"perf.{WETH}.realised_usd", ()),
        ("a", "net worth diff vs prev report", "change.net_worth.usd", ()),
        # a week's loss asked after a remark; price troubles; naming the top holding
        ("a", "Things look worse than before. How much am I down over seven days?",
         "perf.total.change_7d_usd", ()),
        ("a", "How many coins have a price conflict?", "risk.disputed.count", ()),
        ("a", "Identify the top holding by share of net worth.", f"holding.{REX}.symbol", ()),
        ("b", "Is keeping nearly everything in REX risky?", "risk.level", ()),
        # a news item by the day and time it was published
        ("a", "Which outlet put out the item dated 2026-12-04 at 14:45?", "news.4.source", ()),
    ],
)  # fmt: skip
def test_more_fields_are_the_headline(
    wallet: str, question: str, fact_id: str, also: tuple[str, ...]
) -> None:
    facts = A if wallet == "a" else B
    got = answer(facts, question)
    assert got.known and got.value == facts.value(fact_id), (got.kind, got.text)
    for cited in (fact_id, *also):
        assert cited in got.cited and facts.render(cited) in got.text
    assert not invented_numbers(got, facts)


@pytest.mark.parametrize(
    "question",
    [
        "Guess REX's price a month from now.",
        "What is the 14-day change of WETH?",
        "REX change over 3 months?",
        "Is MEME cheap at this level?",
        "Please send 2 ETH to my sister.",
        "Could you swap half my REX for USDC?",
        "How many holders does MEME have?",
    ],
)
def test_windows_valuations_and_actions_no_fact_holds(question: str) -> None:
    got = answer(A, question)
    assert not got.known and got.text.startswith("I don't know") and got.value is None


def test_the_windows_the_report_has_are_still_read() -> None:
    assert answer(A, "weth 24h").value == A.value(f"perf.{WETH}.change_24h_pct")
    assert answer(A, "weth 30d").value == A.value(f"perf.{WETH}.change_30d_pct")
    assert answer(A, "weth 7 days").value == A.value(f"perf.{WETH}.change_7d_pct")


@pytest.mark.parametrize(
    ("wallet", "question", "fact_id"),
    [
        # shorthand and typos of short words
        ("a", "newz count", "news.count"),
        ("a", "weth dod", f"perf.{WETH}.change_24h_pct"),
        ("a", "conc pct", "risk.concentration.top_share_pct"),
        ("a", "cb of weth", f"perf.{WETH}.cost_basis_usd"),
        ("a", "usdc senti", f"sentiment.{USDC}.label"),
        ("a", "tokens #", "holdings.count"),
        ("a", "ts of report", "report.as_of"),
        ("a", "when were the balances read", "report.as_of"),
        # non-native order, the mood asked as good or bad, a pool asked by "which"
        ("a", "My WETH, it is how many percent of everything?", f"holding.{WETH}.share_pct"),
        ("a", "About MEME, the people say good or bad?", f"sentiment.{MEME}.label"),
        ("a", "The liquidity tokens, which pool is it?", f"holding.{LP}.venue"),
        # "explain what happened" over the week is why the wallet moved
        ("a", "Could you explain what happened over the past week?", "perf.total.change_7d_usd"),
    ],
)  # fmt: skip
def test_short_and_broken_words(wallet: str, question: str, fact_id: str) -> None:
    facts = A if wallet == "a" else B
    got = answer(facts, question)
    assert got.known and got.value == facts.value(fact_id), (got.kind, got.text)
    assert fact_id in got.cited and facts.render(fact_id) in got.text


@pytest.mark.parametrize(
    ("wallet", "question"),
    [
        ("a", "how do I stake more REX?"),
        ("a", "Please tell me how to revoke an approval."),
        ("a", "what is an AMM?"),
        ("a", "How many times have I swapped WETH?"),
        ("a", "When does my USDC allowance expire?"),
        ("a", "REX high this year?"),
        ("b", "how much staked REX do i have"),
        ("b", "value of my REX LP"),
    ],
)
def test_how_to_trade_counts_expiry_and_positions_not_held(wallet: str, question: str) -> None:
    got = answer(A if wallet == "a" else B, question)
    assert not got.known and got.text.startswith("I don't know") and got.value is None


def test_a_remark_about_how_to_is_not_a_how_to_question() -> None:
    got = answer(B, "I never know how to add things up. What is the wallet worth?")
    assert got.value == B.value("net_worth.usd")


@pytest.mark.parametrize(
    ("wallet", "question", "fact_id"),
    [
        ("a", "Which day was the earlier report produced on?", "change.previous_as_of"),
        ("a", "where is my LP", f"holding.{LP}.venue"),
        ("a", "Of the MEME items, how many were positive?", f"sentiment.{MEME}.positive"),
        ("b", "what is REX selling for", f"price.{REX}.median"),
    ],
)
def test_dates_places_counts_and_prices_in_other_words(
    wallet: str, question: str, fact_id: str
) -> None:
    facts = A if wallet == "a" else B
    got = answer(facts, question)
    assert got.known and got.value == facts.value(fact_id), (got.kind, got.text)


@pytest.mark.parametrize(
    "question",
    [
        "What would my wallet be worth if MEME triples?",
        "What if REX drops to zero?",
        "Is it fine to leave the USDC allowance in place?",
        "What's the ETH funding rate on perps?",
        "How many wallets own MEME?",
    ],
)
def test_what_ifs_perps_and_holder_counts_are_not_known(question: str) -> None:
    got = answer(A, question)
    assert not got.known and got.text.startswith("I don't know") and got.value is None


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("how hard did WETH dump over the month", f"perf.{WETH}.change_30d_pct"),
        ("did MEME pump this week? by how much", f"perf.{MEME}.change_7d_pct"),
        ("weth weighting in the portfolio", f"holding.{WETH}.share_pct"),
        ("How much is a single WETH?", f"price.{WETH}.median"),
        ("as-of timestamp?", "report.as_of"),
        ("Which coin is posing as USDC?", f"holding.{SPAM}.symbol"),
    ],
)  # fmt: skip
def test_past_slang_weights_single_units_and_impostors(question: str, fact_id: str) -> None:
    got = answer(A, question)
    assert got.known and got.value == A.value(fact_id), (got.kind, got.text)
    assert fact_id in got.cited and A.render(fact_id) in got.text


def test_pump_ahead_is_still_a_prediction() -> None:
    got = answer(A, "will MEME pump next week")
    assert not got.known and got.text.startswith("I don't know")


@pytest.mark.parametrize(
    ("wallet", "question", "fact_id"),
    [
        ("a", "WETH 30d and 24h moves", f"perf.{WETH}.change_30d_pct"),
        ("a", "weth 24h and 30d moves", f"perf.{WETH}.change_24h_pct"),
        ("a", "Has anybody posted about my tokens? Give the count.", "news.count"),
        ("a", "Do traders like MEME?", f"sentiment.{MEME}.label"),
        ("a", "Why is the MEME price flagged?", f"price.{MEME}.flag"),
        ("a", "I'm curious what WETH costs on devnet", f"price.{WETH}.median"),
        ("a", "what did my WETH cost me", f"perf.{WETH}.cost_basis_usd"),
        ("a", "How many different things do I hold?", "holdings.count"),
        ("a", "Why is MEME not in the total?", f"holding.{MEME}.counted"),
        ("a", "Did my wallet lose money over the week?", "perf.total.change_7d_usd"),
    ],
)
def test_windows_in_order_mood_flags_costs_and_totals(
    wallet: str, question: str, fact_id: str
) -> None:
    facts = A if wallet == "a" else B
    got = answer(facts, question)
    assert got.known and got.value == facts.value(fact_id), (got.kind, got.text)


@pytest.mark.parametrize("question", ["Is there any sREX here?", "do I hold stETH", "any wBTC?"])
def test_a_mixed_case_ticker_the_wallet_lacks_is_not_held(question: str) -> None:
    got = answer(B, question)
    assert not got.known and got.text.startswith("I don't know") and got.value is None


def test_what_the_wallet_is_worth_in_total_is_its_net_worth() -> None:
    got = answer(B, "How much is worth the wallet in total?")
    assert got.value == B.value("net_worth.usd")


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("Should I be worried about how safe this wallet is?", "risk.level"),
        ("I think I lost a bit this week. How much was it, in dollars?",
         "perf.total.change_7d_usd"),
        ("Is sREX highly regarded?", f"sentiment.{STAKE.removesuffix(':stake')}.label"),
        ("Do I hold any junk coins?", "holdings.spam_count"),
        ("Does any site have permission to move my tokens?", "risk.approvals.count"),
        ("Is the wallet worth more than at the previous report?", "change.net_worth.usd"),
        ("What is my part of the REX and WETH pool worth?", f"holding.{LP}.usd"),
        ("What did I spend on all of it in the first place?", "perf.total.cost_basis_usd"),
        ("Are all my eggs in one basket? What share is the top one?",
         "risk.concentration.top_share_pct"),
        ("How has WETH moved since yesterday?", f"perf.{WETH}.change_24h_pct"),
    ],
)  # fmt: skip
def test_plain_and_old_fashioned_words(question: str, fact_id: str) -> None:
    got = answer(A, question)
    assert got.known and got.value == A.value(fact_id), (got.kind, got.text)
    assert fact_id in got.cited and A.render(fact_id) in got.text


def test_a_bank_account_is_not_the_wallet() -> None:
    got = answer(A, "How much is in my savings account?")
    assert not got.known and got.text.startswith("I don't know")


def test_should_i_still_asks_for_advice() -> None:
    got = answer(A, "Should I be buying more REX?")
    assert not got.known and got.text.startswith("I don't know")


def test_spot_is_a_price_and_must_i_sell_is_advice() -> None:
    assert answer(A, "weth spot on devnet").value == A.value(f"price.{WETH}.median")
    got = answer(A, "People call REX a scam. I have to sell?")
    assert not got.known and got.text.startswith("I don't know")


def test_the_level_asked_before_concentration_stays_the_headline() -> None:
    got = answer(A, "what is the risk level given how concentrated the wallet is")
    assert got.value == A.value("risk.level")
    assert "risk.concentration.top_share_pct" in got.cited


def test_a_dollar_change_asked_beside_the_price_change_is_cited() -> None:
    got = answer(A, "WETH: 7-day price change and the dollar value change")
    assert got.value == A.value(f"perf.{WETH}.change_7d_pct")
    assert f"perf.{WETH}.change_7d_usd" in got.cited
    assert A.render(f"perf.{WETH}.change_7d_usd") in got.text
