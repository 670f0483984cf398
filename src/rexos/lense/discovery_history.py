"""A wallet's token history: which tokens it sent, received (from whom, when) and approved.

Two sources: the chain's index (:mod:`rexos.chainindex`), whose transfers table holds the
deployment's own tokens, and ``eth_getLogs`` scans of ``Transfer``/``Approval`` logs that
name the wallet as ``topic1`` (sender, approver) or ``topic2`` (recipient), ``span`` blocks
per request, which find any token. The index keeps only the deployment's tokens, so the
logs are scanned whether or not there is an index. :func:`fanout` then counts, for the
blocks a token arrived in, how many addresses its sender reached there: the airdrop sign.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_utils.crypto import keccak
from web3 import Web3

from rexos.chain.tx import reverts_as
from rexos.chainindex.store import run_query
from rexos.errors import StoreUnreadable, UsageError

__all__ = ["APPROVAL", "MAX_FANOUT_BLOCKS", "TRANSFER", "History", "Trail", "fanout", "history"]

TRANSFER = keccak(text="Transfer(address,address,uint256)")
APPROVAL = keccak(text="Approval(address,address,uint256)")

MAX_FANOUT_BLOCKS = 256
"""Most blocks whose transfers :func:`fanout` reads (one request each); tokens that arrived
only in later ones are left undecided."""


@dataclass(slots=True)
class Trail:
    """One token in the wallet's history: ``(sender, block)`` of each receipt, and whether
    the wallet ever sent it or approved a spender for it."""

    received: set[tuple[str, int]] = field(default_factory=set)
    sent: bool = False
    approved: bool = False


@dataclass(frozen=True, slots=True)
class History:
    """What the history says, per checksummed token address, and what reading it took."""

    trails: dict[str, Trail]
    indexed: frozenset[str]
    """Tokens the index's transfers table names for the wallet."""
    scanned: tuple[int, int] | None
    """The block range whose logs were scanned (``None``: none)."""
    requests: int


def history(
    web3: Web3, owner: str, index: Path | None, first: int, last: int, span: int
) -> History:
    """The history of ``owner`` (checksummed) from the index and the logs of blocks
    ``first``..``last``."""
    indexed = _indexed(index, owner) if index is not None else frozenset()
    trails: dict[str, Trail] = defaultdict(Trail)
    requests = 0
    topic = _topic(owner)
    start = first
    while start <= last:
        end = min(last, start + span - 1)
        for topics in ([[_hex(TRANSFER), _hex(APPROVAL)], topic], [_hex(TRANSFER), None, topic]):
            requests += 1
            for log in _logs(web3, {"fromBlock": start, "toBlock": end, "topics": topics}):
                _record(trails, log, owner)
        start = end + 1
    for token in indexed:
        trails.setdefault(token, Trail())
    scanned = (first, last) if first <= last else None
    return History(dict(trails), indexed, scanned, requests)


def _indexed(path: Path, owner: str) -> frozenset[str]:
    """Tokens the index's transfers table names for ``owner``; none if it cannot be read."""
    sql = (
        "SELECT DISTINCT token FROM transfers "
        f"WHERE from_address = '{owner}' OR to_address = '{owner}'"
    )
    try:
        rows = run_query(path, sql).rows
    except (StoreUnreadable, UsageError):
        return frozenset()
    return frozenset(Web3.to_checksum_address(str(row[0])) for row in rows)


def _record(trails: dict[str, Trail], log: Mapping[str, Any], owner: str) -> None:
    topics = [bytes(t) for t in log["topics"]]
    if len(topics) != 3:  # ERC-721 transfers and approvals index a fourth topic
        return
    token = Web3.to_checksum_address(log["address"])
    sender, recipient = _address(topics[1]), _address(topics[2])
    if topics[0] == APPROVAL:
        trails[token].approved = trails[token].approved or sender == owner
    elif topics[0] == TRANSFER:
        if sender == owner:
            trails[token].sent = True
        if recipient == owner:
            trails[token].received.add((sender, int(log["blockNumber"])))


def fanout(
    web3: Web3, arrivals: Mapping[str, set[tuple[str, int]]], max_blocks: int = MAX_FANOUT_BLOCKS
) -> tuple[dict[str, int], int]:
    """For each token of ``arrivals`` (token → ``(sender, block)`` receipts), the most
    distinct recipients one of its senders reached in one of those blocks; and the requests
    made. Tokens whose blocks lie beyond the first ``max_blocks`` are left out."""
    by_block: dict[int, set[str]] = defaultdict(set)
    for token, receipts in arrivals.items():
        for _, block in receipts:
            by_block[block].add(token)
    reach: dict[tuple[str, str, int], set[str]] = defaultdict(set)
    blocks = sorted(by_block)[:max_blocks]
    for block in blocks:
        query = {"fromBlock": block, "toBlock": block, "topics": [_hex(TRANSFER)]}
        query["address"] = sorted(by_block[block])
        for log in _logs(web3, query):
            topics = [bytes(t) for t in log["topics"]]
            if len(topics) == 3:
                key = (Web3.to_checksum_address(log["address"]), _address(topics[1]), block)
                reach[key].add(_address(topics[2]))
    read = set(blocks)
    found: dict[str, int] = {}
    for token, receipts in arrivals.items():
        if all(block in read for _, block in receipts):
            found[token] = max((len(reach[(token, s, b)]) for s, b in receipts), default=0)
    return found, len(blocks)


def _logs(web3: Web3, query: Mapping[str, Any]) -> list[Any]:
    with reverts_as("read the wallet's transfer logs"):
        return list(web3.eth.get_logs(query))  # type: ignore[arg-type]


def _topic(address: str) -> str:
    return "0x" + bytes(12).hex() + address[2:].lower()


def _hex(topic: bytes) -> str:
    return "0x" + topic.hex()


def _address(topic: bytes) -> str:
    return Web3.to_checksum_address(topic[12:])
