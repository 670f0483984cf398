"""Posts matched to held tokens by the Ticker agent: which posts, which symbols, which words."""

from __future__ import annotations

import json

from rexos.news import NewsItem
from rexos.plugins.builtin.social import extractor, token_matches
from rexos.plugins.mentions import match_holdings
from rexos.social import SocialPost, parse_bluesky
from tests.unit.social.replay import FIXTURES


def posts(name: str) -> list[SocialPost]:
    return parse_bluesky(json.loads((FIXTURES / name).read_bytes()))


def test_posts_that_mention_held_tokens_are_kept_with_the_words() -> None:
    found = token_matches(posts("bluesky_search_crypto.json"), ["eth", "USDC", "REX", "ONE"])
    assert [(m.item.author, m.symbols) for m in found] == [
        ("chainwatcher.bsky.social", ("ETH", "USDC")),
        ("helpful-airdrops.bsky.social", ("ETH", "USDC")),
        ("rexfan.bsky.social", ("REX",)),
    ]
    first = found[0]
    assert [(m.symbol, m.text) for m in first.mentions] == [("ETH", "$ETH"), ("USDC", "$USDC")]
    assert all(first.item.text[m.start : m.end] == m.text for m in first.mentions)
    # "one more day, one more step": a common word is no mention without a $ or a cue
    assert "did:plc:dddddddddddddddddddddddd" not in [m.item.author for m in found]


def test_a_symbol_the_database_resolves_matches_its_holder() -> None:
    [found] = token_matches(posts("bluesky_search_crypto.json"), ["link", "WBTC"])
    assert found.item.author == "defi-daily.bsky.social"
    assert found.symbols == ("WBTC", "LINK")  # "Bitcoin" is read as WBTC, "LINK" as LINK
    assert [m.text for m in found.mentions] == ["Bitcoin", "LINK"]


def test_nothing_held_or_nothing_mentioned_matches_nothing() -> None:
    crypto = posts("bluesky_search_crypto.json")
    assert token_matches(crypto, []) == [] and token_matches(crypto, [" "]) == []
    assert token_matches(posts("bluesky_search_redistricting.json"), ["ETH", "BTC", "USDC"]) == []


def test_any_item_with_text_can_be_matched() -> None:
    item = NewsItem("Stablecoin supply hits a record", None, None, "USDC and DAI lead", "f", "F")
    [found] = match_holdings([item], {"DAI"}, extractor(), text=lambda i: f"{i.title} {i.summary}")
    assert found.item is item and found.symbols == ("DAI",)
