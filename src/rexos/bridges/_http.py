"""GET a JSON object with a timeout and a bounded retry on 429 and 5xx."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx

from rexos.bridges.errors import BridgeError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def get_json(
    client: httpx.Client,
    provider: str,
    path: str,
    params: Mapping[str, str | int],
    *,
    max_retries: int,
    backoff_s: float,
    sleep: Callable[[float], None],
) -> dict[str, Any]:
    """Return the decoded JSON object; raise one :class:`BridgeError` on any failure.

    Retries ``max_retries`` times on 429/5xx and on transport errors, waiting
    ``backoff_s * 2**attempt`` seconds between tries.
    """
    attempt = 0
    while True:
        try:
            response = client.get(path, params=dict(params))
        except httpx.TimeoutException as exc:
            if attempt < max_retries:
                sleep(backoff_s * 2**attempt)
                attempt += 1
                continue
            raise BridgeError(f"{provider}: request timed out after {attempt + 1} tries") from exc
        except httpx.HTTPError as exc:
            if attempt < max_retries:
                sleep(backoff_s * 2**attempt)
                attempt += 1
                continue
            raise BridgeError(f"{provider}: cannot reach the API ({exc})") from exc
        if response.status_code in RETRY_STATUSES and attempt < max_retries:
            sleep(backoff_s * 2**attempt)
            attempt += 1
            continue
        if response.status_code != 200:
            raise BridgeError(
                f"{provider}: HTTP {response.status_code} from {path} after {attempt + 1} tries"
            )
        try:
            body = response.json()
        except ValueError as exc:
            raise BridgeError(f"{provider}: response is not JSON") from exc
        if not isinstance(body, dict):
            raise BridgeError(f"{provider}: expected a JSON object, got {type(body).__name__}")
        return body
