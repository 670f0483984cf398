"""Tool calling: one turn of a chat model that may answer or ask for tool calls.

Messages and tool declarations use the OpenAI chat-completions shapes (``{"role": ...}``,
``{"type": "function", "function": {"name", "description", "parameters"}}``), which
vLLM, SGLang, llama.cpp server and Ollama all accept. Arguments come back as the model
wrote them (a JSON string): callers validate them against the tool's schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from rexos.config import Settings
from rexos.errors import ConfigError

__all__ = ["ToolCall", "ToolModel", "ToolTurn", "open_tool_model"]


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


def open_tool_model(settings: Settings, name: str) -> ToolModel:
    """A tool-calling model served as ``name`` at ``REXOS_LLM_URL`` (any OpenAI-compatible
    endpoint: vLLM, SGLang, llama.cpp server, Ollama, hosted APIs)."""
    from rexos.llm.openai_http import OpenAIModel
    from rexos.llm.registry import ModelSpec

    if not settings.llm_url:
        raise ConfigError("a tool-calling model needs an endpoint: set REXOS_LLM_URL")
    # a chat planner's weights are not pinned (its answers are never settled on-chain)
    spec = ModelSpec(model_id=name, weights_sha256="0" * 64, backend="openai")
    return OpenAIModel(spec, base_url=settings.llm_url, api_key=settings.llm_api_key)
