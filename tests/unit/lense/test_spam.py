"""The spam rules on their own: each rule's text, what fires it, and the weighted score."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rexos.lense.model import NATIVE
from rexos.lense.spam import (
    RULES,
    SPAM_SCORE,
    WELL_KNOWN_SYMBOLS,
    KnownTokens,
    TokenFacts,
    score_token,
    skeleton,
)

USDC, WETH, OTHER = "0x" + "11" * 20, "0x" + "22" * 20, "0x" + "33" * 20
KNOWN = KnownTokens.of(
    [(NATIVE, "ETH", "Ether"), (USDC, "USDC", "USD Coin"), (WETH, "WETH", "Wrapped Ether")]
)


def rules(
    symbol: str, name: str = "Some Token", token: str = OTHER, **facts: object
) -> tuple[str, ...]:
    return score_token(TokenFacts(token, symbol, name, **facts), KNOWN).rules  # type: ignore[arg-type]


def test_every_rule_states_its_text_and_weight() -> None:
    assert [r.id for r in RULES] == [
        "no-liquidity",
        "homoglyph",
        "unsolicited-airdrop",
        "lure-text",
        "bad-metadata",
    ]
    for rule in RULES:
        assert rule.text.endswith(".") and len(rule.text) > 40 and "  " not in rule.text
        assert rule.weight in (1, 2)


@pytest.mark.parametrize(
    "symbol",
    [
        "USDС",  # Cyrillic Es
        "ՍSDC",  # Armenian Vo
        "ＵＳＤＣ",  # fullwidth
        "U\u200bSDC",  # zero-width space
        "WΕΤΗ",  # Greek Epsilon, Tau, Eta
        "ЕТН",  # Cyrillic: imitates the native coin
        "usdc",
        "USDC",  # the real symbol at another address
        "ETH",  # an ERC-20 calling itself the native coin
        "WBTC",  # well known everywhere, not on this chain
    ],
)
def test_look_alikes_fire_homoglyph(symbol: str) -> None:
    if symbol == "WBTC":
        assert rules("ＷＢＴＣ") == ("homoglyph",)
        assert rules(symbol) == ()  # its address is unknown here: the exact symbol passes
    else:
        assert rules(symbol) == ("homoglyph",)


def test_the_real_tokens_and_plain_names_pass() -> None:
    assert rules("USDC", "USD Coin", token=USDC) == ()
    assert rules("WETH", "Wrapped Ether", token=WETH) == ()
    assert rules("PLN", "Plain Token") == ()
    assert rules("USDCX", "USDC Extra") == ()


def test_a_name_copying_a_known_tokens_name_fires() -> None:
    assert rules("FOO", "USD Coin") == ("homoglyph",)
    assert rules("FOO", "Wrapped Εther") == ("homoglyph",)


@pytest.mark.parametrize(
    "name",
    [
        "Visit usdc-bonus.com",
        "https://x.y",
        "www.free-eth",
        "Claim your airdrop",
        "t.me/scamgroup",
        "REDEEM at site",
        "Voucher",
    ],
)
def test_lure_text_fires(name: str) -> None:
    assert rules("FOO", name) == ("lure-text",)


def test_words_inside_other_words_are_no_lure() -> None:
    assert rules("FOO", "Claimable Reward Token") == ()
    assert rules("FOO", "Revisited Finance") == ()


def test_weights_decide_spam() -> None:
    alone = score_token(TokenFacts(OTHER, "PLN", "Plain", liquid=False), KNOWN)
    assert alone.rules == ("no-liquidity",) and not alone.spam
    dropped = score_token(TokenFacts(OTHER, "PLN", "Plain", airdropped=True), KNOWN)
    assert dropped.rules == ("unsolicited-airdrop",) and not dropped.spam
    both = score_token(TokenFacts(OTHER, "PLN", "Plain", liquid=False, airdropped=True), KNOWN)
    assert both.spam and both.rules == ("no-liquidity", "unsolicited-airdrop")
    broken = score_token(TokenFacts(OTHER, "?", "?", problems=("symbol() unreadable",)), KNOWN)
    assert broken.spam and broken.rules == ("bad-metadata",)
    assert SPAM_SCORE == 2


def test_unknown_facts_fire_nothing() -> None:
    assert rules("PLN", "Plain", liquid=None, airdropped=None) == ()
    assert rules("PLN", "Plain", liquid=True, airdropped=False) == ()


_LOOKALIKE = {"A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О"}
_LOOKALIKE |= {"P": "Р", "T": "Т", "X": "Х", "Y": "У"}


@given(
    st.text(alphabet=sorted(_LOOKALIKE), min_size=2, max_size=8),
    st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_any_cyrillic_disguise_of_a_known_symbol_fires(symbol: str, swap: list[bool]) -> None:
    disguised = "".join(_LOOKALIKE[c] if s else c for c, s in zip(symbol, swap, strict=False))
    known = KnownTokens.of([(USDC, symbol, "Real")])
    verdict = score_token(TokenFacts(OTHER, disguised, "Copy"), known)
    assert skeleton(disguised) == skeleton(symbol)
    assert "homoglyph" in verdict.rules
    real = score_token(TokenFacts(USDC, symbol, "Real"), known)
    assert "homoglyph" not in real.rules


def test_well_known_symbols_are_upper_case_ascii() -> None:
    assert all(s.isascii() and s == s.upper() for s in WELL_KNOWN_SYMBOLS)
