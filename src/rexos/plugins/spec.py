"""What a plug-in is: a named, versioned set of tools."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rexos.agents.agent import Agent
from rexos.agents.tool import Tool

__all__ = ["Plugin"]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Plugin:
    """A plug-in. Each tool's name starts with ``<plugin name>.``."""

    name: str
    version: str
    description: str
    tools: tuple[Tool[Any, Any], ...]

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"plug-in name must be lower_snake_case, got {self.name!r}")
        for t in self.tools:
            if not t.name.startswith(self.name + "."):
                raise ValueError(f"plug-in {self.name}: tool {t.name} must start with {self.name}.")
        Agent.of(self.name, self.description, self.tools)  # tool names unique

    @classmethod
    def of(
        cls, name: str, version: str, description: str, tools: Iterable[Tool[Any, Any]]
    ) -> Plugin:
        return cls(name, version, description, tuple(tools))

    def as_agent(self) -> Agent:
        return Agent.of(self.name, self.description, self.tools)
