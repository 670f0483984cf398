"""The test half of the blind sentiment set is frozen: editing one of its items fails here.

Digest taken at commit ac7f815, when the set was written and before any model or lexicon
existed. Only the train half may be studied; the test half is scored by benchmarks/lense.py.
"""

from __future__ import annotations

from collections import Counter

from rexos.lense import Labelled, load_set, split_of
from rexos.lense.sentiment_set import digest

TEST_HALF = ("af4fbdd5b67e2a865c41560eec7da9080b8efc9727a848d713f12663820dfc89", 446)


def test_the_test_half_is_unchanged() -> None:
    test = load_set("test")
    assert (digest(test), len(test)) == TEST_HALF, "items.yaml's test half was edited"


def test_the_split_is_the_documented_rule() -> None:
    items = load_set()
    assert len(items) == 900
    assert len({item.text for item in items}) == 900
    train = load_set("train")
    assert len(train) == 454
    assert all(split_of(item.text) == "train" for item in train)
    assert split_of("") == "test"  # sha256("") ends in ...b855: odd
    assert Counter(item.label for item in train) == {
        "positive": 150,
        "negative": 167,
        "neutral": 137,
    }


def test_the_digest_sees_a_changed_label() -> None:
    train = load_set("train")
    edited = [Labelled(train[0].text, train[0].kind, "neutral"), *train[1:]]
    assert train[0].label != "neutral"
    assert digest(edited) != digest(train)
