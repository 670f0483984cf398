"""Deterministic generator of the blind airdrop evaluation set.

Writes ``snapshot.json`` (10,000 addresses and their attributes), ``transfers.json`` (a
transfer graph with planted sybil clusters and innocent structure) and ``answers.json`` (what
each address meets by the rules alone, and the planted clusters). Everything comes from one
seeded ``random.Random``, so the files are reproduced byte for byte (``test_eval_files.py``
checks it); no floats appear anywhere, amounts are integer base units as decimal strings.

Run ``python tests/eval/airdrop/generate.py [OUT_DIR]``. The set is frozen: do not regenerate it
into this folder after results have been seen (see README.md).
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path
from typing import Any

from eth_utils import to_checksum_address

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).parent))
    from _graph import Graph
    from _profiles import CRITERIA, Profiles, criteria_met, traps
else:
    from ._graph import Graph
    from ._profiles import CRITERIA, Profiles, criteria_met, traps

__all__ = ["DEFAULT_CUT", "FILES", "N_ADDRESSES", "SEED", "build", "half_of", "main"]

HERE = Path(__file__).parent
SEED = 20261207
N_ADDRESSES = 10_000
DEFAULT_CUT = 4
SNAPSHOT_BLOCK = 21_600_000
FILES = ("snapshot.json", "transfers.json", "answers.json")

# Planted sybil clusters: (pattern, how many). Sizes are drawn from 5..60 (plus fixed edges).
PATTERNS = (
    ("funder", 10),
    ("collector", 8),
    ("funder+collector", 7),
    ("split", 5),
    ("funder-hop", 6),
    ("collector-hop", 4),
)
FIXED_SIZES = (5, 5, 5, 6, 60, 60)
N_FAMILIES = 60
N_FRIEND_PAIRS = 100


def _sha(address: str) -> int:
    return int(hashlib.sha256(address.lower().encode("ascii")).hexdigest(), 16)


def half_of(anchor: str) -> str:
    """The half of a lone address or a family / friends group: its anchor's sha256, even → dev.

    The anchor is the address itself, or the group member whose lowercased address sorts first.
    Sybil clusters are split per pattern instead (see ``build``), so each half has every pattern.
    """
    return "dev" if _sha(anchor) % 2 == 0 else "test"


def _address_factory(seed: int) -> Any:
    seen: set[str] = set()

    def make(role: str, index: int) -> str:
        digest = hashlib.sha256(f"rexos-airdrop-eval/{seed}/{role}/{index}".encode()).hexdigest()
        address = str(to_checksum_address("0x" + digest[:40]))
        assert address.lower() not in seen, "address collision"
        seen.add(address.lower())
        return address

    return make


def _dump(obj: Any) -> bytes:
    return (json.dumps(obj, separators=(",", ":"), ensure_ascii=True) + "\n").encode("ascii")


def build(seed: int = SEED) -> dict[str, bytes]:
    """The three data files, name → exact bytes, for ``seed``."""
    rng = random.Random(seed)
    address = _address_factory(seed)
    users = [address("user", i) for i in range(N_ADDRESSES)]
    order = users[:]
    rng.shuffle(order)

    sizes = list(FIXED_SIZES)
    n_clusters = sum(n for _, n in PATTERNS)
    sizes += [rng.randint(5, 60) for _ in range(n_clusters - len(sizes))]
    rng.shuffle(sizes)
    patterns = [p for p, n in PATTERNS for _ in range(n)]
    rng.shuffle(patterns)

    cursor = 0
    clusters: list[tuple[str, list[str]]] = []
    for pattern, size in zip(patterns, sizes, strict=True):
        clusters.append((pattern, order[cursor : cursor + size]))
        cursor += size
    families: list[list[str]] = []
    for _ in range(N_FAMILIES):
        size = rng.choice((2, 3, 3))
        families.append(order[cursor : cursor + size])
        cursor += size
    pairs: list[list[str]] = []
    for _ in range(N_FRIEND_PAIRS):
        pairs.append(order[cursor : cursor + 2])
        cursor += 2
    plain = order[cursor:]

    profiles = Profiles(rng, address)
    records: dict[str, dict[str, Any]] = {}
    for _, members in clusters:
        for member in members:
            records[member] = profiles.farmer()
    for member in order[sum(len(m) for _, m in clusters) :]:
        records[member] = profiles.ordinary()

    graph = Graph(rng, address, SNAPSHOT_BLOCK)
    groups: dict[str, dict[str, Any]] = {}
    role: dict[str, str] = {}
    for number, (pattern, members) in enumerate(clusters, start=1):
        detail = graph.plant_cluster(pattern, members)
        groups[f"sybil-{number:02d}"] = {
            "kind": "sybil",
            "pattern": pattern,
            "size": len(members),
            "members": sorted(members, key=str.lower),
            **detail,
        }
        role.update(dict.fromkeys(members, "sybil"))
    for number, members in enumerate(families, start=1):
        graph.plant_family(members)
        groups[f"family-{number:02d}"] = {
            "kind": "family",
            "size": len(members),
            "members": sorted(members, key=str.lower),
            "parent": members[0],
        }
        role.update(dict.fromkeys(members, "family"))
    for number, members in enumerate(pairs, start=1):
        graph.plant_friends(members)
        groups[f"friends-{number:03d}"] = {
            "kind": "friends",
            "size": 2,
            "members": sorted(members, key=str.lower),
        }
        role.update(dict.fromkeys(members, "friends"))
    for user in plain:
        role[user] = "service-funded" if graph.fund_from_service(user) else "plain"
    non_sybil = [u for u in order if role[u] != "sybil"]
    graph.plant_deposits(order, records)
    graph.plant_swaps(non_sybil, [m for _, ms in clusters for m in ms])

    group_of: dict[str, str] = {}
    group_half: dict[str, str] = {}
    for name, group in groups.items():
        group_half[name] = half_of(group["members"][0])
        for member in group["members"]:
            group_of[member] = name
    for pattern, _ in PATTERNS:
        same = [n for n, g in groups.items() if g.get("pattern") == pattern]
        same.sort(key=lambda n: _sha(groups[n]["members"][0]))
        for rank, name in enumerate(same):
            group_half[name] = ("dev", "test")[rank % 2]

    listed = sorted(users, key=str.lower)
    snapshot = {
        "name": "rexos-airdrop-eval",
        "version": 1,
        "seed": seed,
        "chain_id": 1,
        "snapshot_block": SNAPSHOT_BLOCK,
        "snapshot_date": "2026-11-30",
        "tokens": {"ETH": 18, "REX": 18, "USDC": 6},
        "known_services": graph.known_services(),
        "addresses": [{"address": a, **records[a]} for a in listed],
    }
    answered: dict[str, Any] = {}
    for a in listed:
        met = criteria_met(records[a])
        answered[a] = {
            "met": met,
            "eligible": bool(met),
            "half": group_half[group_of[a]] if a in group_of else half_of(a),
            "role": role[a],
            "group": group_of.get(a),
            "traps": traps(records[a]),
        }
    must = [
        a
        for a in listed
        if role[a] == "sybil"
        and groups[group_of[a]]["size"] > DEFAULT_CUT
        and answered[a]["eligible"]
        and "kyc" not in answered[a]["met"]
    ]
    answers = {
        "name": "rexos-airdrop-eval",
        "version": 1,
        "criteria": list(CRITERIA),
        "default_cut": DEFAULT_CUT,
        "cut_rule": "a cluster of more than CUT snapshot addresses is excluded",
        "must_exclude_at_default_cut": must,
        "groups": groups,
        "addresses": answered,
    }
    return {
        "snapshot.json": _dump(snapshot),
        "transfers.json": _dump(graph.transfers()),
        "answers.json": _dump(answers),
    }


def main(argv: list[str]) -> int:
    """Write the files into ``argv[0]`` (default: this folder)."""
    out = Path(argv[0]) if argv else HERE
    out.mkdir(parents=True, exist_ok=True)
    for name, data in build().items():
        (out / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
