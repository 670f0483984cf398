"""The OpenAI-compatible backend against a local server replaying recorded responses."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from decimal import Decimal

import pytest

from rexos.errors import ModelError, ModelOutputError, ModelUnavailable
from rexos.llm import ChatMessage, DecodingParams, ModelSpec, greedy
from rexos.llm.openai_http import OpenAIModel
from tests.unit.llm.recorded_server import RecordedServer, Reply

SPEC = ModelSpec("gemma-3-270m", "ab" * 32, "openai", remote_name="ggml-org/gemma-3-270m")


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def model(recorded: RecordedServer, sleeps: list[float]) -> Iterator[OpenAIModel]:
    with OpenAIModel(
        SPEC,
        base_url=recorded.url,
        timeout_s=0.5,
        max_retries=2,
        backoff_s=0.01,
        sleep=sleeps.append,
    ) as client:
        yield client


OLLAMA_TEXT = (
    "...in a far-off kingdom, hidden behind a veil of sparkling mist and whispering leaves,"
    " there existed a magical realm unlike any other."
)
OPENAI_ANSWER = "The temperature in Tokyo is currently 20.0 degrees Celsius."


def test_complete_parses_recorded_response(model: OpenAIModel, recorded: RecordedServer) -> None:
    recorded.script("/v1/completions", Reply("completions.json"))  # Ollama's answer
    result = model.complete("The capital of France is", greedy(seed=7, max_tokens=16))
    assert result.text == OLLAMA_TEXT  # Ollama sends no "logprobs" key at all
    assert (result.finish_reason, result.prompt_tokens, result.completion_tokens) == (
        "stop",
        15,
        29,
    )
    path, body = recorded.requests[0]
    assert path == "/v1/completions"
    assert body == {
        "model": "ggml-org/gemma-3-270m",
        "prompt": "The capital of France is",
        "max_tokens": 16,
        "temperature": 0.0,
        "top_p": 1.0,
        "seed": 7,
        "stream": False,
    }


def test_sampling_fields_and_stop_are_sent(model: OpenAIModel, recorded: RecordedServer) -> None:
    params = DecodingParams(temperature=Decimal("0.7"), top_k=40, stop=("\n",))
    model.complete("x", params)
    body = recorded.requests[0][1]
    assert (body["temperature"], body["top_k"], body["stop"]) == (0.7, 40, ["\n"])


def test_chat_parses_recorded_response(model: OpenAIModel, recorded: RecordedServer) -> None:
    messages = [ChatMessage("user", "What is the capital of France?")]
    result = model.chat(messages, greedy())
    assert result.text == OPENAI_ANSWER
    assert (result.finish_reason, result.prompt_tokens, result.completion_tokens) == (
        "stop",
        75,
        15,
    )
    path, body = recorded.requests[0]
    assert path == "/v1/chat/completions"
    assert body["messages"] == [{"role": "user", "content": "What is the capital of France?"}]


def test_length_finish_reason(model: OpenAIModel, recorded: RecordedServer) -> None:
    recorded.script("/v1/completions", Reply("completions_length.json"))  # vLLM's answer
    result = model.complete("count:", greedy(max_tokens=4))
    assert (result.text, result.finish_reason) == ("A", "length")
    assert (result.prompt_tokens, result.completion_tokens) == (252, 1)


def test_base_url_with_v1_is_not_doubled(recorded: RecordedServer) -> None:
    with OpenAIModel(SPEC, base_url=recorded.url + "/v1/") as client:
        client.complete("x", greedy())
    assert recorded.requests[0][0] == "/v1/completions"


def test_retries_503_then_succeeds(
    model: OpenAIModel, recorded: RecordedServer, sleeps: list[float]
) -> None:
    recorded.script("/v1/completions", Reply("error_503.json", 503), Reply("completions.json"))
    assert model.complete("x", greedy()).text == OLLAMA_TEXT
    assert len(recorded.requests) == 2
    assert sleeps == [0.01]


def test_gives_up_after_bounded_retries(
    model: OpenAIModel, recorded: RecordedServer, sleeps: list[float]
) -> None:
    recorded.script("/v1/completions", Reply("error_503.json", 429))
    with pytest.raises(ModelUnavailable, match="HTTP 429 after 3 attempt"):
        model.complete("x", greedy())
    assert sleeps == [0.01, 0.02]


def test_client_error_is_not_retried(model: OpenAIModel, recorded: RecordedServer) -> None:
    recorded.script("/v1/completions", Reply("error_400.json", 400))
    with pytest.raises(ModelError, match=r"HTTP 400 after 1 attempt.*max_tokens") as info:
        model.complete("x", greedy())
    assert "max_tokens is too large: 20480" in str(info.value)  # OpenAI's own words
    assert not isinstance(info.value, ModelUnavailable)
    assert len(recorded.requests) == 1


def test_timeout_is_a_model_error(model: OpenAIModel, recorded: RecordedServer) -> None:
    recorded.script("/v1/completions", Reply("completions.json", delay_s=1.5))
    with pytest.raises(ModelUnavailable, match="timed out"):
        model.complete("x", greedy())


def test_unusable_body_is_an_output_error(model: OpenAIModel, recorded: RecordedServer) -> None:
    recorded.script("/v1/completions", Reply("error_400.json", 200))
    with pytest.raises(ModelOutputError, match="without choices"):
        model.complete("x", greedy())


def test_connection_refused_after_retries(sleeps: list[float]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    client = OpenAIModel(SPEC, base_url=url, max_retries=1, backoff_s=0.01, sleep=sleeps.append)
    with client, pytest.raises(ModelUnavailable, match=r"cannot reach .* after 2 attempts"):
        client.complete("x", greedy())
    assert sleeps == [0.01]


def test_tool_turn_sends_tools_and_parses_tool_calls(
    model: OpenAIModel, recorded: RecordedServer
) -> None:
    recorded.script("/v1/chat/completions", Reply("chat_tool_calls.json"))  # OpenAI's answer
    tools = [{"type": "function", "function": {"name": "get_temperature", "parameters": {}}}]
    turn = model.tool_turn(
        [{"role": "user", "content": "What is the temperature in Tokyo?"}], tools
    )
    assert turn.content == ""  # "content": null
    assert [(c.id, c.name, c.arguments) for c in turn.tool_calls] == [
        ("call_rtFKwAIteZdMYlGvskQUU6Ao", "get_temperature", '{"city":"Tokyo"}')
    ]
    _, body = recorded.requests[0]
    assert body["tools"] == tools and body["tool_choice"] == "auto"
    assert body["temperature"] == 0.0


def test_tool_call_with_an_empty_id_gets_one(model: OpenAIModel, recorded: RecordedServer) -> None:
    """Gemini's OpenAI-compatible endpoint answered a call with ``"id": ""`` and no
    ``content`` key at all."""
    recorded.script("/v1/chat/completions", Reply("chat_tool_calls_gemini.json"))
    turn = model.tool_turn([{"role": "user", "content": "What is the current time?"}], [])
    assert turn.content == ""
    assert [(c.id, c.name, c.arguments) for c in turn.tool_calls] == [
        ("call_0", "get_current_time", "{}")
    ]


def test_tool_turn_without_calls_is_an_answer(model: OpenAIModel, recorded: RecordedServer) -> None:
    turn = model.tool_turn([{"role": "user", "content": "capital of France?"}], [])
    assert turn.tool_calls == () and turn.content == OPENAI_ANSWER
