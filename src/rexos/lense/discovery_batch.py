"""A lean :class:`~rexos.dex.multicall.Multicall` for discovery's thousands of reads.

It makes the same ``aggregate3`` requests and counts them the same way, but packs the
calls and unpacks the results with :func:`pack_aggregate3` and :func:`unpack_results`
(straight ABI words, no checksumming of every target), which for 20,000 reads costs a
fraction of the general ABI codec. The encoding is the ABI's, byte for byte; a test holds
it to ``eth_abi``'s on random calls.
"""

from __future__ import annotations

from collections.abc import Sequence

from web3 import Web3

from rexos.chain.tx import reverts_as
from rexos.dex.multicall import Call, Multicall, selector
from rexos.errors import ChainError

__all__ = ["AGGREGATE3", "LeanMulticall", "pack_aggregate3", "unpack_results"]

AGGREGATE3 = selector("aggregate3((address,bool,bytes)[])")


def _word(value: int) -> bytes:
    return value.to_bytes(32, "big")


def _padded(data: bytes) -> bytes:
    return data + bytes(-len(data) % 32)


def pack_aggregate3(calls: Sequence[Call]) -> bytes:
    """Calldata of ``aggregate3`` over ``calls``, each allowed to fail."""
    tuples = [
        bytes(12) + bytes.fromhex(c.target[2:]) + _word(1) + _word(0x60) + _word(len(c.data))
        + _padded(c.data)
        for c in calls
    ]  # fmt: skip
    offsets, at = [], 32 * len(tuples)
    for encoded in tuples:
        offsets.append(_word(at))
        at += len(encoded)
    return AGGREGATE3 + _word(0x20) + _word(len(tuples)) + b"".join(offsets) + b"".join(tuples)


def unpack_results(raw: bytes, count: int) -> list[bytes | None]:
    """The ``(bool success, bytes returnData)[]`` that ``aggregate3`` returned: each call's
    data, ``None`` where it failed; ``ChainError`` if ``raw`` is not ``count`` results."""
    try:
        base = _read(raw, 0) + 32
        if _read(raw, base - 32) != count:
            raise ChainError(f"the multicall answered a different number of results than {count}")
        found: list[bytes | None] = []
        for k in range(count):
            start = base + _read(raw, base + 32 * k)
            ok = _read(raw, start)
            data_at = start + _read(raw, start + 32)
            length = _read(raw, data_at)
            data = raw[data_at + 32 : data_at + 32 + length]
            if len(data) != length:
                raise ChainError("the multicall's answer is cut short")
            found.append(data if ok == 1 else None)
        return found
    except IndexError as exc:
        raise ChainError("the multicall's answer is not aggregate3's results") from exc


def _read(raw: bytes, at: int) -> int:
    if at < 0 or at + 32 > len(raw):
        raise IndexError(at)
    return int.from_bytes(raw[at : at + 32], "big")


class LeanMulticall(Multicall):
    """:class:`~rexos.dex.multicall.Multicall` with the lean codec above; targets must be
    checksummed or lower-case ``0x`` addresses."""

    def try_many(self, calls: Sequence[Call], block: int) -> list[bytes | None]:
        """Each call's return data at ``block``, or ``None`` where it reverted."""
        if not calls:
            return []
        if not self.deployed():
            return super().try_many(calls, block)
        self.calls += len(calls)
        found: list[bytes | None] = []
        for start in range(0, len(calls), self.batch):
            chunk = calls[start : start + self.batch]
            tx = {"to": self.address, "data": Web3.to_hex(pack_aggregate3(chunk))}
            with reverts_as("read a batch through the multicall contract"):
                self.requests += 1
                raw = bytes(self._web3.eth.call(tx, block_identifier=block))  # type: ignore[arg-type]
            found += unpack_results(raw, len(chunk))
        return found
