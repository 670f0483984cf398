"""The conformance suite every :class:`rexos.llm.Model` backend passes.

Subclass :class:`ModelConformance` in a ``Test*`` class and provide a
``model`` fixture; ``prompt`` may be overridden.
"""

from __future__ import annotations

import re

from rexos.llm import (
    ChatMessage,
    Completion,
    Model,
    greedy,
    output_hash,
    prompt_hash,
)

HEX32 = re.compile(r"^0x[0-9a-f]{64}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ModelConformance:
    """Shared behaviour: shape, bounds, determinism and hashing."""

    prompt = "The capital of France is"
    max_tokens = 16

    def test_is_a_model_with_identity(self, model: Model) -> None:
        assert isinstance(model, Model)
        assert model.model_id
        assert SHA256.match(model.weights_hash)

    def test_complete_returns_completion(self, model: Model) -> None:
        result = model.complete(self.prompt, greedy(max_tokens=self.max_tokens))
        assert isinstance(result, Completion)
        assert isinstance(result.text, str)
        assert result.finish_reason in ("stop", "length")
        assert result.prompt_tokens >= 0 and result.completion_tokens >= 0

    def test_chat_returns_completion(self, model: Model) -> None:
        messages = [
            ChatMessage("system", "Answer in one short sentence."),
            ChatMessage("user", "What is the capital of France?"),
        ]
        result = model.chat(messages, greedy(max_tokens=self.max_tokens))
        assert isinstance(result, Completion)
        assert result.finish_reason in ("stop", "length")

    def test_respects_max_tokens(self, model: Model) -> None:
        result = model.complete(self.prompt, greedy(max_tokens=self.max_tokens))
        assert result.completion_tokens <= self.max_tokens
        if result.finish_reason == "length":
            assert result.completion_tokens > 0

    def test_same_params_same_output(self, model: Model) -> None:
        params = greedy(seed=7, max_tokens=self.max_tokens)
        first = model.complete(self.prompt, params)
        second = model.complete(self.prompt, params)
        assert first.output_hash == second.output_hash
        assert first == second

    def test_hash_helpers_are_consistent(self, model: Model) -> None:
        result = model.complete(self.prompt, greedy(max_tokens=self.max_tokens))
        assert result.output_hash == output_hash(result.text)
        assert HEX32.match(result.output_hash)
        assert HEX32.match(prompt_hash(self.prompt))
        assert prompt_hash(self.prompt) == output_hash(self.prompt)
