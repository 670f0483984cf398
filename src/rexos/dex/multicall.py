"""Batched reads through a Multicall3-compatible contract (``aggregate3``), counted.

:class:`Multicall` packs many ``eth_call`` reads into one (``batch`` calls at most per
request), all at one block, and counts the RPC requests it makes (:attr:`Multicall.requests`)
so discovery can report them. Where the address holds no code (an older deployment), the
calls go one by one instead. Multicall3 sits at :data:`MULTICALL3_ADDRESS` on Ethereum,
BNB Chain, opBNB and most EVM chains; the devnet deploys ``RexMulticall`` (same function)
and records it in the manifest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eth_abi.abi import decode, encode
from eth_utils.crypto import keccak
from web3 import Web3
from web3.exceptions import ContractLogicError

from rexos.chain.tx import reverts_as
from rexos.errors import UsageError

__all__ = ["MULTICALL3_ADDRESS", "Call", "Multicall", "selector"]

MULTICALL3_ADDRESS = "0xcA11bde05977b3631167028862bE2a173976CA11"
"""Multicall3's address on every chain it was deployed to with its presigned transaction."""

_AGGREGATE3 = keccak(text="aggregate3((address,bool,bytes)[])")[:4]


def selector(signature: str) -> bytes:
    """The 4-byte selector of ``signature`` (``"getReserves()"``)."""
    return keccak(text=signature)[:4]


@dataclass(frozen=True, slots=True)
class Call:
    """One read: the contract and the calldata (selector and arguments)."""

    target: str
    data: bytes


class Multicall:
    """``aggregate3`` reads at a fixed block through the contract at ``address``."""

    def __init__(self, web3: Web3, address: str = MULTICALL3_ADDRESS, *, batch: int = 500):
        if batch < 1:
            raise UsageError(f"multicall batch must be at least 1, got {batch}")
        self._web3 = web3
        self.address = Web3.to_checksum_address(address)
        self.batch = batch
        self.requests = 0
        """RPC requests made so far (one per ``eth_call`` of a batch)."""
        self.calls = 0
        """Reads made so far (what as many ``eth_call`` requests would take unbatched)."""
        self._deployed: bool | None = None

    def deployed(self) -> bool:
        """Whether the multicall address holds code (read once)."""
        if self._deployed is None:
            with reverts_as("read the multicall contract's code"):
                self.requests += 1
                self._deployed = len(self._web3.eth.get_code(self.address)) > 0
        return self._deployed

    def try_many(self, calls: Sequence[Call], block: int) -> list[bytes | None]:
        """Each call's return data at ``block``, or ``None`` where it reverted."""
        if not calls:
            return []
        self.calls += len(calls)
        if not self.deployed():
            return [self._one(c, block) for c in calls]
        found: list[bytes | None] = []
        for start in range(0, len(calls), self.batch):
            chunk = calls[start : start + self.batch]
            packed = [(Web3.to_checksum_address(c.target), True, c.data) for c in chunk]
            data = _AGGREGATE3 + encode(["(address,bool,bytes)[]"], [packed])
            with reverts_as("read a batch through the multicall contract"):
                self.requests += 1
                raw = self._web3.eth.call(
                    {"to": self.address, "data": Web3.to_hex(data)}, block_identifier=block
                )
            (results,) = decode(["(bool,bytes)[]"], bytes(raw))
            found.extend(bytes(out) if ok else None for ok, out in results)
        return found

    def _one(self, call: Call, block: int) -> bytes | None:
        tx = {"to": Web3.to_checksum_address(call.target), "data": Web3.to_hex(call.data)}
        with reverts_as("read a pool"):
            self.requests += 1
            try:
                return bytes(self._web3.eth.call(tx, block_identifier=block))  # type: ignore[arg-type]
            except ContractLogicError:
                return None
