"""What changed since the last report: the previous facts.json, kept per address.

:func:`add_changes` compares the numeric facts of a new report with the previous one's and
adds ``change.<id>`` (the difference, in the same unit), ``change.added.<hkey>`` and
``change.removed.<hkey>`` (holdings that appeared or went) and ``change.previous_as_of``.
:func:`load_previous` / :func:`save_facts` keep one ``<address>.facts.json`` per wallet under
``<data dir>/lense/``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from rexos.lense.facts import Fact, FactSet

__all__ = ["TRACKED", "add_changes", "facts_path", "load_previous", "save_facts"]

TRACKED = (
    "net_worth.usd",
    "perf.total.unrealised_usd",
    "perf.total.realised_usd",
    "risk.concentration.top_share_pct",
    "risk.approvals.count",
    "holdings.spam_count",
)
"""Totals whose change is always reported (when both reports have them)."""

_PER_HOLDING = (".amount", ".usd", ".share_pct")


def _holdings(facts: FactSet) -> dict[str, str]:
    """Holding key → symbol."""
    found: dict[str, str] = {}
    for fact_id in facts.ids("holding."):
        if fact_id.endswith(".symbol"):
            found[fact_id.removeprefix("holding.").removesuffix(".symbol")] = str(
                facts.value(fact_id)
            )
    return found


def _compared_ids(current: FactSet, previous: FactSet) -> list[str]:
    ids = [i for i in TRACKED if i in current and i in previous]
    for hkey in _holdings(current):
        for suffix in _PER_HOLDING:
            fact_id = f"holding.{hkey}{suffix}"
            if fact_id in current and fact_id in previous:
                ids.append(fact_id)
    return ids


def _delta(now: Fact, before: Fact) -> int | Decimal | None:
    if isinstance(now.value, int) and isinstance(before.value, int):
        return now.value - before.value
    if isinstance(now.value, int | Decimal) and isinstance(before.value, int | Decimal):
        return Decimal(now.value) - Decimal(before.value)
    return None


def add_changes(current: FactSet, previous: FactSet) -> int:
    """Add the ``change.*`` facts to ``current``; returns how many changed values it added."""
    as_of = str(current.value("report.as_of") or "")
    before_at = str(previous.value("report.as_of") or "unknown")
    current.add(Fact("change.previous_as_of", before_at, "previous facts.json", as_of,
                     label="Previous report"))  # fmt: skip
    added = 0
    for fact_id in _compared_ids(current, previous):
        now, before = current[fact_id], previous[fact_id]
        delta = _delta(now, before)
        if delta is None or delta == 0 or now.unit != before.unit:
            continue
        unit = "pp" if now.unit == "pct" else now.unit
        current.add(Fact(
            f"change.{fact_id}", delta, f"{fact_id} now minus at {before_at}", as_of,
            unit=unit, label=f"Change of {now.label or fact_id}", decimals=now.decimals,
        ))  # fmt: skip
        added += 1
    old, new = _holdings(previous), _holdings(current)
    for hkey in new.keys() - old.keys():
        current.add(Fact(f"change.added.{hkey}", new[hkey], "not in the previous report",
                         as_of, label="New holding"))  # fmt: skip
    for hkey in old.keys() - new.keys():
        current.add(Fact(f"change.removed.{hkey}", old[hkey], "in the previous report only",
                         as_of, label="Holding gone"))  # fmt: skip
    return added


def facts_path(data_dir: Path, address: str) -> Path:
    """Where the last facts.json of ``address`` is kept."""
    return data_dir / "lense" / f"{address.lower()}.facts.json"


def load_previous(data_dir: Path, address: str) -> FactSet | None:
    """The facts of the last report on ``address``, or None if there was none."""
    path = facts_path(data_dir, address)
    if not path.is_file():
        return None
    return FactSet.from_json(json.loads(path.read_text()))


def save_facts(data_dir: Path, address: str, facts: FactSet) -> Path:
    """Keep ``facts`` as the last report on ``address``; returns the file written."""
    path = facts_path(data_dir, address)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(facts.to_json(), indent=1) + "\n")
    return path
