"""Read typed values out of decoded JSON from an outside API, exactly.

Every mismatch raises the caller's error class with the source and the field named, so a
venue or provider that changes its answer fails with one clear line. Numbers become ``int``
or ``Decimal`` (floats go through ``str``), never ``float``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from rexos.errors import RexosError

__all__ = ["JsonReader"]


@dataclass(frozen=True, slots=True)
class JsonReader:
    """Reads fields of ``source``'s answers; raises ``error`` on anything unexpected."""

    source: str
    error: type[RexosError]

    def fail(self, message: str) -> RexosError:
        return self.error(f"{self.source}: {message}")

    def field(self, obj: Any, *path: str | int) -> Any:
        """Follow ``path`` (object keys or array indexes); raise if a step is missing."""
        here = obj
        dotted = ".".join(str(p) for p in path)
        for step in path:
            if isinstance(step, int):
                if not isinstance(here, list) or not -len(here) <= step < len(here):
                    raise self.fail(f"response lacks item {dotted}")
            elif not isinstance(here, dict) or step not in here:
                raise self.fail(f"response lacks field {dotted}")
            here = here[step]
        return here

    def integer(self, value: Any, name: str) -> int:
        """An integer given as a JSON number or a decimal string (never a float)."""
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise self.fail(f"{name} is not an integer: {value!r}")
        try:
            return int(value)
        except ValueError as exc:
            raise self.fail(f"{name} is not an integer: {value!r}") from exc

    def decimal(self, value: Any, name: str) -> Decimal:
        """A finite number given as a JSON string or number; floats go through ``str``."""
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.fail(f"{name} is not a number: {value!r}")
        try:
            result = Decimal(str(value))
        except InvalidOperation as exc:
            raise self.fail(f"{name} is not a number: {value!r}") from exc
        if not result.is_finite():
            raise self.fail(f"{name} is not finite: {value!r}")
        return result

    def array(self, value: Any, name: str) -> list[Any]:
        """A JSON array."""
        if not isinstance(value, list):
            raise self.fail(f"{name} is not a list")
        return value
