"""JSON-RPC 2.0 answers from an embedded py-evm chain, in standard wire format.

:class:`EvmRpc` turns one decoded request (or a batch) into its response. Chain
methods go to ``EmbeddedEvm.provider.make_request`` with web3's eth-tester
request/result formatters applied around it (camelCase fields, hex quantities
in, canonical JSON out: integers as ``0x`` quantities, bytes as ``0x`` data).
A revert comes back as error code 3, ``"execution reverted: REASON"``, with
the raw revert bytes in ``data``, as geth and anvil answer. A call or gas
estimate without ``from`` runs as dev account 0 (eth-tester makes even
``eth_call`` senders afford gas, so the zero address cannot call), and a
missing block parameter means ``"latest"``.

Dev methods named as in anvil/hardhat:

* ``evm_increaseTime(seconds)`` records an offset and mines nothing; the next
  ``evm_mine`` brings the chain to a block stamped the latest timestamp plus
  the offset (plus one second when the offset is 0 or 1). Blocks mined by
  transactions in between do not consume the offset.
* ``evm_mine()``, ``evm_snapshot()`` → hex id, ``evm_revert(id)`` → bool
  (reverting drops that snapshot and later ones, like anvil).
* ``anvil_setBalance`` / ``hardhat_setBalance(address, wei)`` can only raise a
  balance: py-evm snapshots re-execute blocks, so state is never edited out
  of band; the difference is sent from the last dev account (one block).

Every call holds one lock: py-evm is not thread-safe.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any, cast

from eth_abi.abi import decode as abi_decode
from eth_abi.exceptions import DecodingError
from eth_utils.address import is_hex_address, to_checksum_address
from web3.exceptions import ContractLogicError
from web3.providers.eth_tester.middleware import (
    request_formatters,
    result_formatters,
    transaction_result_formatter,
    transaction_result_remapper,
)
from web3.types import RPCEndpoint

from rexos import __version__
from rexos.chain.devaccounts import DEV_ACCOUNT_COUNT, dev_account
from rexos.chain.embedded import EmbeddedEvm
from rexos.chain.jsonrpc import (
    EXECUTION_REVERTED,
    INVALID_PARAMS,
    INVALID_REQUEST,
    SERVER_ERROR,
    RpcError,
    error_response,
    param,
    quantity,
    to_json,
)

__all__ = ["EvmRpc", "client_version"]

_log = logging.getLogger(__name__)

_CALL_LIKE = frozenset({"eth_call", "eth_estimateGas", "eth_createAccessList"})
# Methods whose trailing block parameter is optional on the wire: its position.
_BLOCK_PARAM = {
    "eth_call": 1,
    "eth_createAccessList": 1,
    "eth_getBalance": 1,
    "eth_getCode": 1,
    "eth_getTransactionCount": 1,
    "eth_getStorageAt": 2,
}
_ERROR_SELECTOR = bytes.fromhex("08c379a0")
_BLOCK_METHODS = frozenset({"eth_getBlockByNumber", "eth_getBlockByHash"})


def client_version() -> str:
    """``rexos-pyevm/<version>``, the answer to ``web3_clientVersion``."""
    return f"rexos-pyevm/{__version__}"


class EvmRpc:
    """Answers JSON-RPC requests from one :class:`EmbeddedEvm`."""

    def __init__(self, evm: EmbeddedEvm) -> None:
        self.evm = evm
        self.lock = threading.Lock()
        self._time_offset = 0
        self._snapshots: list[int] = []
        self._local: dict[str, Callable[[list[Any]], Any]] = {
            "web3_clientVersion": lambda _params: client_version(),
            "evm_increaseTime": self._increase_time,
            "evm_mine": self._mine,
            "evm_snapshot": self._snapshot,
            "evm_revert": self._revert,
            "anvil_setBalance": self._set_balance,
            "hardhat_setBalance": self._set_balance,
        }

    def handle(self, payload: object) -> object | None:
        """The response to a request or batch; ``None`` when nothing is owed (notifications)."""
        if isinstance(payload, list):
            if not payload:
                return error_response(None, RpcError(INVALID_REQUEST, "empty batch"))
            answers = [self._handle_one(item) for item in payload]
            kept = [answer for answer in answers if answer is not None]
            return kept or None
        return self._handle_one(payload)

    def _handle_one(self, request: object) -> dict[str, Any] | None:
        if not isinstance(request, dict):
            return error_response(None, RpcError(INVALID_REQUEST, "request must be an object"))
        request_id = request.get("id")
        method, params = request.get("method"), request.get("params", [])
        if request.get("jsonrpc") != "2.0" or not isinstance(method, str):
            return error_response(request_id, RpcError(INVALID_REQUEST, "invalid request"))
        try:
            if not isinstance(params, list):
                raise RpcError(INVALID_PARAMS, "params must be an array")
            with self.lock:
                result = self._call(method, params)
            answer = {"jsonrpc": "2.0", "id": request_id, "result": to_json(result)}
        except RpcError as exc:
            answer = error_response(request_id, exc)
        except Exception as exc:
            _log.debug("%s failed", method, exc_info=True)
            answer = error_response(request_id, RpcError(SERVER_ERROR, str(exc) or repr(exc)))
        return answer if "id" in request else None

    def _call(self, method: str, params: list[Any]) -> Any:
        local = self._local.get(method)
        if local is not None:
            return local(params)
        if method in _CALL_LIKE and params and isinstance(params[0], dict):
            params = [{"from": dev_account(0).address, **params[0]}, *params[1:]]
        if len(params) == _BLOCK_PARAM.get(method, -1):
            params = [*params, "latest"]
        formatter = request_formatters.get(RPCEndpoint(method))
        try:
            formatted = list(formatter(params)) if formatter is not None else params
        except (LookupError, TypeError, ValueError) as exc:
            raise RpcError(INVALID_PARAMS, f"invalid params for {method}: {exc}") from exc
        try:
            response = self.evm.provider.make_request(RPCEndpoint(method), formatted)
        except ContractLogicError as exc:
            data = bytes.fromhex(str(exc.data or "0x")[2:])
            raise RpcError(EXECUTION_REVERTED, _revert_message(data), "0x" + data.hex()) from exc
        if "error" in response:
            error = cast(Mapping[str, Any], response["error"])
            raise RpcError(int(error.get("code", SERVER_ERROR)), str(error.get("message", "")))
        result = response.get("result")
        result_formatter = result_formatters.get(RPCEndpoint(method)) if result_formatters else None
        if result_formatter is not None:
            result = result_formatter(result)
        if method in _BLOCK_METHODS and isinstance(result, dict):
            result = _format_block_transactions(result)
        return result

    def _increase_time(self, params: list[Any]) -> int:
        self._time_offset += quantity(param(params, 0, "seconds"), "seconds")
        return self._time_offset

    def _mine(self, _params: list[Any]) -> str:
        offset, self._time_offset = self._time_offset, 0
        eth = self.evm.web3.eth
        target = int(eth.get_block("latest")["timestamp"]) + offset
        if target > int(eth.get_block("pending")["timestamp"]):
            self.evm.time_travel(offset)
        else:
            self.evm.mine()
        return "0x0"

    def _snapshot(self, _params: list[Any]) -> int:
        snapshot_id = int(self.evm.snapshot())
        self._snapshots.append(snapshot_id)
        return snapshot_id

    def _revert(self, params: list[Any]) -> bool:
        snapshot_id = quantity(param(params, 0, "snapshot id"), "snapshot id")
        if snapshot_id not in self._snapshots:
            return False
        self.evm.revert(str(snapshot_id))
        self._snapshots = [kept for kept in self._snapshots if kept < snapshot_id]
        self._time_offset = 0
        return True

    def _set_balance(self, params: list[Any]) -> None:
        raw_address = param(params, 0, "address")
        if not isinstance(raw_address, str) or not is_hex_address(raw_address):
            raise RpcError(INVALID_PARAMS, f"invalid address: {raw_address!r}")
        address = to_checksum_address(raw_address)
        target = quantity(param(params, 1, "balance"), "balance")
        faucet = dev_account(DEV_ACCOUNT_COUNT - 1)
        web3 = self.evm.web3
        current = int(web3.eth.get_balance(address))
        if target < current or (target > current and address == faucet.address):
            raise RpcError(INVALID_PARAMS, "the py-evm devnet can only raise a balance")
        if target == current:
            return
        base_fee = int(web3.eth.get_block("latest").get("baseFeePerGas", 0))
        signed = faucet.sign_transaction(
            {
                "to": address,
                "value": target - current,
                "gas": 100_000,
                "maxFeePerGas": 2 * base_fee + 1,
                "maxPriorityFeePerGas": 1,
                "nonce": int(web3.eth.get_transaction_count(faucet.address)),
                "chainId": int(web3.eth.chain_id),
            }
        )
        web3.eth.send_raw_transaction(signed.raw_transaction)
        if int(web3.eth.get_balance(address)) != target:
            raise RpcError(SERVER_ERROR, f"could not fund {address}: it refused the transfer")


def _format_block_transactions(block: dict[str, Any]) -> dict[str, Any]:
    transactions = block.get("transactions", [])
    full = [
        transaction_result_formatter(transaction_result_remapper(tx))
        if isinstance(tx, dict)
        else tx
        for tx in transactions
    ]
    return {**block, "transactions": full}


def _revert_message(data: bytes) -> str:
    if data.startswith(_ERROR_SELECTOR):
        try:
            (reason,) = abi_decode(["string"], data[4:])
        except (DecodingError, UnicodeDecodeError):
            return "execution reverted"
        return f"execution reverted: {reason}"
    return "execution reverted"
