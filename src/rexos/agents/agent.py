"""An agent: a named set of tools with a description of what it is for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rexos.agents.tool import Tool
from rexos.errors import UsageError

__all__ = ["Agent"]


@dataclass(frozen=True, slots=True)
class Agent:
    """A named set of tools. Tool names are unique within an agent."""

    name: str
    description: str
    tools: tuple[Tool[Any, Any], ...]

    def __post_init__(self) -> None:
        names = [t.name for t in self.tools]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"agent {self.name} declares tools twice: {duplicates}")

    @classmethod
    def of(cls, name: str, description: str, tools: Iterable[Tool[Any, Any]]) -> Agent:
        return cls(name, description, tuple(tools))

    def tool(self, name: str) -> Tool[Any, Any]:
        """The tool called ``name``, or a clear error listing the agent's tools."""
        for t in self.tools:
            if t.name == name:
                return t
        known = ", ".join(t.name for t in self.tools)
        raise UsageError(f"agent {self.name} has no tool {name!r} (tools: {known})")
