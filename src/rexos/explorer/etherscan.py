"""An Etherscan-compatible explorer client: ``module=account`` ``txlist``, ``tokentx``,
``balance`` (Etherscan API v2, one URL for every chain, ``chainid`` in the query).

Every answer is an envelope ``{"status": "1"|"0", "message": ..., "result": ...}``. Status
``"0"`` with an empty list means "nothing found"; with a string it is an error, e.g.
``{"status": "0", "message": "NOTOK", "result": "Max rate limit reached"}``. Rate limits
(that message, or HTTP 429), 5xx answers, timeouts and transport errors are retried with
exponential backoff by the one outside-HTTP client, then reported as one
:class:`ExplorerError`. The API key travels in the query string; no message includes it.

Etherscan lists an address's genesis allocation as a ``txlist`` row of block 0 whose
``from`` is ``"GENESIS"`` and whose ``hash`` is ``"GENESIS_<address>"`` (no transaction
exists). Such a row is kept, with those two values as given (:data:`GENESIS`), so that the
allocation still counts as received.
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
from collections.abc import Callable
from typing import Any, Literal
from urllib.parse import urlsplit

from rexos.errors import UsageError
from rexos.explorer.errors import ExplorerError, ExplorerRateLimited
from rexos.explorer.records import ExplorerTx, TokenTransfer, read_token_transfer, read_tx
from rexos.outside_http import Answer, HttpFailure, OutsideHttp, Transport, check_http_url
from rexos.types import parse_address

__all__ = ["DEFAULT_ETHERSCAN_URL", "GENESIS", "MAX_RESULTS", "EtherscanClient"]

DEFAULT_ETHERSCAN_URL = "https://api.etherscan.io/v2/api"
MAX_RESULTS = 10_000
"""Etherscan serves at most this many rows of a list (``page * offset``)."""

MAX_ANSWER_BYTES = 64_000_000
"""The largest answer read (a full page of rows is a few megabytes)."""
Sort = Literal["asc", "desc"]

GENESIS = "GENESIS"
"""The ``from`` of a genesis-allocation row; its ``hash`` is ``GENESIS_`` and the address."""
_GENESIS_HASH = re.compile(r"GENESIS_[0-9a-fA-F]{40}")
_STAND_IN_HASH = "0x" + "0" * 64
_STAND_IN_FROM = "0x" + "0" * 40


class EtherscanClient:
    """Reads accounts from an Etherscan-compatible API, with a timeout and bounded retries.

    ``transport`` (an ``httpx.MockTransport``) replaces the network in tests; ``sleep`` is
    what waits between retries.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_ETHERSCAN_URL,
        *,
        api_key: str | None = None,
        timeout_s: float = 10.0,
        max_retries: int = 2,
        backoff_s: float = 1.0,
        transport: Transport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = check_http_url(base_url, "the explorer URL")
        self.source = f"explorer {urlsplit(self.base_url).netloc}"
        self._api_key = api_key
        self._http = OutsideHttp(
            self.source,
            _explorer_error,
            timeout_s=timeout_s,
            max_retries=max(0, max_retries),
            backoff_s=backoff_s,
            max_bytes=MAX_ANSWER_BYTES,
            transport=transport,
            sleep=sleep,
        )

    def transactions(
        self,
        address: str,
        *,
        chain_id: int = 1,
        limit: int = 25,
        page: int = 1,
        sort: Sort = "desc",
    ) -> list[ExplorerTx]:
        """Normal transactions sent from or to ``address``, newest first by default."""
        rows = self._list("txlist", address, chain_id, limit, page, sort, {})
        return [_read_tx(self.source, row, n) for n, row in enumerate(rows)]

    def token_transfers(
        self,
        address: str,
        *,
        chain_id: int = 1,
        token: str | None = None,
        limit: int = 25,
        page: int = 1,
        sort: Sort = "desc",
    ) -> list[TokenTransfer]:
        """ERC-20 transfers from or to ``address`` (of one ``token`` contract if given)."""
        extra = {} if token is None else {"contractaddress": str(parse_address(token))}
        rows = self._list("tokentx", address, chain_id, limit, page, sort, extra)
        return [read_token_transfer(self.source, row, n) for n, row in enumerate(rows)]

    def balance(self, address: str, *, chain_id: int = 1) -> int:
        """The native-coin balance of ``address`` in wei."""
        params = {"address": str(parse_address(address)), "tag": "latest"}
        result = self._account("balance", chain_id, params)
        if isinstance(result, bool) or not isinstance(result, str | int):
            raise ExplorerError(f"{self.source}: balance is not an integer: {result!r}")
        try:
            return int(result)
        except ValueError:
            raise ExplorerError(f"{self.source}: balance is not an integer: {result!r}") from None

    def _list(
        self,
        action: str,
        address: str,
        chain_id: int,
        limit: int,
        page: int,
        sort: Sort,
        extra: dict[str, str],
    ) -> list[Any]:
        if limit < 1 or page < 1 or page * limit > MAX_RESULTS:
            raise UsageError(
                f"limit and page must be at least 1 with page * limit <= {MAX_RESULTS}"
            )
        params = {
            "address": str(parse_address(address)),
            **extra,
            "startblock": "0",
            "endblock": "99999999",
            "page": str(page),
            "offset": str(limit),
            "sort": sort,
        }
        result = self._account(action, chain_id, params)
        if not isinstance(result, list):
            raise ExplorerError(f"{self.source}: {action} result is not a list")
        return result[:limit]

    def _account(self, action: str, chain_id: int, params: dict[str, str]) -> Any:
        """The ``result`` of ``module=account&action=…``, retried as the module says."""
        if chain_id < 1:
            raise UsageError(f"chain id must be positive, got {chain_id}")
        query = {"chainid": str(chain_id), "module": "account", "action": action, **params}
        if self._api_key:
            query["apikey"] = self._api_key
        answer = self._http.request("GET", self.base_url, params=query, check=_rate_limited)
        try:
            return self._envelope(json.loads(answer.body))
        except ValueError:
            raise ExplorerError(f"{self.source}: the answer is not JSON") from None

    def _envelope(self, body: Any) -> Any:
        if not isinstance(body, dict) or not {"status", "result"} <= body.keys():
            raise ExplorerError(f"{self.source}: the answer is not a status/result envelope")
        status, result = str(body["status"]), body["result"]
        if status == "1":
            return result
        if isinstance(result, list) and not result:
            return []  # "No transactions found" and the like
        message, said = _said(body)
        hint = " (set REXOS_ETHERSCAN_API_KEY)" if "api key" in said.lower() else ""
        raise ExplorerError(f"{self.source}: {message}: {said}{hint}")


def _read_tx(source: str, row: Any, n: int) -> ExplorerTx:
    """Row ``n`` of a ``txlist`` answer; a genesis allocation keeps its ``GENESIS`` marks."""
    if not (isinstance(row, dict) and row.get("from") == GENESIS):
        return read_tx(source, row, n)
    marker = row.get("hash")
    if not isinstance(marker, str) or not _GENESIS_HASH.fullmatch(marker):
        raise ExplorerError(f"{source}: result.{n}.hash is not a genesis mark: {marker!r:.80}")
    # Every other field is read and checked as in any row; only the two marks are set back.
    tx = read_tx(source, {**row, "hash": _STAND_IN_HASH, "from": _STAND_IN_FROM}, n)
    return dataclasses.replace(tx, hash=marker, from_address=GENESIS)


def _explorer_error(failure: HttpFailure) -> ExplorerError:
    return (ExplorerRateLimited if failure.rate_limited else ExplorerError)(failure.message)


def _said(body: dict[str, Any]) -> tuple[str, str]:
    """The envelope's message and what its result says, each on one short line."""
    message = _one_line(body.get("message", "NOTOK"), 40)
    result = body.get("result")
    return message, _one_line(result if isinstance(result, str) else message, 200)


def _rate_limited(answer: Answer) -> str | None:
    """Words for an envelope that says "rate limit" (retried like a 429); else ``None``."""
    try:
        body = json.loads(answer.body)
    except ValueError:
        return None
    if not isinstance(body, dict) or str(body.get("status")) == "1":
        return None
    _, said = _said(body)
    return f"rate limited ({said})" if "rate limit" in said.lower() else None


def _one_line(value: object, limit: int) -> str:
    return " ".join(str(value).split())[:limit]
