"""Committee verdicts: is a posted answer valid, and what does a member reveal for it?

A member judges the responder's output with :func:`judge`: a model that can score
(:class:`~rexos.llm.verify.Scorer` with a verification policy, the local GGUF model)
checks it in one teacher-forced pass within the tolerance of the model's registration;
any other model (a remote endpoint, the scripted fake) regenerates and compares output
hashes bit for bit, as before. The vote a member commits and reveals is the responder's
output hash when the verdict is *valid* and :data:`INVALID_VOTE` when it is not, so the
``RequestBook``'s strict-majority settlement is unchanged: a majority of valid verdicts
upholds the answer, a majority of invalid ones overturns it.
"""

from __future__ import annotations

from rexos.llm import DecodingParams, Model, output_hash
from rexos.llm.verify import Scorer, Verdict, verify_output

__all__ = ["INVALID_VOTE", "judge", "vote_for"]

INVALID_VOTE = b"\xff" * 32
"""The revealed value of an *invalid* verdict: all ones. It is not zero (the book rejects a
zero vote) and no output hashes to it: an output hash is keccak256 of the output, and
nobody knows a keccak256 preimage of all ones (a fixed string's hash would not do: an
answer of exactly that string would turn every invalid verdict into an upholding vote)."""


def judge(model: Model, prompt: str, output: str, params: DecodingParams) -> Verdict:
    """The verdict on ``output`` as an answer to ``prompt`` under ``params``."""
    if isinstance(model, Scorer) and model.policy is not None:
        return verify_output(model, prompt, output, params, model.policy)
    mine = model.complete(prompt, params).text
    if mine == output:
        return Verdict(valid=True)
    return Verdict(
        valid=False,
        failure="token",
        reason=f"regeneration gives {output_hash(mine)}, the answer {output_hash(output)}",
    )


def vote_for(verdict: Verdict, answer_hash: bytes) -> bytes:
    """The 32 bytes a member commits and reveals: the answer's hash, or :data:`INVALID_VOTE`."""
    return answer_hash if verdict.valid else INVALID_VOTE
