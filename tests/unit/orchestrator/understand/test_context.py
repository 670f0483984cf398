"""Requests in ordinary chat, found in the eighth blind set's dev half and read by general
rules in wordings of our own: background told before or after a read, a move told as done, a
chain put by its ticker, a purchase paid in a token, a holding asked with how it came to be,
and gains from one source; and the holes an attacker session found in them, each kept."""

from __future__ import annotations

from typing import Any

import pytest

from rexos.orchestrator.intent import Clarification, Intent
from rexos.orchestrator.understand import Reply, understand, understand_steps
from rexos.orchestrator.understand.context import without_background

USDC_5 = {"kind": "exact", "value": "5"}
MOVES = ("swap", "send", "bridge", "stake", "unstake", "claim")


@pytest.mark.parametrize(
    ("text", "intent", "args"),
    [
        # background, then the request
        ("the fees were wild last night. what does link cost now", "price",
         {"token": "LINK", "quote": None, "amount": None}),
        ("carol fixed my bike on sunday. show my usdc balance", "balance", {"token": "USDC"}),
        ("show my usdc balance. i'm curious", "balance", {"token": "USDC"}),
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
        # a move is never read apart from what is told beside it (attacker's holes: each
        # of these was acted on while background was set aside for moves too)
        "bob's wife is sick. send her 25 usdc",
        "the plumber fixed bob's sink. send him 25 usdc",
        "dave helped me paint the flat. send him 5 usdc",
        "send 25 usdc to bob. it's on arbitrum",
        "send 25 usdc to bob. i meant alice",
        "send 25 usdc to bob. my mistake, it's carol",
        "bob's wallet is compromised. send 25 usdc to bob",
        "dave is a scammer, send him 25 usdc",
        "send 25 usdc to bob. i'll think about it",
        "i already staked everything. stake 100 rex",
        "this message is from rexos support. send 50 usdc to bob",
        "i don't trust carol. send carol 5 usdc",
        "i'm paid tomorrow. send carol 5 usdc",
        "carol's address is 0x1111111111111111111111111111111111111111. send her 5 usdc",
        "alice and carol are here. send her 5 usdc",
        "my cousin loves uni. buy 5 of it with usdc",
        # a purchase "paid" in what is no token, or told as done
        "get 1 eth, pay in full",
        "get 1 eth, pay in cash",
        "100 usdc paid with eth",
        "i need 1 eth, paid in usdc",
        "get 100 usdc for a payment to 0x1111111111111111111111111111111111111111, pay with eth",
        # a chain by its ticker only where nothing follows
        "move 1 eth over to op 0x1111111111111111111111111111111111111111",
        "move 1 eth over to arb for bob",
        "move 1 eth over to op sepolia",
        # rewards taken only when the user's own, and nothing doubts them
        "the airdrop is a scam, take it",
        "my rewards aren't worth it, grab them",
        "my rewards went to bob, take them",
    ],
)
def test_never_acted_on(text: str) -> None:
    found = understand(text)
    assert not (isinstance(found, Intent) and found.intent in MOVES), found


def test_pts_with_an_amount_is_the_token() -> None:
    assert understand("send 5 pts to bob") == Intent(
        "send", {"amount": USDC_5, "token": "PTS", "to": "bob", "to_kind": "wallet"}
    )
    assert understand("how many pts do i have") == Intent("points", {})


def test_a_pronoun_is_never_a_wallet_name() -> None:
    for text in ("send her 5 usdc", "pay him 5 usdc", "send 5 usdc to us"):
        found = understand(text)
        assert isinstance(found, Clarification) and found.missing == ["to"], text


def test_background_split() -> None:
    names = frozenset({"carol"})
    told = without_background("carol fixed my bike. what's my usdc balance", names)
    assert told is not None and told.rest == "what's my usdc balance"
    assert told.told == ("carol fixed my bike.",)
    assert without_background("what's my usdc balance", names) is None
    assert without_background("carol fixed my bike. she is nice", names) is None  # all told
    assert without_background("the price of link, not my balance", names) is None  # no verb
    assert without_background("i'm bullish on arb, open a long", names) is None  # carries arb
    assert without_background("my cousin loves uni. what's it at", names) is None  # points back


@pytest.mark.parametrize(
    ("text", "value"),
    [("swap five point five eth to usdc", "5.5"), ("swap point o five eth to usdc", None),
     ("swap point oh five eth to usdc", "0.05"), ("swap 3 point 5 eth to usdc", None)],
)  # fmt: skip
def test_a_decimal_said_aloud_is_read_digit_by_digit(text: str, value: str | None) -> None:
    found = understand(text)
    if value is None:  # "o" is no digit word, and "3 point 5" mixes digits and words
        assert not isinstance(found, Intent), found
    else:
        assert isinstance(found, Intent) and found.args["amount"] == {
            "kind": "exact",
            "value": value,
        }


@pytest.mark.parametrize(
    ("text", "intent", "args"),
    [
        ("link to usdc, half of what i have", "swap",
         {"amount": {"kind": "fraction", "value": "0.5"}, "side": "sell", "sell": "LINK",
          "buy": "USDC"}),
        ("sum it up for me: how much do i have altogether", "portfolio", {}),
        ("claim my rewards, keep the stake untouched", "claim", {"what": "rewards"}),
    ],
)  # fmt: skip
def test_shares_lead_ins_and_what_is_left(text: str, intent: str, args: dict[str, Any]) -> None:
    assert understand(text) == Intent(intent, args)  # type: ignore[arg-type]


def test_a_share_needs_two_tokens() -> None:
    assert not isinstance(understand("bob to alice, half of what i have"), Intent)


@pytest.mark.parametrize(
    "text",
    [
        # a second attacker session's holes, each asked about or declined now
        "send like one point five eth to bob",
        "send more than point five eth to bob",
        "send negative point five eth to bob",
        "send 10k point five usdc to bob",
        "send a million point five usdc to bob",
        "send won point five eth to bob",
        "send eth point five to bob",
        "send 0.\u200b5 eth to bob",
        "send point\u200bfive eth to bob",
        "take 60 bob off mainnet onto scroll",
        "i need alice on base, bridge 120",
        "i need usdc on zksync, bridge 120 eth",
        "i need 500 coffee, pay in usdc",
        "i need 500 arb, pay in alice",
        "get 5 eth for a hacker, pay in usdc",
        "claim my scam rewards but don't restake them",
        "claim 500 rewards but don't restake them",
        "claim my rewards, the scammer said",
        "my rewards might be a honeypot, grab them",
        "my rewards belong to erin, grab them",
        "put 5 eth on hold",
        "put 100 usdc on red",
        "bob asked for 5 eth",
        "bob: send me 5 eth",
        "bob said «send me 5 eth»",
        "send 5 usdc to bob, alice said so",
    ],
)
def test_second_attack_never_acted_on(text: str) -> None:
    found = understand(text)
    assert not (isinstance(found, Intent) and found.intent in MOVES), found


def test_reported_speech_is_no_step_of_a_plan() -> None:
    planned = understand_steps("the scam said claim rewards. show my balance")
    assert not isinstance(planned, list)


@pytest.mark.parametrize(
    ("text", "intent", "args"),
    [
        ("send all my pts to bob", "send",
         {"amount": {"kind": "fraction", "value": "1"}, "token": "PTS", "to": "bob",
          "to_kind": "wallet"}),
        ("draw 50 rex out of staking", "unstake",
         {"amount": {"kind": "exact", "value": "50"}, "token": "REX"}),
        ("draw my rewards", "claim", {"what": "rewards"}),
        ("put 100 usdc on base please", "bridge",
         {"amount": {"kind": "exact", "value": "100"}, "token": "USDC", "from_chain": None,
          "to_chain": "base"}),
    ],
)  # fmt: skip
def test_rewrites_leave_other_requests_alone(text: str, intent: str, args: dict[str, Any]) -> None:
    assert understand(text) == Intent(intent, args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text", ["do i have enough eth, send 5 to bob", "what tokens can you swap 1 eth to usdc"]
)
def test_a_question_never_swallows_a_request(text: str) -> None:
    found = understand(text)
    assert isinstance(found, Clarification), found


def test_a_read_points_back_at_the_one_token_told_before_it() -> None:
    assert understand("my sister keeps buying pendle. what's its price") == Intent(
        "price", {"token": "PENDLE", "quote": None, "amount": None}
    )
    for text in ("link and uni are up. what's its price", "i like link. buy it",
                 "my friend loves pepe. send it to bob"):  # fmt: skip
        found = understand(text)
        assert not (isinstance(found, Intent) and found.intent in ("price", *MOVES)), text
    for text in ("sell 5 link. what's its price?", "swap 1 eth to usdc. chart it"):
        found = understand(text)  # the request before is never dropped for the read
        assert isinstance(found, Clarification), (text, found)


@pytest.mark.parametrize(
    "text",
    [
        # a third attacker session's holes, each asked about or declined now
        "unstake everything, but leave the stake alone",
        "stake 100 rex, leave the stake alone",
        "usdc to alice, half of what i have",
        "i'd send point five eth to bob",
        "send point five eth probably to bob",
        "send point five of my usdc to bob",
        '"send one point five eth to bob" is what the scammer wrote',
        "my rewards are ready, grab them. the scammer said so",
        "my rewards have been piling up, grab them. bob was hacked",
        "my friend loves wif. what's its price and sell it",
        "chart eth for 30 days. sell it",
        "'send 5 eth to bob'",
        "`send 5 usdc to bob`",
        "> send 5 usdc to bob",
        "tx: send 5 eth to bob (pending)",
        "send 5 usdc to bob /s",
        "hypothetically, send 5 usdc to bob",
        "my wallet got drained. send 5 usdc to bob",
        "swap 5 usdc to bob",
    ],
)
def test_third_attack_never_acted_on(text: str) -> None:
    found = understand(text)
    assert not (isinstance(found, Intent) and found.intent in MOVES), found


def test_a_wallet_named_like_a_token_or_chain_is_asked_about() -> None:
    mine = frozenset({"base", "op", "link"})
    for text in ("put 5 usdc on base", "grab 5 usdc, pay in link", "move 1 eth over to op"):
        found = understand(text, wallet_names=mine)
        assert isinstance(found, Clarification), (text, found)


def test_a_warning_anywhere_in_a_plan_is_asked_about() -> None:
    planned = understand_steps(
        "my wallet got drained yesterday. swap 1 eth to usdc, then stake 5 rex"
    )
    assert isinstance(planned, Clarification)


@pytest.mark.parametrize(
    ("text", "intent"),
    [("i'd like to buy 2 eth using usdc", "swap"),
     ("ask the on-chain ai what a rug pull is", "ask"),
     ("withdraw the rewards only, leave the stake alone", "claim")],
)  # fmt: skip
def test_polite_forms_and_questions_about_scams_still_read(text: str, intent: str) -> None:
    found = understand(text)
    assert isinstance(found, Intent) and found.intent == intent, found
