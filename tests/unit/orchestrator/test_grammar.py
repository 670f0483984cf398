"""Each grammar rule through the public ``parse``: slots, synonyms, precedence, questions."""

from __future__ import annotations

import pytest

from rexos.orchestrator.intent import Clarification, Intent, JsonValue, parse

ADDRESS = "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"


def intent_of(text: str, known: set[str] | None = None) -> Intent:
    result = parse(text, known)
    assert isinstance(result, Intent), result
    return result


def question_of(text: str, known: set[str] | None = None) -> Clarification:
    result = parse(text, known)
    assert isinstance(result, Clarification), result
    return result


def exact(value: str) -> JsonValue:
    return {"kind": "exact", "value": value}


@pytest.mark.parametrize(
    "text",
    [
        "swap 2 ETH to USDC",
        "trade 2 ETH for USDC",
        "convert 2 ETH into USDC",
        "exchange 2 ETH for USDC",
        "sell 2 ETH for USDC",
        "buy USDC with 2 ETH",
        "buy USDC using 2 $eth",
        "SWAP 2 eth TO usdc!",
    ],
)
def test_swap_synonyms_agree(text: str) -> None:
    found = intent_of(text)
    assert found.intent == "swap"
    assert found.args == {"amount": exact("2"), "side": "sell", "sell": "ETH", "buy": "USDC"}


def test_buy_with_the_amount_on_the_bought_side_is_exact_output() -> None:
    assert intent_of("buy 100 USDC with ETH").args["side"] == "buy"


def test_swap_questions_name_what_is_missing() -> None:
    assert question_of("swap ETH") == Clarification(
        "How much ETH do you want to swap, and for which token?", ["amount", "buy"], intent="swap"
    )
    assert question_of("swap 1.5 ETH").question == "Which token do you want to swap 1.5 ETH for?"
    assert "50% of your ETH" in question_of("swap half my ETH").question
    assert question_of("swap 1 ETH for ETH").missing == ["buy"]


def test_send_reads_addresses_and_wallet_names() -> None:
    by_address = intent_of(f"send 3 DAI to {ADDRESS.lower()}")
    assert by_address.args == {
        "amount": exact("3"),
        "token": "DAI",
        "to": ADDRESS,
        "to_kind": "address",
    }
    assert intent_of("pay alice 5 REX").args["to"] == "alice"
    assert intent_of("transfer 5 REX to alice").args["to_kind"] == "wallet"


@pytest.mark.parametrize(
    "recipient",
    ["vitalik.e", "0x1234", ADDRESS[:-1] + "b", "alice bob", "it", "a..eth"],
)
def test_send_never_guesses_a_recipient(recipient: str) -> None:
    assert question_of(f"send 5 REX to {recipient}").missing == ["to"]


def test_ens_names_are_names_never_the_eth_ticker() -> None:
    found = intent_of("send 1 ETH to Vitalik.ETH")
    assert (found.args["to"], found.args["to_kind"], found.args["token"]) == (
        "vitalik.eth",
        "ens",
        "ETH",
    )
    assert "not an ENS name" in question_of("send 1 ETH to vitalik.e").question


def test_stake_and_unstake_default_to_rex_but_never_to_an_amount() -> None:
    assert intent_of("stake 10").args == {"amount": exact("10"), "token": "REX"}
    assert intent_of("unstake 10").intent == "unstake"
    assert question_of("stake my REX").missing == ["amount"]
    assert question_of("unstake").question == "How much REX do you want to unstake?"


@pytest.mark.parametrize("text", ["claim rewards", "claim my staking rewards", "claim yield"])
def test_claim(text: str) -> None:
    assert intent_of(text).args == {"what": "rewards"}


@pytest.mark.parametrize("text", ["claim nfts", "claim vesting", "claim rewards and airdrop"])
def test_a_claim_of_anything_but_rewards_or_the_airdrop_is_a_question(text: str) -> None:
    assert question_of(text).missing == ["what"]


def test_price_and_balance_precedence() -> None:
    assert intent_of("how much ETH do I have").intent == "balance"
    assert intent_of("how much is ETH").intent == "price"
    assert intent_of("how many transfers today").intent == "query"
    assert intent_of("price of ETH in USDC").args == {
        "token": "ETH",
        "quote": "USDC",
        "amount": None,
    }


def test_chart_periods_in_days() -> None:
    assert intent_of("chart ETH over 2 weeks").args == {"subject": "ETH", "days": 14}
    assert intent_of("chart ETH 1y").args["days"] == 365
    assert intent_of("chart my portfolio").args == {"subject": "portfolio", "days": None}
    assert question_of("chart ETH over 11 years").missing == ["days"]
    assert question_of("chart ETH BTC").missing == ["subject"]


def test_chart_of_portfolio_is_a_chart_and_portfolio_alone_is_not() -> None:
    assert intent_of("chart my portfolio").intent == "chart"
    assert intent_of("show my portfolio") == Intent("portfolio", {})


def test_query_keeps_the_question_as_written() -> None:
    assert intent_of("Which wallet sent the most?").args == {
        "question": "Which wallet sent the most?"
    }
    assert intent_of("SQL: count swaps").args == {"question": "count swaps"}


def test_bridge_chain_aliases_and_order() -> None:
    found = intent_of("bridge 1 ETH to arb from eth")
    assert (found.args["from_chain"], found.args["to_chain"]) == ("ethereum", "arbitrum")
    assert question_of("bridge 1 ETH from base to base").missing == ["to_chain"]
    assert question_of("bridge 1 ETH to base to arbitrum").missing == ["to_chain"]


def test_perp_reads_slots_in_any_order_and_requires_a_side() -> None:
    expected = {
        "action": "compare",
        "market": "BTC",
        "side": "long",
        "size": exact("2"),
    }
    assert intent_of("compare perps for BTC 2 long").args == expected
    assert intent_of("compare perps for long 2 BTC").args == expected
    assert intent_of("long 2 BTC").args == {**expected, "action": "open"}
    assert intent_of("compare perps for BTC 2").args["side"] is None  # both sides compared
    assert question_of("long short 2 BTC").missing == ["side"]
    assert question_of("long 2 BTC ETH").missing == ["market"]


def test_ask_takes_the_rest_verbatim() -> None:
    assert intent_of("ask dprompt: Is REX staking worth it?").args == {
        "prompt": "Is REX staking worth it?"
    }
    assert intent_of("ask the llm swap or stake?").intent == "ask"


def test_known_symbols_turn_unknown_tokens_into_questions() -> None:
    known = {"eth", "USDC"}
    assert intent_of("swap 1 eth to usdc", known).args["buy"] == "USDC"
    clarification = question_of("swap 1 ETH to XYZ", known)
    assert clarification.question.startswith("I don't know the token 'XYZ'")
    assert clarification.missing == ["buy"]
    assert question_of("chart PEPE", known).missing == ["subject"]
    assert question_of("long 1 BTC", known).missing == ["market"]


@pytest.mark.parametrize("word", ["A", "toolongsymbol1", "ET#H", "123"])
def test_symbol_shape_is_checked(word: str) -> None:
    assert isinstance(parse(f"price of {word}"), Clarification)


def test_a_cashtag_may_be_a_common_word() -> None:
    assert intent_of("price of $ONE").args["token"] == "ONE"
    assert isinstance(parse("send 1 it to bob"), Clarification)
    assert intent_of("send 1 $it to bob").args["token"] == "IT"


@pytest.mark.parametrize("text", ["", "   ", "?!", "hello there", "swapp 1 ETH to USDC"])
def test_garbage_is_a_question_about_the_intent(text: str) -> None:
    assert question_of(text).missing == ["intent"]
