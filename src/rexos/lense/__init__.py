"""Lense: a wallet's assets, prices, news and sentiment (issue 15).

Sentiment so far: :func:`classify` / :func:`classify_many` run the shipped integer model
(int8 weights over hashed counts, the same label on every machine), :func:`trend` sums the
mentions of each asset, :func:`lexicon_label` is the hand-written lexicon baseline the model
is measured against (``benchmarks/lense.py``), and :func:`load_set` reads the blind labelled
set with its fixed train/test split.
"""

from rexos.lense.sentiment import (
    MODEL_FAMILY,
    AssetTrend,
    Mention,
    Sentiment,
    classify,
    classify_many,
    model_id,
    trend,
)
from rexos.lense.sentiment_lexicon import lexicon_label, lexicon_score
from rexos.lense.sentiment_model import IntModel, load_model
from rexos.lense.sentiment_set import LABELS, Label, Labelled, load_set, split_of

__all__ = [
    "LABELS",
    "MODEL_FAMILY",
    "AssetTrend",
    "IntModel",
    "Label",
    "Labelled",
    "Mention",
    "Sentiment",
    "classify",
    "classify_many",
    "lexicon_label",
    "lexicon_score",
    "load_model",
    "load_set",
    "model_id",
    "split_of",
    "trend",
]
