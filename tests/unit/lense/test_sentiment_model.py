"""The shipped sentiment model is what training makes, and its labels are integer arithmetic."""

from __future__ import annotations

import numpy as np

from rexos.lense import LABELS, classify, load_model, load_set, model_id
from rexos.lense.sentiment_features import features
from rexos.lense.sentiment_scoring import macro_f1
from rexos.lense.sentiment_text import MAX_CHARS, fnv1a32
from rexos.lense.sentiment_train import quantise, train


def test_the_shipped_model_is_what_training_makes() -> None:
    shipped = load_model()
    fresh_float, fresh = train()
    assert shipped.recipe == fresh.recipe
    assert shipped.scale == fresh.scale  # 12 significant digits: no BLAS build's last bits
    assert np.array_equal(shipped.weights, fresh.weights)
    assert shipped.same_as(fresh)
    assert quantise(fresh_float).same_as(shipped)


def test_weights_are_int8_and_use_their_range() -> None:
    model = load_model()
    assert model.weights.dtype == np.int8
    assert int(np.abs(model.weights.astype(np.int32)).max()) == 127
    assert model.weights.shape == (model.recipe.dimensions, len(LABELS))


def _python_label(text: str) -> str:
    """The label computed with Python integers only, nothing from numpy but the weights."""
    model = load_model()
    table = model.weights.tolist()
    sums = [0, 0, 0]
    for index, count in sorted(features(text, model.recipe).items()):
        for k in range(3):
            sums[k] += count * int(table[index][k])
    assert all(-(2**31) <= s < 2**31 for s in sums)
    best = max(sums)
    return LABELS[next(k for k in range(3) if sums[k] == best)]


def test_labels_are_the_integer_computation() -> None:
    items = load_set("train")[:120]
    model = load_model()
    assert [model.label(i.text) for i in items] == [_python_label(i.text) for i in items]
    assert [classify(i.text).label for i in items] == [_python_label(i.text) for i in items]


def test_ties_go_to_the_first_class() -> None:
    model = load_model()
    assert model.label("") == _python_label("")
    sums = model.sums("plain words")
    assert LABELS[sums.index(max(sums))] == model.label("plain words")


def test_the_hash_is_fnv1a_32() -> None:
    assert fnv1a32(b"") == 0x811C9DC5
    assert fnv1a32(b"a") == 0xE40C292C
    assert fnv1a32(b"foobar") == 0xBF9CF968


def test_it_fits_its_training_data_better_than_chance() -> None:
    model, items = load_model(), load_set("train")
    f1 = macro_f1([i.label for i in items], [model.label(i.text) for i in items])
    assert f1 >= 0.85


def test_the_name_carries_the_digest() -> None:
    name = model_id()
    assert name == f"rexos-sentiment-int8@{load_model().digest()[:12]}"
    assert classify("ETH up 5%").model == name


def test_long_text_is_cut_before_it_is_read() -> None:
    head = "BTC crashes after exchange hack. " * (MAX_CHARS // 30)
    assert classify(head + "moon " * 50_000) == classify((head + "moon " * 50_000)[:MAX_CHARS])
    sums = load_model().sums("rekt " * 1_000_000)
    assert all(abs(s) < 2**31 for s in sums)
