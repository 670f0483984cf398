"""The one TOML loader: packaged defaults with a user's file laid over them, read typed.

:func:`load_over_defaults` reads a packaged TOML resource, lays the user's file (if any) over
it and returns the merged tables with a :class:`TomlReader` for them. Every failure (a file
that cannot be read, bad TOML, a missing or ill-typed key) is one ``ConfigError`` that starts
with what is being read (the caller's noun: ``genesis``, ``DPrompt parameters in``) and the
file, then names the key. Used by :mod:`rexos.economy.genesis` and
:mod:`rexos.dprompt.params`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import NoReturn, TypeVar

from rexos.errors import ConfigError

__all__ = ["Table", "TomlReader", "load_over_defaults", "merge_tables", "parse_toml"]

Table = dict[str, object]
_S = TypeVar("_S", bound=str)
_WEI_DECIMALS = 18
_WEI_PER_UNIT = 10**18


def parse_toml(text: str, source: str, noun: str) -> Table:
    """Parse TOML text, reading decimals as ``Decimal`` (never float); ``noun`` and
    ``source`` start the error message."""
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{noun} {source}: not valid TOML: {exc}") from exc


def load_over_defaults(
    package: str, resource: str, path: Path | None, *, noun: str
) -> tuple[TomlReader, Table]:
    """The TOML ``resource`` of ``package`` with the file at ``path`` laid over it (``None``:
    the defaults alone), and a reader whose errors start with ``noun`` and the file read
    (``default`` for the packaged one)."""
    text = resources.files(package).joinpath(resource).read_text("utf-8")
    data = parse_toml(text, "default", noun)
    source = "default"
    if path is not None:
        source = str(path)
        try:
            override = Path(path).read_text("utf-8")
        except OSError as exc:
            raise ConfigError(f"{noun} {source}: cannot read: {exc.strerror}") from exc
        data = merge_tables(data, parse_toml(override, source, noun))
    return TomlReader(source, noun), data


def merge_tables(base: Table, override: Table) -> Table:
    """``base`` with ``override`` laid over it; nested tables merge, everything else replaces."""
    merged = dict(base)
    for key, value in override.items():
        old = merged.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            merged[key] = merge_tables(old, value)
        else:
            merged[key] = value
    return merged


class TomlReader:
    """Reads typed values out of tables; every failure names the source and the key."""

    def __init__(self, source: str, noun: str) -> None:
        self.source = source
        self.noun = noun

    def fail(self, key: str, problem: str) -> NoReturn:
        """Raise ``ConfigError`` for ``key``."""
        raise ConfigError(f"{self.noun} {self.source}: {key}: {problem}")

    @staticmethod
    def _leaf(key: str) -> str:
        return key.rsplit(".", 1)[-1]

    def _get(self, table: Table, key: str) -> object:
        leaf = self._leaf(key)
        if leaf not in table:
            self.fail(key, "missing")
        return table[leaf]

    def keys(self, table: Table, where: str, allowed: set[str]) -> None:
        """Reject keys of ``table`` outside ``allowed`` (``where`` names the table)."""
        for key in table:
            if key not in allowed:
                self.fail(f"{where}.{key}" if where else key, "unknown key")

    def table(self, table: Table, key: str) -> Table:
        """The sub-table ``key``."""
        value = self._get(table, key)
        if not isinstance(value, dict):
            self.fail(key, "must be a table")
        return value

    def tables(self, table: Table, key: str) -> list[Table]:
        """The array of tables ``key``."""
        value = self._get(table, key)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(key, "must be an array of tables")
        return [v for v in value if isinstance(v, dict)]

    def string(self, table: Table, key: str) -> str:
        """A non-empty string."""
        value = self._get(table, key)
        if not isinstance(value, str) or not value:
            self.fail(key, "must be a non-empty string")
        return value

    def choice(self, table: Table, key: str, options: Sequence[_S]) -> _S:
        """One of ``options``."""
        value = self._get(table, key)
        for option in options:
            if value == option:
                return option
        self.fail(key, f"must be one of {', '.join(options)}; got {value!r}")

    def boolean(self, table: Table, key: str) -> bool:
        """``true`` or ``false``."""
        value = self._get(table, key)
        if not isinstance(value, bool):
            self.fail(key, "must be true or false")
        return value

    def integer(self, table: Table, key: str, low: int, high: int | None = None) -> int:
        """An integer within ``[low, high]``."""
        value = self._get(table, key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"must be an integer, got {value!r}")
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            self.fail(key, f"must be {bound}, got {value}")
        return value

    def decimal(self, table: Table, key: str) -> Decimal:
        """A number (integer or decimal), as an exact ``Decimal``."""
        value = self._get(table, key)
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            self.fail(key, f"must be a number, got {value!r}")
        number = Decimal(value)
        if not number.is_finite():
            self.fail(key, "must be finite")
        return number

    def wei(self, table: Table, key: str, *, allow_zero: bool = False) -> int:
        """A whole-unit amount (at most 18 decimals) converted to wei."""
        number = self.decimal(table, key)
        scaled = number.scaleb(_WEI_DECIMALS)
        if scaled != scaled.to_integral_value():
            self.fail(key, f"has more than {_WEI_DECIMALS} decimal places")
        if number < 0 or (number == 0 and not allow_zero):
            self.fail(key, "must be positive" if not allow_zero else "must not be negative")
        return int(scaled)

    def whole_rex(self, table: Table, key: str) -> int:
        """A positive whole number of REX, converted to wei."""
        return self.integer(table, key, 1) * _WEI_PER_UNIT
