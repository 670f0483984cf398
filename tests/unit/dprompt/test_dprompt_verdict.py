"""The committee verdict on a posted answer (``judge_answer``) with a fake scorer: the
carried commitment and the receipt are checked before the one scoring pass, and every
mismatch is invalid. The real contracts and model: ``tests/integration/dprompt``."""

from __future__ import annotations

import math
from dataclasses import replace

from eth_utils.crypto import keccak

from rexos.dprompt.verdict import judge_answer
from rexos.dprompt.views import RequestView, receipt_hash
from rexos.llm import DecodingParams, greedy, prompt_hash
from rexos.llm.spec import VerificationPolicy
from rexos.llm.verify import Candidate, PositionScore, Scores, commitment_hash, make_commitment
from rexos.types import Address

POLICY = VerificationPolicy(500, 2, 2, 2, 500, 100, 4, 1, 400)
PARAMS = greedy(max_tokens=2)
PROMPT, OUTPUT = "Q", "ab"
ZERO = Address("0x" + "00" * 20)


def _row(claimed: int) -> PositionScore:
    top = (Candidate(10, 8.0, "a"), Candidate(11, 7.0, "b"), Candidate(1, 1.0, "", eog=True))
    logit = next(c.logit for c in top if c.token == claimed) if claimed >= 0 else 8.0
    rank = sum(c.logit > logit for c in top) if claimed >= 0 else 0
    return PositionScore(claimed, "x", logit, rank, top, math.log(3.0))


class FakeScorer:
    """Scores ``OUTPUT`` as two tokens at the argmax; counts its scoring passes."""

    def __init__(self, prompt_ids: tuple[int, ...] = (5, 6)) -> None:
        self.passes = 0
        self.prompt_ids = prompt_ids

    @property
    def policy(self) -> VerificationPolicy:
        return POLICY

    @property
    def registration_hash(self) -> str:
        return "0x" + "ab" * 32

    def score(self, prompt: str, output: str, top: int, temperature: float = 1.0) -> Scores:
        self.passes += 1
        return Scores((_row(10), _row(10)), _row(-1), len(self.prompt_ids), True, self.prompt_ids)

    def complete(self, prompt: str, params: DecodingParams) -> object:
        raise AssertionError("a scoring member never regenerates")


def _view(commitment: bytes, output: bytes = OUTPUT.encode()) -> RequestView:
    rh = receipt_hash(
        "0x" + "ab" * 32,
        prompt_hash(PROMPT),
        PARAMS.hash(),
        PARAMS.seed,
        "0x" + keccak(output).hex(),
        commitment_hash(commitment),
    )
    return RequestView(
        id=1,
        requester=ZERO,
        fee=1,
        model_id=b"\x01" * 32,
        prompt_hash=keccak(PROMPT.encode()),
        provider=ZERO,
        deadline=0,
        callback=ZERO,
        callback_gas_limit=0,
        callback_mode="none",
        challenge_window=60,
        responder=ZERO,
        responded_at=1,
        status="answered",
        output_hash=keccak(output),
        receipt_hash=bytes.fromhex(rh.removeprefix("0x")),
        prompt=PROMPT,
        output=output.decode("utf-8", errors="replace"),
        output_bytes=output,
        commitment=commitment,
    )


def _honest() -> bytes:
    return make_commitment(FakeScorer().score(PROMPT, OUTPUT, 2), POLICY)


def test_an_honest_answer_with_its_commitment_is_valid_in_one_pass() -> None:
    scorer = FakeScorer()
    verdict = judge_answer(scorer, _view(_honest()), PARAMS)  # type: ignore[arg-type]
    assert verdict.valid, verdict.reason
    assert scorer.passes == 1


def test_missing_and_unbound_commitments_are_invalid_before_any_scoring() -> None:
    scorer = FakeScorer()
    missing = judge_answer(scorer, _view(b""), PARAMS)  # type: ignore[arg-type]
    assert not missing.valid and missing.failure == "commitment"
    bound = _view(_honest())
    swapped = replace(bound, commitment=_honest()[:-1] + b"\x00")  # not what the receipt binds
    verdict = judge_answer(scorer, swapped, PARAMS)  # type: ignore[arg-type]
    assert not verdict.valid and verdict.failure == "receipt"
    other_params = judge_answer(scorer, bound, greedy(max_tokens=3))  # type: ignore[arg-type]
    assert not other_params.valid and other_params.failure == "receipt"
    assert scorer.passes == 0


def test_a_commitment_over_another_prompt_is_invalid() -> None:
    theirs = make_commitment(FakeScorer((7, 8)).score(PROMPT, OUTPUT, 2), POLICY)
    verdict = judge_answer(FakeScorer(), _view(theirs), PARAMS)  # type: ignore[arg-type]
    assert not verdict.valid and verdict.failure == "commitment"
    assert "another prompt" in verdict.reason


def test_an_unanswered_request_and_non_utf8_output_are_invalid() -> None:
    scorer = FakeScorer()
    unanswered = replace(_view(_honest()), status="open", output=None, output_bytes=None)
    assert not judge_answer(scorer, unanswered, PARAMS).valid  # type: ignore[arg-type]
    garbled = _view(_honest(), output=b"a\xff")
    verdict = judge_answer(scorer, garbled, PARAMS)  # type: ignore[arg-type]
    assert not verdict.valid and verdict.failure == "tokenisation"
    assert scorer.passes == 0
