"""ScriptedModel: the deterministic fake used by higher layers' tests."""

from __future__ import annotations

import pytest

from rexos.errors import ModelUnavailable
from rexos.llm import (
    ChatMessage,
    DecodingParams,
    ScriptedModel,
    greedy,
    render_chat_prompt,
)


def test_answers_from_dict_else_default() -> None:
    model = ScriptedModel({"2+2=": "4"}, default="?")
    assert model.complete("2+2=", greedy()).text == "4"
    assert model.complete("3+3=", greedy()).text == "?"
    assert [c.prompt for c in model.calls] == ["2+2=", "3+3="]


def test_answers_from_callable_and_records_params() -> None:
    model = ScriptedModel(lambda prompt, params: f"{prompt.upper()}#{params.seed}")
    params = greedy(seed=5)
    assert model.complete("hi", params).text == "HI#5"
    assert model.calls[0].params == params
    assert model.calls[0].method == "complete"


def test_chat_sees_rendered_transcript() -> None:
    messages = [ChatMessage("system", "Be brief."), ChatMessage("user", "Capital of France?")]
    prompt = render_chat_prompt(messages)
    assert prompt == "System: Be brief.\nUser: Capital of France?\nAssistant:"
    model = ScriptedModel({prompt: " Paris."})
    assert model.chat(messages, greedy()).text == " Paris."
    assert model.calls[0].method == "chat"


def test_truncates_at_max_tokens_and_stop() -> None:
    model = ScriptedModel(default="a b c d e")
    cut = model.complete("x", DecodingParams(max_tokens=2))
    assert (cut.text, cut.finish_reason, cut.completion_tokens) == ("a b", "length", 2)
    stopped = model.complete("x", DecodingParams(stop=(" c",)))
    assert (stopped.text, stopped.finish_reason) == ("a b", "stop")


def test_can_be_made_to_fail() -> None:
    model = ScriptedModel(default="ok", fail_with=ModelUnavailable("endpoint down"))
    with pytest.raises(ModelUnavailable, match="endpoint down"):
        model.complete("x", greedy())
    model.fail_with = None
    assert model.complete("x", greedy()).text == "ok"
    assert len(model.calls) == 2


def test_bad_role_is_rejected() -> None:
    from rexos.errors import ConfigError

    with pytest.raises(ConfigError, match="role"):
        ChatMessage("tool", "x")  # type: ignore[arg-type]
