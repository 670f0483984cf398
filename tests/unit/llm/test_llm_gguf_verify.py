"""Verification by scoring with the real default model (gemma-3-270m); skipped without the
llm extra. An honest answer decoded with another batch size passes; an edited token, a
truncated output and an answer to another prompt fail, each at the right place."""

from __future__ import annotations

from pathlib import Path

import pytest

from rexos.config import Settings
from rexos.dprompt.verdict import judge
from rexos.dprompt.views import answer, receipt_hash
from rexos.llm import DEFAULT_MODEL_ID, Model, default_registry, greedy, prompt_hash
from rexos.llm.gguf import GGUFModel, resolve_weights
from rexos.llm.verify import check_commitment, commitment_hash, make_commitment, verify_output

PARAMS = greedy(max_tokens=24)
PROMPTS = ("Q: What is the capital of France?\nA:", "Once upon a time, in a small village,")
SPEC = default_registry().get(DEFAULT_MODEL_ID)
POLICY = SPEC.verification
assert POLICY is not None


@pytest.fixture(scope="module")
def scorer(gguf_model: Model) -> GGUFModel:
    assert isinstance(gguf_model, GGUFModel)
    return gguf_model


@pytest.fixture(scope="module")
def small_batches(gguf_home: Path, scorer: GGUFModel) -> GGUFModel:
    """The same weights decoded 8 tokens at a time: other float sums, same model."""
    return GGUFModel(SPEC, resolve_weights(SPEC, Settings(home=gguf_home)), batch=8)


@pytest.mark.parametrize("prompt", PROMPTS)
def test_honest_answer_from_another_batch_size_passes(
    scorer: GGUFModel, small_batches: GGUFModel, prompt: str
) -> None:
    text = small_batches.complete(prompt, PARAMS).text
    committed = make_commitment(small_batches.score(prompt, text, POLICY.commit_k), POLICY)
    verdict = verify_output(scorer, prompt, text, PARAMS, POLICY, committed)
    assert verdict.valid, verdict.reason
    assert verdict.checked >= 3  # committed positions 0, 8, 16 and the last


def test_an_edited_token_is_rejected_where_it_was_edited(scorer: GGUFModel) -> None:
    prompt = PROMPTS[0]
    ids = scorer.tokenize(scorer.complete(prompt, PARAMS).text)
    ids[3] = scorer.tokenize(" zebra")[0]
    verdict = verify_output(scorer, prompt, scorer.detokenize(ids), PARAMS, POLICY)
    assert not verdict.valid
    assert verdict.failure == "token" and verdict.position == 3


def test_a_truncated_answer_and_an_answer_to_another_prompt_are_rejected(
    scorer: GGUFModel,
) -> None:
    prompt = PROMPTS[0]
    ids = scorer.tokenize(scorer.complete(prompt, PARAMS).text)
    cut = verify_output(scorer, prompt, scorer.detokenize(ids[:10]), PARAMS, POLICY)
    assert not cut.valid and cut.failure == "early_stop" and cut.position == 10
    spain = scorer.complete(prompt.replace("France", "Spain"), PARAMS).text
    other = verify_output(scorer, prompt, spain, PARAMS, POLICY)
    assert not other.valid and other.failure == "token"


def test_a_commitment_made_over_another_prompt_is_rejected(scorer: GGUFModel) -> None:
    """A provider that ran an edited prompt and commits to the run it did: the prompt
    digest differs; the same output committed over the asked prompt passes."""
    prompt = PROMPTS[0]
    edited = prompt.replace("France", "Spain")
    text = scorer.complete(edited, PARAMS).text
    mine = scorer.score(prompt, text, POLICY.commit_k)
    theirs = make_commitment(scorer.score(edited, text, POLICY.commit_k), POLICY)
    verdict = check_commitment(theirs, mine, POLICY)
    assert not verdict.valid and "another prompt" in verdict.reason
    assert check_commitment(make_commitment(mine, POLICY), mine, POLICY).valid


def test_the_receipt_binds_the_commitment_and_the_node_judges_by_scoring(
    scorer: GGUFModel,
) -> None:
    prompt = PROMPTS[1]
    got = answer(scorer, prompt, PARAMS)
    assert got.commitment == make_commitment(scorer.score(prompt, got.text, 8), POLICY)
    expected = receipt_hash(
        SPEC.registration_hash,
        prompt_hash(prompt),
        PARAMS.hash(),
        PARAMS.seed,
        got.output_hash,
        commitment_hash(got.commitment),
    )
    assert got.receipt_hash == expected
    assert judge(scorer, prompt, got.text, PARAMS).valid
    assert not judge(scorer, prompt, got.text + " zebra", PARAMS).valid
