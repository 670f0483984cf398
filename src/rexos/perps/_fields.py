"""Read typed fields out of decoded venue JSON; every mismatch is a PerpsError."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rexos.errors import PerpsError
from rexos.jsonread import JsonReader
from rexos.perps.schema import Level


def field(obj: Any, venue: str, *path: str | int) -> Any:
    """Follow ``path`` (object keys or array indexes); raise if a step is missing."""
    return JsonReader(venue, PerpsError).field(obj, *path)


def number(value: Any, venue: str, name: str) -> Decimal:
    """A finite number given as a JSON string or number; floats go through ``str``."""
    return JsonReader(venue, PerpsError).decimal(value, name)


def array(value: Any, venue: str, name: str) -> list[Any]:
    """A JSON array."""
    return JsonReader(venue, PerpsError).array(value, name)


def levels(rows: Any, venue: str, name: str, *, unit: Decimal = Decimal(1)) -> tuple[Level, ...]:
    """``[[price, size, ...], ...]`` as levels, sizes multiplied by ``unit`` (contract size)."""
    out: list[Level] = []
    for i, row in enumerate(array(rows, venue, name)):
        if not isinstance(row, list | tuple) or len(row) < 2:
            raise PerpsError(f"{venue}: {name}[{i}] is not a [price, size] pair")
        price = number(row[0], venue, f"{name}[{i}].price")
        size = number(row[1], venue, f"{name}[{i}].size")
        out.append(Level(price, size * unit))
    return tuple(out)
