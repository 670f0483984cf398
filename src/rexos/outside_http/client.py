"""The client: one retry loop, one error mapping, for every outside HTTP call.

This is the only module of RexOS that imports ``httpx``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from rexos.errors import RexosError
from rexos.outside_http.cache import Answer, HttpCache
from rexos.outside_http.failure import (
    RETRY_STATUSES,
    ErrorMap,
    FailureKind,
    HttpFailure,
    retry_after_s,
)
from rexos.outside_http.redaction import redact, secrets_of

__all__ = ["OutsideHttp", "Params", "Transport"]

Transport = httpx.BaseTransport
"""What tests pass instead of the network (``httpx.MockTransport``)."""
Params = Mapping[str, str | int]


@dataclass(frozen=True, slots=True)
class _Try:
    answer: Answer | None = None
    kind: FailureKind = "status"
    status: int | None = None
    reason: str = ""
    detail: str = ""
    retry_after: str | None = None
    cause: Exception | None = None


@dataclass(frozen=True, slots=True)
class OutsideHttp:
    """Requests to one outside API on behalf of ``source`` (the name its errors start with).

    ``max_retries`` counts the tries after the first. ``retry_timeouts=False`` retries only
    connection failures (for slow, costly calls such as a model's completion).
    """

    source: str
    error: ErrorMap
    base_url: str = ""
    timeout_s: float = 10.0
    max_retries: int = 2
    backoff_s: float = 0.5
    max_wait_s: float = 60.0
    headers: Mapping[str, str] = field(default_factory=dict)
    accept: str = "application/json"
    user_agent: str = "rexos"
    max_bytes: int = 5_000_000
    follow_redirects: bool = False
    retry_timeouts: bool = True
    hints: Mapping[int, str] = field(default_factory=dict)
    """Extra words for an error status, e.g. ``{403: "is the JSON format enabled?"}``."""
    transport: Transport | None = None
    sleep: Callable[[float], None] = field(default=time.sleep)
    clock: Callable[[], float] = field(default=time.time)
    cache: HttpCache | None = None

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Params | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        source: str | None = None,
        label: str = "",
        check: Callable[[Answer], str | None] | None = None,
    ) -> Answer:
        """The 2xx answer to ``method url?params``; the caller's error on any failure.

        ``check`` reads a 2xx answer and returns words for a transient refusal (a rate-limit
        message in a 200 body), which is retried like a 429; ``None`` accepts the answer.
        """
        sent = {"Accept": self.accept, "User-Agent": self.user_agent, **self.headers}
        sent |= headers or {}
        content = None
        if json_body is not None:
            content = json.dumps(json_body, separators=(",", ":"), allow_nan=False).encode()
            sent["Content-Type"] = "application/json"
        query = {k: str(v) for k, v in params.items()} if params else None
        secrets = secrets_of(sent.items(), (query or {}).items())
        target = self.base_url.rstrip("/") + url if self.base_url else url
        key = ""
        if self.cache is not None:
            full = str(httpx.Request(method, target, params=query).url)
            key = HttpCache.key(method, full, content or b"")
            if (cached := self.cache.get(key)) is not None:
                return cached
        attempt = 0
        while True:
            tried = self._try(method, target, query, content, sent)
            if tried.answer is not None:
                refusal = check(tried.answer) if check is not None else None
                if refusal is None:
                    if self.cache is not None:
                        self.cache.put(key, tried.answer)
                    return tried.answer
                tried = _Try(kind="refused", reason=refusal)
            failure = HttpFailure(
                source=redact(source or self.source, secrets),
                kind=tried.kind,
                attempts=attempt + 1,
                status=tried.status,
                reason=redact(tried.reason, secrets),
                label=redact(label, secrets),
                detail=redact(tried.detail, secrets),
                timeout_s=self.timeout_s,
                hint=self.hints.get(tried.status or 0, ""),
            )
            if not self._retry(tried) or attempt >= self.max_retries:
                raise self.fail(failure) from tried.cause
            self.sleep(self._wait(attempt, tried.retry_after))
            attempt += 1

    def request_json(
        self,
        method: str,
        url: str,
        *,
        params: Params | None = None,
        json_body: Any = None,
        source: str | None = None,
        label: str = "",
    ) -> Any:
        """:meth:`request`, its body decoded as JSON (else a ``not_json`` failure)."""
        answer = self.request(
            method, url, params=params, json_body=json_body, source=source, label=label
        )
        try:
            return json.loads(answer.body)
        except ValueError:
            failure = HttpFailure(redact(source or self.source), "not_json", label=redact(label))
            raise self.fail(failure) from None

    def fail(self, failure: HttpFailure) -> RexosError:
        """The caller's error for ``failure``."""
        error = self.error
        made: RexosError = error(failure.message) if isinstance(error, type) else error(failure)
        return made

    def _retry(self, tried: _Try) -> bool:
        if tried.kind == "timeout":
            return self.retry_timeouts or isinstance(tried.cause, httpx.ConnectTimeout)
        return tried.kind in ("refused", "unreachable") or tried.status in RETRY_STATUSES

    def _wait(self, attempt: int, retry_after: str | None) -> float:
        wait = self.backoff_s * 2**attempt
        told = None if retry_after is None else retry_after_s(retry_after, self.clock())
        return min(wait if told is None else told, self.max_wait_s)

    def _try(
        self,
        method: str,
        url: str,
        query: dict[str, str] | None,
        content: bytes | None,
        headers: dict[str, str],
    ) -> _Try:
        try:
            with (
                httpx.Client(
                    timeout=self.timeout_s,
                    transport=self.transport,
                    headers=headers,
                    follow_redirects=self.follow_redirects,
                ) as client,
                client.stream(method, url, params=query, content=content) as response,
            ):
                return self._read(response)
        except httpx.TimeoutException as exc:
            return _Try(kind="timeout", reason=type(exc).__name__, cause=exc)
        except httpx.HTTPError as exc:
            return _Try(kind="unreachable", reason=type(exc).__name__, cause=exc)

    def _read(self, response: httpx.Response) -> _Try:
        status = response.status_code
        if not 200 <= status < 300:
            start = b""
            for chunk in response.iter_bytes():
                start += chunk
                if len(start) >= 1024:
                    break
            detail = " ".join(start[:1024].decode("utf-8", "replace").split())[:200]
            told = response.headers.get("retry-after")
            return _Try(status=status, detail=detail, retry_after=told)
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > self.max_bytes:
                return _Try(kind="too_large", reason=str(self.max_bytes))
        return _Try(Answer(status, response.headers.get("content-type", ""), bytes(body)))
