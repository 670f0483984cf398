"""``opml-sentiment-v1``: the exported Lense model, run in the opML VM, labels exactly as Lense."""

from __future__ import annotations

import numpy as np
import pytest

from rexos.lense.sentiment_features import features
from rexos.lense.sentiment_model import load_model
from rexos.lense.sentiment_set import load_set
from rexos.opml import ANSWERS, decode_prompt, encode_prompt, execute, label_of, run
from rexos.opml.sentiment import (
    HEADER,
    MAX_COUNT,
    SentimentWeights,
    load_weights,
    reference_label,
    sentiment_program,
)


def test_the_shipped_export_is_the_lense_model() -> None:
    lense = load_model()
    exported = SentimentWeights.export(lense.weights, lense.digest())
    assert exported.digest() == load_weights().digest()
    dense = np.zeros_like(lense.weights)
    dense[load_weights().features] = load_weights().weights
    assert np.array_equal(dense, lense.weights)


def test_the_vm_labels_every_held_out_text_as_lense_does() -> None:
    lense, program = load_model(), sentiment_program()
    items = load_set("test")
    right = 0
    for item in items:
        counts = features(item.text, lense.recipe)
        answer = program.output(execute(program, encode_prompt(counts, item.text)))
        expected = lense.label(item.text)
        assert label_of(answer) == expected == reference_label(counts), item.text
        right += expected == item.label
    assert len(items) == 446
    assert right == 336  # accuracy 0.7534, the Lense model's (docs/explanation/lense-sentiment.md)


def test_a_run_with_every_state_agrees_with_the_fast_path() -> None:
    program = sentiment_program()
    text = "Bridge exploited, $40 million drained; token crashes 60%"
    prompt = encode_prompt(features(text, load_model().recipe), text)
    trace = run(program, prompt)
    assert trace.memories[-1] == execute(program, prompt)
    assert trace.output == ANSWERS["negative"]


def test_a_prompt_round_trips_and_keeps_its_text() -> None:
    text = "ETH soars to a record high 🚀"
    counts = features(text, load_model().recipe)
    prompt = encode_prompt(counts, text)
    assert prompt.startswith(HEADER) and prompt.endswith(text.encode())
    back, read = decode_prompt(prompt)
    kept = set(load_weights().features.tolist())
    assert back == {k: v for k, v in counts.items() if k in kept} and read == text
    prompt.decode("utf-8")  # 7-bit counts: the prompt is text


def test_counts_beyond_the_encoding_are_refused() -> None:
    first = int(load_weights().features[0])
    assert decode_prompt(encode_prompt({first: MAX_COUNT - 1}, ""))[0] == {first: MAX_COUNT - 1}
    with pytest.raises(ValueError, match="outside"):
        encode_prompt({first: MAX_COUNT}, "")
    with pytest.raises(ValueError, match="outside"):
        encode_prompt({first: -1}, "")


@pytest.mark.parametrize(
    "prompt",
    [b"", b"plain text, no counts", HEADER + b"\x80" * 20, HEADER[:-1] + b"?" + b"\n" * 9200],
)
def test_malformed_prompts_still_get_the_programs_answer(prompt: bytes) -> None:
    program = sentiment_program()
    if prompt.startswith(HEADER) or len(prompt) > 9000:
        with pytest.raises(ValueError):
            decode_prompt(prompt)
    answer = program.output(execute(program, prompt))
    assert label_of(answer) is not None


def test_ties_go_to_the_first_class_in_lense_order() -> None:
    tiny = SentimentWeights(
        np.array([0, 1], dtype=np.int32), np.array([[1, 1, 1], [0, 2, 2]], dtype=np.int8), "t"
    )
    program = sentiment_program(tiny)
    cases = {
        (3, 0): "neutral",  # 3, 3, 3
        (0, 1): "positive",  # 0, 2, 2
        (1, 1): "positive",  # 1, 3, 3
    }
    for (a, b), expected in cases.items():
        counts = {0: a, 1: b}
        answer = program.output(execute(program, encode_prompt(counts, "", tiny)))
        assert label_of(answer) == expected == reference_label(counts, tiny)
    negative = SentimentWeights(
        np.array([5], dtype=np.int32), np.array([[-2, -3, 4]], dtype=np.int8), "t"
    )
    answer = sentiment_program(negative).output(
        execute(sentiment_program(negative), encode_prompt({5: 7}, "", negative))
    )
    assert label_of(answer) == "negative"


def test_the_prompt_limit_fits_the_longest_text_lense_reads() -> None:
    from rexos.lense.sentiment_text import MAX_CHARS
    from rexos.opml.sentiment import COUNT_BYTES, MAX_PROMPT_BYTES, MAX_TEXT_CHARS

    assert MAX_TEXT_CHARS == MAX_CHARS
    header_and_counts = len(HEADER) + COUNT_BYTES * len(load_weights().features) + 1
    assert header_and_counts + 4 * MAX_CHARS == MAX_PROMPT_BYTES
