"""An OpenAI-compatible HTTP backend (vLLM, SGLang, llama.cpp server, Ollama, hosted APIs).

It calls ``/v1/completions`` for :meth:`OpenAIModel.complete` and
``/v1/chat/completions`` for :meth:`OpenAIModel.chat` through the one
outside-HTTP client (:mod:`rexos.outside_http`): a timeout, a bounded number of
retries (exponential backoff, ``Retry-After`` honoured) on connection errors,
HTTP 429 and 5xx, and the API key redacted from every message. A timed-out
generation is not retried. Every failure surfaces as a
:class:`rexos.errors.ModelError`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rexos.errors import ConfigError, ModelError, ModelOutputError, ModelUnavailable
from rexos.llm.model import ChatMessage, Completion, FinishReason
from rexos.llm.params import DecodingParams, greedy
from rexos.llm.spec import ModelSpec, ToolCall, ToolTurn
from rexos.outside_http import RETRY_STATUSES, HttpFailure, OutsideHttp

__all__ = ["OpenAIModel"]


class OpenAIModel:
    """A :class:`~rexos.llm.model.Model` served by an OpenAI-compatible endpoint.

    ``base_url`` may or may not end in ``/v1``. ``max_retries`` counts the
    extra attempts after the first; the wait before retry *n* is
    ``backoff_s * 2**n`` seconds, or what a ``Retry-After`` header says.
    """

    def __init__(
        self,
        spec: ModelSpec,
        *,
        base_url: str,
        api_key: str | None = None,
        timeout_s: float = 60.0,
        max_retries: int = 2,
        backoff_s: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ConfigError(f"not an http(s) URL for model {spec.model_id!r}: {base_url!r}")
        if max_retries < 0 or timeout_s <= 0:
            raise ConfigError("max_retries must be ≥ 0 and timeout_s > 0")
        root = base_url.rstrip("/")
        self._base = root if root.endswith("/v1") else root + "/v1"
        self._spec = spec
        self._http = OutsideHttp(
            self._base,
            _model_error,
            base_url=self._base,
            timeout_s=timeout_s,
            max_retries=max_retries,
            backoff_s=backoff_s,
            headers={"Authorization": f"Bearer {api_key}"} if api_key else {},
            retry_timeouts=False,
            sleep=sleep,
        )

    @property
    def model_id(self) -> str:
        """The registry id of the served model."""
        return self._spec.model_id

    @property
    def weights_hash(self) -> str:
        """The sha256 pinned in the registry for the weights the endpoint serves."""
        return self._spec.weights_sha256

    def complete(self, prompt: str, params: DecodingParams) -> Completion:
        """POST ``/v1/completions`` with ``prompt`` as raw text."""
        body = self._body(params) | {"prompt": prompt}
        choice, usage = self._post("/completions", body)
        return _completion(_text_field(choice, "text"), choice, usage)

    def chat(self, messages: Sequence[ChatMessage], params: DecodingParams) -> Completion:
        """POST ``/v1/chat/completions`` with ``messages``."""
        if not messages:
            raise ConfigError("chat needs at least one message")
        body = self._body(params) | {
            "messages": [{"role": m.role, "content": m.content} for m in messages]
        }
        choice, usage = self._post("/chat/completions", body)
        message = choice.get("message")
        if not isinstance(message, dict):
            raise ModelOutputError(f"{self._base}/chat/completions answered without a message")
        return _completion(_text_field(message, "content"), choice, usage)

    def tool_turn(
        self, messages: Sequence[dict[str, Any]], tools: Sequence[dict[str, Any]]
    ) -> ToolTurn:
        """POST ``/v1/chat/completions`` with ``tools``: the reply text and any tool calls."""
        body = self._body(greedy()) | {
            "messages": list(messages),
            "tools": list(tools),
            "tool_choice": "auto",
        }
        choice, _ = self._post("/chat/completions", body)
        message = choice.get("message")
        if not isinstance(message, dict):
            raise ModelOutputError(f"{self._base}/chat/completions answered without a message")
        calls = []
        for n, raw in enumerate(message.get("tool_calls") or []):
            function = raw.get("function") if isinstance(raw, dict) else None
            if not isinstance(function, dict) or not isinstance(function.get("name"), str):
                raise ModelOutputError(f"a malformed tool call in the answer: {raw!r:.120}")
            arguments = function.get("arguments") or "{}"
            if not isinstance(arguments, str):
                raise ModelOutputError("tool-call arguments must be a JSON string")
            calls.append(ToolCall(str(raw.get("id") or f"call_{n}"), function["name"], arguments))
        return ToolTurn(_text_field(message, "content"), tuple(calls))

    def close(self) -> None:
        """Nothing to release: each request opens and closes its own connection."""

    def __enter__(self) -> OpenAIModel:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _body(self, params: DecodingParams) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self._spec.served_name,
            "max_tokens": params.max_tokens,
            "temperature": float(params.temperature),
            "top_p": float(params.top_p),
            "seed": params.seed,
            "stream": False,
        }
        if params.top_k and not params.is_greedy:
            body["top_k"] = params.top_k
        if params.stop:
            body["stop"] = list(params.stop)
        return body

    def _post(self, path: str, body: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        payload = self._http.request_json("POST", path, json_body=dict(body), label=path)
        choices = payload.get("choices") if isinstance(payload, dict) else None
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise ModelOutputError(f"{self._base}{path} answered without choices")
        usage = payload.get("usage")
        return choices[0], usage if isinstance(usage, dict) else {}


def _model_error(failure: HttpFailure) -> ModelError:
    """Down, overloaded, refused or timed out: :class:`ModelUnavailable`; a request the
    endpoint rejects: :class:`ModelError`; an unusable answer: :class:`ModelOutputError`."""
    url = failure.source + failure.label
    if failure.kind == "status":
        status = failure.status or 0
        unavailable = status in RETRY_STATUSES or status in (401, 403, 404)
        attempts = f"after {failure.attempts} attempt(s)"
        message = f"{url} answered HTTP {status} {attempts}: {failure.detail}"
        return ModelUnavailable(message) if unavailable else ModelError(message)
    if failure.kind == "timeout":
        return ModelUnavailable(f"{url} timed out after {failure.timeout_s:g} s")
    if failure.kind == "unreachable":
        tries = f"after {failure.attempts} attempts"
        return ModelUnavailable(f"cannot reach {url} {tries} ({failure.reason})")
    if failure.kind == "not_json":
        return ModelOutputError(f"{url} answered with a body that is not JSON")
    return ModelOutputError(failure.message)


def _text_field(container: Mapping[str, Any], key: str) -> str:
    value = container.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ModelOutputError(f"the endpoint answered a non-text {key!r}: {value!r:.80}")
    return value


def _completion(text: str, choice: Mapping[str, Any], usage: Mapping[str, Any]) -> Completion:
    finish: FinishReason = "length" if choice.get("finish_reason") == "length" else "stop"
    prompt_tokens = usage.get("prompt_tokens", 0)
    completion_tokens = usage.get("completion_tokens", 0)
    return Completion(
        text=text,
        finish_reason=finish,
        prompt_tokens=prompt_tokens if isinstance(prompt_tokens, int) else 0,
        completion_tokens=completion_tokens if isinstance(completion_tokens, int) else 0,
    )
