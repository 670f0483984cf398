"""Phrasings found in the sixth blind set's dev half, each read by a general rule (not by its
example), in wordings of our own: statements about moving funds that ask for nothing get a
reply and move nothing; shares, chart periods, bare price pairs, holdings questions and a
person of the user's as a recipient are read or asked about."""

from __future__ import annotations

from typing import Any

import pytest

from rexos.orchestrator.intent import Clarification, Intent
from rexos.orchestrator.understand import Reply, understand


@pytest.mark.parametrize(
    "text",
    [
        "lol i'm not swapping my eth for that rug",  # the user's own refusal
        "don't send anything to bob",
        "i won't stake my rex this month",
        "send 20 usdc to carol... jk",  # taken back
        "my brother told me to swap all my eth for pepe",  # someone else's instruction
        "the guy in the group chat said 'send me 1 eth first'",
        "last week i bridged 300 usdc to base",  # told as done
        "i used to stake rex back when it launched",
    ],
)
def test_a_statement_about_moving_funds_gets_a_reply_and_moves_nothing(text: str) -> None:
    found = understand(text)
    assert isinstance(found, Reply) and found.kind == "smalltalk", found
    assert "nothing is done" in found.text


def test_a_side_condition_is_still_asked_about_not_dismissed() -> None:
    found = understand("bridge 1 eth to base but not if the fee is over 5 dollars")
    assert isinstance(found, Clarification) and found.intent == "bridge"


def test_a_question_about_a_past_move_is_a_history_question() -> None:
    found = understand("has my bridge to optimism landed yet")
    assert isinstance(found, Intent) and found.intent == "query"


def _amount(value: str, kind: str = "exact") -> dict[str, str]:
    return {"kind": kind, "value": value}


READ: list[tuple[str, str, dict[str, Any]]] = [
    ("sell three quarters of my pepe for usdc", "swap",
     {"amount": _amount("0.75", "fraction"), "side": "sell", "sell": "PEPE", "buy": "USDC"}),
    ("12 month chart of aave", "chart", {"subject": "AAVE", "days": 360}),
    ("a 2 week chart for uni", "chart", {"subject": "UNI", "days": 14}),
    ("sol in usdt?", "price", {"token": "SOL", "quote": "USDT", "amount": None}),
    ("10 link in eth", "price", {"token": "LINK", "quote": "ETH", "amount": _amount("10")}),
    ("what's btc going for right now", "price", {"token": "BTC", "quote": None, "amount": None}),
    ("whats the price of uni", "price", {"token": "UNI", "quote": None, "amount": None}),
    ("how much dai am i holding", "balance", {"token": "DAI"}),
    ("how many arb i got", "balance", {"token": "ARB"}),
    ("pls shift 40 usdc over to optimism", "bridge",
     {"amount": _amount("40"), "token": "USDC", "from_chain": None, "to_chain": "optimism"}),
    ("get 2 eth onto base from arbitrum", "bridge",
     {"amount": _amount("2"), "token": "ETH", "from_chain": "arbitrum", "to_chain": "base"}),
    # an amount said after the token, "N of it"
    ("unstake my srex, 40 of it", "unstake", {"amount": _amount("40"), "token": "SREX"}),
    ("my usdc, half of it, swap it to dai", "swap",
     {"amount": _amount("0.5", "fraction"), "side": "sell", "sell": "USDC", "buy": "DAI"}),
    ("send carol the dai i have, all of it", "send",
     {"amount": _amount("1", "fraction"), "token": "DAI", "to": "carol", "to_kind": "wallet"}),
    # the whole portfolio's worth
    ("how much do i have in total", "portfolio", {}),
    # a named period after a chart's subject; a quote in a currency people price in
    ("chart for uni this week", "chart", {"subject": "UNI", "days": 7}),
    ("candles on sol today", "chart", {"subject": "SOL", "days": 1}),
    ("tell me the price of btc in ngn", "price", {"token": "BTC", "quote": "NGN", "amount": None}),
    # a question handed to the on-chain AI with a send verb is a question, not a send
    ("pass this question to the on-chain ai: list five rivers", "ask",
     {"prompt": "list five rivers"}),
    ("submit my prompt to dprompt: send 5 eth to bob means what?", "ask",
     {"prompt": "send 5 eth to bob means what?"}),
    ("what's my total value", "portfolio", {}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "args"), READ)
def test_the_phrasing_is_read(text: str, intent: str, args: dict[str, Any]) -> None:
    found = understand(text)
    assert isinstance(found, Intent), found
    assert (found.intent, {k: found.args.get(k) for k in args}) == (intent, args)


def test_a_bare_pair_with_a_chain_is_no_price() -> None:
    found = understand("usdc in base")
    assert not (isinstance(found, Intent) and found.intent == "price")


@pytest.mark.parametrize("text", ["pay my plumber 120 usdc", "send my sister 0.1 eth"])
def test_a_person_of_the_users_is_asked_for_an_account(text: str) -> None:
    found = understand(text)
    assert isinstance(found, Clarification) and found.intent == "send"
    assert found.missing == ["to"]


@pytest.mark.parametrize("text", ["swap two thirds eth for dai", "sell a half eth"])
def test_a_loose_share_of_one_token_is_asked_about(text: str) -> None:
    found = understand(text)
    assert not isinstance(found, Intent), found


@pytest.mark.parametrize("text", ["swap something for usdc", "i want to sell anything"])
def test_something_is_no_token(text: str) -> None:
    found = understand(text)
    assert isinstance(found, Clarification) and "SOMETHING" not in found.question
    assert "ANYTHING" not in found.question
