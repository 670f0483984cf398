"""The base of the perp venues reached over HTTP: one :class:`~rexos.outside_http.OutsideHttp`
per venue (timeout, bounded retries on 429/5xx and transport errors, key redaction)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from rexos.errors import PerpsError
from rexos.outside_http import HttpFailure, OutsideHttp, Transport


class HttpNotFound(PerpsError):
    """HTTP 404: venues that answer an unknown market this way map it to MarketNotListed."""


def _perps_error(failure: HttpFailure) -> PerpsError:
    return (HttpNotFound if failure.status == 404 else PerpsError)(failure.message)


class HttpVenue:
    """Base URL, timeout, retries and an optional transport, shared by the HTTP venues.

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
        transport: Transport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url or self.default_base_url
        self._http = OutsideHttp(
            self.name,
            _perps_error,
            base_url=self.base_url,
            timeout_s=timeout_s,
            max_retries=max(0, max_retries),
            backoff_s=backoff_s,
            transport=transport,
            sleep=sleep,
        )

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, str] | None = None,
    ) -> Any:
        """The decoded JSON answer; one :class:`PerpsError` on any failure."""
        return self._http.request_json(method, path, params=params, json_body=body, label=path)
