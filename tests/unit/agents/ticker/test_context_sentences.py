"""Token mentions that depend on the words around them (issue 13, from the dev halves of the
second to sixth blind sets, each rule tested in our own wording): widely traded tickers a
token list lists on one chain, corrections and contrasts, capital tickers side by side,
whole project names, ordinary phrases holding a ticker-shaped word, and a project named as
an owner or a place beside its own ticker."""

from __future__ import annotations

import pytest

from rexos.agents.ticker import TickerDB, TickerExtractor
from rexos.agents.ticker.database import WIDELY_TRADED


@pytest.fixture(scope="module")
def extractor() -> TickerExtractor:
    return TickerExtractor(TickerDB.default())


@pytest.mark.parametrize(
    ("text", "symbols"),
    [
        # widely traded, listed on one chain only: the ticker in lower case still counts
        ("thinking about adding some xrp", ["XRP"]),
        ("is xrp still a thing", ["XRP"]),
        ("dogwifhat holders are having a week, wif to the moon", ["WIF", "WIF"]),
        # a past trading verb cues its token; a common word said as a verb is no ticker
        ("my rewards grew after i traded some link", ["LINK"]),
        ("we compare prices every morning", []),
        ("they watch prices all day", []),
        # a chain in a sentence about its blocks or mempool is the chain
        ("arbitrum blocks are slow this morning", []),
        # corrections and contrasts join a word-ticker to the mention before it
        ("buy some uni, no wait, comp", ["UNI", "COMP"]),
        ("show me the graph for eth", ["WETH"]),
        ("i said LDO not OP", ["LDO", "OP"]),
        ("bought aave, i meant link", ["AAVE", "LINK"]),
        # two capital tickers side by side; alone, two capitals are not a ticker
        ("OP outperforming ARB again", ["OP", "ARB"]),
        ("SKY took over from MKR last year", ["SKY", "MKR"]),
        ("OP is right about this one", []),
        ("OP said PEPE would pump", ["PEPE"]),  # the original poster again
        # a project's whole name, ordinary words and all
        ("band protocol feeds prices to a few chains", ["BAND"]),
        ("people keep sleeping on ocean protocol", ["OCEAN"]),
        ("usd coin is the one i trust", ["USDC"]),
        ("the graph of my balance looks odd", []),
        # phrases that hold a ticker-shaped word
        ("i'm in it for the long term", []),
        ("meme coins are pure gambling", []),
        ("my ens name runs out next month", []),
        ("the ENS token dropped", ["ENS"]),
        ("my tesla is in the garage", []),
        ("the usual gas fees today", []),
        ("woo, that went well", []),
        ("the perp market on eth is busy", ["WETH"]),
        # a project named as owner or place beside its own ticker is the project
        ("lido's staking share keeps growing, LDO doesn't", ["LDO"]),
        ("spent a day in the sandbox world, sold my SAND", ["SAND"]),
        ("is ena (ethena) worth a look", ["ENA", "ENA"]),
        # a word after the ticker that is about holding it
        ("my doge gains vanished", ["DOGE"]),
        ("still holding link after all these years", ["LINK"]),
        # a ticker's market move, also in the past tense
        ("CAKE got delisted from a big exchange", ["CAKE"]),
        ("OP fell 4% overnight", ["OP"]),
        # chains in a sentence about the chain; venues named side by side
        ("arbitrum had downtime this morning", []),
        ("polygon fees are tiny but ethereum is congested", []),
        ("hyperliquid or dydx for a btc short", ["WBTC"]),
        # a project's part beside its ticker; function words are no misspellings
        ("lido vaults are full, LDO is flat", ["LDO"]),
        ("neither the chart nor the price, either way", []),
        # an ordinary word before an object is a verb
        ("buy link and keep it for years", ["LINK"]),
        ("sell my keep tokens", ["KEEP"]),
        # two lower-case letters need a listed token, even after a verb
        ("stake ba now", []),
        ("rotate some arb into op", ["ARB", "OP"]),
    ],
)
def test_mentions(extractor: TickerExtractor, text: str, symbols: list[str]) -> None:
    assert [m.symbol for m in extractor.extract(text).mentions] == symbols


def test_widely_traded_tokens_are_popular_only_where_listed() -> None:
    db = TickerDB.default()
    listed = [t for t in db.tokens if t.symbol.upper() in WIDELY_TRADED]
    assert listed and all(db.is_popular(t) for t in listed)
    assert "XRP" in db.symbols(popular=True)
