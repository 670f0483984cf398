"""Turn what discovery, pricing, performance, news and sentiment found into a :class:`FactSet`.

:func:`collect_facts` is the one place report numbers are computed; everything after it
(the report's text, its charts, the answers) reads these facts and nothing else. The ids are
listed in :mod:`rexos.lense.facts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from rexos.lense.facts import Fact, FactSet
from rexos.lense.model import AssetPerformance, CheckedPrice, Discovery, Position
from rexos.lense.report_risk import Approval, add_risk_facts

__all__ = ["Approval", "LenseInputs", "NewsFact", "SentimentFact", "collect_facts", "holding_key"]

_HUNDRED = Decimal(100)
_WINDOWS = ("24h", "7d", "30d")
_ASSET_LABELS = {
    "cost_basis_usd": "Cost basis",
    "realised_usd": "Realised profit",
    "unrealised_usd": "Unrealised profit",
}
_TOTAL_LABELS = {
    "cost_basis_usd": "Total cost basis",
    "realised_usd": "Total realised profit",
    "unrealised_usd": "Total unrealised profit",
    "change_7d_usd": "Total value change over 7d",
}


@dataclass(frozen=True, slots=True)
class NewsFact:
    """One news item or post matched to held symbols (all its text is third-party)."""

    title: str
    url: str
    source: str
    published: str
    symbols: tuple[str, ...]
    sentiment: str
    score: Decimal | None = None
    """The item's sentiment score in [-1, 1] (P(positive) − P(negative))."""


@dataclass(frozen=True, slots=True)
class SentimentFact:
    """The sentiment trend of one held asset over its matched items."""

    asset_key: str
    score: Decimal
    label: str
    count: int
    positive: int
    negative: int
    neutral: int
    model: str


@dataclass(frozen=True, slots=True)
class LenseInputs:
    """Everything a report is built from, already read."""

    discovery: Discovery
    prices: Mapping[str, CheckedPrice]
    performance: Mapping[str, AssetPerformance]
    as_of: str
    chain_names: Mapping[int, str] = field(default_factory=dict)
    news: Sequence[NewsFact] = ()
    sentiment: Sequence[SentimentFact] = ()
    approvals: Sequence[Approval] = ()


def holding_key(position: Position) -> str:
    """The asset key for a plain balance, ``<key>:<kind>`` for any other position."""
    key = position.asset.key
    return key if position.kind == "balance" else f"{key}:{position.kind}"


class _Facts:
    """A FactSet being filled, with the report's time as the default ``as_of``."""

    def __init__(self, as_of: str) -> None:
        self.set = FactSet()
        self.as_of = as_of

    def add(self, fact_id: str, value: object, source: str, label: str, **extra: object) -> None:
        as_of = str(extra.pop("as_of", self.as_of))
        self.set.add(Fact(fact_id, value, source, as_of, label=label, **extra))  # type: ignore[arg-type]


def _block_of(inputs: LenseInputs, chain_id: int) -> str:
    block = inputs.discovery.blocks.get(chain_id)
    return f"block {block} on chain {chain_id}" if block is not None else inputs.as_of


def _usd(position: Position, price: CheckedPrice | None) -> Decimal | None:
    if price is None or price.median is None:
        return None
    whole = Decimal(position.amount).scaleb(-position.asset.decimals)
    return (whole * price.median).quantize(Decimal("0.000001"))


def _counted(inputs: LenseInputs, position: Position) -> str:
    """``yes``, or why the holding is left out of net worth."""
    verdict = inputs.discovery.spam.get(position.asset.key)
    if verdict is not None and verdict.spam:
        return "spam"
    price = inputs.prices.get(position.asset.key)
    if price is None or price.median is None:
        return "unpriced"
    return "disputed" if price.flag == "disputed" else "yes"


def _add_header(f: _Facts, inputs: LenseInputs) -> None:
    f.add("wallet.address", inputs.discovery.address, "input", "Wallet address")
    f.add("report.as_of", inputs.as_of, "report clock", "Report time")
    for chain_id, block in sorted(inputs.discovery.blocks.items()):
        name = inputs.chain_names.get(chain_id, f"chain {chain_id}")
        source = f"chain id {chain_id}"
        f.add(f"chain.{chain_id}.name", name, source, "Chain name")
        f.add(f"chain.{chain_id}.block", block, source, f"Block read on {name}")


def _add_holding(f: _Facts, inputs: LenseInputs, position: Position, usd: Decimal | None) -> None:
    asset = position.asset
    hkey = holding_key(position)
    at = _block_of(inputs, asset.chain_id)
    verdict = inputs.discovery.spam.get(asset.key)
    base = f"holding.{hkey}"
    f.add(f"{base}.symbol", asset.symbol, position.source, "Symbol", as_of=at)
    f.add(f"{base}.name", asset.name, position.source, "Token name", as_of=at)
    f.add(f"{base}.kind", position.kind, position.source, "Position kind", as_of=at)
    chain_name = inputs.chain_names.get(asset.chain_id, f"chain {asset.chain_id}")
    f.add(f"{base}.chain", chain_name, position.source, "Chain", as_of=at)
    if position.venue:
        f.add(f"{base}.venue", position.venue, position.source, "Venue", as_of=at)
    f.add(
        f"{base}.amount", position.amount, position.source, f"{asset.symbol} held",
        as_of=at, unit=asset.symbol, decimals=asset.decimals,
    )  # fmt: skip
    f.add(
        f"{base}.usd", usd, f"holding.{hkey}.amount × price.{asset.key}.median",
        f"{asset.symbol} value", unit="USD",
    )  # fmt: skip
    spam = verdict is not None and verdict.spam
    rules = "; ".join(verdict.rules) if verdict is not None else ""
    f.add(f"{base}.spam", "yes" if spam else "no", "spam rules", "Spam")
    if rules:
        f.add(f"{base}.spam_rules", rules, "spam rules", "Spam rules that fired")
    f.add(f"{base}.counted", _counted(inputs, position), "report", "Counted in net worth")


def _add_chain_values(
    f: _Facts, inputs: LenseInputs, values: Mapping[str, Decimal | None], counted: set[str]
) -> None:
    for chain_id in sorted(inputs.discovery.blocks):
        total = sum(
            (values[holding_key(p)] or Decimal(0) for p in inputs.discovery.positions
             if p.asset.chain_id == chain_id and holding_key(p) in counted),
            Decimal(0),
        ).quantize(Decimal("0.01"))  # fmt: skip
        name = inputs.chain_names.get(chain_id, f"chain {chain_id}")
        f.add(f"chain.{chain_id}.usd", total, f"sum of counted holdings on {name}",
              f"Value on {name}", unit="USD")  # fmt: skip


def _add_prices(f: _Facts, inputs: LenseInputs) -> None:
    for key, price in inputs.prices.items():
        base = f"price.{key}"
        names = ", ".join(q.source for q in price.quotes) or "no source"
        f.add(f"{base}.median", price.median, f"median of {names}", "Price", unit="USD")
        f.add(
            f"{base}.divergence_bps", price.divergence_bps, f"spread of {names}",
            "Price divergence", unit="bps",
        )  # fmt: skip
        f.add(f"{base}.flag", price.flag, "price check", "Price check")
        f.add(f"{base}.sources", len(price.quotes), "price check", "Price sources")
        for n, quote in enumerate(price.quotes, 1):
            f.add(f"{base}.source.{n}.name", quote.source, "price check", "Price source")
            f.add(
                f"{base}.source.{n}.usd", quote.usd, quote.source, f"Price from {quote.source}",
                as_of=quote.as_of, unit="USD",
            )  # fmt: skip


def _weekly_change(usd: Decimal | None, pct: Decimal | None) -> Decimal | None:
    """What ``usd`` gained over a week whose price moved ``pct`` percent."""
    if usd is None or pct is None or pct <= -_HUNDRED:
        return None
    before = usd / (1 + pct / _HUNDRED)
    return (usd - before).quantize(Decimal("0.01"))


def _add_performance(
    f: _Facts, inputs: LenseInputs, values: Mapping[str, Decimal], counted: set[str]
) -> None:
    """Per-asset performance (``values``: each counted asset's value over its holdings)."""
    names = ("cost_basis_usd", "realised_usd", "unrealised_usd", "change_7d_usd")
    totals = {name: Decimal(0) for name in names}
    for key, perf in inputs.performance.items():
        base = f"perf.{key}"
        for window in _WINDOWS:
            f.add(
                f"{base}.change_{window}_pct", perf.change_pct.get(window), perf.source,
                f"Price change over {window}", unit="pct_change",
            )  # fmt: skip
        parts = {"cost_basis_usd": perf.cost_basis_usd, "realised_usd": perf.realised_usd,
                 "unrealised_usd": perf.unrealised_usd}  # fmt: skip
        for name, amount in parts.items():
            f.add(f"{base}.{name}", amount, perf.source, _ASSET_LABELS[name], unit="USD")
            if amount is not None and key in counted:
                totals[name] += amount
        week = _weekly_change(values.get(key), perf.change_pct.get("7d"))
        f.add(
            f"{base}.change_7d_usd", week, f"counted {key} value and {base}.change_7d_pct",
            "Value change over 7d", unit="USD",
        )  # fmt: skip
        if week is not None and key in counted:
            totals["change_7d_usd"] += week
    for name, amount in totals.items():
        label = _TOTAL_LABELS[name]
        f.add(f"perf.total.{name}", amount, "sum over counted holdings", label, unit="USD")
    worth = f.set.value("net_worth.usd")
    if isinstance(worth, Decimal) and worth - totals["change_7d_usd"] > 0:
        pct = (totals["change_7d_usd"] / (worth - totals["change_7d_usd"]) * _HUNDRED).quantize(
            Decimal("0.01")
        )
        f.add("perf.total.change_7d_pct", pct, "perf.total.change_7d_usd / last week's worth",
              "Portfolio change over 7d", unit="pct_change")  # fmt: skip


def _add_sentiment_and_news(f: _Facts, inputs: LenseInputs) -> None:
    for s in inputs.sentiment:
        base = f"sentiment.{s.asset_key}"
        f.add(f"{base}.score", s.score, s.model, "Sentiment score")
        f.add(f"{base}.label", s.label, s.model, "Sentiment")
        for name in ("count", "positive", "negative", "neutral"):
            f.add(f"{base}.{name}", getattr(s, name), s.model, f"Items {name}")
    f.add("news.count", len(inputs.news), "news and social feeds", "News items")
    for n, item in enumerate(inputs.news, 1):
        base = f"news.{n}"
        at = item.published or inputs.as_of
        f.add(f"{base}.title", item.title, item.url, "Title (third-party text)", as_of=at)
        f.add(f"{base}.url", item.url, item.source, "Link", as_of=at)
        f.add(f"{base}.source", item.source, item.url, "Source", as_of=at)
        f.add(f"{base}.published", item.published or "unknown", item.url, "Published", as_of=at)
        f.add(f"{base}.symbols", ", ".join(item.symbols), "Ticker agent", "Mentions", as_of=at)
        f.add(f"{base}.sentiment", item.sentiment, "sentiment model", "Sentiment", as_of=at)
        f.add(f"{base}.score", item.score, "sentiment model", "Sentiment score", as_of=at)


def collect_facts(inputs: LenseInputs) -> FactSet:
    """Every fact of one report, computed from ``inputs`` (ids: :mod:`rexos.lense.facts`)."""
    f = _Facts(inputs.as_of)
    _add_header(f, inputs)
    values: dict[str, Decimal | None] = {}
    counted: set[str] = set()
    positions = inputs.discovery.positions
    for position in positions:
        usd = _usd(position, inputs.prices.get(position.asset.key))
        values[holding_key(position)] = usd
        if _counted(inputs, position) == "yes":
            counted.add(holding_key(position))
    worth = sum((values[k] or Decimal(0) for k in counted), Decimal(0)).quantize(Decimal("0.01"))
    f.add("net_worth.usd", worth, "sum of counted holding.*.usd", "Net worth", unit="USD")
    reasons = [_counted(inputs, p) for p in positions]
    f.add("net_worth.excluded_count", reasons.count("disputed"), "price check",
          "Holdings left out: disputed price")  # fmt: skip
    f.add("holdings.count", len(positions), "discovery", "Holdings found")
    f.add("holdings.spam_count", reasons.count("spam"), "spam rules", "Spam holdings")
    f.add("holdings.unpriced_count", reasons.count("unpriced"), "price check", "Unpriced holdings")
    for position in positions:
        _add_holding(f, inputs, position, values[holding_key(position)])
        hkey = holding_key(position)
        share = None
        if hkey in counted and worth > 0:
            share = ((values[hkey] or Decimal(0)) / worth * _HUNDRED).quantize(Decimal("0.01"))
        f.add(f"holding.{hkey}.share_pct", share, "holding usd / net_worth.usd", "Share",
              unit="pct")  # fmt: skip
    _add_chain_values(f, inputs, values, counted)
    _add_prices(f, inputs)
    by_asset: dict[str, Decimal] = {}
    for position in positions:
        hkey = holding_key(position)
        if hkey in counted and values[hkey] is not None:
            key = position.asset.key
            by_asset[key] = by_asset.get(key, Decimal(0)) + (values[hkey] or Decimal(0))
    _add_performance(f, inputs, by_asset, set(by_asset))
    _add_sentiment_and_news(f, inputs)
    add_risk_facts(f.set, inputs.as_of, inputs.approvals)
    return f.set
