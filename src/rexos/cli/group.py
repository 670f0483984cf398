"""The command group every ``rexos`` group is made with: help that starts at once.

Typer coerces every option it processes through a pydantic ``TypeAdapter``, built on first
use; building the first one imports pydantic, a third of the start-up of ``rexos <command>
--help``. A group processes its own options (its ``--help`` among them, unset) before it
hands over to the command whose ``--help`` then prints, so every group on the way would pay
for pydantic. The options groups have here are a path, a string and flags: they need no
validation library, and :class:`Group` gives them a plain coercion instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.core import TyperGroup

__all__ = ["Group", "coerce_plainly"]

_Kind = type[Path] | type[str] | type[bool]


class _Plain:
    """Coerces an optional path, string or flag to its type (typer calls ``coerce`` only)."""

    def __init__(self, kind: _Kind) -> None:
        self._kind = kind

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        return None if value is None else self._kind(value)


def coerce_plainly(param: Any, kind: _Kind | None) -> None:
    """Give ``param`` the plain coercion where typer would build a pydantic one."""
    if kind is not None and getattr(param, "_runtime_param", False) is None:
        param._runtime_param = _Plain(kind)


class Group(TyperGroup):
    """A typer group whose ``--help`` option is coerced without pydantic."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        coerce_plainly(option, bool)
        return option
