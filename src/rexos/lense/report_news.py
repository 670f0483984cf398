"""News items and posts matched to held symbols, scored for sentiment, as report inputs.

Each item's text goes through the Ticker agent (:func:`rexos.plugins.mentions.match_holdings`)
to find which held symbols it mentions; items that mention none are dropped. The sentiment
model scores each kept item, and :func:`rexos.lense.sentiment.trend` sums them per asset.
All the words stay third-party data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from rexos.lense.report_facts import NewsFact, SentimentFact

if TYPE_CHECKING:
    from rexos.agents.ticker import TickerExtractor

__all__ = ["MAX_ITEMS", "Item", "label_of", "matched_news"]

MAX_ITEMS = 20
"""Most news items and posts a report lists (newest first)."""

_NEUTRAL_BAND = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class Item:
    """One news item or post, reduced to what the report shows."""

    title: str
    url: str
    source: str
    published: dt.datetime | None


def label_of(score: Decimal) -> str:
    """``positive`` above 0.1, ``negative`` below -0.1, else ``neutral``."""
    if score > _NEUTRAL_BAND:
        return "positive"
    if score < -_NEUTRAL_BAND:
        return "negative"
    return "neutral"


@cache
def _extractor() -> TickerExtractor:
    """The Ticker agent's extractor over the shipped token lists (built once)."""
    from rexos.agents.ticker import TickerDB, TickerExtractor

    return TickerExtractor(TickerDB.default())


def _iso(at: dt.datetime | None) -> str:
    return "" if at is None else at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def matched_news(
    items: Sequence[Item], held: Mapping[str, str]
) -> tuple[list[NewsFact], list[SentimentFact]]:
    """The items that mention a held symbol, and each mentioned asset's sentiment.

    ``held``: symbol → asset key of the holdings (the first asset with that symbol).
    """
    if not items or not held:
        return [], []
    from rexos.lense.sentiment import Mention, classify_many, trend
    from rexos.plugins.mentions import match_holdings

    matches = match_holdings(items, list(held), _extractor(), text=lambda i: i.title)
    matches.sort(key=lambda m: m.item.published or dt.datetime.min.replace(tzinfo=dt.UTC),
                 reverse=True)  # fmt: skip
    matches = matches[:MAX_ITEMS]
    scores = classify_many([m.item.title for m in matches])
    news = [
        NewsFact(m.item.title, m.item.url, m.item.source, _iso(m.item.published), m.symbols,
                 s.label, Decimal(str(s.score)))
        for m, s in zip(matches, scores, strict=True)
    ]  # fmt: skip
    mentions = [
        Mention(symbol, m.item.title, m.item.published) for m in matches for symbol in m.symbols
    ]
    sentiment = []
    for symbol, t in trend(mentions).items():
        key = next((k for s, k in held.items() if s.upper() == symbol), None)
        if key is None or t.count == 0:
            continue
        score = Decimal(str(t.mean_score))
        sentiment.append(SentimentFact(key, score, label_of(score), t.count, t.positive,
                                       t.negative, t.neutral, t.model))  # fmt: skip
    return news, sentiment
