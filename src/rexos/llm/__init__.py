"""The LLM layer: one small ``Model`` protocol and its backends.

* :class:`Model` — ``complete`` / ``chat`` with explicit :class:`DecodingParams`.
* Backends: local GGUF through llama-cpp-python (:mod:`rexos.llm.gguf`, the
  ``llm`` extra), any OpenAI-compatible endpoint
  (:class:`~rexos.llm.openai_http.OpenAIModel`), and :class:`ScriptedModel`,
  the deterministic fake for tests.
* :func:`load_model` resolves a model id through the registry.
* Receipt hashes (keccak256): :meth:`DecodingParams.hash`,
  :func:`prompt_hash`, :func:`output_hash`.

Imports run one way, with no cycle: :mod:`~rexos.llm.spec` (the model spec and
tool-turn types) is a leaf; the registry and the backends build on it; only
:mod:`~rexos.llm.factory` imports the backends. ``llama_cpp`` is imported when a
GGUF model is loaded, so ``import rexos.llm`` never needs the extra.
"""

from rexos.llm.factory import load_model
from rexos.llm.hashing import keccak_hex, output_hash, prompt_hash
from rexos.llm.model import (
    ChatMessage,
    Completion,
    FinishReason,
    Model,
    Role,
    render_chat_prompt,
)
from rexos.llm.params import CANONICAL_VERSION, DecodingParams, greedy
from rexos.llm.registry import ModelRegistry, default_registry
from rexos.llm.scripted import ScriptedCall, ScriptedModel
from rexos.llm.spec import DEFAULT_MODEL_ID, GEMMA_270M_SHA256, Backend, ModelSpec

__all__ = [
    "CANONICAL_VERSION",
    "DEFAULT_MODEL_ID",
    "GEMMA_270M_SHA256",
    "Backend",
    "ChatMessage",
    "Completion",
    "DecodingParams",
    "FinishReason",
    "Model",
    "ModelRegistry",
    "ModelSpec",
    "Role",
    "ScriptedCall",
    "ScriptedModel",
    "default_registry",
    "greedy",
    "keccak_hex",
    "load_model",
    "output_hash",
    "prompt_hash",
    "render_chat_prompt",
]
