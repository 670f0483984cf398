"""Requests in ordinary chat, found in the eighth blind set's dev half and read by general
rules in wordings of our own: background told before or after the request, a him/her that
points back to the one wallet named, a move told as done, a chain put by its ticker, a
purchase paid in a token, a holding asked with how it came to be, and gains from one source."""

from __future__ import annotations

from typing import Any

import pytest

from rexos.orchestrator.intent import Clarification, Intent
from rexos.orchestrator.understand import Reply, understand
from rexos.orchestrator.understand.context import pointed_wallet, without_background

USDC_5 = {"kind": "exact", "value": "5"}


@pytest.mark.parametrize(
    ("text", "intent", "args"),
    [
        # background, then the request
        ("the fees were wild last night. what does link cost now", "price",
         {"token": "LINK", "quote": None, "amount": None}),
        ("carol fixed my bike on sunday. pay carol 5 usdc", "send",
         {"amount": USDC_5, "token": "USDC", "to": "carol", "to_kind": "wallet"}),
        ("my cousin keeps talking about curve. buy 5 crv with usdc", "swap",
         {"amount": USDC_5, "sell": "USDC", "buy": "CRV", "side": "buy"}),
        ("show my usdc balance. i'm curious", "balance", {"token": "USDC"}),
        # him/her points back to the one wallet the background names
        ("dave helped me paint the flat. send him 5 usdc", "send",
         {"amount": USDC_5, "token": "USDC", "to": "dave", "to_kind": "wallet"}),
        # a chain put by its ticker, where only a place can follow
        ("shift 5 usdc over to op", "bridge",
         {"amount": USDC_5, "token": "USDC", "from_chain": None, "to_chain": "optimism"}),
        ("put 5 usdc on arb", "bridge",
         {"amount": USDC_5, "token": "USDC", "from_chain": None, "to_chain": "arbitrum"}),
        ("put 5 usdc on linea", "bridge",
         {"amount": USDC_5, "token": "USDC", "from_chain": None, "to_chain": "linea"}),
        # a purchase and what pays for it
        ("grab 5 uni, pay in usdc", "swap",
         {"amount": USDC_5, "sell": "USDC", "buy": "UNI", "side": "buy"}),
        ("i need exactly 5 aave for a vote, pay with dai", "swap",
         {"amount": USDC_5, "sell": "DAI", "buy": "AAVE", "side": "buy"}),
        # rewards named, then taken
        ("my airdrop finally unlocked, collect it", "claim", {"what": "airdrop"}),
        # a holding asked with how it came to be
        ("do i still have uni or did i swap it", "balance", {"token": "UNI"}),
        ("how much link did i end up with after selling", "balance", {"token": "LINK"}),
        ("list my tokens", "balance", {"token": None}),
        # the amount staked, and a valued total
        ("how much do i have in usd", "portfolio", {}),
    ],
)  # fmt: skip
def test_read(text: str, intent: str, args: dict[str, Any]) -> None:
    assert understand(text) == Intent(intent, args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "i claimed the rewards on the website already",
        "i've swapped my eth for usdc already",
        "what happens if i bridge to the wrong chain?",
        "what would happen if i staked all my rex",
    ],
)
def test_told_or_hypothetical_is_no_action(text: str) -> None:
    assert isinstance(understand(text), Reply)


@pytest.mark.parametrize(
    ("text", "intent"),
    [("how much did i make from staking", "query"),
     ("what did i lose on those meme trades", "query"),
     ("how did i do this month", "performance")],
)  # fmt: skip
def test_a_gain_from_one_source_is_history(text: str, intent: str) -> None:
    found = understand(text)
    assert isinstance(found, Intent) and found.intent == intent


@pytest.mark.parametrize(
    "text",
    [
        # background that negates, delays, conditions or reports is never set aside
        "i don't trust carol. send carol 5 usdc",
        "i'm paid tomorrow. send carol 5 usdc",
        "carol said it's fine. send carol 5 usdc tomorrow",
        # a value told in the background is never left behind
        "carol's address is 0x1111111111111111111111111111111111111111. send her 5 usdc",
        "carol's new name is carol.eth. send her 5 usdc",
        # two wallets named: "her" is asked about, never guessed
        "alice and carol are here. send her 5 usdc",
        # a pronoun that needs the background ("it") is not read without it
        "my cousin loves uni. buy 5 of it with usdc",
    ],
)
def test_background_that_matters_is_not_set_aside(text: str) -> None:
    found = understand(text)
    assert isinstance(found, Clarification) and found.intent in ("send", "swap"), found


def test_a_pronoun_is_never_a_wallet_name() -> None:
    for text in ("send her 5 usdc", "pay him 5 usdc", "send 5 usdc to us"):
        found = understand(text)
        assert isinstance(found, Clarification) and found.missing == ["to"], text


def test_background_split() -> None:
    names = frozenset({"carol"})
    told = without_background("carol fixed my bike. send her 5 usdc", names)
    assert told is not None and told.rest == "send her 5 usdc"
    assert told.told == ("carol fixed my bike.",)
    assert pointed_wallet(told, names) == "carol"
    assert without_background("send 5 usdc to carol", names) is None
    assert without_background("carol fixed my bike. she is nice", names) is None  # all told
