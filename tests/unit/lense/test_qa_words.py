"""Typos of the rules' words are read as those words; ordinary words and symbols are kept."""

from __future__ import annotations

import pytest

from rexos.lense.qa_words import clean


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("is my portfollio up", "is my portfolio up"),
        ("pirce of staked rex", "price of staked rex"),
        ("wat is my net worht", "wat is my net worth"),
        ("netwroth?", "net worth?"),
        ("how much wrapped eth do i hold", "how much weth do i hold"),
        ("sentimnet on rex", "sentiment on rex"),
    ],
)
def test_typos_of_known_words_are_fixed(said: str, read: str) -> None:
    assert clean(said) == read


@pytest.mark.parametrize(
    "kept",
    ["which coin did worst this week", "how much can the spender take", "which networks",
     "show my share of usdc"],
)  # fmt: skip
def test_ordinary_words_are_kept(kept: str) -> None:
    assert clean(kept) == kept


def test_held_symbols_are_never_corrected() -> None:
    assert clean("price of stakr", frozenset({"stakr"})) == "price of stakr"
    assert clean("price of stakr") == "price of stake"
