"""The decision logic of verification by scoring, on hand-made scores (no model needed)."""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal

import pytest

from rexos.dprompt.deploy import registered_hash
from rexos.dprompt.params import ModelParams
from rexos.dprompt.verdict import INVALID_VOTE, judge, vote_for
from rexos.errors import ConfigError
from rexos.llm import (
    DEFAULT_MODEL_ID,
    GEMMA_270M_SHA256,
    DecodingParams,
    ModelSpec,
    ScriptedModel,
    default_registry,
    greedy,
    output_hash,
)
from rexos.llm.registry import GEMMA_270M_VERIFICATION
from rexos.llm.spec import VerificationPolicy
from rexos.llm.verify import (
    Candidate,
    PositionScore,
    Scorer,
    Scores,
    Verdict,
    check_commitment,
    check_decoding,
    deviation,
    make_commitment,
    prompt_digest,
)

POLICY = VerificationPolicy(
    epsilon_milli=500,
    top_k=2,
    commit_stride=2,
    commit_k=3,
    overlap_milli=667,
    commit_logit_milli=100,
    window_tokens=4,
    window_off_argmax=1,
    window_regret_milli=400,
)
EOS = Candidate(1, 9.0, "", eog=True)


def _pos(claimed: int, logits: dict[int, float], temperature: float = 1.0) -> PositionScore:
    ranked = sorted(logits.items(), key=lambda kv: -kv[1])
    top = tuple(Candidate(t, v, f"t{t}", eog=t == 1) for t, v in ranked)
    mine = logits.get(claimed, ranked[0][1])
    rank = sum(v > mine for _, v in ranked) if claimed >= 0 else 0
    norm = math.log(sum(math.exp(v / temperature) for v in logits.values()))
    return PositionScore(claimed, f"t{claimed}", mine, rank, top, norm)


def _scores(
    claimed: list[int], end: dict[int, float] | None = None, temperature: float = 1.0
) -> Scores:
    rows = [_pos(t, {10: 8.0, 11: 7.0, 12: 3.0, 13: 1.0}, temperature) for t in claimed]
    return Scores(tuple(rows), _pos(-1, end or {1: 9.0, 10: 2.0, 11: 1.0}), 5, True)


def test_greedy_tokens_pass_within_epsilon_and_fail_beyond() -> None:
    assert check_decoding(_scores([10, 10, 10]), greedy(max_tokens=8), POLICY).valid
    near = _scores([10, 10, 10])
    row = _pos(11, {10: 8.0, 11: 7.7, 12: 3.0})
    near = Scores((near.positions[0], row, near.positions[2]), near.end, 5, True)
    assert check_decoding(near, greedy(max_tokens=8), POLICY).valid
    verdict = check_decoding(_scores([10, 11, 10]), greedy(max_tokens=8), POLICY)
    assert not verdict.valid and verdict.failure == "token" and verdict.position == 1
    assert "t11" in verdict.reason and "t10" in verdict.reason


def _with_rows(claimed: list[int], rows: dict[int, PositionScore]) -> Scores:
    base = _scores(claimed)
    positions = tuple(rows.get(i, p) for i, p in enumerate(base.positions))
    return Scores(positions, base.end, 5, True)


def _near(gap: float) -> PositionScore:
    """A position whose claimed token (11) is ``gap`` below the best (10)."""
    return _pos(11, {10: 8.0, 11: 8.0 - gap, 12: 3.0})


def test_one_near_tie_flip_passes_but_several_small_ones_do_not() -> None:
    params = greedy(max_tokens=8)
    honest = _with_rows([10] * 8, {3: _near(0.05)})
    assert check_decoding(honest, params, POLICY).valid
    # each flip is within ε (0.5) on its own; two in four positions is more than drift makes
    two = _with_rows([10] * 8, {2: _near(0.05), 4: _near(0.05)})
    verdict = check_decoding(two, params, POLICY)
    assert not verdict.valid and verdict.failure == "sequence" and verdict.position == 1
    assert "2 claimed tokens off the best in positions 1..4" in verdict.reason


def test_the_bound_slides_over_long_outputs() -> None:
    params = greedy(max_tokens=16)
    apart = _with_rows([10] * 16, {0: _near(0.05), 4: _near(0.05), 8: _near(0.05)})
    assert check_decoding(apart, params, POLICY).valid  # one per window of 4
    close = _with_rows([10] * 16, {9: _near(0.05), 12: _near(0.05)})
    verdict = check_decoding(close, params, POLICY)
    assert not verdict.valid and verdict.position == 9


def test_the_sum_of_gaps_is_bounded() -> None:
    params = greedy(max_tokens=8)
    # one token off, 0.45 below the best: within ε (0.5), over the window's 0.4 in sum
    verdict = check_decoding(_with_rows([10] * 8, {5: _near(0.45)}), params, POLICY)
    assert not verdict.valid and verdict.failure == "sequence" and "0.45" in verdict.reason
    assert check_decoding(_with_rows([10] * 8, {5: _near(0.4)}), params, POLICY).valid
    counted = replace(POLICY, window_off_argmax=8)
    spread = _with_rows([10] * 8, {i: _near(0.15) for i in (0, 1, 2)})
    assert not check_decoding(spread, params, counted).valid  # 0.45 in one window
    # an exact tie is not off the argmax (nothing scores strictly higher)
    tie = _with_rows([10] * 8, {i: _near(0.0) for i in range(8)})
    assert check_decoding(tie, params, POLICY).valid


def test_sampled_outputs_are_not_held_to_the_argmax() -> None:
    params = DecodingParams(max_tokens=8, temperature=Decimal("0.7"), top_k=2, seed=3)
    assert check_decoding(_scores([11] * 8, temperature=0.7), params, POLICY).valid


def test_deviation_counts_off_argmax_positions_and_sums_gaps() -> None:
    d = deviation(_with_rows([10] * 8, {1: _near(0.25), 6: _near(0.125)}))
    assert (d.off_argmax, d.regret_milli) == (2, 375)


def test_rank_beyond_top_k_fails_even_within_epsilon() -> None:
    tie = _pos(12, {10: 8.0, 11: 8.0, 12: 7.9})
    scores = Scores((tie,), _scores([]).end, 5, True)
    verdict = check_decoding(scores, greedy(max_tokens=8), POLICY)
    assert not verdict.valid and verdict.position == 0


def test_stop_rule_length_eos_and_stop_strings() -> None:
    no_end = {10: 9.0, 1: 2.0}
    early = check_decoding(_scores([10, 10], no_end), greedy(max_tokens=8), POLICY)
    assert not early.valid and early.failure == "early_stop" and early.position == 2
    assert check_decoding(_scores([10, 10], no_end), greedy(max_tokens=2), POLICY).valid
    assert check_decoding(_scores([10, 10]), greedy(max_tokens=8), POLICY).valid
    too_long = check_decoding(_scores([10, 10, 10]), greedy(max_tokens=2), POLICY)
    assert not too_long.valid and too_long.failure == "too_long"
    newline = Scores(
        _scores([10]).positions,
        PositionScore(-1, "", 9.0, 0, (Candidate(7, 9.0, "\n"),), 10.0),
        5,
        True,
    )
    assert not check_decoding(newline, greedy(max_tokens=8), POLICY).valid
    with_stop = greedy(max_tokens=8, stop=("\nUser:",))
    assert check_decoding(newline, with_stop, POLICY).valid


def test_text_that_does_not_round_trip_is_invalid() -> None:
    s = _scores([10])
    broken = Scores(s.positions, s.end, 5, round_trips=False)
    assert check_decoding(broken, greedy(), POLICY).failure == "tokenisation"


def test_sampling_checks_top_k_and_top_p() -> None:
    params = DecodingParams(
        max_tokens=8, temperature=Decimal("0.7"), top_k=2, top_p=Decimal("0.9"), seed=3
    )
    assert check_decoding(_scores([11], temperature=0.7), params, POLICY).valid  # p(t10) ≈ 0.81
    assert check_decoding(_scores([12], temperature=0.7), params, POLICY).failure == "token"
    narrow = DecodingParams(max_tokens=8, temperature=Decimal("0.7"), top_p=Decimal("0.5"))
    verdict = check_decoding(_scores([11], temperature=0.7), narrow, POLICY)
    assert not verdict.valid and "top-p" in verdict.reason


def test_commitment_accepts_drift_and_rejects_other_logits() -> None:
    s = _scores([10, 10, 10])
    made = make_commitment(s, POLICY)
    assert len(made) == 4 + 32 + 2 * 3 * 8  # version, prompt digest, positions 0 and 2 × 3 pairs
    assert check_commitment(made, s, POLICY).valid
    drifted = _scores([10, 10, 10])
    rows = tuple(_pos(10, {10: 8.05, 11: 6.95, 12: 3.0, 13: 1.0}) for _ in range(3))
    drifted = Scores(rows, drifted.end, 5, True)
    assert check_commitment(made, drifted, POLICY).valid
    other = tuple(_pos(10, {10: 8.3, 11: 7.0, 12: 3.0, 13: 1.0}) for _ in range(3))
    verdict = check_commitment(made, Scores(other, s.end, 5, True), POLICY)
    assert not verdict.valid and verdict.failure == "commitment" and verdict.position == 0
    shuffled = tuple(_pos(10, {10: 8.0, 20: 7.0, 21: 3.0, 22: 1.0}) for _ in range(3))
    assert "only 1 of 3" in check_commitment(made, Scores(shuffled, s.end, 5, True), POLICY).reason
    assert not check_commitment(made[:-8], s, POLICY).valid
    assert not check_commitment(b"\x00\x00\x00\x01" + made[4:], s, POLICY).valid


def test_commitment_binds_the_evaluated_prompt() -> None:
    """A provider that ran another prompt and commits to its run is caught by the digest,
    even when every committed logit is the same; the digest is of the token ids, exact."""
    base = _scores([10, 10, 10])
    asked = Scores(base.positions, base.end, 3, True, prompt_ids=(2, 100, 101))
    ran = Scores(base.positions, base.end, 3, True, prompt_ids=(2, 100, 102))
    assert check_commitment(make_commitment(asked, POLICY), asked, POLICY).valid
    verdict = check_commitment(make_commitment(ran, POLICY), asked, POLICY)
    assert not verdict.valid and verdict.failure == "commitment"
    assert "another prompt" in verdict.reason
    longer = Scores(base.positions, base.end, 4, True, prompt_ids=(2, 100, 101, 7))
    assert not check_commitment(make_commitment(longer, POLICY), asked, POLICY).valid
    assert prompt_digest((1, 2)) != prompt_digest((2, 1)) != prompt_digest((258,))
    assert len(prompt_digest(())) == 32


def test_policy_is_validated_and_bound_into_the_registration_hash() -> None:
    with pytest.raises(ConfigError, match="top_k"):
        VerificationPolicy(500, 0, 8, 8, 750, 100, 32, 2, 500)
    with pytest.raises(ConfigError, match="overlap_milli"):
        VerificationPolicy(500, 2, 8, 8, 1001, 100, 32, 2, 500)
    plain = ModelSpec("m", "ab" * 32, "gguf")
    assert plain.registration_hash == "0x" + "ab" * 32
    bound = ModelSpec("m", "ab" * 32, "gguf", verification=GEMMA_270M_VERIFICATION)
    looser = VerificationPolicy(1000, 2, 8, 8, 750, 100, 32, 2, 500)
    other = ModelSpec("m", "ab" * 32, "gguf", verification=looser)
    wider = replace(looser, window_off_argmax=3)
    third = ModelSpec("m", "ab" * 32, "gguf", verification=wider)
    hashes = {plain, bound, other, third}
    assert len({spec.registration_hash for spec in hashes}) == 4
    with pytest.raises(ConfigError, match="window_tokens"):
        VerificationPolicy(500, 2, 8, 8, 750, 100, 0, 2, 500)
    with pytest.raises(ConfigError, match="window_regret_milli"):
        VerificationPolicy(500, 2, 8, 8, 750, 100, 32, 2, -1)
    assert GEMMA_270M_VERIFICATION.hash() == GEMMA_270M_VERIFICATION.hash()


def test_a_model_that_cannot_score_judges_by_regeneration() -> None:
    model = ScriptedModel({"Q": "Paris"})
    assert not isinstance(model, Scorer)
    assert judge(model, "Q", "Paris", greedy()).valid
    lie = judge(model, "Q", "Lyon", greedy())
    assert not lie.valid and output_hash("Paris") in lie.reason


def test_votes_are_the_output_hash_or_the_invalid_sentinel() -> None:
    answer = bytes.fromhex(output_hash("Paris")[2:])
    assert vote_for(Verdict(valid=True), answer) == answer
    assert vote_for(Verdict(valid=False), answer) == INVALID_VOTE
    assert len(INVALID_VOTE) == 32 and any(INVALID_VOTE)  # the book rejects a zero vote


def test_deployment_registers_the_policy_bound_hash_of_a_known_llm_model() -> None:
    gemma = default_registry().get(DEFAULT_MODEL_ID)
    listed = ModelParams(DEFAULT_MODEL_ID, GEMMA_270M_SHA256, "llm", 256)
    assert registered_hash(listed) == bytes.fromhex(gemma.registration_hash[2:])
    assert registered_hash(listed) != bytes.fromhex(GEMMA_270M_SHA256)
    other_weights = replace(listed, weights_sha256="cd" * 32)
    unknown = replace(listed, model_id="someone-elses-model")
    for params in (other_weights, unknown, replace(listed, kind="opml")):
        assert registered_hash(params) == bytes.fromhex(params.weights_sha256)
