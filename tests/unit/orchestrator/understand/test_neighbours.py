"""Confusable neighbours and near-misses found in the seventh blind set's dev half, each read
by a general rule in wordings of our own: a request said against what it is not, a token put
on a chain (a bridge), one token's holding, a payee written first, points counted, a prompt
with no question, remarks and questions about how things work, a past move told."""

from __future__ import annotations

from typing import Any

import pytest

from rexos.orchestrator.intent import Clarification, Intent
from rexos.orchestrator.understand import Reply, understand
from rexos.orchestrator.understand.contrast import without_negated_alternative


@pytest.mark.parametrize(
    ("text", "intent", "args"),
    [
        # the negated alternative goes; the request is what is left
        ("don't bridge, send 20 usdc to carol", "send",
         {"amount": {"kind": "exact", "value": "20"}, "token": "USDC", "to": "carol",
          "to_kind": "wallet"}),
        ("no graph, just the price of link", "price",
         {"token": "LINK", "quote": None, "amount": None}),
        ("show my usdc balance, don't swap it", "balance", {"token": "USDC"}),
        # a token put on another chain is a bridge
        ("transfer 12 dai to my base wallet", "bridge",
         {"amount": {"kind": "exact", "value": "12"}, "token": "DAI", "from_chain": None,
          "to_chain": "base"}),
        ("move 5 usdt from arbitrum to optimism", "bridge",
         {"amount": {"kind": "exact", "value": "5"}, "token": "USDT", "from_chain": "arbitrum",
          "to_chain": "optimism"}),
        ("$20 of usdc onto linea", "bridge",
         {"amount": {"kind": "usd", "value": "20"}, "token": "USDC", "from_chain": None,
          "to_chain": "linea"}),
        ("i need my 40 dai on polygon", "bridge",
         {"amount": {"kind": "exact", "value": "40"}, "token": "DAI", "from_chain": None,
          "to_chain": "polygon"}),
        # wrapping is a swap between ETH and WETH
        ("wrap 0.3 eth", "swap",
         {"amount": {"kind": "exact", "value": "0.3"}, "side": "sell", "sell": "ETH",
          "buy": "WETH"}),
        ("unwrap 0.3 weth", "swap",
         {"amount": {"kind": "exact", "value": "0.3"}, "side": "sell", "sell": "WETH",
          "buy": "ETH"}),
        # one token's holding
        ("what's my dai worth", "balance", {"token": "DAI"}),
        ("my usdc?", "balance", {"token": "USDC"}),
        ("do i have enough dai for the 300 rent", "balance", {"token": "DAI"}),
        # a payee written first, a send said with "get … over to"
        ("get 7 usdc over to dave", "send",
         {"amount": {"kind": "exact", "value": "7"}, "token": "USDC", "to": "dave",
          "to_kind": "wallet"}),
        # points counted, misspelt, asked as "how much"
        ("how much points have i got", "points", {}),
        ("pointz", "points", {}),
        ("how much did i earn in ai points this month", "points", {}),
        # a decimal comma after 0 is a decimal
        ("sell 0,25 eth for usdc", "swap",
         {"amount": {"kind": "exact", "value": "0.25"}, "side": "sell", "sell": "ETH",
          "buy": "USDC"}),
        ("how about you swap 3 dai to usdc", "swap",
         {"amount": {"kind": "exact", "value": "3"}, "side": "sell", "sell": "DAI",
          "buy": "USDC"}),
        ("did i ever bridge anything to base?", "query",
         {"question": "did i ever bridge anything to base?"}),
        ("how much dai is on polygon", "balance", {"token": "DAI"}),  # a holding, no price
        # a purchase and what pays for it
        ("i need 30 link, pay with dai", "swap",
         {"amount": {"kind": "exact", "value": "30"}, "side": "buy", "sell": "DAI",
          "buy": "LINK"}),
        ("my dai holdings", "balance", {"token": "DAI"}),  # one token's holding, not all
        ("worth of my usdc?", "balance", {"token": "USDC"}),
        ("total wbtc i hold", "balance", {"token": "WBTC"}),
    ],
)  # fmt: skip
def test_read(text: str, intent: str, args: dict[str, Any]) -> None:
    found = understand(text)
    assert isinstance(found, Intent), found
    assert (found.intent, dict(found.args)) == (intent, args)


@pytest.mark.parametrize(
    "text",
    [
        "my mum",  # not a token
        "my bad",
        "my swaps",
        "hello: 5 eth",  # no payee
        "carol: 12 dai",  # a list line, not a request
        "0x1111111111111111111111111111111111111111: 5 eth",
        "vitalik.eth: 5000 eth",
        "2. bob: 35 usdt",
        "bob said: 35 usdt",
        "send 9 usdc to erin, she'll pay me back tomorrow",  # any later time is asked about
        "send 5 usdc to bob, he is away, do it tomorrow",
        "i need 3 wallets on base",  # no token
        "i need 5 eth on base",  # bought there or bridged: asked
        "250 usdc on base",  # no verb, no wish: not a bridge
    ],
)
def test_not_read_as_a_holding_a_send_or_a_bridge(text: str) -> None:
    found = understand(text)
    assert not isinstance(found, Intent), found


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("swap 1 eth to usdc, don't do it yet", None),  # the request itself is negated
        ("don't send anything yet, i'm only browsing", None),
        ("don't send 5 eth, send 50 usdc to bob", None),  # a value in the negated part
        ("no swap, send 1 eth to bob", "send 1 eth to bob"),
        ("send 1 eth to bob, don't swap it", None),  # a move: its own checks decide
    ],
)
def test_only_a_negated_word_is_dropped(text: str, kept: str | None) -> None:
    found = without_negated_alternative(text)
    assert (found.rest if found is not None else None) == kept


@pytest.mark.parametrize(
    "text",
    [
        "swap 1 eth to usdc, don't do it yet",
        "don't send 5 eth, send 50 usdc to bob",
        "don't stake yet, stake 100 rex",  # "yet": the request itself is negated
        "do not claim anything, claim my rewards",
        "don't swap, swap 1 eth to usdc",  # the negated action is the request
        "don't bridge, move 0.2 eth to scroll",  # a rewrite makes it the negated bridge
        "don't bridge, send 5 usdc to my base wallet",
        "don't send, get 10 usdc to dave",
    ],
)
def test_a_negated_request_is_still_asked_about_or_dismissed(text: str) -> None:
    assert not isinstance(understand(text), Intent)


@pytest.mark.parametrize(
    "text", ["ask the on-chain ai something", "ask the on-chain ai a question please"]
)
def test_a_prompt_with_no_question_is_asked_for(text: str) -> None:
    found = understand(text)
    assert isinstance(found, Clarification) and found.intent == "ask"
    assert found.missing == ["prompt"]


@pytest.mark.parametrize("text", ["get my dai onto base", "send some dai to base"])
def test_a_bridge_without_an_amount_asks_for_it(text: str) -> None:
    found = understand(text)
    assert isinstance(found, Clarification) and found.intent == "bridge"
    assert found.missing == ["amount"]


def test_a_send_to_a_chain_is_asked_about_as_the_bridge_it_means() -> None:
    found = understand("send 12 dai to polygon")
    assert isinstance(found, Clarification) and found.intent == "bridge", found
    assert "bridge" in found.question


def test_a_question_label_is_not_part_of_the_prompt() -> None:
    found = understand("on-chain ai, question: why do gas fees spike?")
    assert isinstance(found, Intent) and found.args == {"prompt": "why do gas fees spike?"}


@pytest.mark.parametrize(
    "text",
    [
        "how do bridges work?",  # how it works: explained where to ask
        "what's the difference between eth and weth",
        "what does slippage mean",
        "the ui is a bit slow today",  # remarks
        "my last bridge took ages",
        "already claimed my rewards this morning",  # a move told as done
    ],
)
def test_remarks_and_how_questions_get_a_reply(text: str) -> None:
    found = understand(text)
    assert isinstance(found, Reply) and found.kind == "smalltalk", found


@pytest.mark.parametrize(
    "text", ["stake usdc", "unstake my eth", "undo that last swap", "speed up the stuck tx"]
)
def test_what_rexos_cannot_do_is_declined_not_asked_about(text: str) -> None:
    found = understand(text)
    assert isinstance(found, Reply) and found.kind == "unsupported", found


@pytest.mark.parametrize(
    ("text", "explained"),
    [
        ("convert 20 usdc to euros", True),  # read as a swap, then declined
        ("swap 20 usdc to usd", True),
        ("swap 20 usdc into dollars", False),  # asked about the token already
        ("turn 3 dai into cash", False),
    ],
)
def test_a_cash_out_is_never_a_swap_to_a_made_up_token(text: str, explained: bool) -> None:
    found = understand(text)
    assert isinstance(found, Clarification), found
    assert ("fiat" in found.question) is explained


@pytest.mark.parametrize(
    "text",
    [
        "send 3 usdc to @carol, she posted her handle",
        "send 3 usdc to carol@example.com",
        "send 3 usdc to carol.sol",
        "send 3 usdc to carol on farcaster",
        "send 3 usdc to carol's telegram",
        "email carol 3 usdc",
    ],
)
def test_a_handle_an_email_or_another_name_system_is_never_a_wallet(text: str) -> None:
    found = understand(text)
    assert isinstance(found, Clarification) and found.missing == ["to"], found


def test_a_wallet_on_another_chain_or_a_wrap_is_not_sent_here() -> None:
    for text in ("send 50 usdc to carol's base wallet", "wrap 1 eth to carol"):
        assert not isinstance(understand(text), Intent), text
    sent = understand("send 3 usdc to carol.eth")
    assert isinstance(sent, Intent) and sent.args["to"] == "carol.eth"


def test_a_plan_keeps_the_same_contrast_rules() -> None:
    from rexos.orchestrator.understand import understand_steps

    plan = understand_steps("don't swap, bridge 40 usdc to base")
    assert isinstance(plan, list) and [i.intent for i in plan] == ["bridge"]
    assert isinstance(understand_steps("don't bridge, move 0.2 eth to scroll"), Clarification)


@pytest.mark.parametrize(
    "text",
    ["how much have i got staked?", "what amount of rex do i have in staking",
     "my staked tokens", "how many rex am i staking at the moment"],
)  # fmt: skip
def test_the_amount_staked_is_the_srex_balance(text: str) -> None:
    assert understand(text) == Intent("balance", {"token": "SREX"})


@pytest.mark.parametrize(
    ("text", "intent"),
    [("how much rex has been staked by all the users", "query"), ("my staking position", "points"),
     ("how many points did staking earn me", "points")],
)  # fmt: skip
def test_staking_questions_that_are_not_my_amount_staked(text: str, intent: str) -> None:
    found = understand(text)
    assert isinstance(found, Intent) and found.intent == intent


@pytest.mark.parametrize("text", ["whats my point total", "pts?", "my ai pts pls"])
def test_points_said_short_or_singular_are_the_points(text: str) -> None:
    assert understand(text) == Intent("points", {})
