"""Reading a FactSet back as holdings, assets and news items (for the report and answers).

Nothing here computes a number: it finds fact ids and orders them by the facts' values.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rexos.lense.facts import FactSet

__all__ = [
    "Holding",
    "asset_key",
    "chain_ids",
    "decimal_of",
    "holdings",
    "news_ids",
    "price_keys",
]


def decimal_of(facts: FactSet, fact_id: str) -> Decimal | None:
    """The fact's value as a Decimal, or None when missing, unknown or not a number."""
    value = facts.value(fact_id)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    return Decimal(value)


def asset_key(hkey: str) -> str:
    """The asset key of a holding key (``<chain>:<token>[:<kind>]`` → ``<chain>:<token>``)."""
    return ":".join(hkey.split(":")[:2])


@dataclass(frozen=True, slots=True)
class Holding:
    """One holding's fact ids, by its holding key."""

    key: str
    symbol: str
    chain: str
    kind: str
    counted: str
    usd: Decimal | None

    @property
    def asset(self) -> str:
        return asset_key(self.key)

    def id(self, name: str) -> str:
        """``holding.<key>.<name>``."""
        return f"holding.{self.key}.{name}"

    @property
    def label(self) -> str:
        """``REX``, ``sREX stake`` … with the chain name: unique within one report."""
        kind = "" if self.kind == "balance" else f" {self.kind}"
        return f"{self.symbol}{kind} ({self.chain})"


def holdings(facts: FactSet) -> list[Holding]:
    """Every holding, counted ones first by value (largest first), then the rest."""
    found: list[Holding] = []
    for fact_id in facts.ids("holding."):
        if not fact_id.endswith(".symbol"):
            continue
        key = fact_id.removeprefix("holding.").removesuffix(".symbol")
        found.append(Holding(
            key, str(facts.value(fact_id)), str(facts.value(f"holding.{key}.chain")),
            str(facts.value(f"holding.{key}.kind")), str(facts.value(f"holding.{key}.counted")),
            decimal_of(facts, f"holding.{key}.usd"),
        ))  # fmt: skip
    return sorted(found, key=lambda h: (h.counted != "yes", -(h.usd or Decimal(0))))


def chain_ids(facts: FactSet) -> list[str]:
    """The chain ids (as in fact ids) the report read."""
    return [i.split(".")[1] for i in facts.ids("chain.") if i.endswith(".name")]


def price_keys(facts: FactSet) -> list[str]:
    """The asset keys that have price facts."""
    return [i.split(".")[1] for i in facts.ids("price.") if i.endswith(".flag")]


def news_ids(facts: FactSet) -> list[str]:
    """``news.<n>`` of every news item, in order."""
    return [i.removesuffix(".title") for i in facts.ids("news.") if i.endswith(".title")]
