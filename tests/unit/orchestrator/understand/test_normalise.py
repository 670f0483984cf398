"""Normalisation strips the wrapping of everyday phrasing and changes no value."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rexos.orchestrator.understand.normalise import normalise, number_words


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("please swap 1.5 ETH to USDC", "swap 1.5 ETH to USDC"),
        (
            "hey so I was wondering if you could swap 40 link into eth for me",
            "swap 40 link into eth",
        ),
        ("can u swap 0.05 eth 2 usdc", "swap 0.05 eth to usdc"),
        ("swap 1.5eth→usdc", "swap 1.5 eth to usdc"),
        ("pls send 0.25 weth → dave", "send 0.25 weth to dave"),
        ("trade two hundred dai for usdc", "trade 200 dai for usdc"),
        ("swap one ETH to USDC", "swap 1 ETH to USDC"),
        ("swpa 100 usdc to eth", "swap 100 usdc to eth"),
        ("send erin 0.3 eth for dinner 🍕", "send erin 0.3 eth for dinner"),
        ("Could you kindly send 12 USDC to alice", "send 12 USDC to alice"),
        ("eth=>dai", "eth to dai"),
    ],
)
def test_everyday_phrasing_becomes_the_plain_command(text: str, plain: str) -> None:
    assert normalise(text) == plain


@pytest.mark.parametrize(
    "text", ["which one is cheaper", "swap 2.5k usdc to eth", "10x long eth", "about 5 eth"]
)
def test_what_is_not_wrapping_stays(text: str) -> None:
    assert normalise(text) == text


def test_number_words() -> None:
    assert number_words("two hundred and fifty dai") == "250 dai"
    assert number_words("twenty-five usdc") == "25 usdc"
    assert number_words("one million usdc") == "1000000 usdc"
    assert number_words("1.5 million usdc") == "1.5 million usdc"  # the amount reader's
    assert number_words("no one knows") == "no one knows"


_ADDRESS = st.from_regex(r"0x[0-9a-fA-F]{40}", fullmatch=True)
_NUMBER = st.from_regex(r"[1-9][0-9]{0,6}(\.[0-9]{1,6})?", fullmatch=True)
_WORDS = st.sampled_from(
    ["please", "swap", "send", "to", "for", "my", "hey", "can you", "ETH", "usdc", "→", "->",
     "thanks", "now", "all", "half", "bob", "the", "🍕", "2", "and"]
)  # fmt: skip


@given(st.lists(st.one_of(_WORDS, _NUMBER, _ADDRESS), min_size=1, max_size=12))
def test_every_address_and_number_survives_in_order(parts: list[str]) -> None:
    """Normalisation removes words; it never drops, alters or reorders an address or a number
    with digits (a lone ``2`` may become ``to`` between two tokens)."""
    text = " ".join(parts)
    out = normalise(text)
    values = [p for p in parts if re.fullmatch(r"0x[0-9a-fA-F]{40}|[0-9]+\.[0-9]+|[0-9]{2,}", p)]
    found = re.findall(r"0x[0-9a-fA-F]{40}|[0-9]+(?:\.[0-9]+)?", out)
    kept = [v for v in found if re.fullmatch(r"0x[0-9a-fA-F]{40}|[0-9]+\.[0-9]+|[0-9]{2,}", v)]
    assert kept == values
