"""Read typed fields out of decoded JSON, turning every mismatch into a BridgeError."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from rexos.bridges.errors import BridgeError


def field(obj: Any, provider: str, *path: str) -> Any:
    """Follow ``path`` through nested objects; raise if a key is missing."""
    here = obj
    for key in path:
        if not isinstance(here, dict) or key not in here:
            raise BridgeError(f"{provider}: response lacks field {'.'.join(path)}")
        here = here[key]
    return here


def as_int(value: Any, provider: str, name: str) -> int:
    """An integer given as a JSON number or a decimal string (never a float)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise BridgeError(f"{provider}: {name} is not an integer: {value!r}")
    try:
        return int(value)
    except ValueError as exc:
        raise BridgeError(f"{provider}: {name} is not an integer: {value!r}") from exc


def as_decimal(value: Any, provider: str, name: str) -> Decimal:
    """A dollar figure given as a string or number; floats go through ``str`` to stay exact."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BridgeError(f"{provider}: {name} is not a number: {value!r}")
    try:
        result = Decimal(str(value))
    except InvalidOperation as exc:
        raise BridgeError(f"{provider}: {name} is not a number: {value!r}") from exc
    if not result.is_finite():
        raise BridgeError(f"{provider}: {name} is not finite: {value!r}")
    return result


def as_list(value: Any, provider: str, name: str) -> list[Any]:
    """A JSON array."""
    if not isinstance(value, list):
        raise BridgeError(f"{provider}: {name} is not a list")
    return value
