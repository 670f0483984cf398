"""Rules found from the fourth blind set's dev half, each tested in this file's own wording
(never a set's question): a long remark before the question, another person's wallet or a
network the report lacks, rewards or unlock dates no fact holds, a past "did I get more",
"best mover", a total over all chains, a profit said to be negative, a holding's value "as
priced", how far a price's quotes are apart, a price doubted, token names that hold cue words
("USD Coin Rewards") and a token that only looks like a held one. Every answer states only
cited facts' numbers."""

from __future__ import annotations

import pytest

from rexos.lense.facts import FactSet
from rexos.lense.qa import answer
from rexos.lense.qa_score import invented_numbers
from tests.unit.lense.lense_fixtures import wallet_a, wallet_b

A, B = wallet_a(), wallet_b()
REX = "31337:0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
WETH = "31337:0x5FbDB2315678afecb367f032d93F642f64180aa3"
MEME = "31337:0x8A791620dd6260079BF849Dc5567aDC3F2FdC318"
STAKE = "31337:0x0165878A594ca255338adfa4d48449f69242Eb8F:stake"
REX_B = "31338:0x610178dA211FEF7D417bC0e6FeD39F05609AD788"
LOOKALIKE = "31337:0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6"


def _wallet(name: str) -> FactSet:
    return A if name == "a" else B


def _check_known(wallet: str, question: str, fact_id: str) -> None:
    facts = _wallet(wallet)
    got = answer(facts, question)
    assert got.known, (question, got.text)
    assert got.value == facts.value(fact_id), (question, got.text)
    assert fact_id in got.cited and facts.render(fact_id) in got.text
    assert invented_numbers(got, facts) == ()


def _check_unknown(wallet: str, question: str) -> None:
    got = answer(_wallet(wallet), question)
    assert not got.known and got.value is None, (question, got.text)
    assert got.text.startswith("I don't know")


CONTEXT_THEN_QUESTION = [
    ("a", "My accountant keeps nagging me about taxes and fees and all that, so what is the cost "
          "basis of my WETH?", f"perf.{WETH}.cost_basis_usd"),
    ("a", "I saw some article on staking yields on the train this morning, so how many sREX "
          "are staked?", f"holding.{STAKE}.amount"),
    ("a", "ok this is gonna sound dumb, i deposited stuff months ago and lost track, so how much "
          "REX do i hold now?", f"holding.{REX}.amount"),
    ("a", "We were talking about gas prices at dinner, anyway, what is my net worth?",
     "net_worth.usd"),
    ("a", "Sorry for my english, the news scare me a lot about the market, so what is the price "
          "of MEME?", f"price.{MEME}.median"),
    ("a", "I bought ETH a year ago when my friend said it was going to moon, so how much ETH "
          "do I have on devnet?", "holding.31337:native.amount"),
    ("b", "My nephew swears by NFTs and I never understood them, long story short, how many "
          "holdings does this wallet have?", "holdings.count"),
    ("a", "My board asked for yesterday's figures and the withdrawal history, in short: net "
          "worth?", "net_worth.usd"),
    ("a", "I read on a forum that liquidity pools can be risky, so what's the unrealised on "
          "WETH?", f"perf.{WETH}.unrealised_usd"),
    ("a", "Between two meetings and a flight, having no time for the whitepaper, so tell me the "
          "MEME cost basis", f"perf.{MEME}.cost_basis_usd"),
]  # fmt: skip


@pytest.mark.parametrize(("wallet", "question", "fact_id"), CONTEXT_THEN_QUESTION)
def test_a_long_remark_before_the_question_is_context(
    wallet: str, question: str, fact_id: str
) -> None:
    _check_known(wallet, question, fact_id)


NOT_THIS_WALLET = [
    ("b", "how much ETH is in my sister's wallet?"),
    ("a", "What does her wallet hold in REX?"),
    ("a", "my boss's portfolio, what's it worth"),
    ("b", "Can you check the wallet ending 79c8 for USDC?"),
    ("a", "The address that ends in 93BC: how much REX there?"),
    ("a", "yo whats in his wallet rn"),
    ("b", "Please give the net worth of our neighbour's wallet."),
    ("a", "Tell me the ETH balance of the wallet whose last four characters are 4F5e"),
    ("b", "My wife has her own wallet, how much REX is in her wallet?"),
    ("a", "what is someone else's wallet worth, the one ending with 1a2b?"),
]  # fmt: skip


@pytest.mark.parametrize(("wallet", "question"), NOT_THIS_WALLET)
def test_another_persons_wallet_is_not_this_report(wallet: str, question: str) -> None:
    _check_unknown(wallet, question)


@pytest.mark.parametrize(
    "question",
    [
        "how much ETH do I have on devnet-b?",
        "What's my REX balance over on devnet-c?",
        "my friend told me of a chain called rexnet, how much USDC do I have there?",
        "On the network named sidechain-x, what's my net worth?",
    ],
)
def test_a_network_the_report_lacks_is_unknown(question: str) -> None:
    _check_unknown("b", question)


def test_a_network_the_report_holds_is_still_answered() -> None:
    _check_known("a", "how much ETH do I have on devnet-b?", "holding.31338:native.amount")


@pytest.mark.parametrize(
    "question",
    [
        "How much have I earned in staking rewards so far?",
        "staking rewards received total",
        "What did my sREX pay me in rewards to date?",
        "Rewards accrued on the stake?",
        "Total rewards earned from staking REX?",
        "when can I unstake my sREX?",
        "What day does the stake unlock?",
        "How long is the lock-up on my staked REX?",
        "Is there a cooldown before I can get my REX back from staking?",
        "On which date is the staked position redeemable?",
    ],
)
def test_rewards_and_unlock_dates_no_fact_holds_are_unknown(question: str) -> None:
    _check_unknown("a", question)


@pytest.mark.parametrize(
    "question",
    [
        "Did I get more REX since the last report? By how much?",
        "did i actually get more rex since last time, how many?",
        "Have I received more REX than in the previous report? How much more?",
        "Since the previous report, did we really get more REX, and how many?",
    ],
)
def test_did_i_get_more_asks_the_change_not_advice(question: str) -> None:
    got = answer(A, question)
    assert got.known and got.kind == "changes", got.text
    assert f"change.holding.{REX}.amount" in got.cited
    assert invented_numbers(got, A) == ()


@pytest.mark.parametrize(
    ("wallet", "question", "fact_id"),
    [
        ("b", "top performer today?", "holding.31337:native.symbol"),
        ("b", "biggest mover in the last 24h", "holding.31337:native.symbol"),
        ("b", "best performer daily pls", "holding.31337:native.symbol"),
        ("a", "Worst performer over the day?", f"holding.{REX}.symbol"),
        ("a", "best mover this month", f"holding.{REX}.symbol"),
        ("a", "How much is worth my wallet, all networks together?", "net_worth.usd"),
        ("a", "total value across every chain combined?", "net_worth.usd"),
        ("b", "what's the overall worth of my holdings, all chains summed?", "net_worth.usd"),
        ("a", "Unrealised profit on WETH is positive? Which amount?",
         f"perf.{WETH}.unrealised_usd"),
        ("a", "is my realised on MEME negative, and by how much?", f"perf.{MEME}.realised_usd"),
        ("a", "MEME pnl negative or positive?", f"perf.{MEME}.unrealised_usd"),
        ("a", "WETH, value as priced?", f"holding.{WETH}.usd"),
        ("a", "what's my MEME valued at with the report's price?", f"holding.{MEME}.usd"),
        ("a", "The REX holding, its value at the price used?", f"holding.{REX}.usd"),
    ],
)  # fmt: skip
def test_movers_totals_profit_and_value_are_read(wallet: str, question: str, fact_id: str) -> None:
    _check_known(wallet, question, fact_id)


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("The bridged REX quotes don't match, right? How many bps between them?",
         f"price.{REX_B}.divergence_bps"),
        ("REX on devnet-b has two quotes that do not agree. How far apart?",
         f"price.{REX_B}.divergence_bps"),
        ("I doubt the MEME price. How many sources, and how far apart are they?",
         f"price.{MEME}.divergence_bps"),
        ("Where does the MEME price come from and how wide is the spread?",
         f"price.{MEME}.divergence_bps"),
        ("meme price legit?", f"price.{MEME}.flag"),
        ("is the MEME price genuine or bogus", f"price.{MEME}.flag"),
        ("Can I believe the price shown for MEME?", f"price.{MEME}.flag"),
        ("bridged REX price looks fishy, is it valid", f"price.{REX_B}.flag"),
        ("One line: is the ETH price on devnet accurate?", "price.31337:native.flag"),
        ("ETH price on devnet, sus or fine?", "price.31337:native.flag"),
    ],
)  # fmt: skip
def test_a_price_doubted_gets_its_spread_or_check(question: str, fact_id: str) -> None:
    _check_known("a", question, fact_id)


@pytest.mark.parametrize(
    "question",
    [
        "USD Coin Rewards: what percent of my net worth?",
        "share of portfolio for USD Coin Rewards",
        "USD Coin Rewards as a portion of total net worth?",
    ],
)
def test_a_token_names_words_are_not_cue_words(question: str) -> None:
    """The look-alike is not counted, so it has no share: no figure is guessed from "USD" in
    its name."""
    _check_unknown("a", question)


@pytest.mark.parametrize(
    "question",
    [
        "That USDC-looking token isn't in my net worth, why not?",
        "why is the usdc-like coin left out of my total?",
        "Is the fake USDC counted in my net worth?",
        "the copycat usdc: counted or not?",
        "There is a USDC look-alike in my wallet, why is it not in my net worth?",
    ],
)
def test_a_look_alike_is_the_spam_token_not_the_real_one(question: str) -> None:
    got = answer(A, question)
    assert got.known, got.text
    assert got.cited and all(LOOKALIKE in i for i in got.cited[:1]), got.text
    assert "31337:0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0" not in " ".join(got.cited)
    assert invented_numbers(got, A) == ()


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("Where does that 58,707.81 figure come from?", "net_worth.usd"),
        ("You say 2,828.9 bps. How did you get that?", f"price.{MEME}.divergence_bps"),
        ("that 538.0, where's it from??", f"price.{REX_B}.divergence_bps"),
        ("By whose math is the -112.00 on MEME?", f"perf.{MEME}.unrealised_usd"),
        ("I don't buy it. How was $58,707.81 calculated?", "net_worth.usd"),
        ("My CFO wants one line: what is the source of 2,828.9?", f"price.{MEME}.divergence_bps"),
    ],
)  # fmt: skip
def test_a_quoted_number_is_traced_to_its_fact(question: str, fact_id: str) -> None:
    _check_known("a", question, fact_id)


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("My dad set this up on his wallet app, what's my net worth?", "net_worth.usd"),
        ("For the week ending 1206, what is my net worth?", "net_worth.usd"),
        ("My sister told me to check, so what's my net worth?", "net_worth.usd"),
        ("the wallet ending 79c8: net worth?", "net_worth.usd"),
        ("How much ETH do I have on devnet-b, all told?", "holding.31338:native.amount"),
        ("Where does the MEME price come from?", f"price.{MEME}.sources"),
    ],
)  # fmt: skip
def test_the_new_rules_leave_ordinary_questions_alone(question: str, fact_id: str) -> None:
    _check_known("a", question, fact_id)
