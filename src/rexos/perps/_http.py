"""Send one JSON request with a timeout and a bounded retry on 429, 5xx and transport errors."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from rexos.errors import PerpsError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class HttpNotFound(PerpsError):
    """HTTP 404: venues that answer an unknown market this way map it to MarketNotListed."""


def request_json(
    client: httpx.Client,
    venue: str,
    method: str,
    path: str,
    *,
    params: dict[str, str] | None = None,
    body: dict[str, str] | None = None,
    max_retries: int,
    backoff_s: float,
    sleep: Callable[[float], None],
) -> Any:
    """The decoded JSON answer; one :class:`PerpsError` on any failure.

    Retries ``max_retries`` times, waiting ``backoff_s * 2**attempt`` seconds.
    """
    attempt = 0
    while True:
        failure: str
        cause: Exception | None = None
        try:
            response = client.request(method, path, params=params, json=body)
        except httpx.TimeoutException as exc:
            failure, cause = "request timed out", exc
        except httpx.HTTPError as exc:
            failure, cause = f"cannot reach the API ({exc})", exc
        else:
            if response.status_code == 200:
                try:
                    return response.json()
                except ValueError as exc:
                    raise PerpsError(f"{venue}: response from {path} is not JSON") from exc
            failure = f"HTTP {response.status_code} from {path}"
            if response.status_code == 404:
                raise HttpNotFound(f"{venue}: {failure}")
            if response.status_code not in RETRY_STATUSES:
                raise PerpsError(f"{venue}: {failure}")
        if attempt >= max_retries:
            raise PerpsError(f"{venue}: {failure} after {attempt + 1} tries") from cause
        sleep(backoff_s * 2**attempt)
        attempt += 1


class HttpVenue:
    """Base URL, timeout, retries and an optional transport, shared by the httpx venues.

    Pass ``transport`` (for example an ``httpx.MockTransport``) to serve
    recorded responses instead of the network.
    """

    name = ""
    default_base_url = ""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        timeout_s: float = 10.0,
        max_retries: int = 2,
        backoff_s: float = 0.5,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url or self.default_base_url
        self._timeout_s = timeout_s
        self._max_retries = max(0, max_retries)
        self._backoff_s = backoff_s
        self._transport = transport
        self._sleep = sleep

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, str] | None = None,
    ) -> Any:
        with httpx.Client(
            base_url=self.base_url,
            timeout=self._timeout_s,
            transport=self._transport,
            headers={"Accept": "application/json"},
        ) as client:
            return request_json(
                client,
                self.name,
                method,
                path,
                params=params,
                body=body,
                max_retries=self._max_retries,
                backoff_s=self._backoff_s,
                sleep=self._sleep,
            )
