"""Every backend passes the shared conformance suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rexos.config import Settings
from rexos.llm import Model, ModelRegistry, ModelSpec, ScriptedModel, load_model
from tests.unit.llm.conformance import ModelConformance
from tests.unit.llm.recorded_server import RecordedServer


class TestScriptedConformance(ModelConformance):
    @pytest.fixture
    def model(self) -> Model:
        return ScriptedModel(default=" Paris, the largest city of France and its capital city.")


class TestOpenAIConformance(ModelConformance):
    @pytest.fixture
    def model(self, recorded: RecordedServer, tmp_path: Path) -> Iterator[Model]:
        spec = ModelSpec("gemma-3-270m", "ab" * 32, "openai", source=recorded.url)
        model = load_model("gemma-3-270m", Settings(home=tmp_path), ModelRegistry((spec,)))
        yield model
        model.close()  # type: ignore[attr-defined]


class TestGGUFConformance(ModelConformance):
    @pytest.fixture(scope="class")
    def model(self, gguf_model: Model) -> Model:
        return gguf_model
