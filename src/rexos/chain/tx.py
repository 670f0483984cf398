"""The transaction lifecycle every RexOS feature uses.

build → simulate (``eth_call`` + gas estimate) → sign → send → wait for the
receipt. A revert at any step becomes :class:`TransactionReverted` with the
decoded reason; an unreachable node becomes :class:`RpcUnavailable`. Keys stay
inside the ``LocalAccount``; nothing here logs or prints them.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import requests
from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.exceptions import ContractLogicError, TimeExhausted, Web3RPCError
from web3.logs import DISCARD

from rexos.chain.artifacts import load_artifact
from rexos.chain.revert import decode_revert
from rexos.errors import (
    ChainError,
    InsufficientBalance,
    RpcUnavailable,
    TransactionFailed,
    TransactionReverted,
)
from rexos.types import Address

__all__ = ["Receipt", "Transactor", "calldata", "receipt_of", "reverts_as"]

log = logging.getLogger(__name__)

_PRIORITY_FEE_WEI = 1_000_000_000
_GAS_MARGIN_PCT = 30
_GAS_MARGIN_MIN = 50_000
"""The estimate runs at the latest block; the transaction runs in the next one, where a
time-dependent branch (rewards accrued, an epoch rolled) may cost more. Unused gas is refunded."""


@dataclass(frozen=True, slots=True)
class Receipt:
    """What a mined transaction left behind."""

    tx_hash: str
    block_number: int
    timestamp: int
    gas_used: int
    contract_address: Address | None
    raw: Any

    def events(self, contract: Contract, event: str) -> list[dict[str, Any]]:
        """Decoded ``event`` logs that ``contract`` emitted in this transaction."""
        logs = contract.events[event]().process_receipt(self.raw, errors=DISCARD)
        return [dict(entry["args"]) for entry in logs if entry["address"] == contract.address]


def calldata(call: Any) -> bytes:
    """The exact bytes a built contract call (``contract.functions.f(...)``) would send."""
    return bytes.fromhex(str(call._encode_transaction_data()).removeprefix("0x"))


@contextlib.contextmanager
def reverts_as(action: str, url: str = "the chain") -> Iterator[None]:
    """Translate web3 and HTTP failures inside the block into RexOS errors."""
    try:
        yield
    except ContractLogicError as exc:
        reason = decode_revert(exc.data) if isinstance(exc.data, str | bytes) else ""
        raise TransactionReverted(reason or _message_reason(exc), action=action) from exc
    except (requests.ConnectionError, requests.Timeout, ConnectionError) as exc:
        raise RpcUnavailable(f"cannot reach {url} while trying to {action}") from exc
    except Web3RPCError as exc:
        text = str(exc)
        if "insufficient funds" in text.lower():
            raise InsufficientBalance(f"not enough ETH to pay gas for {action}") from exc
        raise ChainError(f"{action} failed: {_first_line(text)}") from exc


def _first_line(text: str) -> str:
    return text.splitlines()[0][:200] if text else "unknown error"


def _message_reason(exc: ContractLogicError) -> str:
    text = exc.message or str(exc)
    return text.removeprefix("execution reverted: ").removeprefix("execution reverted")


def receipt_of(web3: Web3, tx_hash: str, action: str) -> Receipt:
    """The :class:`Receipt` of the mined transaction ``tx_hash``."""
    with reverts_as(f"read the receipt of {action}"):
        raw = web3.eth.get_transaction_receipt(cast(Any, tx_hash))
        block = web3.eth.get_block(raw["blockNumber"])
    if raw["status"] != 1:
        raise TransactionFailed(f"{action} failed on-chain (tx {tx_hash})")
    created = raw.get("contractAddress")
    return Receipt(
        tx_hash=tx_hash,
        block_number=int(raw["blockNumber"]),
        timestamp=int(block["timestamp"]),
        gas_used=int(raw["gasUsed"]),
        contract_address=Address(created) if created else None,
        raw=raw,
    )


class Transactor:
    """Sends transactions for one account, with simulation before every send."""

    def __init__(
        self, web3: Web3, account: LocalAccount, *, receipt_timeout_s: float = 120
    ) -> None:
        self.web3 = web3
        self._account = account
        self._timeout = receipt_timeout_s

    def __repr__(self) -> str:
        return f"Transactor({self.address})"

    @property
    def address(self) -> Address:
        return Address(self._account.address)

    def _base_tx(self, value: int) -> dict[str, Any]:
        eth = self.web3.eth
        base_fee = int(eth.get_block("latest").get("baseFeePerGas", 0) or 0)
        return {
            "from": self.address,
            "value": value,
            "chainId": eth.chain_id,
            "nonce": eth.get_transaction_count(self.address, "pending"),
            "maxPriorityFeePerGas": _PRIORITY_FEE_WEI,
            "maxFeePerGas": 2 * base_fee + _PRIORITY_FEE_WEI,
        }

    def simulate(self, tx: dict[str, Any], action: str) -> int:
        """Run ``tx`` with ``eth_call`` and estimate its gas; raise on revert."""
        probe = {k: tx[k] for k in ("from", "to", "data", "value") if k in tx}
        with reverts_as(action):
            self.web3.eth.call(cast(Any, probe), "latest")
            estimate = int(self.web3.eth.estimate_gas(cast(Any, probe)))
        return estimate + max(estimate * _GAS_MARGIN_PCT // 100, _GAS_MARGIN_MIN)

    def send(self, call: ContractFunction, *, action: str, value: int = 0) -> Receipt:
        """Simulate, sign, send and wait for ``call``; return its receipt."""
        with reverts_as(action):
            tx = self._base_tx(value)
            tx["to"] = call.address
            tx["data"] = call._encode_transaction_data()
        return self._sign_send_wait(tx, action)

    def send_value(self, to: Address, value: int, *, action: str = "send ETH") -> Receipt:
        """Send plain ETH."""
        with reverts_as(action):
            tx = self._base_tx(value)
        tx["to"] = to
        tx["data"] = b""
        return self._sign_send_wait(tx, action)

    def deploy(self, contract_name: str, *args: Any) -> Contract:
        """Deploy a packaged contract artifact; return the bound contract."""
        artifact = load_artifact(contract_name)
        factory = self.web3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        action = f"deploy {contract_name}"
        with reverts_as(action):
            tx = self._base_tx(0)
            tx["data"] = factory.constructor(*args).data_in_transaction
        receipt = self._sign_send_wait(tx, action)
        if receipt.contract_address is None:
            raise TransactionFailed(f"{action}: no contract address in the receipt")
        bound: Contract = self.web3.eth.contract(address=receipt.contract_address, abi=artifact.abi)
        return bound

    def _sign_send_wait(self, tx: dict[str, Any], action: str) -> Receipt:
        tx["gas"] = self.simulate(tx, action)
        signed = self._account.sign_transaction(tx)
        with reverts_as(action):
            tx_hash = self.web3.eth.send_raw_transaction(signed.raw_transaction)
            try:
                raw = self.web3.eth.wait_for_transaction_receipt(tx_hash, timeout=self._timeout)
            except TimeExhausted as exc:
                raise TransactionFailed(
                    f"{action}: not mined within {self._timeout:.0f} s"
                ) from exc
            block = self.web3.eth.get_block(raw["blockNumber"])
        if raw["status"] != 1:
            used, limit = int(raw["gasUsed"]), int(tx["gas"])
            why = f"out of gas at {used:,}" if used >= limit else f"reverted after {used:,} gas"
            raise TransactionFailed(f"{action} failed on-chain, {why} (tx {tx_hash.to_0x_hex()})")
        log.info("%s mined in block %s, gas %s", action, raw["blockNumber"], raw["gasUsed"])
        created = raw.get("contractAddress")
        return Receipt(
            tx_hash=tx_hash.to_0x_hex(),
            block_number=int(raw["blockNumber"]),
            timestamp=int(block["timestamp"]),
            gas_used=int(raw["gasUsed"]),
            contract_address=Address(created) if created else None,
            raw=raw,
        )
