"""The shipped recogniser is the one the training script makes, and it sees no values."""

from __future__ import annotations

import numpy as np

from rexos.orchestrator.understand.features import mask
from rexos.orchestrator.understand.model import load_recogniser
from rexos.orchestrator.understand.train import load_examples, prepare, train


def test_the_shipped_model_is_what_training_makes() -> None:
    examples = load_examples()
    shipped, fresh = load_recogniser(), train(examples)
    assert shipped.labels == fresh.labels
    assert np.allclose(shipped.weights, fresh.weights, atol=1e-4)
    texts = [prepare(text) for text, _ in examples]
    assert [shipped.best(t)[0] for t in texts] == [fresh.best(t)[0] for t in texts]


def test_it_fits_its_training_data() -> None:
    model, examples = load_recogniser(), load_examples()
    right = sum(model.best(prepare(text))[0] == label for text, label in examples)
    assert right / len(examples) >= 0.97


def test_values_are_masked_so_the_model_cannot_see_them() -> None:
    a = mask("send 5 usdc to 0x3333333333333333333333333333333333333333", {"USDC"})
    b = mask("send 900.5 usdc to 0xabcdefabcdefabcdefabcdefabcdefabcdefabcd", {"USDC"})
    assert a == b == "send <num> <tok> to <addr>"
    assert mask("pay vitalik.eth 2 dai", {"DAI"}) == "pay <ens> <num> <tok>"
    model = load_recogniser()
    assert model.scores(a) == model.scores(b)


def test_probabilities_sum_to_one() -> None:
    scores = load_recogniser().scores(prepare("swap 1 eth to usdc"))
    assert abs(sum(scores.values()) - 1.0) < 1e-5
    assert max(scores, key=scores.__getitem__) == "swap"
