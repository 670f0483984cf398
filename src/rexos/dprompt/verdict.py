"""Committee verdicts: is a posted answer valid, and what does a member reveal for it?

A member judges a posted answer with :func:`judge_answer`. A model that can score
(:class:`~rexos.llm.verify.Scorer` with a verification policy, the local GGUF model) needs
the model commitment the provider posted with the answer (``respondWithCommitment``; the
``Responded`` event carries it, the book does not store it). The member

1. recomputes the receipt hash from what it knows itself: the model's registration hash,
   the hash of the request's prompt as the model reads it (the event's bytes as UTF-8, an
   invalid byte replaced, as the provider read them), its own decoding parameters and
   seed, the posted output's hash and ``keccak256`` of the carried commitment; it must
   equal the receipt the book stored. A missing commitment, one that is not what the
   receipt binds, or a receipt copied from another request (another prompt or output) is
   *invalid*;
2. scores the answer in one teacher-forced pass (:func:`~rexos.llm.verify.verify_output`):
   every token within the registration's tolerance, the sequence bound, the stop rule;
3. checks the carried commitment against that same pass
   (:func:`~rexos.llm.verify.check_commitment`): the prompt-token digest exactly (a
   commitment made over another prompt, or copied from another request, fails), the
   committed logits within the registered drift.

Any other model (a remote endpoint, the scripted fake) regenerates and compares output
hashes bit for bit (:func:`judge`), as before. The vote a member commits and reveals is
the responder's output hash when the verdict is *valid* and :data:`INVALID_VOTE` when it
is not, so the ``RequestBook``'s strict-majority settlement is unchanged: a majority of
valid verdicts upholds the answer, a majority of invalid ones overturns it.
"""

from __future__ import annotations

from rexos.dprompt.views import RequestView, receipt_hash
from rexos.llm import DecodingParams, Model, output_hash, prompt_hash
from rexos.llm.verify import Scorer, Verdict, commitment_hash, verify_output

__all__ = ["INVALID_VOTE", "judge", "judge_answer", "vote_for"]

INVALID_VOTE = b"\xff" * 32
"""The revealed value of an *invalid* verdict: all ones. It is not zero (the book rejects a
zero vote) and no output hashes to it: an output hash is keccak256 of the output, and
nobody knows a keccak256 preimage of all ones (a fixed string's hash would not do: an
answer of exactly that string would turn every invalid verdict into an upholding vote)."""


def judge(model: Model, prompt: str, output: str, params: DecodingParams) -> Verdict:
    """The verdict on ``output`` as an answer to ``prompt`` under ``params``, by scoring
    alone (no commitment, no receipt): the check :func:`judge_answer` builds on."""
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


def judge_answer(model: Model, view: RequestView, params: DecodingParams) -> Verdict:
    """A committee member's verdict on the answer of ``view`` (read from the book's events,
    with the commitment its ``Responded`` event carried); see the module docstring."""
    posted = view.output_bytes
    if view.status == "open" or posted is None:
        return Verdict(False, "token", None, f"request {view.id} has no answer to judge")
    try:
        text = posted.decode("utf-8")
    except UnicodeDecodeError:
        return Verdict(False, "tokenisation", 0, "the answer is not UTF-8 text")
    if not (isinstance(model, Scorer) and model.policy is not None):
        return judge(model, view.prompt, text, params)
    if not view.commitment:
        why = "no model commitment was posted with the answer (plain respond)"
        return Verdict(False, "commitment", None, why)
    expected = receipt_hash(  # over the prompt text the model runs, as the provider's was
        model.registration_hash,
        prompt_hash(view.prompt),
        params.hash(),
        params.seed,
        output_hash(text),
        commitment_hash(view.commitment),
    )
    if bytes.fromhex(expected.removeprefix("0x")) != view.receipt_hash:
        why = (
            "the receipt does not bind this model, prompt, decoding parameters, output and "
            "posted commitment"
        )
        return Verdict(False, "receipt", None, why)
    return verify_output(model, view.prompt, text, params, model.policy, view.commitment)


def vote_for(verdict: Verdict, answer_hash: bytes) -> bytes:
    """The 32 bytes a member commits and reveals: the answer's hash, or :data:`INVALID_VOTE`."""
    return answer_hash if verdict.valid else INVALID_VOTE
