"""The extractor's contract: JSON shape, offsets, never-invented addresses, ties, typos."""

from __future__ import annotations

import pytest

from rexos.agents.ticker import TickerDB, TickerExtractor, TokenInfo, extract_mentions
from rexos.agents.ticker.fuzzy import closest, typo_distance
from rexos.types import Address
from tests.unit.agents.ticker._support import fake_address

MENTION_KEYS = [
    "text", "start", "end", "symbol", "chain_id", "address", "decimals", "confidence", "candidates"
]  # fmt: skip


@pytest.fixture(scope="module")
def snapshot() -> TickerExtractor:
    return TickerExtractor(TickerDB.default())


def test_json_matches_the_issue(snapshot: TickerExtractor) -> None:
    text = "swap 1 ETH for $USDC"
    data = snapshot.extract(text).to_json()
    assert list(data) == ["mentions"]
    mentions = data["mentions"]
    assert isinstance(mentions, list) and len(mentions) == 2
    first = mentions[0]
    assert list(first) == MENTION_KEYS
    assert text[first["start"] : first["end"]] == first["text"] == "ETH"
    assert (first["symbol"], first["chain_id"], first["decimals"]) == ("WETH", 1, 18)
    assert 0 < first["confidence"] <= 1
    candidate = first["candidates"][0]
    assert list(candidate) == ["symbol", "name", "chain_id", "address", "decimals", "reason"]
    assert candidate["address"] == first["address"]
    assert "same chain" in candidate["reason"] and "listed on" in candidate["reason"]


def test_unknown_address_is_reported_never_filled_in(snapshot: TickerExtractor) -> None:
    (m,) = snapshot.extract("pay 0x000000000000000000000000000000000000dead").mentions
    assert m.symbol is None and m.chain_id is None and m.decimals is None
    assert m.address == "0x000000000000000000000000000000000000dEaD"
    assert 0 < m.confidence < 0.5


def test_bad_checksum_is_not_resolved(snapshot: TickerExtractor) -> None:
    (m,) = snapshot.extract("0xa0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48").mentions
    assert m.address is None and m.confidence == 0.0
    assert m.candidates and "checksum" in m.candidates[0].reason


def test_wrong_length_hex_is_ignored(snapshot: TickerExtractor) -> None:
    assert snapshot.extract("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB4").mentions == ()


@pytest.mark.parametrize("text", ["ONE more time", "it is ON me", "GAS is cheap", "AT BY OR AND"])
def test_common_words_are_not_tokens(snapshot: TickerExtractor, text: str) -> None:
    assert snapshot.extract(text).mentions == ()


def test_a_cue_makes_a_common_word_a_token_at_lower_confidence(snapshot: TickerExtractor) -> None:
    (cued,) = snapshot.extract("buy ONE").mentions
    (tagged,) = snapshot.extract("buy $ONE").mentions
    assert cued.symbol == tagged.symbol == "ONE"
    assert cued.confidence < tagged.confidence


def test_a_tie_on_the_preferred_chain_is_a_question() -> None:
    tokens = [TokenInfo(1, Address(fake_address(1, n)), "TWIN", f"Twin {n}", 18) for n in (1, 2)]
    (m,) = TickerExtractor(TickerDB(tokens)).extract("buy TWIN").mentions
    assert m.symbol == "TWIN" and m.address is None and m.chain_id is None
    assert {c.token.address for c in m.candidates} == {t.address for t in tokens}


def test_text_chain_beats_the_preferred_chain(snapshot: TickerExtractor) -> None:
    (m,) = snapshot.extract("USDC on arbitrum", chain_id=10).mentions
    assert m.chain_id == 42161
    (m,) = snapshot.extract("USDC", chain_id=10).mentions
    assert m.chain_id == 10


def test_devnet_tokens_rank_first() -> None:
    devnet = [(31337, "USDC", fake_address(31337, 1), 6, "USD Coin (dev)")]
    (m,) = extract_mentions("USDC", TickerDB.default(devnet)).mentions
    assert (m.chain_id, m.address, m.decimals) == (31337, fake_address(31337, 1), 6)
    assert m.candidates[0].reason.startswith("devnet token; same chain")


def test_max_candidates() -> None:
    extractor = TickerExtractor(TickerDB.default(), max_candidates=2)
    (m,) = extractor.extract("WETH").mentions
    assert len(m.candidates) == 2


def test_typo_distance() -> None:
    assert typo_distance("chainlink", "chainlnik", 2) == 1
    assert typo_distance("usdc", "usdt", 1) == 1
    assert typo_distance("abcdef", "ghijkl", 2) == 3
    assert closest("uniswp", ["uniswap", "sushiswap"]) == (["uniswap"], 1)
    assert closest("abc", ["abd"]) == ([], 1)


@pytest.mark.parametrize(
    ("text", "symbols"),
    [
        ("one of my friends holds ONE", ["ONE"]),  # a ticker-word shouted mid-sentence
        ("take your time with TIME", ["TIME"]),
        ("swap into PROMPT on base", ["PROMPT"]),  # "into" right after a verb
        ("gold is shiny, buy paxg", ["PAXG"]),  # a little-listed symbol in lower case, cued
        ("masks off, who's buying AMP", ["AMP"]),  # "buying" is a cue as "buy" is
        ("how much is sandbox", ["SAND"]),  # "The Sandbox" without its article
        ("what about arbitrum's ARB token", ["ARB"]),  # the possessive names the chain
        ("optimism vs arbitrum, which chain has more tvl", []),  # chains, not their coins
        ("i'm high on hopium", []),  # the "m" of "i'm" is not "million"
        ("i'm at uni so can't check", []),
        ("send 2 uni to alice", ["UNI"]),
        ("SUPER QUICK: SEND IT", []),  # all capitals: nothing is singled out
    ],
)
def test_word_tickers_read_from_their_sentence(
    snapshot: TickerExtractor, text: str, symbols: list[str]
) -> None:
    found = [m.symbol for m in snapshot.extract(text).mentions]
    assert found == symbols
