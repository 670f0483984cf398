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
from functools import lru_cache
from pathlib import Path
from typing import Any

from eth_utils.crypto import keccak
from web3 import HTTPProvider, Web3
from web3.types import RPCEndpoint

from rexos.chain.tx import reverts_as
from rexos.chainindex.store import run_query
from rexos.errors import ChainError, StoreUnreadable, UsageError

__all__ = [
    "APPROVAL",
    "MAX_FANOUT_BLOCKS",
    "TRANSFER",
    "History",
    "Log",
    "Trail",
    "fanout",
    "history",
    "raw_logs",
]

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


@dataclass(frozen=True, slots=True)
class Log:
    """The parts of a log discovery reads: the emitting contract (lower case ``0x`` hex),
    the topics, the block."""

    address: str
    topics: tuple[bytes, ...]
    block: int


def history(
    web3: Web3, owner: str, index: Path | None, first: int, last: int, span: int
) -> History:
    """The history of ``owner`` (checksummed) from the index and the logs of blocks
    ``first``..``last``."""
    indexed = _indexed(index, owner) if index is not None else frozenset()
    trails: dict[str, Trail] = defaultdict(Trail)
    requests = 0
    me = bytes.fromhex(_topic(owner)[2:])
    start = first
    while start <= last:
        end = min(last, start + span - 1)
        for topics in (
            [[_hex(TRANSFER), _hex(APPROVAL)], _topic(owner)],
            [_hex(TRANSFER), None, _topic(owner)],
        ):
            requests += 1
            for log in raw_logs(web3, {"fromBlock": start, "toBlock": end, "topics": topics}):
                _record(trails, log, me)
        start = end + 1
    found = {_checksum(token): trail for token, trail in trails.items()}
    for token in indexed:
        found.setdefault(token, Trail())
    scanned = (first, last) if first <= last else None
    return History(found, indexed, scanned, requests)


def _indexed(path: Path, owner: str) -> frozenset[str]:
    """Tokens the index's transfers table names for ``owner``; none if it cannot be read."""
    if not Web3.is_checksum_address(owner):  # it goes into the SQL text below
        raise UsageError(f"not a checksummed address: {owner!r}")
    sql = (
        "SELECT DISTINCT token FROM transfers "
        f"WHERE from_address = '{owner}' OR to_address = '{owner}'"
    )
    try:
        rows = run_query(path, sql).rows
    except (StoreUnreadable, UsageError):
        return frozenset()
    return frozenset(Web3.to_checksum_address(str(row[0])) for row in rows)


def _record(trails: dict[str, Trail], log: Log, me: bytes) -> None:
    """Note one log naming the wallet (topic ``me``) in the trail of its token."""
    if len(log.topics) != 3:  # ERC-721 transfers and approvals index a fourth topic
        return
    kind, sender, recipient = log.topics
    trail = trails[log.address]
    if kind == APPROVAL:
        trail.approved = trail.approved or sender == me
    elif kind == TRANSFER:
        trail.sent = trail.sent or sender == me
        if recipient == me:
            trail.received.add((_checksum(_address(sender)), log.block))


def fanout(
    web3: Web3, arrivals: Mapping[str, set[tuple[str, int]]], max_blocks: int = MAX_FANOUT_BLOCKS
) -> tuple[dict[str, int], int]:
    """For each token of ``arrivals`` (token → ``(sender, block)`` receipts), the most
    distinct recipients one of its senders reached in one of those blocks; and the requests
    made (one per run of consecutive blocks). Tokens whose blocks lie beyond the first
    ``max_blocks`` are left out."""
    by_block: dict[int, set[str]] = defaultdict(set)
    for token, receipts in arrivals.items():
        for _, block in receipts:
            by_block[block].add(token.lower())
    blocks = sorted(by_block)[:max_blocks]
    reach: dict[tuple[str, bytes, int], set[bytes]] = defaultdict(set)
    runs = _runs(blocks)
    for low, high in runs:
        wanted = sorted({t for b in range(low, high + 1) for t in by_block.get(b, ())})
        query = {"fromBlock": low, "toBlock": high, "topics": [_hex(TRANSFER)], "address": wanted}
        for log in raw_logs(web3, query):
            if len(log.topics) == 3 and log.address in by_block.get(log.block, ()):
                reach[(log.address, log.topics[1], log.block)].add(log.topics[2])
    read = set(blocks)
    found: dict[str, int] = {}
    for token, receipts in arrivals.items():
        if all(block in read for _, block in receipts):
            keys = [(token.lower(), _topic_of(sender), block) for sender, block in receipts]
            found[token] = max((len(reach[key]) for key in keys), default=0)
    return found, len(runs)


def _runs(blocks: list[int]) -> list[tuple[int, int]]:
    """Sorted ``blocks`` as runs of consecutive numbers ``(first, last)``."""
    runs: list[tuple[int, int]] = []
    for block in blocks:
        if runs and runs[-1][1] == block - 1:
            runs[-1] = (runs[-1][0], block)
        else:
            runs.append((block, block))
    return runs


def raw_logs(web3: Web3, query: Mapping[str, Any]) -> list[Log]:
    """The logs ``query`` matches; over HTTP the JSON is read as is (web3's formatters
    checksum every address of every log, which dominates a scan of thousands)."""
    if not isinstance(web3.provider, HTTPProvider):
        formal = dict(query)
        if "address" in formal:
            formal["address"] = [_checksum(a) for a in formal["address"]]
        with reverts_as("read the wallet's transfer logs"):
            raw = web3.eth.get_logs(formal)  # type: ignore[arg-type]
        return [
            Log(
                str(g["address"]).lower(),
                tuple(bytes(t) for t in g["topics"]),
                int(g["blockNumber"]),
            )
            for g in raw
        ]
    params = {k: hex(v) if isinstance(v, int) else v for k, v in query.items()}
    with reverts_as("read the wallet's transfer logs"):
        response = web3.provider.make_request(RPCEndpoint("eth_getLogs"), [params])
    if "error" in response:
        message = str(response["error"].get("message", response["error"]))[:200]
        raise ChainError(f"reading the wallet's transfer logs failed: {message}")
    return [
        Log(
            str(g["address"]).lower(),
            tuple(bytes.fromhex(t[2:]) for t in g["topics"]),
            int(g["blockNumber"], 16),
        )
        for g in response["result"]
    ]


def _topic(address: str) -> str:
    return "0x" + bytes(12).hex() + address[2:].lower()


def _topic_of(address: str) -> bytes:
    return bytes(12) + bytes.fromhex(address[2:])


def _hex(topic: bytes) -> str:
    return "0x" + topic.hex()


def _address(topic: bytes) -> str:
    return "0x" + topic[12:].hex()


@lru_cache(maxsize=65_536)
def _checksum(address: str) -> str:
    return Web3.to_checksum_address(address)
