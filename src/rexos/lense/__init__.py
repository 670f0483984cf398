"""Lense: a wallet's assets, prices, news and sentiment as a report whose every number is a
fact with a source, and questions answered from those facts.

:func:`build_report` runs the whole pipeline for a workspace and an address: discovery
(:func:`discover` over :func:`chain_sources`: batched Multicall3 reads of balances, tokens
the wallet's history names, LP, stake, rewards, points and vesting, spam scored by stated
:data:`RULES`), checked prices (:func:`check_prices`: the median of several sources, flagged
when they diverge), FIFO :func:`performance`, news and posts matched to holdings with their
sentiment, risks, and what changed since the last report. The result is a
:class:`LenseReport` over a :class:`FactSet` (HTML, PDF, text, ``facts.json``);
:func:`answer` answers a question from the facts, citing them.

Sentiment: :func:`classify` / :func:`classify_many` run the shipped integer model
(int8 weights over hashed counts, the same label on every machine), :func:`trend` sums the
mentions of each asset, :func:`lexicon_label` is the hand-written lexicon baseline the model
is measured against (``benchmarks/lense.py``), and :func:`load_set` reads the blind labelled
set with its fixed train/test split.
"""

from rexos.lense.build import build_report
from rexos.lense.discovery import discover
from rexos.lense.discovery_source import ChainSource, chain_sources
from rexos.lense.facts import Fact, FactSet
from rexos.lense.model import (
    Asset,
    AssetPerformance,
    CheckedPrice,
    Discovery,
    Position,
    PriceQuote,
    SpamVerdict,
)
from rexos.lense.performance import Portfolio, performance
from rexos.lense.prices import check_prices
from rexos.lense.qa import Answer, answer
from rexos.lense.report import LenseReport
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
from rexos.lense.spam import RULES, score_token

__all__ = [
    "LABELS",
    "MODEL_FAMILY",
    "RULES",
    "Answer",
    "Asset",
    "AssetPerformance",
    "AssetTrend",
    "ChainSource",
    "CheckedPrice",
    "Discovery",
    "Fact",
    "FactSet",
    "IntModel",
    "Label",
    "Labelled",
    "LenseReport",
    "Mention",
    "Portfolio",
    "Position",
    "PriceQuote",
    "Sentiment",
    "SpamVerdict",
    "answer",
    "build_report",
    "chain_sources",
    "check_prices",
    "classify",
    "classify_many",
    "discover",
    "lexicon_label",
    "lexicon_score",
    "load_model",
    "load_set",
    "model_id",
    "performance",
    "score_token",
    "split_of",
    "trend",
]
