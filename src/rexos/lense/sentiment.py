"""Sentiment of crypto headlines and posts, per item and as a trend per asset.

:func:`classify` runs the shipped integer model (``sentiment_model``): the label is computed
in integers only, so it is the same on every machine; ``score`` is P(positive) − P(negative)
read back from the integer sums, in [−1, 1]. Third-party text is untrusted: it is only cut
(to :data:`~rexos.lense.sentiment_text.MAX_CHARS`), normalised and counted, never run.
:func:`trend` sums the items that mention each asset, over an optional time window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from rexos.lense.sentiment_model import IntModel, load_model
from rexos.lense.sentiment_set import LABELS, Label

__all__ = ["MODEL_FAMILY", "AssetTrend", "Mention", "Sentiment", "classify", "classify_many",
           "model_id", "trend"]  # fmt: skip

MODEL_FAMILY = "rexos-sentiment-int8"


@dataclass(frozen=True)
class Sentiment:
    label: Label
    score: float
    """P(positive) − P(negative), in [−1, 1], to four places."""
    model: str
    """``rexos-sentiment-int8@`` and the first 12 hex digits of the model's digest."""

    def to_json(self) -> dict[str, str | float]:
        return {"label": self.label, "score": self.score, "model": self.model}


@dataclass(frozen=True)
class Mention:
    """A text that mentions ``asset`` (a symbol), with when it was published if known."""

    asset: str
    text: str
    at: datetime | None = None


@dataclass(frozen=True)
class AssetTrend:
    asset: str
    count: int
    positive: int
    negative: int
    neutral: int
    mean_score: float
    """The mean of the items' scores, to four places (0.0 with no items)."""
    model: str

    def to_json(self) -> dict[str, str | int | float]:
        return {
            "asset": self.asset,
            "count": self.count,
            "positive": self.positive,
            "negative": self.negative,
            "neutral": self.neutral,
            "mean_score": self.mean_score,
            "model": self.model,
        }


def model_id(model: IntModel | None = None) -> str:
    """The name results carry: ``rexos-sentiment-int8@<first 12 hex digits of the digest>``."""
    return f"{MODEL_FAMILY}@{(model or load_model()).digest()[:12]}"


def _classify(model: IntModel, name: str, text: str) -> Sentiment:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    sums = model.sums(text)
    chances = dict(zip(LABELS, model.probabilities(sums), strict=True))
    label = LABELS[sums.index(max(sums))]
    return Sentiment(label, round(chances["positive"] - chances["negative"], 4), name)


def classify(text: str) -> Sentiment:
    """The sentiment of one headline or post toward what it is about."""
    model = load_model()
    return _classify(model, model_id(model), text)


def classify_many(texts: Iterable[str]) -> list[Sentiment]:
    """:func:`classify` of each text, in order."""
    model = load_model()
    name = model_id(model)
    return [_classify(model, name, text) for text in texts]


def trend(
    mentions: Iterable[Mention],
    *,
    now: datetime | None = None,
    window: timedelta | None = None,
) -> dict[str, AssetTrend]:
    """Counts per label and the mean score of the mentions of each asset (upper-cased).

    With ``window`` (which needs ``now``, timezone-aware) only mentions with ``at`` in
    ``(now - window, now]`` count; mentions without a time are then left out.
    """
    if window is not None and (now is None or now.tzinfo is None):
        raise ValueError("a window needs a timezone-aware now")
    kept: list[Mention] = []
    for mention in mentions:
        if window is not None and now is not None:
            if mention.at is None:
                continue
            if mention.at.tzinfo is None:
                raise ValueError("mention times must be timezone-aware")
            if not now - window < mention.at <= now:
                continue
        kept.append(mention)
    found = classify_many(mention.text for mention in kept)
    grouped: dict[str, list[Sentiment]] = {}
    for mention, sentiment in zip(kept, found, strict=True):
        grouped.setdefault(mention.asset.strip().upper(), []).append(sentiment)
    name = model_id()
    return {
        asset: AssetTrend(
            asset=asset,
            count=len(items),
            positive=sum(s.label == "positive" for s in items),
            negative=sum(s.label == "negative" for s in items),
            neutral=sum(s.label == "neutral" for s in items),
            mean_score=round(sum(s.score for s in items) / len(items), 4),
            model=name,
        )
        for asset, items in sorted(grouped.items())
    }
