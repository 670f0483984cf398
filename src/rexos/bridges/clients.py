"""HTTP clients for LI.FI-, Across- and Bungee/Socket-style bridge quote APIs.

Each client has one method, :meth:`BridgeSource.quote`, builds the provider's
query, fetches it through the one outside-HTTP client (:mod:`rexos.outside_http`:
timeout, bounded retries on 429/5xx, key redaction), and hands the JSON to the
matching parser in :mod:`rexos.bridges.parse`. Any failure is one
:class:`~rexos.bridges.errors.BridgeError`. Pass ``transport`` (for example an
``httpx.MockTransport``) to serve recorded responses instead of the network.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from rexos.bridges.errors import BridgeError
from rexos.bridges.parse import parse_across, parse_bungee, parse_lifi
from rexos.bridges.schema import BridgeQuote, BridgeRequest
from rexos.outside_http import OutsideHttp, Transport

__all__ = ["AcrossClient", "BridgeSource", "BungeeClient", "LifiClient"]


class BridgeSource(Protocol):
    """Anything that answers a bridge request with zero or more quotes."""

    def quote(self, request: BridgeRequest) -> list[BridgeQuote]:
        """Quotes for ``request``; raises ``BridgeError`` when the source fails."""
        ...


class _HttpSource:
    """Shared settings: base URL, timeout, retries, backoff and optional API key."""

    provider = ""
    default_base_url = ""
    api_key_header = ""
    api_key_prefix = ""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout_s: float = 10.0,
        max_retries: int = 3,
        backoff_s: float = 0.5,
        transport: Transport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url or self.default_base_url
        headers = {}
        if api_key and self.api_key_header:
            headers[self.api_key_header] = self.api_key_prefix + api_key
        self._http = OutsideHttp(
            self.provider,
            BridgeError,
            base_url=self.base_url,
            timeout_s=timeout_s,
            max_retries=max(0, max_retries),
            backoff_s=backoff_s,
            headers=headers,
            transport=transport,
            sleep=sleep,
        )

    def _fetch(self, path: str, params: dict[str, str | int]) -> dict[str, Any]:
        body = self._http.request_json("GET", path, params=params, label=path)
        if not isinstance(body, dict):
            raise BridgeError(f"{self.provider}: expected a JSON object, got {type(body).__name__}")
        return body


class LifiClient(_HttpSource):
    """LI.FI ``GET /v1/quote`` (header ``x-lifi-api-key`` when a key is given)."""

    provider = "LI.FI"
    default_base_url = "https://li.quest"
    api_key_header = "x-lifi-api-key"

    def quote(self, request: BridgeRequest) -> list[BridgeQuote]:
        """The single best step LI.FI offers for ``request``."""
        params: dict[str, str | int] = {
            "fromChain": request.from_chain,
            "toChain": request.to_chain,
            "fromToken": request.token_in,
            "toToken": request.token_out,
            "fromAmount": str(request.amount_in),
            "fromAddress": request.from_address,
        }
        return parse_lifi(self._fetch("/v1/quote", params), request)


class AcrossClient(_HttpSource):
    """Across ``GET /api/suggested-fees`` (``Authorization: Bearer`` when a key is given)."""

    provider = "Across"
    default_base_url = "https://app.across.to"
    api_key_header = "Authorization"
    api_key_prefix = "Bearer "

    def quote(self, request: BridgeRequest) -> list[BridgeQuote]:
        """Across's suggested fees for ``request``, as one quote."""
        params: dict[str, str | int] = {
            "inputToken": request.token_in,
            "outputToken": request.token_out,
            "originChainId": request.from_chain,
            "destinationChainId": request.to_chain,
            "amount": str(request.amount_in),
        }
        return parse_across(self._fetch("/api/suggested-fees", params), request)


class BungeeClient(_HttpSource):
    """Bungee/Socket ``GET /v2/quote`` (header ``API-KEY`` when a key is given)."""

    provider = "Bungee"
    default_base_url = "https://api.socket.tech"
    api_key_header = "API-KEY"

    def quote(self, request: BridgeRequest) -> list[BridgeQuote]:
        """Every route Bungee offers for ``request``, one quote each."""
        params: dict[str, str | int] = {
            "fromChainId": request.from_chain,
            "toChainId": request.to_chain,
            "fromTokenAddress": request.token_in,
            "toTokenAddress": request.token_out,
            "fromAmount": str(request.amount_in),
            "userAddress": request.from_address,
            "uniqueRoutesPerBridge": "true",
            "sort": "output",
        }
        return parse_bungee(self._fetch("/v2/quote", params), request)
