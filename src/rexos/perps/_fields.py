"""Read typed fields out of decoded venue JSON; every mismatch is a PerpsError."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from rexos.errors import PerpsError
from rexos.perps.schema import Level


def field(obj: Any, venue: str, *path: str | int) -> Any:
    """Follow ``path`` (object keys or array indexes); raise if a step is missing."""
    here = obj
    for step in path:
        if isinstance(step, int):
            if not isinstance(here, list) or not -len(here) <= step < len(here):
                raise PerpsError(f"{venue}: response lacks item {_dotted(path)}")
        elif not isinstance(here, dict) or step not in here:
            raise PerpsError(f"{venue}: response lacks field {_dotted(path)}")
        here = here[step]
    return here


def number(value: Any, venue: str, name: str) -> Decimal:
    """A finite number given as a JSON string or number; floats go through ``str``."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise PerpsError(f"{venue}: {name} is not a number: {value!r}")
    try:
        result = Decimal(str(value))
    except InvalidOperation as exc:
        raise PerpsError(f"{venue}: {name} is not a number: {value!r}") from exc
    if not result.is_finite():
        raise PerpsError(f"{venue}: {name} is not finite: {value!r}")
    return result


def array(value: Any, venue: str, name: str) -> list[Any]:
    """A JSON array."""
    if not isinstance(value, list):
        raise PerpsError(f"{venue}: {name} is not a list")
    return value


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


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)
