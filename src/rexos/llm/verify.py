"""Verification by scoring: is a claimed output what the model's decoding rule picks?

A :class:`Scorer` (the local GGUF model) runs the model **once** over prompt + claimed
output (teacher forcing: one prefill with logits at every output position) and hands
back :class:`Scores`; this module decides. For greedy decoding every claimed token must
be within the policy's tolerance of the position's best token
(:class:`~rexos.llm.spec.VerificationPolicy`: logit within ``ε`` of the maximum and rank
below ``top_k``), and the end must be where greedy decoding ends: at ``max_tokens``
tokens, or where an end-of-generation token (or the start of a stop string) is within
``ε`` of the best. For sampling the check is weaker and documented in
``docs/explanation/dprompt-verification.md``: each token must lie in the sampler's
candidate set (top-k and top-p at the receipt's temperature, boundaries widened by ``ε``);
the seeded draw itself is not reproduced.

Greedy outputs also pass a sequence-level bound. An honest provider on other hardware
follows the argmax of its own prefix: where its float sums differ from the verifier's it
may pick the runner-up at a near tie, and then it follows the argmax again, so under
teacher forcing its tokens are off the verifier's argmax at a few positions, each by a
hair. An answer produced from another prompt (or by another model) is off at several
positions, each by a gap the per-token ``ε`` may still allow. The policy bounds, in every
``window_tokens`` consecutive positions, the number of claimed tokens off the argmax and
the sum of their gaps to the best logit (the log-probability they give up against the
per-position best).

The commitment (after TOPLOC's activation commitments, in logit space) binds an output
to the run that produced it: the digest of the prompt token ids the model evaluated (the
prompt binding: tokenisation is integer work, the same on every build and thread count),
then the ``commit_k`` best token ids and their logits rounded to thousandths at every
``commit_stride``-th output position and the last one (the first committed position is
the last prompt position's logits, so they depend on the whole prompt too). A verifier
recomputes them and accepts small numeric drift (an id-overlap threshold and a logit
tolerance) but not another prompt, model or quantisation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from rexos.llm.hashing import keccak_hex
from rexos.llm.params import DecodingParams
from rexos.llm.spec import VerificationPolicy

__all__ = [
    "COMMITMENT_VERSION",
    "Candidate",
    "Deviation",
    "PositionScore",
    "Scorer",
    "Scores",
    "Verdict",
    "check_commitment",
    "check_decoding",
    "commitment_hash",
    "deviation",
    "make_commitment",
    "prompt_digest",
    "verify_output",
]

COMMITMENT_VERSION = 2
_DIGEST = 32
_WORD = 4
_SAMPLING_CANDIDATES = 64
Failure = Literal[
    "", "token", "sequence", "early_stop", "too_long", "commitment", "receipt", "tokenisation"
]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One token the model could pick at a position: id, logit, text, end-of-generation."""

    token: int
    logit: float
    piece: str
    eog: bool = False


@dataclass(frozen=True, slots=True)
class PositionScore:
    """The model's logits at one position, as far as verification needs them.

    ``token`` is the claimed token (``-1`` at the end position), ``rank`` how many tokens
    score strictly higher than it, ``top`` the best candidates (best first) and
    ``log_norm`` the log-sum-exp of the whole row at the temperature asked for.
    """

    token: int
    piece: str
    logit: float
    rank: int
    top: tuple[Candidate, ...]
    log_norm: float

    @property
    def best(self) -> Candidate:
        """The position's highest-scoring token."""
        return self.top[0]


@dataclass(frozen=True, slots=True)
class Scores:
    """Teacher-forced scores of a claimed output: one per output token, then the end."""

    positions: tuple[PositionScore, ...]
    end: PositionScore
    prompt_tokens: int
    round_trips: bool
    """Whether the output's tokens detokenise to exactly the claimed text."""
    prompt_ids: tuple[int, ...] = ()
    """The prompt token ids the model evaluated (what the commitment's prompt digest binds)."""


@runtime_checkable
class Scorer(Protocol):
    """A model that can score a claimed output in one pass (the GGUF backend)."""

    @property
    def policy(self) -> VerificationPolicy | None:
        """The verification policy of the model's registration (``None``: none)."""
        ...

    @property
    def registration_hash(self) -> str:
        """What receipts name as the model (:attr:`ModelSpec.registration_hash`)."""
        ...

    def score(self, prompt: str, output: str, top: int, temperature: float = 1.0) -> Scores:
        """Logits of every output position and the end, with ``top`` candidates each."""
        ...


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether an output passes; if not, the first failing position and why."""

    valid: bool
    failure: Failure = ""
    position: int | None = None
    reason: str = ""
    checked: int = 0


@dataclass(frozen=True, slots=True)
class Deviation:
    """How far a claimed output strays from the scored argmax path, over the whole output.

    ``off_argmax``: positions where some token scores strictly higher than the claimed one;
    ``regret_milli``: the sum over positions of (best logit − claimed logit), in thousandths
    (the log-probability the claimed tokens give up against the per-position best).
    """

    off_argmax: int
    regret_milli: int


def deviation(scores: Scores) -> Deviation:
    """The :class:`Deviation` of ``scores``' output positions (the end position excluded)."""
    off = sum(pos.rank > 0 for pos in scores.positions)
    regret = sum(pos.best.logit - pos.logit for pos in scores.positions)
    return Deviation(off, round(regret * 1000))


def _fail(failure: Failure, position: int | None, reason: str, checked: int) -> Verdict:
    return Verdict(False, failure, position, reason, checked)


def check_decoding(scores: Scores, params: DecodingParams, policy: VerificationPolicy) -> Verdict:
    """Check every claimed token and the stop rule against ``params`` within ``policy``."""
    eps = policy.epsilon_milli / 1000
    n = len(scores.positions)
    if not scores.round_trips:
        return _fail("tokenisation", 0, "the output is not valid text of this tokenizer", 0)
    if n > params.max_tokens:
        why = f"{n} tokens, more than max_tokens {params.max_tokens}"
        return _fail("too_long", params.max_tokens, why, n)
    for i, pos in enumerate(scores.positions):
        reason = _token_reason(pos, params, policy, eps)
        if reason:
            return _fail("token", i, reason, i)
    if params.is_greedy:
        verdict = _check_windows(scores, policy)
        if not verdict.valid:
            return verdict
    if n < params.max_tokens and not _may_stop(scores.end, params, eps):
        best = scores.end.best
        why = (
            f"stops after {n} tokens, below max_tokens {params.max_tokens}, where the model "
            f"continues with {best.piece!r} (no end-of-generation token or stop string "
            f"within {eps})"
        )
        return _fail("early_stop", n, why, n)
    return Verdict(valid=True, checked=n)


def _check_windows(scores: Scores, policy: VerificationPolicy) -> Verdict:
    """The sequence-level bound: in every ``window_tokens`` consecutive positions, few
    claimed tokens off the argmax and a small sum of gaps (see the module docstring)."""
    gaps = [round((pos.best.logit - pos.logit) * 1000) for pos in scores.positions]
    offs = [pos.rank > 0 for pos in scores.positions]
    width = policy.window_tokens
    off = regret = 0
    for i in range(len(gaps)):
        off += offs[i]
        regret += gaps[i]
        start = i - width + 1
        if start > 0:
            off -= offs[start - 1]
            regret -= gaps[start - 1]
        first = max(start, 0)
        if off > policy.window_off_argmax:
            why = (
                f"{off} claimed tokens off the best in positions {first}..{i} "
                f"(at most {policy.window_off_argmax} in {width})"
            )
            return _fail("sequence", first, why, i)
        if regret > policy.window_regret_milli:
            why = (
                f"claimed tokens in positions {first}..{i} score {regret / 1000} below the "
                f"best in sum (at most {policy.window_regret_milli / 1000} in {width})"
            )
            return _fail("sequence", first, why, i)
    return Verdict(valid=True, checked=len(gaps))


def _token_reason(
    pos: PositionScore, params: DecodingParams, policy: VerificationPolicy, eps: float
) -> str:
    best = pos.best
    if params.is_greedy:
        gap = best.logit - pos.logit
        if gap > eps or pos.rank >= policy.top_k:
            return (
                f"claimed {pos.piece!r} scores {gap:.4f} below the best {best.piece!r} "
                f"(rank {pos.rank}; tolerance {eps}, top {policy.top_k})"
            )
        return ""
    if params.top_k and pos.rank >= params.top_k:
        kth = pos.top[params.top_k - 1].logit if len(pos.top) >= params.top_k else best.logit
        if kth - pos.logit > eps:
            return f"claimed {pos.piece!r} is outside the sampler's top {params.top_k}"
    if params.top_p < 1:
        temp = float(params.temperature)
        better = [c for c in pos.top if c.logit > pos.logit + eps]
        above = sum(_prob(c.logit, temp, pos.log_norm) for c in better)
        if above >= float(params.top_p):
            return f"claimed {pos.piece!r} is outside the sampler's top-p {params.top_p} set"
    return ""


def _prob(logit: float, temperature: float, log_norm: float) -> float:
    return math.exp(logit / temperature - log_norm)


def _may_stop(end: PositionScore, params: DecodingParams, eps: float) -> bool:
    """Whether decoding may end here: an end token or a stop string's start near the best."""
    floor = end.best.logit - eps
    for cand in end.top:
        if cand.logit < floor:
            break
        if cand.eog:
            return True
        piece = cand.piece
        if piece and any(s.startswith(piece) or piece.startswith(s) for s in params.stop):
            return True
    if not params.is_greedy:
        return any(c.eog for c in end.top)
    return False


def _committed_positions(n: int, stride: int) -> list[int]:
    if n == 0:
        return []
    chosen = list(range(0, n, stride))
    if chosen[-1] != n - 1:
        chosen.append(n - 1)
    return chosen


def prompt_digest(prompt_ids: tuple[int, ...]) -> bytes:
    """keccak256 of the prompt token ids as big-endian 32-bit words (32 bytes)."""
    words = b"".join(t.to_bytes(_WORD, "big") for t in prompt_ids)
    return bytes.fromhex(keccak_hex(words).removeprefix("0x"))


def make_commitment(scores: Scores, policy: VerificationPolicy) -> bytes:
    """The commitment bytes of ``scores``: version, the 32-byte :func:`prompt_digest` of
    the evaluated prompt, then per committed position ``commit_k`` pairs of (token id,
    logit in thousandths), big-endian 32-bit words."""
    out = [COMMITMENT_VERSION.to_bytes(_WORD, "big"), prompt_digest(scores.prompt_ids)]
    for i in _committed_positions(len(scores.positions), policy.commit_stride):
        for cand in scores.positions[i].top[: policy.commit_k]:
            out.append(cand.token.to_bytes(_WORD, "big"))
            out.append(round(cand.logit * 1000).to_bytes(_WORD, "big", signed=True))
    return b"".join(out)


def commitment_hash(commitment: bytes) -> str:
    """keccak256 of the commitment bytes (what the receipt hash includes)."""
    return keccak_hex(commitment)


def check_commitment(commitment: bytes, scores: Scores, policy: VerificationPolicy) -> Verdict:
    """Compare a provider's commitment with the verifier's own scores of the same output:
    the prompt digest exactly, the committed logits within the policy's drift tolerance."""
    chosen = _committed_positions(len(scores.positions), policy.commit_stride)
    k = policy.commit_k
    expected = _WORD + _DIGEST + 2 * _WORD * k * len(chosen)
    version = int.from_bytes(commitment[:_WORD], "big")
    if len(commitment) != expected or version != COMMITMENT_VERSION:
        why = (
            f"commitment has {len(commitment)} bytes, expected {expected} "
            f"(version {COMMITMENT_VERSION})"
        )
        return _fail("commitment", None, why, 0)
    if commitment[_WORD : _WORD + _DIGEST] != prompt_digest(scores.prompt_ids):
        why = (
            "the commitment was made over another prompt: its prompt digest is not that of "
            f"the {len(scores.prompt_ids)} prompt tokens asked"
        )
        return _fail("commitment", None, why, 0)
    tol = policy.commit_logit_milli
    offset = _WORD + _DIGEST
    for n, i in enumerate(chosen):
        mine = {c.token: round(c.logit * 1000) for c in scores.positions[i].top[:k]}
        shared = 0
        for _ in range(k):
            token = int.from_bytes(commitment[offset : offset + _WORD], "big")
            word = commitment[offset + _WORD : offset + 2 * _WORD]
            value = int.from_bytes(word, "big", signed=True)
            offset += 2 * _WORD
            if token in mine:
                shared += 1
                if abs(mine[token] - value) > tol:
                    why = (
                        f"committed logit of token {token} is {value / 1000}, "
                        f"recomputed {mine[token] / 1000} (tolerance {tol / 1000})"
                    )
                    return _fail("commitment", i, why, n)
        if shared * 1000 < policy.overlap_milli * k:
            why = f"only {shared} of {k} committed top tokens are in the recomputed top {k}"
            return _fail("commitment", i, why, n)
    return Verdict(valid=True, checked=len(chosen))


def verify_output(
    scorer: Scorer,
    prompt: str,
    output: str,
    params: DecodingParams,
    policy: VerificationPolicy,
    commitment: bytes | None = None,
) -> Verdict:
    """Score ``output`` once and check the decoding rule (and ``commitment`` when given)."""
    top = max(policy.top_k, policy.commit_k, 1 if params.is_greedy else _SAMPLING_CANDIDATES)
    temperature = 1.0 if params.is_greedy else float(params.temperature)
    scores = scorer.score(prompt, output, top, temperature)
    verdict = check_decoding(scores, params, policy)
    if verdict.valid and commitment is not None:
        return check_commitment(commitment, scores, policy)
    return verdict
