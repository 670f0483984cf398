"""Build a Lense report for an address: workspace → discovery → prices → performance →
news, social and sentiment → approvals → facts → report.

:func:`build_report` reads every configured chain (:func:`~rexos.lense.discovery_source.
chain_sources`), finds what the address holds (:func:`~rexos.lense.discovery.discover`),
checks every asset's price against the chain's sources (DEX spot, V3 TWAP, the time-weighted
price of the chain index's swaps where the chain has an index, and a CoinGecko-compatible
feed when ``feed``) at the block discovery read, records those prices for later change
windows, computes FIFO performance from the chain index (what came in priced from the
recorded prices and the index's own swaps), matches the given news items and posts to the
holdings (and the posts ``search_social`` finds about the most valuable holdings' symbols),
reads the allowances the wallet gave, and turns it all into facts
(:func:`~rexos.lense.report_facts.collect_facts`), compared with the ``previous`` report's
facts when there is one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rexos.lense.facts import FactSet
from rexos.lense.history import add_changes
from rexos.lense.model import Asset, AssetPerformance, CheckedPrice, Discovery
from rexos.lense.report import LenseReport
from rexos.lense.report_facts import LenseInputs, collect_facts
from rexos.lense.report_news import Item
from rexos.lense.report_risk import Approval

if TYPE_CHECKING:
    from rexos.config import Settings
    from rexos.lense.discovery_source import Chains, ChainSource
    from rexos.lense.price_history import PriceHistory
    from rexos.lense.price_sources import PriceSource
    from rexos.news import NewsItem
    from rexos.social import SocialPost

__all__ = [
    "CHAIN_NAMES",
    "MAX_SOCIAL_SYMBOLS",
    "SocialSearch",
    "build_report",
    "news_items",
    "price_store_path",
]

CHAIN_NAMES = {31337: "devnet", 31338: "devnet-b", 1: "ethereum", 56: "bnb", 204: "opbnb"}
"""Names the report gives chains; others read ``chain <id>``."""

Progress = Callable[[str], None]

SocialSearch = Callable[[Sequence[str]], Iterable["SocialPost"]]
"""Posts about the given token symbols (e.g. a Bluesky search for each)."""

MAX_SOCIAL_SYMBOLS = 10
"""Most symbols :func:`build_report` asks ``search_social`` about."""

_WRAPPED_NATIVE = "DevToken:WETH"


def _quiet(_: str) -> None:
    """No progress shown."""


def price_store_path(home: Path) -> Path:
    """Where the prices Lense checked are kept (the change windows read them back)."""
    return home / "lense" / "prices.sqlite"


def news_items(news: Iterable[NewsItem] = (), social: Iterable[SocialPost] = ()) -> list[Item]:
    """News items and posts as the report lists them (title, link, source, time)."""
    items = [Item(n.title, n.link or n.source, n.feed_title or n.source, n.published) for n in news]
    items += [Item(p.text, p.url, f"{p.source}:{p.author}", p.created_at) for p in social if p.text]
    return items


def _chain_sources(
    source: ChainSource, block: int, feed: bool, settings: Settings
) -> list[PriceSource]:
    from rexos.lense.price_index import IndexTwapSource
    from rexos.lense.price_sources import CoinGeckoSource, DexSpotSource, deployment_coins
    from rexos.lense.price_twap import V3TwapSource

    if source.manifest is None:
        return []
    found: list[PriceSource] = [
        DexSpotSource(source.web3, source.manifest, block=block),
        V3TwapSource(source.web3, source.manifest, block=block),
    ]
    if source.index is not None and source.index.is_file():
        at = int(source.web3.eth.get_block(block)["timestamp"])
        weth = source.manifest.contracts.get(_WRAPPED_NATIVE)
        found.append(IndexTwapSource(source.index, source.chain_id, now=at, native=weth))
    if feed:
        from rexos.prices.coingecko import CoinGeckoClient

        client = CoinGeckoClient(
            settings.coingecko_url, api_key=settings.coingecko_api_key
        )  # fmt: skip
        found.append(CoinGeckoSource(client, deployment_coins(source.manifest)))
    return found


def _assets(discovery: Discovery, chain_id: int) -> list[Asset]:
    """The assets to price on ``chain_id``: points are no token and have no price."""
    seen: dict[str, Asset] = {}
    for position in discovery.positions:
        if position.asset.chain_id == chain_id and position.kind != "points":
            seen.setdefault(position.asset.key, position.asset)
    return list(seen.values())


def _prices(
    sources: Sequence[ChainSource], discovery: Discovery, feed: bool, settings: Settings
) -> dict[str, CheckedPrice]:
    from rexos.lense.prices import check_prices

    checked: dict[str, CheckedPrice] = {}
    for source in sources:
        block = discovery.blocks.get(source.chain_id)
        assets = _assets(discovery, source.chain_id)
        if block is None or not assets:
            continue
        failures: dict[str, str] = {}
        price_sources = _chain_sources(source, block, feed, settings)
        checked.update(check_prices(assets, price_sources, failures=failures))
    return checked


def _performance(
    sources: Sequence[ChainSource],
    discovery: Discovery,
    prices: dict[str, CheckedPrice],
    history: PriceHistory,
    now: int,
) -> dict[str, AssetPerformance]:
    from rexos.lense.perf_index import index_movements, swap_prices
    from rexos.lense.performance import performance
    from rexos.lense.price_history import LatestOf

    results: dict[str, AssetPerformance] = {}
    for source in sources:
        held = [p for p in discovery.positions
                if p.asset.chain_id == source.chain_id and p.kind == "balance"]  # fmt: skip
        if not held:
            continue
        moves = {}
        known = history
        if source.index is not None and source.index.is_file():
            known = LatestOf(history, swap_prices(source.index, source.chain_id))
            moves = index_movements(source.index, source.chain_id, discovery.address, known)
        results.update(performance(discovery.address, held, moves, prices, known, now=now))
    return results


def _approvals(sources: Sequence[ChainSource], discovery: Discovery) -> list[Approval]:
    from rexos.lense.report_approvals import read_approvals

    found: list[Approval] = []
    for source in sources:
        block = discovery.blocks.get(source.chain_id)
        if block is None:
            continue
        known = source.manifest.contracts if source.manifest is not None else {}
        found += read_approvals(
            source.web3, discovery.address, _assets(discovery, source.chain_id), block=block,
            first=source.history_from, span=source.log_span, known=known,
        )  # fmt: skip
    return found


def _held_symbols(discovery: Discovery) -> dict[str, str]:
    held: dict[str, str] = {}
    for position in discovery.positions:
        verdict = discovery.spam.get(position.asset.key)
        if verdict is None or not verdict.spam:
            held.setdefault(position.asset.symbol, position.asset.key)
    return held


def _searched_symbols(discovery: Discovery, prices: dict[str, CheckedPrice]) -> list[str]:
    """The held (not spam) symbols worth searching for, the most valuable first (unpriced
    last), at most :data:`MAX_SOCIAL_SYMBOLS`; a symbol that is no plain word is left out."""
    from rexos.lense.prices import headline_price

    worth: dict[str, Decimal] = {}
    for position in discovery.positions:
        verdict = discovery.spam.get(position.asset.key)
        symbol = position.asset.symbol
        if (verdict is not None and verdict.spam) or not _plain_symbol(symbol):
            continue
        checked = prices.get(position.asset.key)
        price = headline_price(checked) if checked is not None else None
        value = (
            Decimal(0)
            if price is None
            else price * Decimal(position.amount).scaleb(-position.asset.decimals)
        )
        worth[symbol] = worth.get(symbol, Decimal(0)) + value
    ranked = sorted(worth, key=lambda symbol: worth[symbol], reverse=True)
    return ranked[:MAX_SOCIAL_SYMBOLS]


def _plain_symbol(symbol: str) -> bool:
    return 1 <= len(symbol) <= 20 and symbol.replace(".", "").isalnum() and symbol.isascii()


def _previous_facts(previous: FactSet | LenseReport | None) -> FactSet | None:
    return previous.facts if isinstance(previous, LenseReport) else previous


def build_report(
    workspace: Chains,
    address: str,
    *,
    now: dt.datetime | None = None,
    news: Iterable[NewsItem] = (),
    social: Iterable[SocialPost] = (),
    search_social: SocialSearch | None = None,
    previous: FactSet | LenseReport | None = None,
    feed: bool = False,
    progress: Progress = _quiet,
) -> LenseReport:
    """The report on ``address`` over ``workspace``'s chains (see the module docstring).

    ``now`` is the report's time (default: the clock); ``news`` and ``social`` are items to
    match to the holdings; ``search_social``, when given, is asked once for posts about the
    held symbols (see :func:`_searched_symbols`), matched as ``social`` is; ``feed`` adds the
    CoinGecko-compatible price feed of the settings (network); ``progress`` is told each slow
    step.
    """
    from rexos.lense.discovery import discover
    from rexos.lense.discovery_source import chain_sources
    from rexos.lense.price_history import PriceStore
    from rexos.lense.report_news import matched_news

    at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    progress("reading the chains")
    sources = chain_sources(workspace)
    discovery = discover(sources, address)
    progress(f"checking prices of {len(discovery.positions)} positions")
    prices = _prices(sources, discovery, feed, workspace.settings)
    with PriceStore(price_store_path(workspace.settings.home)) as store:
        store.record(prices, int(at.timestamp()))
        progress("computing performance from the index")
        perf = _performance(sources, discovery, prices, store, int(at.timestamp()))
    posts = list(social)
    if search_social is not None:
        symbols = _searched_symbols(discovery, prices)
        progress(f"searching social posts about {len(symbols)} symbols")
        posts += search_social(symbols) if symbols else []
    progress("matching news and reading approvals")
    news_facts, sentiment = matched_news(news_items(news, posts), _held_symbols(discovery))
    approvals = _approvals(sources, discovery)
    inputs = LenseInputs(
        discovery, prices, perf, at.strftime("%Y-%m-%dT%H:%M:%SZ"), CHAIN_NAMES, news_facts,
        sentiment, approvals,
    )  # fmt: skip
    facts = collect_facts(inputs)
    before = _previous_facts(previous)
    if before is not None:
        add_changes(facts, before)
    return LenseReport.of(facts)
