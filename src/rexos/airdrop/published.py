"""The published draft list read back, and appeals as JSON data.

The appeal window lasts days, so the draft that :func:`~rexos.airdrop.eligibility.finalize`
fixes is usually the one published earlier (``Draft.to_json()``), read back here with the
rules it was made under: :func:`load_draft` checks the rules' sha256 against the one the
draft names, every address, amount and criterion, and that the amounts add up to the
published total. The snapshot comes back with its provenance (block, dates, input hashes)
but not its per-address facts, which the published list does not carry; finalize does not
need them.

:func:`appeals_to_json` and :func:`load_appeals` keep appeals as a JSON array of
``{"address", "filed_at", "upheld", "note"}``. Every problem is one ``ConfigError`` naming
what is read and where.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NoReturn, cast

from rexos.airdrop.eligibility import Appeal, Draft, Entry, Excluded
from rexos.airdrop.inputs import InputRecord
from rexos.airdrop.rules import Rules
from rexos.airdrop.snapshot import Method, Snapshot
from rexos.airdrop.sybil import Cluster, Edge, EdgeKind, Evidence
from rexos.errors import ConfigError, InvalidAddress
from rexos.types import Address, parse_address

__all__ = ["appeals_to_json", "load_appeals", "load_draft"]

_DRAFT = "published airdrop draft"
_APPEALS = "airdrop appeals"


class _Reader:
    def __init__(self, noun: str) -> None:
        self.noun = noun

    def fail(self, where: str, problem: str) -> NoReturn:
        raise ConfigError(f"{self.noun}: {where}: {problem}")

    def obj(self, value: object, where: str) -> Mapping[str, object]:
        if not isinstance(value, dict):
            self.fail(where, "must be an object")
        return cast(Mapping[str, object], value)

    def get(self, obj: Mapping[str, object], key: str, where: str) -> object:
        if key not in obj:
            self.fail(f"{where}.{key}", "missing")
        return obj[key]

    def items(self, obj: Mapping[str, object], key: str, where: str) -> list[object]:
        value = self.get(obj, key, where)
        if not isinstance(value, list):
            self.fail(f"{where}.{key}", "must be an array")
        return value

    def text(self, obj: Mapping[str, object], key: str, where: str) -> str:
        value = self.get(obj, key, where)
        if not isinstance(value, str):
            self.fail(f"{where}.{key}", "must be a string")
        return value

    def names(self, obj: Mapping[str, object], key: str, where: str) -> tuple[str, ...]:
        values = self.items(obj, key, where) if key in obj else []
        if not all(isinstance(v, str) for v in values):
            self.fail(f"{where}.{key}", "must be an array of strings")
        return tuple(str(v) for v in values)

    def integer(self, obj: Mapping[str, object], key: str, where: str) -> int:
        value = self.get(obj, key, where)
        if isinstance(value, str) and value.isascii() and value.isdigit():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(f"{where}.{key}", "must be a whole number")
        return value

    def addresses(self, obj: Mapping[str, object], key: str, where: str) -> tuple[Address, ...]:
        found = []
        for text in self.names(obj, key, where):
            try:
                found.append(parse_address(text))
            except InvalidAddress as exc:
                self.fail(f"{where}.{key}", str(exc))
        return tuple(found)

    def address(self, obj: Mapping[str, object], key: str, where: str) -> Address:
        try:
            return parse_address(self.text(obj, key, where))
        except InvalidAddress as exc:
            self.fail(f"{where}.{key}", str(exc))


def _edge(r: _Reader, value: object, where: str) -> Edge:
    e = r.obj(value, where)
    kind = r.text(e, "kind", where)
    if kind not in ("funding", "sweep"):
        r.fail(f"{where}.kind", f"must be funding or sweep, got {kind!r}")
    txs = []
    for i, tx in enumerate(r.items(e, "txs", where)):
        t = r.obj(tx, f"{where}.txs[{i}]")
        txs.append(
            (r.text(t, "tx", f"{where}.txs[{i}]"), r.integer(t, "block", f"{where}.txs[{i}]"))
        )
    return Edge(
        kind=cast(EdgeKind, kind),
        source=r.address(e, "from", where),
        target=r.address(e, "to", where),
        asset=r.text(e, "asset", where),
        value=r.integer(e, "value", where),
        txs=tuple(txs),
    )


def _evidence(r: _Reader, address: Address, value: object, where: str) -> Evidence:
    ev = r.obj(value, where)
    return Evidence(
        address=address,
        cluster_id=r.text(ev, "cluster", where),
        cluster_size=r.integer(ev, "cluster_size", where),
        edges=tuple(
            _edge(r, e, f"{where}.edges[{i}]") for i, e in enumerate(r.items(ev, "edges", where))
        ),
    )


def _criteria(r: _Reader, rules: Rules, names: tuple[str, ...], where: str) -> tuple[str, ...]:
    known = {c.name for c in rules.criteria}
    for name in names:
        if name not in known:
            r.fail(where, f"no criterion named {name!r} in the rules")
    return names


def _snapshot(r: _Reader, rules: Rules, value: object) -> Snapshot:
    s = r.obj(value, "snapshot")
    method = r.text(s, "method", "snapshot")
    if method not in ("archive", "replay"):
        r.fail("snapshot.method", f"must be archive or replay, got {method!r}")
    records = []
    for i, item in enumerate(r.items(s, "inputs", "snapshot")):
        where = f"snapshot.inputs[{i}]"
        rec = r.obj(item, where)
        records.append(
            InputRecord(
                name=r.text(rec, "name", where),
                kind=r.text(rec, "kind", where),
                file=r.text(rec, "file", where),
                sha256=r.text(rec, "sha256", where),
                attester=r.address(rec, "attester", where),
            )
        )
    return Snapshot(
        date=r.integer(s, "date", "snapshot"),
        block=r.integer(s, "block", "snapshot"),
        timestamp=r.integer(s, "timestamp", "snapshot"),
        rules_sha256=rules.sha256,
        method=cast(Method, method),
        facts={},
        inputs=tuple(records),
    )


def load_draft(data: object, rules: Rules) -> Draft:
    """The draft published as ``Draft.to_json()``, under ``rules``."""
    r = _Reader(_DRAFT)
    d = r.obj(data, "top level")
    if r.text(d, "rules_sha256", "top level") != rules.sha256:
        r.fail("rules_sha256", "the draft was made under other rules (their sha256 differs)")
    entries = []
    for i, item in enumerate(r.items(d, "eligible", "top level")):
        where = f"eligible[{i}]"
        e = r.obj(item, where)
        address = r.address(e, "address", where)
        tier = r.text(e, "tier", where)
        if tier not in {t.name for t in rules.tiers}:
            r.fail(f"{where}.tier", f"no tier named {tier!r} in the rules")
        entries.append(
            Entry(
                address=address,
                criteria=_criteria(r, rules, r.names(e, "criteria", where), where),
                tier=tier,
                amount=r.integer(e, "amount", where),
                filtered=_criteria(r, rules, r.names(e, "filtered", where), where),
                evidence=_evidence(r, address, e["evidence"], f"{where}.evidence")
                if "evidence" in e
                else None,
            )
        )
    excluded = []
    for i, item in enumerate(r.items(d, "excluded", "top level")):
        where = f"excluded[{i}]"
        x = r.obj(item, where)
        address = r.address(x, "address", where)
        excluded.append(
            Excluded(
                address=address,
                lost=_criteria(r, rules, r.names(x, "lost", where), where),
                evidence=_evidence(r, address, r.get(x, "evidence", where), f"{where}.evidence"),
            )
        )
    clusters = []
    for i, item in enumerate(r.items(d, "clusters", "top level")):
        where = f"clusters[{i}]"
        c = r.obj(item, where)
        clusters.append(
            Cluster(
                id=r.text(c, "id", where),
                members=r.addresses(c, "members", where),
                claimants=r.addresses(c, "claimants", where),
                edges=tuple(
                    _edge(r, e, f"{where}.edges[{j}]")
                    for j, e in enumerate(r.items(c, "edges", where))
                ),
            )
        )
    draft = Draft(
        rules=rules,
        snapshot=_snapshot(r, rules, r.get(d, "snapshot", "top level")),
        created_at=r.integer(d, "created_at", "top level"),
        appeal_deadline=r.integer(d, "appeal_deadline", "top level"),
        entries=tuple(entries),
        excluded=tuple(excluded),
        clusters=tuple(clusters),
    )
    if draft.total != r.integer(d, "total", "top level"):
        r.fail("total", f"the amounts add up to {draft.total}, not the total published")
    return draft


def appeals_to_json(appeals: Iterable[Appeal]) -> list[dict[str, object]]:
    """Appeals as a JSON array."""
    return [
        {"address": a.address, "filed_at": a.filed_at, "upheld": a.upheld, "note": a.note}
        for a in appeals
    ]


def load_appeals(data: object) -> list[Appeal]:
    """Appeals from ``appeals_to_json``'s array."""
    r = _Reader(_APPEALS)
    if not isinstance(data, list):
        r.fail("top level", "must be an array")
    appeals = []
    for i, item in enumerate(data):
        where = f"[{i}]"
        a = r.obj(item, where)
        upheld = r.get(a, "upheld", where)
        if not isinstance(upheld, bool):
            r.fail(f"{where}.upheld", "must be true or false")
        appeals.append(
            Appeal(
                address=r.address(a, "address", where),
                filed_at=r.integer(a, "filed_at", where),
                upheld=upheld,
                note=r.text(a, "note", where) if "note" in a else "",
            )
        )
    return appeals
