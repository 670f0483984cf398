"""The ``Model`` protocol every language-model backend implements.

A model has an id, the sha256 of its weights (or of whatever identifies the
remote model) and two calls: raw ``complete`` and message-based ``chat``,
both with explicit :class:`~rexos.llm.params.DecodingParams`. Backends raise
only :class:`rexos.errors.ModelError` subclasses at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from rexos.errors import ConfigError
from rexos.llm.hashing import output_hash
from rexos.llm.params import DecodingParams

__all__ = ["ChatMessage", "Completion", "FinishReason", "Model", "Role", "render_chat_prompt"]

Role = Literal["system", "user", "assistant"]
FinishReason = Literal["stop", "length"]


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One turn of a conversation."""

    role: Role
    content: str

    def __post_init__(self) -> None:
        if self.role not in ("system", "user", "assistant"):
            raise ConfigError(f"unknown chat role {self.role!r} (system, user or assistant)")


@dataclass(frozen=True, slots=True)
class Completion:
    """What a model produced, with token counts as the backend reported them."""

    text: str
    finish_reason: FinishReason
    prompt_tokens: int
    completion_tokens: int

    @property
    def output_hash(self) -> str:
        """keccak256 of :attr:`text` (see :func:`rexos.llm.hashing.output_hash`)."""
        return output_hash(self.text)


@runtime_checkable
class Model(Protocol):
    """A language model: ``complete`` a raw prompt or ``chat`` over messages."""

    @property
    def model_id(self) -> str:
        """Registry id such as ``"gemma-3-270m"``."""
        ...

    @property
    def weights_hash(self) -> str:
        """Lowercase hex sha256 of the weights file (or the remote model's pinned id)."""
        ...

    def complete(self, prompt: str, params: DecodingParams) -> Completion:
        """Continue ``prompt`` as raw text."""
        ...

    def chat(self, messages: Sequence[ChatMessage], params: DecodingParams) -> Completion:
        """Answer the last message of a conversation."""
        ...


def render_chat_prompt(messages: Sequence[ChatMessage]) -> str:
    """Render messages as a plain few-shot transcript for base models.

    Base models have no chat template, so a conversation becomes lines of
    ``System:``/``User:``/``Assistant:`` text ending with an open
    ``Assistant:`` turn. Backends stop at the next ``"\\nUser:"``,
    ``"\\nAssistant:"`` or ``"\\nSystem:"`` label.
    """
    if not messages:
        raise ConfigError("chat needs at least one message")
    labels = {"system": "System", "user": "User", "assistant": "Assistant"}
    lines = [f"{labels[m.role]}: {m.content.strip()}" for m in messages]
    return "\n".join(lines) + "\nAssistant:"
