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


def test_complete_parses_recorded_response(model: OpenAIModel, recorded: RecordedServer) -> None:
    result = model.complete("The capital of France is", greedy(seed=7, max_tokens=16))
    assert result.text == " Paris. The capital of Germany is Berlin."
    assert (result.finish_reason, result.prompt_tokens, result.completion_tokens) == ("stop", 6, 9)
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
    assert result.text == "The capital of France is Paris."
    path, body = recorded.requests[0]
    assert path == "/v1/chat/completions"
    assert body["messages"] == [{"role": "user", "content": "What is the capital of France?"}]


def test_length_finish_reason(model: OpenAIModel, recorded: RecordedServer) -> None:
    recorded.script("/v1/completions", Reply("completions_length.json"))
    assert model.complete("count:", greedy(max_tokens=4)).finish_reason == "length"


def test_base_url_with_v1_is_not_doubled(recorded: RecordedServer) -> None:
    with OpenAIModel(SPEC, base_url=recorded.url + "/v1/") as client:
        client.complete("x", greedy())
    assert recorded.requests[0][0] == "/v1/completions"


def test_retries_503_then_succeeds(
    model: OpenAIModel, recorded: RecordedServer, sleeps: list[float]
) -> None:
    recorded.script("/v1/completions", Reply("error_503.json", 503), Reply("completions.json"))
    assert model.complete("x", greedy()).text.startswith(" Paris")
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
    recorded.script("/v1/chat/completions", Reply("chat_tool_calls.json"))
    tools = [{"type": "function", "function": {"name": "prices__usd", "parameters": {}}}]
    turn = model.tool_turn([{"role": "user", "content": "REX price?"}], tools)
    assert turn.content == ""
    assert [(c.id, c.name) for c in turn.tool_calls] == [
        ("call_7f3a", "prices__usd"),
        ("call_9b1c", "propose_command"),
    ]
    assert turn.tool_calls[0].arguments == '{"symbols": ["REX"]}'
    _, body = recorded.requests[0]
    assert body["tools"] == tools and body["tool_choice"] == "auto"
    assert body["temperature"] == 0.0


def test_tool_turn_without_calls_is_an_answer(model: OpenAIModel, recorded: RecordedServer) -> None:
    turn = model.tool_turn([{"role": "user", "content": "capital of France?"}], [])
    assert turn.tool_calls == () and turn.content == "The capital of France is Paris."
