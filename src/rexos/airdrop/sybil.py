"""Sybil clusters from the funding/sweep graph, with the evidence for each flagged address.

The graph's edges come from transfers (:class:`~rexos.airdrop.transfers.Transfer`):

* **funding**: for each address, the first transfer it ever received (lowest
  ``(block, log_index)`` among those passed in, any asset) links it to its sender, unless
  that sender is a known service (then no later sender becomes its funder). Pass only ETH
  transfers to link by gas funding alone.
* **sweep**: for each address and asset, the recipient that got the most of what the address
  sent links the two when that share is at least ``sweep_bps`` of the larger of what the
  address received and what it sent of that asset ("sent most of its balance there").

Transfers from or to a known service (exchange hot wallets, bridges, routers: the rules'
``known_services``) or the zero address (mints and burns) make no edge, so a hot wallet that
paid out to thousands of users does not join them into one cluster. Self-transfers make
none either.

Components of two or more addresses (union-find) are :class:`Cluster` objects whose id is a
hash of their members, so the same graph gives the same ids. A cluster's ``size`` counts its
claimants (the addresses of the snapshot); other members (a funder, a hop) are listed but
not counted. :func:`flag` returns, for every claimant of a cluster larger than the cut, its
:class:`Evidence`: the cluster id and size and the edges that touch it, with transaction
hashes and blocks. Which criteria a flagged address loses is decided by
:mod:`rexos.airdrop.eligibility` (the KYC criterion never).

Limits, stated: a hop through a known service is not followed; value moved inside contract
calls is not seen unless the caller passes it; an attacker can "dust" fresh addresses to
join them into one cluster, which is why flagged addresses are published with their
evidence and may appeal.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal

from rexos.airdrop.transfers import Transfer
from rexos.types import Address

__all__ = ["Cluster", "Edge", "Evidence", "clusters", "edges", "flag"]

EdgeKind = Literal["funding", "sweep"]
_ZERO = "0x0000000000000000000000000000000000000000"
_BPS = 10_000


@dataclass(frozen=True, slots=True)
class Edge:
    """``source`` funded ``target`` first, or swept to ``target``; ``txs`` are the
    ``(tx_hash, block)`` of the transfers behind the edge."""

    kind: EdgeKind
    source: Address
    target: Address
    asset: str
    value: int
    txs: tuple[tuple[str, int], ...]

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "from": self.source,
            "to": self.target,
            "asset": self.asset,
            "value": str(self.value),
            "txs": [{"tx": tx, "block": block} for tx, block in self.txs],
        }


@dataclass(frozen=True, slots=True)
class Cluster:
    """A connected component of the graph: every member, the claimants among them, the edges."""

    id: str
    members: tuple[Address, ...]
    claimants: tuple[Address, ...]
    edges: tuple[Edge, ...]

    @property
    def size(self) -> int:
        return len(self.claimants)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "size": self.size,
            "members": list(self.members),
            "claimants": list(self.claimants),
            "edges": [e.to_json() for e in self.edges],
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why ``address`` was flagged: its cluster, the cluster's size, the edges touching it."""

    address: Address
    cluster_id: str
    cluster_size: int
    edges: tuple[Edge, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "cluster": self.cluster_id,
            "cluster_size": self.cluster_size,
            "edges": [e.to_json() for e in self.edges],
        }


def _key(address: str) -> str:
    return address.lower()


def _order(t: Transfer) -> tuple[int, int]:
    return (t.block, t.log_index)


def edges(
    transfers: Iterable[Transfer], known_services: Collection[Address], *, sweep_bps: int
) -> list[Edge]:
    """The funding and sweep edges of ``transfers`` (see the module docstring)."""
    ignored = {_key(a) for a in known_services} | {_ZERO}
    moving = sorted(
        (t for t in transfers if t.value > 0 and _key(t.sender) != _key(t.recipient)),
        key=_order,
    )
    found: list[Edge] = []
    funded: set[str] = set()
    for t in moving:
        if _key(t.recipient) in funded:
            continue
        funded.add(_key(t.recipient))
        # Funded first by a service (an exchange withdrawal) or minted: no edge, and no later
        # sender becomes the funder.
        if _key(t.sender) not in ignored and _key(t.recipient) not in ignored:
            found.append(
                Edge("funding", t.sender, t.recipient, t.asset, t.value, ((t.tx_hash, t.block),))
            )
    received: dict[tuple[str, str], int] = defaultdict(int)
    sent: dict[tuple[str, str], int] = defaultdict(int)
    to: dict[tuple[str, str], dict[str, list[Transfer]]] = defaultdict(lambda: defaultdict(list))
    for t in moving:
        # Everything moved counts toward the share, services included: a sweep to an
        # exchange is a sweep, it only makes no edge.
        received[(_key(t.recipient), t.asset)] += t.value
        sent[(_key(t.sender), t.asset)] += t.value
        to[(_key(t.sender), t.asset)][_key(t.recipient)].append(t)
    for (sender, asset), by_recipient in sorted(to.items()):
        if sender in ignored:
            continue
        recipient, moved = max(
            by_recipient.items(), key=lambda item: (sum(t.value for t in item[1]), item[0])
        )
        amount = sum(t.value for t in moved)
        base = max(received[(sender, asset)], sent[(sender, asset)])
        if recipient in ignored or amount * _BPS < sweep_bps * base:
            continue
        first = min(moved, key=_order)
        txs = tuple((t.tx_hash, t.block) for t in sorted(moved, key=_order))
        found.append(Edge("sweep", first.sender, first.recipient, asset, amount, txs))
    return found


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def clusters(
    transfers: Iterable[Transfer],
    known_services: Collection[Address],
    *,
    claimants: Collection[Address] | None = None,
    sweep_bps: int = 8_000,
) -> list[Cluster]:
    """The components of two or more addresses, largest first (then by id). ``claimants``
    (default: every member) are the addresses a cluster's size counts."""
    graph = edges(transfers, known_services, sweep_bps=sweep_bps)
    sets = _UnionFind()
    names: dict[str, Address] = {}
    for edge in graph:
        names[_key(edge.source)] = edge.source
        names[_key(edge.target)] = edge.target
        sets.union(_key(edge.source), _key(edge.target))
    members: dict[str, list[str]] = defaultdict(list)
    for key in names:
        members[sets.find(key)].append(key)
    by_root: dict[str, list[Edge]] = defaultdict(list)
    for edge in graph:
        by_root[sets.find(_key(edge.source))].append(edge)
    counted = None if claimants is None else {_key(a) for a in claimants}
    found = []
    for root, keys in members.items():
        keys.sort()
        cluster_id = "c-" + hashlib.sha256(",".join(keys).encode()).hexdigest()[:16]
        found.append(
            Cluster(
                id=cluster_id,
                members=tuple(names[k] for k in keys),
                claimants=tuple(names[k] for k in keys if counted is None or k in counted),
                edges=tuple(by_root[root]),
            )
        )
    return sorted(found, key=lambda c: (-c.size, c.id))


def flag(found: Iterable[Cluster], max_cluster_size: int) -> dict[Address, Evidence]:
    """Every claimant of a cluster with more than ``max_cluster_size`` claimants, with its
    evidence."""
    flagged: dict[Address, Evidence] = {}
    for cluster in found:
        if cluster.size <= max_cluster_size:
            continue
        touching: dict[str, list[Edge]] = defaultdict(list)
        for edge in cluster.edges:
            touching[_key(edge.source)].append(edge)
            if _key(edge.target) != _key(edge.source):
                touching[_key(edge.target)].append(edge)
        for address in cluster.claimants:
            edges_of = tuple(touching[_key(address)])
            flagged[address] = Evidence(address, cluster.id, cluster.size, edges_of)
    return flagged
