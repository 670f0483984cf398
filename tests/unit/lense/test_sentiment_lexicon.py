"""The lexicon baseline and the text normalisation both the baseline and the model read."""

from __future__ import annotations

from rexos.lense import lexicon_label, lexicon_score
from rexos.lense.sentiment_lexicon import LEXICON, PHRASES
from rexos.lense.sentiment_text import Recipe, words


def test_signs_follow_the_words() -> None:
    assert lexicon_label("ETH rallies to a new high") == "positive"
    assert lexicon_label("Exchange hacked, withdrawals frozen") == "negative"
    assert lexicon_label("Aave publishes quarterly report") == "neutral"
    assert lexicon_score("SOL gains while AVAX slips") == 0


def test_negation_flips_what_it_governs() -> None:
    assert lexicon_score("bullish on BTC") == LEXICON["bullish"] > 0
    assert lexicon_score("NOT bullish on BTC") == -LEXICON["bullish"]
    assert lexicon_score("not worried. bullish") == -LEXICON["worried"] + LEXICON["bullish"]


def test_phrases_replace_their_words() -> None:
    assert lexicon_score("short squeeze") == PHRASES["short_squeeze"] > 0
    assert lexicon_score("classic bull trap") == PHRASES["bull_trap"] < 0
    assert lexicon_score("bear trap confirmed") == PHRASES["bear_trap"] > 0
    assert lexicon_score("not a bull trap") == -PHRASES["bull_trap"]


def test_normalisation() -> None:
    assert words("DOGE +20% today 🐕🚀, $5 billion at 64k, down -3%") == [
        "doge", "<pct_up>", "today", "<emoji>", "rocket", "<usd>", "at", "<num>", "down",
        "<pct_down>",
    ]  # fmt: skip
    assert words("I don't see demand for $ARB. it's toast") == [
        "i", "don't", "not_see", "not_demand", "not_for", "arb", "it's", "toast",
    ]  # fmt: skip
    assert words("$ARB", Recipe(cashtags="mask")) == ["<tok>"]
    assert words("x" * 5000) == ["x" * 2000]
