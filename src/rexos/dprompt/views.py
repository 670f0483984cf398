"""What the DPrompt client hands back: requests, disputes, providers, receipt hashes.

A :class:`RequestView` mirrors the ``RequestBook`` ``Request`` struct (plus its
id, prompt and output); the client rebuilds it from events, so callers never
assemble the struct by hand. :func:`receipt_hash` is the spec's receipt hash.
:data:`CALLBACK_MODES` names the request's ``callbackMode`` flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from rexos.errors import UsageError
from rexos.llm import DecodingParams, Model, output_hash, prompt_hash
from rexos.llm.verify import Scorer, commitment_hash, make_commitment
from rexos.types import Address

__all__ = [
    "CALLBACK_MODES",
    "OUTCOMES",
    "STATUSES",
    "Answer",
    "CallbackMode",
    "Dispute",
    "Outcome",
    "ProviderStatus",
    "RequestStatus",
    "RequestView",
    "Resolution",
    "answer",
    "as_bytes32",
    "callback_flags",
    "receipt_hash",
]

RequestStatus = Literal["open", "answered", "challenged", "final", "refunded"]
STATUSES: tuple[RequestStatus, ...] = ("open", "answered", "challenged", "final", "refunded")
"""``IRequestBook.Status`` in enum order."""
Outcome = Literal["upheld", "overturned", "no_majority"]
OUTCOMES: tuple[Outcome, ...] = ("upheld", "overturned", "no_majority")
CallbackMode = Literal["none", "answer", "final", "both"]
CALLBACK_MODES: tuple[CallbackMode, ...] = ("none", "answer", "final", "both")
"""``Request.callbackMode`` by value: the flags ``CALLBACK_ON_ANSWER`` (1) and
``CALLBACK_ON_FINAL`` (2) of ``IDPromptConsumer.sol``; ``final`` is the safe one to act on."""
_REQUEST_ABI = (
    "(address,uint96,bytes32,bytes32,address,uint48,address,uint32,uint8,uint32,address,uint48,"
    "uint8,bytes32,bytes32)"
)


def callback_flags(callback: Address | None, mode: CallbackMode | None) -> int:
    """The ``callbackMode`` a request with ``callback`` and ``mode`` carries: ``mode``'s
    flags, ``final`` by default when a callback is named (the mode a consumer may act on),
    0 without one. ``UsageError`` for a mode without a callback or a callback with ``none``."""
    if callback is None:
        if mode not in (None, "none"):
            raise UsageError(f"callback mode {mode!r} needs a callback contract")
        return 0
    chosen = "final" if mode is None else mode
    if chosen not in CALLBACK_MODES:
        raise UsageError(f"unknown callback mode {chosen!r}: one of answer, final, both")
    if chosen == "none":
        raise UsageError("a callback contract needs a callback mode: answer, final or both")
    return CALLBACK_MODES.index(chosen)


def as_bytes32(value: str | bytes, what: str = "hash") -> bytes:
    """32 bytes from ``bytes`` or (``0x``-prefixed or bare) hex; ``UsageError`` otherwise."""
    if isinstance(value, str):
        try:
            value = bytes.fromhex(value.removeprefix("0x"))
        except ValueError:
            raise UsageError(f"{what} is not hex: {value!r}") from None
    if len(value) != 32:
        raise UsageError(f"{what} must be 32 bytes, got {len(value)}")
    return value


def receipt_hash(
    weights_hash: str | bytes,
    prompt_hash: str | bytes,
    params_hash: str | bytes,
    seed: int,
    output_hash: str | bytes,
    commitment_hash: str | bytes | None = None,
) -> str:
    """``keccak256(abi.encode(weightsHash, promptHash, decodingParamsHash, seed, outputHash))``.

    Hashes are ``bytes32`` (hex as :mod:`rexos.llm` returns them, or raw bytes);
    ``seed`` is a ``uint256``. Returns ``0x`` + 64 hex digits. With a model commitment
    (``docs/explanation/dprompt-verification.md``) its hash is a sixth word, and the first
    is the model's registration hash (weights and verification policy).
    """
    words = [
        as_bytes32(weights_hash, "weights hash"),
        as_bytes32(prompt_hash, "prompt hash"),
        as_bytes32(params_hash, "decoding params hash"),
        seed,
        as_bytes32(output_hash, "output hash"),
    ]
    types = ["bytes32", "bytes32", "bytes32", "uint256", "bytes32"]
    if commitment_hash is not None:
        words.append(as_bytes32(commitment_hash, "commitment hash"))
        types.append("bytes32")
    return "0x" + keccak(encode(types, words)).hex()


@dataclass(frozen=True, slots=True)
class RequestView:
    """One request: the on-chain ``Request`` struct, its id, prompt and answer.

    ``model_id`` is the on-chain ``bytes32`` key; ``output`` is ``None`` until answered
    (decoded for display; ``output_bytes`` is the answer as posted, which ``finalize``
    delivers to a consumer called on finality); ``commitment`` is the model commitment
    posted with it (``respondWithCommitment``), which committee members check.
    """

    id: int
    requester: Address
    fee: int
    model_id: bytes
    prompt_hash: bytes
    provider: Address
    deadline: int
    callback: Address
    callback_gas_limit: int
    callback_mode: CallbackMode
    challenge_window: int
    responder: Address
    responded_at: int
    status: RequestStatus
    output_hash: bytes
    receipt_hash: bytes
    prompt: str
    output: str | None = None
    output_bytes: bytes | None = None
    commitment: bytes = b""
    """The model commitment the ``Responded`` event carried (empty: none was posted)."""

    @classmethod
    def from_event(cls, request_id: int, struct: dict[str, Any], prompt: bytes) -> RequestView:
        """The view of a ``Requested(id, request, prompt)`` event."""
        return cls(
            id=request_id,
            requester=Address(struct["requester"]),
            fee=int(struct["fee"]),
            model_id=bytes(struct["modelId"]),
            prompt_hash=bytes(struct["promptHash"]),
            provider=Address(struct["provider"]),
            deadline=int(struct["deadline"]),
            callback=Address(struct["callback"]),
            callback_gas_limit=int(struct["callbackGasLimit"]),
            callback_mode=CALLBACK_MODES[int(struct["callbackMode"])],
            challenge_window=int(struct["challengeWindow"]),
            responder=Address(struct["responder"]),
            responded_at=int(struct["respondedAt"]),
            status=STATUSES[int(struct["status"])],
            output_hash=bytes(struct["outputHash"]),
            receipt_hash=bytes(struct["receiptHash"]),
            prompt=prompt.decode("utf-8", errors="replace"),
        )

    def as_struct(self) -> tuple[Any, ...]:
        """The ``Request`` struct as the ABI encoder wants it."""
        return (
            self.requester,
            self.fee,
            self.model_id,
            self.prompt_hash,
            self.provider,
            self.deadline,
            self.callback,
            self.callback_gas_limit,
            CALLBACK_MODES.index(self.callback_mode),
            self.challenge_window,
            self.responder,
            self.responded_at,
            STATUSES.index(self.status),
            self.output_hash,
            self.receipt_hash,
        )

    def struct_hash(self) -> bytes:
        """``keccak256(abi.encode(Request))``: what the book stores for this request."""
        return keccak(encode([_REQUEST_ABI], [self.as_struct()]))


@dataclass(frozen=True, slots=True)
class Dispute:
    """The dispute of a challenged request: who, the bond, the committee, the phases."""

    request_id: int
    challenger: Address
    bond: int
    committee: tuple[Address, ...]
    commit_end: int
    reveal_end: int


@dataclass(frozen=True, slots=True)
class Resolution:
    """How ``resolve`` ended a dispute, and the request after it."""

    request: RequestView
    outcome: Outcome
    majority: bytes
    slashed: int


@dataclass(frozen=True, slots=True)
class ProviderStatus:
    """A provider as the registry sees it."""

    address: Address
    registered: bool
    price: int
    answered: int
    timed_out: int
    slashed: int
    bonded: int
    unbonding: int
    unbonding_ready: int
    models: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class Answer:
    """A model's answer to a prompt, bound in the receipt a provider posts with it."""

    text: str
    output_hash: str
    receipt_hash: str
    commitment: bytes = b""
    """The model commitment the receipt binds (empty for a model that cannot score)."""


def answer(model: Model, prompt: str, params: DecodingParams) -> Answer:
    """Run ``prompt`` on ``model`` with ``params`` and compute its output and receipt hashes.

    A model that can score, with a verification policy, also commits to its logits over
    the answer (:func:`rexos.llm.verify.make_commitment`), and the receipt binds that.
    """
    text = model.complete(prompt, params).text
    digest = output_hash(text)
    p_hash, d_hash = prompt_hash(prompt), params.hash()
    if isinstance(model, Scorer) and model.policy is not None:
        policy = model.policy
        made = make_commitment(model.score(prompt, text, policy.commit_k), policy)
        receipt = receipt_hash(
            model.registration_hash, p_hash, d_hash, params.seed, digest, commitment_hash(made)
        )
        return Answer(text=text, output_hash=digest, receipt_hash=receipt, commitment=made)
    receipt = receipt_hash(model.weights_hash, p_hash, d_hash, params.seed, digest)
    return Answer(text=text, output_hash=digest, receipt_hash=receipt)
