"""Facts: every number a Lense report or answer states, with where and when it was read.

A :class:`Fact` is ``{id, value, source, as_of}`` plus a display ``unit`` and, for token
amounts in base units, the token's ``decimals``. A :class:`FactSet` keeps facts in order
with unique ids; the report and the question answerer read numbers only through
:meth:`FactSet.render`, so they cannot state a number that is not a fact.

Values are ``int`` (counts, or base units when ``decimals`` is set), :class:`~decimal.Decimal`
(USD, percentages, basis points, scores), ``str`` (symbols, names, flags, third-party text)
or ``None`` (not known). Nothing is a float.

Fact ids (stable across reports; ``<key>`` is an :attr:`~rexos.lense.model.Asset.key`,
``<chain_id>:<token>``, and ``<hkey>`` a holding: the asset key, followed by ``:<kind>`` for
a position that is not a plain balance)::

    wallet.address                      str   the address the report is about
    report.as_of                        str   ISO 8601 UTC time the report was built
    chain.<chain_id>.name               str   the chain's name
    chain.<chain_id>.block              int   the block every read on that chain was made at
    chain.<chain_id>.usd                USD   counted holdings on that chain
    net_worth.usd                       USD   priced, not spam, not disputed holdings
    net_worth.excluded_count            int   holdings priced but left out (disputed)
    holdings.count / holdings.spam_count / holdings.unpriced_count   int
    holding.<hkey>.symbol|name|kind|chain|venue   str
    holding.<hkey>.amount               base units (decimals set, unit = the symbol)
    holding.<hkey>.usd                  USD   amount × median price (None when unpriced)
    holding.<hkey>.share_pct            pct   of net worth (counted holdings only)
    holding.<hkey>.spam                 str   "yes" / "no"
    holding.<hkey>.spam_rules           str   the rules that fired, "; "-separated
    holding.<hkey>.counted              str   "yes", or why not: "spam" / "disputed" / "unpriced"
    price.<key>.median                  USD   median of the sources' quotes
    price.<key>.divergence_bps          bps   (max − min) / median
    price.<key>.flag                    str   ok / diverging / disputed / unpriced
    price.<key>.sources                 int   how many sources quoted it
    price.<key>.source.<n>.usd          USD   one source's quote (its name is the fact's source)
    price.<key>.source.<n>.name         str   that source's name
    perf.<key>.change_24h_pct|change_7d_pct|change_30d_pct   pct_change
    perf.<key>.cost_basis_usd|realised_usd|unrealised_usd    USD
    perf.<key>.change_7d_usd            USD   what the holding gained or lost over the week
    perf.total.unrealised_usd|realised_usd|cost_basis_usd    USD
    perf.total.change_7d_usd            USD   sum of the counted holdings' weekly change
    perf.total.change_7d_pct            pct_change
    sentiment.<key>.score               Decimal in [-1, 1], mean over the items
    sentiment.<key>.label               str   positive / negative / neutral
    sentiment.<key>.count|positive|negative|neutral   int
    news.<n>.title|url|source|published|symbols|sentiment   str (title: third-party text)
    news.<n>.score                      Decimal in [-1, 1], the item's sentiment score
    news.count                          int
    risk.level                          str   low / medium / high
    risk.concentration.top_share_pct    pct   largest counted holding's share
    risk.concentration.top_symbol       str
    risk.disputed.count                 int
    risk.approvals.count                int   unlimited approvals to unknown spenders
    risk.approvals.<token>.<spender>    base units (the allowance; rendered "unlimited")
    risk.approvals.<token>.<spender>.symbol|spender   str   the token's symbol, the spender
    change.previous_as_of               str   when the previous report was built
    change.<id>                         the difference of numeric fact <id> since then
                                        (shown signed; a share's change in ``pp``)
    change.added.<hkey> / change.removed.<hkey>   str   the holding's symbol

JSON (:meth:`FactSet.to_json`): ``{"facts": [{"id", "type", "value", "unit", "decimals",
"source", "as_of", "label"}]}`` where ``type`` is ``int``, ``base_units``, ``decimal``,
``str`` or ``null``; Decimals and base-unit ints are strings, other ints JSON numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from rexos.types import display_units

__all__ = ["UNLIMITED", "Fact", "FactSet", "FactValue", "format_usd", "render_fact"]

FactValue = str | int | Decimal | None

UNLIMITED = 2**255
"""An allowance at or above this is treated as unlimited (``2**256 - 1`` is the usual)."""

_Type = Literal["int", "base_units", "decimal", "str", "null"]
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Fact:
    """One stated value, where it was read (``source``) and when (``as_of``)."""

    id: str
    value: FactValue
    source: str
    as_of: str
    unit: str | None = None
    """``USD``, ``pct``, ``pct_change``, ``pp`` (percentage points), ``bps``, a token symbol
    (with ``decimals``) or None."""
    label: str = ""
    decimals: int | None = None
    """Set when ``value`` is an amount in base units of a token with these decimals."""

    def __post_init__(self) -> None:
        if not self.id or any(not part for part in self.id.split(".")):
            raise ValueError(f"bad fact id: {self.id!r}")
        if isinstance(self.value, float | bool):
            raise TypeError(f"fact {self.id}: {type(self.value).__name__} is not a fact value")
        if self.decimals is not None and not isinstance(self.value, int | None):
            raise TypeError(f"fact {self.id}: base units must be an int")

    def to_json(self) -> dict[str, Any]:
        """The fact as JSON-ready data (see the module docstring)."""
        kind = _type_of(self)
        value: Any = self.value
        if kind in ("decimal", "base_units"):
            value = str(self.value)
        return {
            "id": self.id,
            "type": kind,
            "value": value,
            "unit": self.unit,
            "decimals": self.decimals,
            "source": self.source,
            "as_of": self.as_of,
            "label": self.label,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Fact:
        """The fact :meth:`to_json` wrote."""
        kind: str = data["type"]
        raw = data["value"]
        value: FactValue
        if kind == "null":
            value = None
        elif kind == "decimal":
            value = Decimal(str(raw))
        elif kind in ("int", "base_units"):
            value = int(raw)
        elif kind == "str":
            value = str(raw)
        else:
            raise ValueError(f"fact {data.get('id')!r}: unknown type {kind!r}")
        return cls(
            id=str(data["id"]),
            value=value,
            source=str(data["source"]),
            as_of=str(data["as_of"]),
            unit=data.get("unit"),
            label=str(data.get("label", "")),
            decimals=data.get("decimals"),
        )


def _type_of(fact: Fact) -> _Type:
    value = fact.value
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return "decimal"
    if isinstance(value, int):
        return "base_units" if fact.decimals is not None else "int"
    return "str"


class FactSet:
    """Facts in the order they were added; each id once."""

    def __init__(self, facts: Iterable[Fact] = ()) -> None:
        self._facts: dict[str, Fact] = {}
        for fact in facts:
            self.add(fact)

    def add(self, fact: Fact) -> Fact:
        """Add ``fact``; :class:`ValueError` if its id is already here."""
        if fact.id in self._facts:
            raise ValueError(f"fact {fact.id} is stated twice")
        self._facts[fact.id] = fact
        return fact

    def get(self, fact_id: str) -> Fact | None:
        """The fact with this id, or None."""
        return self._facts.get(fact_id)

    def __getitem__(self, fact_id: str) -> Fact:
        return self._facts[fact_id]

    def __contains__(self, fact_id: object) -> bool:
        return fact_id in self._facts

    def __iter__(self) -> Iterator[Fact]:
        return iter(self._facts.values())

    def __len__(self) -> int:
        return len(self._facts)

    def value(self, fact_id: str) -> FactValue:
        """The value of ``fact_id``, or None when there is no such fact."""
        fact = self._facts.get(fact_id)
        return None if fact is None else fact.value

    def ids(self, prefix: str = "") -> list[str]:
        """The ids that start with ``prefix``, in order."""
        return [i for i in self._facts if i.startswith(prefix)]

    def render(self, fact_id: str) -> str:
        """The value of ``fact_id`` as a person reads it (``$1,234.56``, ``12.5 REX``)."""
        return render_fact(self._facts[fact_id])

    def to_json(self) -> dict[str, Any]:
        """``{"facts": [...]}``, each fact as :meth:`Fact.to_json` writes it."""
        return {"facts": [fact.to_json() for fact in self._facts.values()]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FactSet:
        """The set :meth:`to_json` wrote."""
        return cls(Fact.from_json(item) for item in data["facts"])


def format_usd(value: Decimal) -> str:
    """``$1,234.56``; under ten dollars four decimals (``$1.2450``), under one four
    significant digits (``$0.0001234``); ``-$3.10``."""
    sign = "-" if value < 0 else ""
    amount = abs(value)
    if amount >= 10 or amount == 0:
        return f"{sign}${amount.quantize(_CENT):,}"
    if amount >= 1:
        return f"{sign}${amount.quantize(Decimal('0.0001')):,}"
    places = max(2, -amount.adjusted() + 3)
    return f"{sign}${amount:.{places}f}"


def _format_decimal(value: Decimal, places: int) -> str:
    return f"{value.quantize(Decimal(1).scaleb(-places)):,}"


def render_fact(fact: Fact) -> str:
    """How ``fact`` reads in a report or an answer (see :meth:`FactSet.render`)."""
    value = fact.value
    if value is None:
        return "unknown"
    if isinstance(value, str):
        return value
    sign = "+" if fact.id.startswith("change.") and value > 0 else ""
    if fact.decimals is not None and isinstance(value, int):
        if value >= UNLIMITED:
            return "unlimited"
        return f"{sign}{display_units(value, fact.decimals)} {fact.unit or ''}".rstrip()
    return sign + _render_number(fact, value)


def _render_number(fact: Fact, value: int | Decimal) -> str:
    number = Decimal(value)
    if fact.unit == "USD":
        return format_usd(number)
    if fact.unit == "pct":
        return f"{_format_decimal(number, 2)}%"
    if fact.unit == "pct_change":
        return f"{'+' if number > 0 else ''}{_format_decimal(number, 2)}%"
    if fact.unit == "pp":
        return f"{_format_decimal(number, 2)} pp"
    if fact.unit == "bps":
        return f"{_format_decimal(number, 1)} bps"
    if isinstance(value, int):
        return f"{value:,}"
    return _format_decimal(number, 4 if abs(number) < 10 else 2)
