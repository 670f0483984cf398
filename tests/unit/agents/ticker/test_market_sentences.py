"""Token mentions in sentences about markets and chains (issue 13, from the fourth blind
set's dev half): an inflected word is not a misspelt name, a capital ticker opening a
sentence about its market is the ticker, a chain a token moves between is the chain."""

from __future__ import annotations

import pytest

from rexos.agents.ticker import TickerDB, TickerExtractor


@pytest.fixture(scope="module")
def extractor() -> TickerExtractor:
    return TickerExtractor(TickerDB.default())


@pytest.mark.parametrize(
    ("text", "symbols"),
    [
        ("WBTC or cbBTC, which wrapper is safer?", ["WBTC", "cbBTC"]),  # "safer" is no SAFE
        ("bull market brain makes everyone a genius", []),  # "makes" is no "maker"
        ("buy chainlnk", ["LINK"]),  # a misspelling still is
        ("AMP and LPT both ripped today", ["AMP", "LPT"]),
        ("HIGH is down bad this week", ["HIGH"]),
        ("KITE just got listed and it's already volatile", ["KITE"]),
        ("TIME is money", []),
        ("ONE thing at a time", []),
        ("moved my usdc from zksync to starknet", ["USDC"]),
        ("bridging eth from blast to base", ["WETH"]),
        ("gala and ilv for the gaming bags", ["GALA", "ILV"]),
        ("the charity gala is on saturday", []),
        ("the sky is the limit", []),
        ("jupiter is visible tonight", []),
        ("render the video in 4k please", []),
        ("how much is virtual worth", ["VIRTUAL"]),
        ("how much is the TIME token worth", ["TIME"]),
        ("alpha leak: there is no alpha", []),
        ("got a better rate on uniswap than on sushi", []),  # places, not tokens
        ("routed through 1inch and saved a few bucks", []),
        ("the JUP airdrop on solana was huge", ["JUP"]),
        ("traded on dydx for years, never held DYDX though", ["DYDX"]),
        ("dyor on pendle", ["PENDLE"]),
        ("super excited, my link bag is finally up", ["LINK"]),
        ("idk abt u but i'm buying the dip w/ usdc", ["USDC"]),
        # a protocol named as the service, with nothing about its token around it
        ("sushiswap took a big fee from me", []),
        ("curve pools had a rough year", []),
        ("kraken froze my account", []),
        ("my aave is up 10%", ["AAVE"]),  # "my": the holding
        ("uniswap is pumping today", ["UNI"]),  # a market move: the token
        ("where is dydx trading at", ["DYDX"]),
        ("what's 1inch at", ["1INCH"]),
        ("buy some balancer", ["BAL"]),
        ("BAL pools are deep", ["BAL"]),  # the ticker in capitals
        # a layer two named by its name in lower case is the chain, unless its coin moves
        ("optimism is cheaper than mainnet for this", []),
        ("zksync has the lowest fees this week", []),
        ("arbitrum is pumping hard", ["ARB"]),
        ("how is ethereum doing today", ["WETH"]),  # ethereum's name asks about ETH
        # a ticker that is also a word, with its market moving
        ("doge is down 5% since lunch", ["DOGE"]),
        ("cake tanked overnight", ["CAKE"]),
        ("link up after work?", []),  # an idiom, no market
        ("sold half of my bonk", ["BONK"]),  # up to three fillers after the verb
        # a two-letter ticker in lower case, when something says it is a token
        ("rotate some arb into op", ["ARB", "OP"]),
        ("op here, first time posting", []),
    ],
)
def test_mentions(extractor: TickerExtractor, text: str, symbols: list[str]) -> None:
    assert [m.symbol for m in extractor.extract(text).mentions] == symbols
