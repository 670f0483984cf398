"""Transfers read from a chain, and balances replayed from them.

:class:`Transfer` is one movement of value: ETH (``asset`` is ``"ETH"``), an ERC-20 amount
or an ERC-721 token (``token_id`` set, ``value`` 1). The sybil filter builds its graph from
transfers; the snapshot replays them when a node keeps no archive state:

* :func:`token_transfers` reads ``Transfer`` logs of one contract up to a block, in chunks;
* :func:`eth_transfers` reads the value-carrying transactions of a block range (the top
  level only: value moved inside contract calls needs traces and is not seen);
* :func:`replay_erc20` and :func:`replay_erc721` fold transfers up to a block into balances
  and owners. A replayed balance that goes negative means the logs are incomplete: that is
  a ``ChainError``, never a silently wrong balance.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from web3 import Web3

from rexos.chain.tx import reverts_as
from rexos.errors import ChainError
from rexos.types import Address, parse_address

__all__ = [
    "ETH",
    "TRANSFER_TOPIC",
    "Transfer",
    "eth_transfers",
    "replay_erc20",
    "replay_erc721",
    "token_transfers",
]

ETH = "ETH"
"""The ``asset`` of a plain ETH transfer."""
TRANSFER_TOPIC = "0x" + Web3.keccak(text="Transfer(address,address,uint256)").hex().removeprefix(
    "0x"
)
"""``Transfer(address,address,uint256)``: the same topic for ERC-20 and ERC-721."""
_ZERO = parse_address("0x" + "00" * 20)
_CHUNK = 10_000


@dataclass(frozen=True, slots=True)
class Transfer:
    """One transfer, ordered by ``(block, log_index)`` (transaction index for ETH)."""

    asset: str
    sender: Address
    recipient: Address
    value: int
    block: int
    tx_hash: str
    log_index: int
    token_id: int | None = None


def _topic_address(topic: Any) -> Address:
    return Address(Web3.to_checksum_address("0x" + bytes(topic)[-20:].hex()))


def token_transfers(
    web3: Web3, token: Address, to_block: int, *, from_block: int = 0, chunk: int = _CHUNK
) -> list[Transfer]:
    """Every ``Transfer`` log of ``token`` in ``[from_block, to_block]``, in chain order.

    A log with three topics is an ERC-20 transfer (amount in the data), with four an ERC-721
    transfer (token id as the last topic)."""
    found: list[Transfer] = []
    start = from_block
    while start <= to_block:
        end = min(start + chunk - 1, to_block)
        with reverts_as(f"read the Transfer logs of {token} in blocks {start}-{end}"):
            logs = web3.eth.get_logs(
                {"address": token, "fromBlock": start, "toBlock": end, "topics": [TRANSFER_TOPIC]}
            )
        for log in logs:
            topics = log["topics"]
            if len(topics) not in (3, 4):
                continue
            erc721 = len(topics) == 4
            found.append(
                Transfer(
                    asset=token,
                    sender=_topic_address(topics[1]),
                    recipient=_topic_address(topics[2]),
                    value=1 if erc721 else int.from_bytes(bytes(log["data"]), "big"),
                    block=int(log["blockNumber"]),
                    tx_hash="0x" + bytes(log["transactionHash"]).hex(),
                    log_index=int(log["logIndex"]),
                    token_id=int.from_bytes(bytes(topics[3]), "big") if erc721 else None,
                )
            )
        start = end + 1
    return sorted(found, key=lambda t: (t.block, t.log_index))


def eth_transfers(web3: Web3, from_block: int, to_block: int) -> list[Transfer]:
    """The value-carrying transactions in ``[from_block, to_block]`` (contract creations and
    zero-value calls left out)."""
    found: list[Transfer] = []
    for number in range(from_block, to_block + 1):
        with reverts_as(f"read the transactions of block {number}"):
            block = web3.eth.get_block(number, full_transactions=True)
        for index, item in enumerate(block["transactions"]):
            tx = cast(Any, item)
            value = int(tx["value"])
            recipient = tx.get("to")
            if value == 0 or not recipient:
                continue
            found.append(
                Transfer(
                    asset=ETH,
                    sender=Address(Web3.to_checksum_address(tx["from"])),
                    recipient=Address(Web3.to_checksum_address(recipient)),
                    value=value,
                    block=number,
                    tx_hash="0x" + bytes(tx["hash"]).hex(),
                    log_index=index,
                )
            )
    return found


def replay_erc20(transfers: Iterable[Transfer], token: str, to_block: int) -> dict[Address, int]:
    """Balances of ``token`` after ``to_block`` from its transfers (mints from and burns to
    the zero address); holders with a zero balance are left out."""
    balances: dict[Address, int] = {}
    for t in sorted(transfers, key=lambda t: (t.block, t.log_index)):
        if t.asset != token or t.block > to_block or t.token_id is not None:
            continue
        if t.sender != _ZERO:
            left = balances.get(t.sender, 0) - t.value
            if left < 0:
                raise ChainError(
                    f"replaying {token}: {t.sender} would go negative at block {t.block} "
                    f"({t.tx_hash}); the transfer logs are incomplete"
                )
            balances[t.sender] = left
        if t.recipient != _ZERO:
            balances[t.recipient] = balances.get(t.recipient, 0) + t.value
    return {a: v for a, v in balances.items() if v > 0}


def replay_erc721(transfers: Iterable[Transfer], token: str, to_block: int) -> dict[int, Address]:
    """The owner of each token id of ``token`` after ``to_block`` (burnt tokens left out)."""
    owners: dict[int, Address] = {}
    for t in sorted(transfers, key=lambda t: (t.block, t.log_index)):
        if t.asset != token or t.block > to_block or t.token_id is None:
            continue
        if t.sender != _ZERO and owners.get(t.token_id) != t.sender:
            raise ChainError(
                f"replaying {token}: token {t.token_id} leaves {t.sender}, which does not own "
                f"it, at block {t.block} ({t.tx_hash}); the transfer logs are incomplete"
            )
        if t.recipient == _ZERO:
            owners.pop(t.token_id, None)
        else:
            owners[t.token_id] = t.recipient
    return owners
