"""The draft list, the appeal window and the final allocations.

:func:`draft` applies the rules to a snapshot: each address's criteria (in the rules'
order), then the sybil filter (:mod:`rexos.airdrop.sybil`) takes away every criterion that is
not ``sybil_exempt`` from the claimants of a cluster over the cut. What is left decides the
tier (:meth:`~rexos.airdrop.rules.Rules.tier_of`) and the amount (:func:`allocate`):

* an address with a tier is an :class:`Entry`; one that was flagged but kept its KYC keeps
  its KYC tier, its lost criteria and the evidence recorded on the entry;
* a flagged address left with no criterion is :class:`Excluded`, with its evidence. No
  address is both allocated and excluded, and a KYC holder is never excluded.

The draft records its creation time and ``appeal_deadline = created_at + appeal window``;
``Draft.to_json()`` is the list to publish (the eligible, the excluded with their evidence,
the clusters, the snapshot's provenance). :func:`finalize` refuses to run before the
deadline, takes appeals as data (:class:`Appeal`: filed by the deadline, about a flagged
address, at most one each), gives the upheld their lost criteria back, and recomputes every
amount: the final list of ``(address, amount)`` sorted by address, whose total is the pool
exactly in a ``split`` pool. Amounts in the draft are therefore provisional in a split pool
(an upheld appeal shares the pool with one more address).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rexos.airdrop.rules import Rules, Tier
from rexos.airdrop.snapshot import Snapshot
from rexos.airdrop.sybil import Cluster, Evidence, clusters, flag
from rexos.airdrop.transfers import Transfer
from rexos.errors import UsageError
from rexos.types import Address

__all__ = ["Appeal", "Draft", "Entry", "Excluded", "allocate", "draft", "finalize"]


@dataclass(frozen=True, slots=True)
class Entry:
    """An eligible address: criteria it holds, its tier and amount (wei); ``filtered`` the
    criteria the sybil filter took (with ``evidence``) when it kept a sybil-exempt one."""

    address: Address
    criteria: tuple[str, ...]
    tier: str
    amount: int
    filtered: tuple[str, ...] = ()
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class Excluded:
    """A flagged address with no criterion left: what it lost and why."""

    address: Address
    lost: tuple[str, ...]
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Appeal:
    """An appeal by (or for) a flagged address, and the decision on it."""

    address: Address
    filed_at: int
    upheld: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class Draft:
    """The draft list, published before the appeal deadline."""

    rules: Rules
    snapshot: Snapshot
    created_at: int
    appeal_deadline: int
    entries: tuple[Entry, ...]
    excluded: tuple[Excluded, ...]
    clusters: tuple[Cluster, ...]

    @property
    def total(self) -> int:
        return sum(e.amount for e in self.entries)

    def to_json(self) -> dict[str, object]:
        """The list to publish: provenance, eligible, excluded with evidence, clusters."""
        snap = self.snapshot.to_json()
        return {
            "rules": {"name": self.rules.name, "version": self.rules.version},
            "rules_sha256": self.rules.sha256,
            "snapshot": {k: snap[k] for k in ("date", "block", "timestamp", "method", "inputs")},
            "created_at": self.created_at,
            "appeal_deadline": self.appeal_deadline,
            "pool": str(self.rules.pool),
            "total": str(self.total),
            "eligible": [
                {
                    "address": e.address,
                    "criteria": list(e.criteria),
                    "tier": e.tier,
                    "amount": str(e.amount),
                    **({"filtered": list(e.filtered)} if e.filtered else {}),
                    **({"evidence": e.evidence.to_json()} if e.evidence else {}),
                }
                for e in self.entries
            ],
            "excluded": [
                {"address": x.address, "lost": list(x.lost), "evidence": x.evidence.to_json()}
                for x in self.excluded
            ],
            "clusters": [c.to_json() for c in self.clusters],
        }


def _key(address: str) -> str:
    return address.lower()


def allocate(tiers: Mapping[Address, Tier], rules: Rules) -> dict[Address, int]:
    """The amount of each address (wei). ``split``: ``pool * weight // total weight`` each,
    then the wei left over one each to the largest remainders, ties to the lowest address,
    so the amounts add up to the pool exactly (an empty list allocates nothing). ``fixed``:
    each tier's amount; a total over the pool is a ``UsageError``."""
    if rules.mode == "fixed":
        amounts = {a: t.amount for a, t in tiers.items()}
        total = sum(amounts.values())
        if total > rules.pool:
            raise UsageError(f"the fixed amounts total {total} wei, over the pool {rules.pool}")
        return amounts
    weights = {a: t.weight for a, t in tiers.items()}
    whole = sum(weights.values())
    if whole == 0:
        return {}
    amounts = {a: rules.pool * w // whole for a, w in weights.items()}
    left = rules.pool - sum(amounts.values())
    ranked = sorted(weights, key=lambda a: (-(rules.pool * weights[a] % whole), _key(a)))
    for address in ranked[:left]:
        amounts[address] += 1
    return amounts


def _held(snapshot: Snapshot, rules: Rules) -> dict[Address, tuple[str, ...]]:
    found: dict[Address, tuple[str, ...]] = {}
    seen: dict[str, Address] = {}
    for address, facts in snapshot.facts.items():
        if _key(address) in seen:
            raise UsageError(f"the snapshot names {address} twice (as {seen[_key(address)]})")
        seen[_key(address)] = address
        held = rules.held(facts)
        if held:
            found[address] = held
    return found


def draft(snapshot: Snapshot, rules: Rules, transfers: Iterable[Transfer], *, now: int) -> Draft:
    """Apply ``rules`` to ``snapshot`` with the sybil filter over ``transfers``."""
    if snapshot.rules_sha256 != rules.sha256:
        raise UsageError("the snapshot was taken under other rules (their sha256 differs)")
    held = _held(snapshot, rules)
    exempt = {c.name for c in rules.criteria if c.sybil_exempt}
    found = clusters(
        transfers, rules.sybil.known_services, claimants=held, sweep_bps=rules.sybil.sweep_bps
    )
    flagged = {_key(a): ev for a, ev in flag(found, rules.sybil.max_cluster_size).items()}
    kept: dict[Address, tuple[str, ...]] = {}
    lost: dict[Address, tuple[str, ...]] = {}
    for address, criteria in held.items():
        if _key(address) in flagged:
            kept[address] = tuple(c for c in criteria if c in exempt)
            lost[address] = tuple(c for c in criteria if c not in exempt)
        else:
            kept[address] = criteria
    entries, excluded = _apply(rules, kept, lost, flagged)
    return Draft(
        rules=rules,
        snapshot=snapshot,
        created_at=now,
        appeal_deadline=now + rules.sybil.appeal_window,
        entries=entries,
        excluded=excluded,
        clusters=tuple(c for c in found if c.size > rules.sybil.max_cluster_size),
    )


def _apply(
    rules: Rules,
    kept: Mapping[Address, tuple[str, ...]],
    lost: Mapping[Address, tuple[str, ...]],
    flagged: Mapping[str, Evidence],
) -> tuple[tuple[Entry, ...], tuple[Excluded, ...]]:
    tiers: dict[Address, Tier] = {}
    for address, criteria in kept.items():
        tier = rules.tier_of(set(criteria))
        if tier is not None:
            tiers[address] = tier
    amounts = allocate(tiers, rules)
    entries = []
    excluded = []
    for address in sorted(kept, key=_key):
        filtered = lost.get(address, ())
        evidence = flagged.get(_key(address))
        if address in tiers:
            entries.append(
                Entry(
                    address,
                    kept[address],
                    tiers[address].name,
                    amounts[address],
                    filtered,
                    evidence if filtered else None,
                )
            )
        elif evidence is not None and filtered:
            excluded.append(Excluded(address, filtered, evidence))
    return tuple(entries), tuple(excluded)


def finalize(draft: Draft, appeals: Iterable[Appeal], now: int) -> list[tuple[Address, int]]:
    """The final allocations once the appeal window has closed: upheld appeals restored,
    every amount recomputed; ``(address, amount)`` sorted by address, zero amounts left out."""
    if now < draft.appeal_deadline:
        raise UsageError(f"the appeal window is open until {draft.appeal_deadline} (now {now})")
    lost: dict[str, tuple[str, ...]] = {_key(x.address): x.lost for x in draft.excluded}
    lost.update({_key(e.address): e.filtered for e in draft.entries if e.filtered})
    decided: set[str] = set()
    restored: set[str] = set()
    for appeal in appeals:
        key = _key(appeal.address)
        if key not in lost:
            raise UsageError(f"appeal for {appeal.address}: the draft did not flag it")
        if key in decided:
            raise UsageError(f"appeal for {appeal.address}: appealed twice")
        if appeal.filed_at > draft.appeal_deadline:
            raise UsageError(
                f"appeal for {appeal.address}: filed at {appeal.filed_at}, "
                f"after the deadline {draft.appeal_deadline}"
            )
        decided.add(key)
        if appeal.upheld:
            restored.add(key)
    kept: dict[Address, tuple[str, ...]] = {e.address: e.criteria for e in draft.entries}
    for x in draft.excluded:
        kept[x.address] = ()
    for address in list(kept):
        if _key(address) in restored:
            kept[address] = tuple(
                c.name
                for c in draft.rules.criteria
                if c.name in kept[address] or c.name in lost[_key(address)]
            )
    tiers: dict[Address, Tier] = {}
    for address, criteria in kept.items():
        tier = draft.rules.tier_of(set(criteria))
        if tier is not None:
            tiers[address] = tier
    amounts = allocate(tiers, draft.rules)
    return sorted(((a, v) for a, v in amounts.items() if v > 0), key=lambda item: _key(item[0]))
