"""Crash-safe sending: record the signed transaction, then broadcast.

Used by the DPrompt provider node and the Wallet agent (an intent retried after a crash pays
at most once).

:class:`RecordedSender` simulates (through :class:`~rexos.chain.tx.Transactor`),
signs, hands the hash and raw bytes to a ``record`` callback *before*
broadcasting, then waits. After a crash, :meth:`RecordedSender.resume`
rebroadcasts the same raw transaction: same nonce, so it lands at most once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.exceptions import TimeExhausted, TransactionNotFound

from rexos.chain.tx import Transactor, reverts_as
from rexos.errors import ChainError, TransactionFailed
from rexos.types import Address

__all__ = ["RecordedSender"]

_PRIORITY_FEE_WEI = 1_000_000_000


class RecordedSender:
    """Sends for one account; signing and broadcasting are serialised (one nonce at a time)."""

    def __init__(self, web3: Web3, account: LocalAccount, *, timeout_s: float = 120) -> None:
        self.web3 = web3
        self._account = account
        self._tx = Transactor(web3, account, receipt_timeout_s=timeout_s)
        self._timeout = timeout_s
        self._lock = threading.Lock()

    @property
    def transactor(self) -> Transactor:
        """The plain :class:`~rexos.chain.tx.Transactor` of the same account (shares the lock)."""
        return self._tx

    @property
    def address(self) -> Address:
        return Address(self._account.address)

    def send(
        self, call: ContractFunction, action: str, record: Callable[[str, bytes], None]
    ) -> dict[str, Any]:
        """Simulate, sign, ``record(tx_hash, raw)``, broadcast, wait; return the raw receipt."""
        return self.send_tx(
            Address(call.address), bytes.fromhex(call._encode_transaction_data()[2:]), 0,
            action, record,
        )  # fmt: skip

    def send_tx(
        self,
        to: Address,
        data: bytes,
        value: int,
        action: str,
        record: Callable[[str, bytes], None],
    ) -> dict[str, Any]:
        """:meth:`send` for a transaction given as ``to``, ``data`` and ``value``."""
        with self._lock:
            with reverts_as(action):
                eth = self.web3.eth
                base_fee = int(eth.get_block("latest").get("baseFeePerGas", 0) or 0)
                tx: dict[str, Any] = {
                    "from": self.address,
                    "to": to,
                    "data": data,
                    "value": value,
                    "chainId": eth.chain_id,
                    "nonce": eth.get_transaction_count(self.address, "pending"),
                    "maxPriorityFeePerGas": _PRIORITY_FEE_WEI,
                    "maxFeePerGas": 2 * base_fee + _PRIORITY_FEE_WEI,
                }
            tx["gas"] = self._tx.simulate(tx, action)
            signed = self._account.sign_transaction(tx)
            tx_hash = "0x" + bytes(signed.hash).hex()
            raw = bytes(signed.raw_transaction)
            record(tx_hash, raw)
            with reverts_as(action):
                self.web3.eth.send_raw_transaction(raw)
        return self._wait(tx_hash, action)

    def resume(self, tx_hash: str, raw: bytes, action: str) -> dict[str, Any] | None:
        """The receipt of a recorded transaction, rebroadcast if the node never saw it.

        ``None`` when it cannot be mined any more (its nonce was used by another).
        """
        receipt = self._receipt(tx_hash)
        if receipt is not None:
            return receipt
        try:
            with reverts_as(action):
                self.web3.eth.send_raw_transaction(raw)
        except ChainError:
            return self._receipt(tx_hash)
        return self._wait(tx_hash, action)

    def _receipt(self, tx_hash: str) -> dict[str, Any] | None:
        try:
            with reverts_as("read a receipt"):
                return dict(self.web3.eth.get_transaction_receipt(tx_hash))  # type: ignore[arg-type]
        except (TransactionNotFound, ChainError):
            return None

    def _wait(self, tx_hash: str, action: str) -> dict[str, Any]:
        with reverts_as(action):
            try:
                raw = self.web3.eth.wait_for_transaction_receipt(
                    tx_hash,  # type: ignore[arg-type]
                    timeout=self._timeout,
                )
            except TimeExhausted as exc:
                why = f"{action}: not mined within {self._timeout:.0f} s"
                raise TransactionFailed(why) from exc
        if raw["status"] != 1:
            raise TransactionFailed(f"{action} failed on-chain (tx {tx_hash})")
        return dict(raw)
