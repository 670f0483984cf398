"""Read typed fields out of decoded JSON, turning every mismatch into a BridgeError."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rexos.bridges.errors import BridgeError
from rexos.jsonread import JsonReader


def field(obj: Any, provider: str, *path: str) -> Any:
    """Follow ``path`` through nested objects; raise if a key is missing."""
    return JsonReader(provider, BridgeError).field(obj, *path)


def as_int(value: Any, provider: str, name: str) -> int:
    """An integer given as a JSON number or a decimal string (never a float)."""
    return JsonReader(provider, BridgeError).integer(value, name)


def as_decimal(value: Any, provider: str, name: str) -> Decimal:
    """A dollar figure given as a string or number; floats go through ``str`` to stay exact."""
    return JsonReader(provider, BridgeError).decimal(value, name)


def as_list(value: Any, provider: str, name: str) -> list[Any]:
    """A JSON array."""
    return JsonReader(provider, BridgeError).array(value, name)
