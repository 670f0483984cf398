"""Building models: the one module that imports the backends.

:func:`load_model` turns a registered :class:`~rexos.llm.spec.ModelSpec` into a
:class:`~rexos.llm.model.Model` (local GGUF, OpenAI-compatible HTTP or scripted);
:func:`open_tool_model` opens a tool-calling model at ``REXOS_LLM_URL``. The GGUF
backend imports ``llama_cpp`` only when a model is loaded, so importing this module
never needs the ``llm`` extra.
"""

from __future__ import annotations

from rexos.config import Settings
from rexos.errors import ConfigError
from rexos.llm.gguf import GGUFModel, resolve_weights
from rexos.llm.model import Model
from rexos.llm.openai_http import OpenAIModel
from rexos.llm.registry import ModelRegistry, default_registry
from rexos.llm.scripted import ScriptedModel
from rexos.llm.spec import DEFAULT_MODEL_ID, ModelSpec, ToolModel

__all__ = ["load_model", "open_tool_model"]


def load_model(
    model_id: str = DEFAULT_MODEL_ID,
    settings: Settings | None = None,
    registry: ModelRegistry | None = None,
) -> Model:
    """Build the :class:`~rexos.llm.model.Model` registered as ``model_id``.

    GGUF weights are assembled or checked against ``weights_sha256``; an
    ``openai`` model needs a URL in its spec or in ``REXOS_LLM_URL``.
    """
    settings = settings or Settings()
    spec = (registry or default_registry()).get(model_id)
    if spec.backend == "scripted":
        return ScriptedModel(model_id=spec.model_id)
    if spec.backend == "openai":
        base_url = spec.source or settings.llm_url
        if not base_url:
            raise ConfigError(
                f"model {model_id!r} is served over HTTP but no URL is set (set REXOS_LLM_URL)"
            )
        return OpenAIModel(spec, base_url=base_url, api_key=settings.llm_api_key)
    return GGUFModel(spec, resolve_weights(spec, settings))


def open_tool_model(settings: Settings, name: str) -> ToolModel:
    """A tool-calling model served as ``name`` at ``REXOS_LLM_URL`` (any OpenAI-compatible
    endpoint: vLLM, SGLang, llama.cpp server, Ollama, hosted APIs)."""
    if not settings.llm_url:
        raise ConfigError("a tool-calling model needs an endpoint: set REXOS_LLM_URL")
    # a chat planner's weights are not pinned (its answers are never settled on-chain)
    spec = ModelSpec(model_id=name, weights_sha256="0" * 64, backend="openai")
    return OpenAIModel(spec, base_url=settings.llm_url, api_key=settings.llm_api_key)
