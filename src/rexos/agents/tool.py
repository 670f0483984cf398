"""Tools: one typed function an agent, the orchestrator or an MCP client can call.

A tool is declared once: a name, a description, a pydantic model for its parameters and one for
its result, and the function. Everything else (JSON schemas for MCP and LLM tool calling,
validation of untrusted arguments, the examples the plug-in conformance test runs) comes from
that declaration. A tool that can move funds says so (``moves_funds``): such a tool never runs
without the Wallet agent's policy check and the user's confirmation. A tool that changes
something the user owns or relies on without moving funds (stops a bot strategy, edits a
setting, deletes a record) says so too (``changes_state``; ``moves_funds`` implies it). Bringing
a cache or an index derived from the chain up to date is no change of state: nothing the user
made is altered or lost, and the next read would do the same.

Tools are untrusted by default: the orchestrator hands their results to a model only as quoted
data, and after reading them a funds-moving proposal is refused and a ``changes_state`` tool
is not run. A tool is trusted only by
an explicit declaration with its reason (``trusted="computed from chain state: numbers and
the deployment's own symbols"``), and only when its results carry no third-party text: chain
reads, our own index and store, pure maths. Anything that relays text from an outside API
(bridge quotes, exchange data, news, search results, explorer records) stays untrusted.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from rexos.chain.client import ChainClient
from rexos.chain.manifest import Manifest
from rexos.compliance import Gate, service_of
from rexos.config import Settings
from rexos.errors import UsageError

__all__ = ["Need", "Tool", "ToolContext", "ToolInputError", "ToolParams", "tool"]

Need = Literal["chain", "network"]
"""What a tool reaches beyond its arguments: a chain node, or the internet."""


class ToolParams(BaseModel):
    """Base of every tool's parameters: unknown fields are an error, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


P = TypeVar("P", bound=ToolParams)
R = TypeVar("R", bound=BaseModel)

_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


class ToolInputError(UsageError):
    """Arguments to a tool did not validate; the message names each bad field."""


class ToolContext(Protocol):
    """What a tool may use: settings, and the chain and deployment when it needs them."""

    @property
    def settings(self) -> Settings: ...

    def chain(self) -> ChainClient: ...

    def manifest(self) -> Manifest: ...


@functools.lru_cache(maxsize=8)
def _gate(home: Path) -> Gate:
    """One gate per data directory (it re-reads the policy at each decision and keeps its
    sanctions lists while their files are unchanged)."""
    return Gate(home)


@dataclass(frozen=True, slots=True)
class Tool(Generic[P, R]):
    """A named, typed, documented function ``(context, params) -> result``."""

    name: str
    description: str
    params: type[P]
    result: type[R]
    fn: Callable[[ToolContext, P], R]
    moves_funds: bool = False
    needs: frozenset[Need] = frozenset()
    examples: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    trusted: str | None = None
    """Why its results carry no third-party text; ``None`` (the default): untrusted, its
    results are data to show, never instructions to follow."""
    changes_state: bool = False
    """It alters something the user owns (a stored strategy, a setting); true whenever
    ``moves_funds`` is. Such a tool never runs on a model's call made after untrusted text."""

    @property
    def untrusted(self) -> bool:
        """Not declared trusted: its results are handed to a model only as quoted data."""
        return self.trusted is None

    @property
    def offline(self) -> bool:
        """Runs with no chain and no network (the conformance test calls it on its examples)."""
        return not self.needs

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"tool name must be dotted lower_snake_case, got {self.name!r}")
        if not self.description.strip():
            raise ValueError(f"tool {self.name} needs a description")
        if not issubclass(self.params, ToolParams):
            raise TypeError(f"tool {self.name}: parameters must subclass ToolParams")
        if self.trusted is not None and not self.trusted.strip():
            raise ValueError(f"tool {self.name} is declared trusted without a reason")
        if self.moves_funds and not self.changes_state:
            object.__setattr__(self, "changes_state", True)

    def input_schema(self) -> dict[str, Any]:
        """JSON Schema of the parameters (for MCP ``tools/list`` and LLM tool calling)."""
        return self.params.model_json_schema()

    def output_schema(self) -> dict[str, Any]:
        return self.result.model_json_schema(mode="serialization")

    def parse(self, arguments: Mapping[str, Any]) -> P:
        """Validate untrusted ``arguments``; one clear error naming every bad field."""
        try:
            return self.params.model_validate(dict(arguments))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}"
                for e in exc.errors()
            )
            raise ToolInputError(f"{self.name}: {problems}") from None

    def call(self, context: ToolContext, arguments: Mapping[str, Any]) -> R:
        """Validate ``arguments``, pass the compliance gate of the context's data directory
        for the tool's service, run the tool, check the result's type. Every caller (the
        chat's model, MCP, a Studio agent) goes through here."""
        parsed = self.parse(arguments)
        _gate(context.settings.home).require(
            service_of("tool", self.name), entry=f"tool:{self.name}"
        )
        result = self.fn(context, parsed)
        if not isinstance(result, self.result):
            raise TypeError(f"tool {self.name} returned {type(result).__name__}")
        return result

    def call_json(self, context: ToolContext, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """:meth:`call`, with the result as JSON-ready data (Decimals and ints as strings)."""
        return self.call(context, arguments).model_dump(mode="json")


def tool(
    name: str,
    description: str,
    params: type[P],
    result: type[R],
    *,
    moves_funds: bool = False,
    needs: Sequence[Need] = (),
    examples: Sequence[Mapping[str, Any]] = (),
    trusted: str | None = None,
    changes_state: bool = False,
) -> Callable[[Callable[[ToolContext, P], R]], Tool[P, R]]:
    """Decorator: turn ``def f(context, params) -> result`` into a :class:`Tool`.

    ``trusted`` is the reason its results carry no third-party text; without one the tool is
    untrusted. ``changes_state``: it alters something the user owns without moving funds
    (``moves_funds`` implies it).
    """

    def wrap(fn: Callable[[ToolContext, P], R]) -> Tool[P, R]:
        return Tool(
            name, description, params, result, fn, moves_funds, frozenset(needs),
            tuple(examples), trusted, changes_state,
        )  # fmt: skip

    return wrap
