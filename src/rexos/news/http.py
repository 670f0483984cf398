"""GET a bounded body over HTTP with a timeout and a bounded retry on 429, 5xx and transport
errors; shared by the news and search clients (the only modules of theirs that use httpx)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from rexos.errors import RexosError, UsageError

__all__ = ["RETRY_STATUSES", "Fetched", "HttpGetter", "Transport", "check_http_url"]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

Transport = httpx.BaseTransport
"""What tests pass instead of the network (``httpx.MockTransport``)."""


def check_http_url(url: str, what: str) -> str:
    """``url`` stripped, if it is an absolute http(s) URL; else a :class:`UsageError`."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{what} must be an http(s) URL, got {url!r}")
    return url


@dataclass(frozen=True, slots=True)
class Fetched:
    """A 200 answer: its content type and body."""

    content_type: str
    body: bytes


@dataclass(frozen=True, slots=True)
class HttpGetter:
    """GETs with a timeout, ``max_retries`` retries waiting ``backoff_s * 2**attempt`` and a
    body cap. ``transport`` (e.g. ``httpx.MockTransport``) replaces the network in tests."""

    error: type[RexosError]
    timeout_s: float = 10.0
    max_retries: int = 2
    backoff_s: float = 0.5
    max_bytes: int = 5_000_000
    user_agent: str = "rexos"
    transport: Transport | None = None
    sleep: Callable[[float], None] = field(default=time.sleep)
    hints: Mapping[int, str] = field(default_factory=dict)
    """Extra words for an error status, e.g. ``{403: "is the JSON format enabled?"}``."""

    def get(
        self, source: str, url: str, params: Mapping[str, str] | None = None, accept: str = "*/*"
    ) -> Fetched:
        """The answer to ``GET url?params``; one ``error`` naming ``source`` on any failure."""
        headers = {"Accept": accept, "User-Agent": self.user_agent}
        attempt = 0
        while True:
            cause: Exception | None = None
            try:
                with httpx.Client(
                    timeout=self.timeout_s,
                    transport=self.transport,
                    headers=headers,
                    follow_redirects=True,
                ) as client:
                    fetched, status = self._once(client, source, url, params)
                if fetched is not None:
                    return fetched
                failure = f"HTTP {status}"
                if status not in RETRY_STATUSES:
                    hint = f" ({self.hints[status]})" if status in self.hints else ""
                    raise self.error(f"{source}: {failure}{hint}")
            except httpx.TimeoutException as exc:
                failure, cause = f"timed out after {self.timeout_s:g} s", exc
            except httpx.HTTPError as exc:
                failure, cause = f"cannot reach it ({type(exc).__name__})", exc
            if attempt >= self.max_retries:
                tries = f"{attempt + 1} tries" if attempt else "1 try"
                raise self.error(f"{source}: {failure} after {tries}") from cause
            self.sleep(self.backoff_s * 2**attempt)
            attempt += 1

    def _once(
        self, client: httpx.Client, source: str, url: str, params: Mapping[str, str] | None
    ) -> tuple[Fetched | None, int]:
        # no params: keep the query string of ``url`` (httpx replaces it with ``params``)
        with client.stream("GET", url, params=dict(params) if params else None) as response:
            if response.status_code != 200:
                return None, response.status_code
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise self.error(f"{source}: answer larger than {self.max_bytes} bytes")
            content_type = response.headers.get("content-type", "")
            return Fetched(content_type, bytes(body)), 200
