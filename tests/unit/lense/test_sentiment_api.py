"""classify, classify_many and trend through the public API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rexos.lense import Mention, classify, classify_many, trend

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_clear_texts_get_their_direction() -> None:
    up = classify("BTC soars 12% as ETF inflows hit a record 🚀")
    down = classify("Bridge hacked, $40 million drained; token crashes 60%")
    assert (up.label, down.label) == ("positive", "negative")
    assert -1.0 <= down.score < 0 < up.score <= 1.0


def test_a_batch_is_each_item_classified() -> None:
    texts = ["SOL rallies", "Aave publishes quarterly risk report", "PEPE dumped, rekt"]
    assert classify_many(texts) == [classify(t) for t in texts]
    assert classify_many([]) == []


def test_only_text_is_accepted() -> None:
    with pytest.raises(TypeError):
        classify(b"moon")  # type: ignore[arg-type]
    assert classify("__import__('os').system('x')").label in {"neutral", "positive", "negative"}


def test_trend_counts_labels_per_asset() -> None:
    found = trend(
        [
            Mention("eth", "ETH soars to a record high, LFG 🚀"),
            Mention("ETH", "ETH crashes 20% after exploit drains bridge"),
            Mention("ETH ", "ETH surges as ETF inflows climb"),
            Mention("SOL", "Solana network halts for five hours; SOL plunges"),
        ]
    )
    assert list(found) == ["ETH", "SOL"]
    eth = found["ETH"]
    assert (eth.count, eth.positive, eth.negative, eth.neutral) == (3, 2, 1, 0)
    assert eth.mean_score == round(
        sum(classify(t).score for t in [
            "ETH soars to a record high, LFG 🚀",
            "ETH crashes 20% after exploit drains bridge",
            "ETH surges as ETF inflows climb",
        ]) / 3, 4)  # fmt: skip
    assert found["SOL"].to_json()["negative"] == 1
    assert trend([]) == {}


def test_a_window_keeps_recent_timed_mentions() -> None:
    mentions = [
        Mention("BTC", "BTC crashes", NOW - timedelta(days=10)),
        Mention("BTC", "BTC soars", NOW - timedelta(hours=1)),
        Mention("BTC", "BTC soars again", None),
        Mention("BTC", "BTC soars from the future", NOW + timedelta(minutes=1)),
    ]
    found = trend(mentions, now=NOW, window=timedelta(days=7))
    assert (found["BTC"].count, found["BTC"].positive) == (1, 1)
    assert trend(mentions)["BTC"].count == 4


def test_a_window_needs_aware_times() -> None:
    with pytest.raises(ValueError):
        trend([], window=timedelta(days=1))
    with pytest.raises(ValueError):
        trend([], now=NOW.replace(tzinfo=None), window=timedelta(days=1))
    naive = Mention("BTC", "BTC soars", datetime(2026, 12, 7, 11, 0))
    with pytest.raises(ValueError):
        trend([naive], now=NOW, window=timedelta(days=1))
