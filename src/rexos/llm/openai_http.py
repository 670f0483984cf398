"""An OpenAI-compatible HTTP backend (vLLM, SGLang, llama.cpp server, Ollama, hosted APIs).

This is the only module that imports ``httpx``. It calls
``/v1/completions`` for :meth:`OpenAIModel.complete` and
``/v1/chat/completions`` for :meth:`OpenAIModel.chat`, with a timeout and a
bounded number of retries (exponential backoff) on connection errors, HTTP
429 and 5xx. Every failure surfaces as a :class:`rexos.errors.ModelError`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx

from rexos.errors import ConfigError, ModelError, ModelOutputError, ModelUnavailable
from rexos.llm.model import ChatMessage, Completion, FinishReason
from rexos.llm.params import DecodingParams, greedy
from rexos.llm.registry import ModelSpec
from rexos.llm.tools import ToolCall, ToolTurn

__all__ = ["OpenAIModel"]

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class OpenAIModel:
    """A :class:`~rexos.llm.model.Model` served by an OpenAI-compatible endpoint.

    ``base_url`` may or may not end in ``/v1``. ``max_retries`` counts the
    extra attempts after the first; the wait before retry *n* is
    ``backoff_s * 2**n`` seconds (capped by a ``Retry-After`` header).
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
        self._max_retries = max_retries
        self._backoff_s = backoff_s
        self._sleep = sleep
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=httpx.Timeout(timeout_s), headers=headers)

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
        """Close the underlying connection pool."""
        self._client.close()

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
        url = self._base + path
        response = self._send_with_retries(url, body)
        try:
            payload = response.json()
        except ValueError:
            raise ModelOutputError(f"{url} answered with a body that is not JSON") from None
        choices = payload.get("choices") if isinstance(payload, dict) else None
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise ModelOutputError(f"{url} answered without choices")
        usage = payload.get("usage")
        return choices[0], usage if isinstance(usage, dict) else {}

    def _send_with_retries(self, url: str, body: Mapping[str, Any]) -> httpx.Response:
        attempt = 0
        while True:
            wait = self._backoff_s * 2**attempt
            try:
                response = self._client.post(url, json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as exc:
                if attempt >= self._max_retries:
                    raise ModelUnavailable(
                        f"cannot reach {url} after {attempt + 1} attempts: {exc}"
                    ) from exc
            except httpx.TimeoutException as exc:
                raise ModelUnavailable(f"{url} timed out: {type(exc).__name__}") from exc
            except httpx.HTTPError as exc:
                raise ModelUnavailable(f"request to {url} failed: {exc}") from exc
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in _RETRY_STATUSES or attempt >= self._max_retries:
                    raise _http_error(url, response, attempt + 1)
                wait = min(wait, _retry_after(response, default=wait))
            self._sleep(wait)
            attempt += 1


def _retry_after(response: httpx.Response, default: float) -> float:
    try:
        return max(0.0, float(response.headers.get("retry-after", default)))
    except ValueError:
        return default


def _http_error(url: str, response: httpx.Response, attempts: int) -> ModelError:
    detail = response.text.strip().replace("\n", " ")[:200]
    message = f"{url} answered HTTP {response.status_code} after {attempts} attempt(s): {detail}"
    if response.status_code in _RETRY_STATUSES or response.status_code in (401, 403, 404):
        return ModelUnavailable(message)
    return ModelError(message)


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
