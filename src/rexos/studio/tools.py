"""The installed tools a spec may compose, as Studio sees them.

Tools come from the plug-ins found through the ``rexos.plugins`` entry points
(:func:`rexos.plugins.discover`), each with its content hash (:func:`tool_hash`) and its
marking: ``moves_funds`` (it signs through the Wallet agent's gateway) and ``changes_state``
(it alters something the user owns), as the tool itself declares them
(:class:`rexos.agents.tool.Tool`). Studio keeps no list of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rexos.plugins import Plugin, discover
from rexos.studio.identity import tool_hash

__all__ = ["InstalledTool", "installed_tools", "tools_of"]


@dataclass(frozen=True, slots=True)
class InstalledTool:
    name: str
    plugin: str
    plugin_version: str
    description: str
    hash: str
    moves_funds: bool
    changes_state: bool


def tools_of(plugins: Iterable[Plugin]) -> dict[str, InstalledTool]:
    """Every tool of ``plugins`` by name, hashed."""
    found: dict[str, InstalledTool] = {}
    for plugin in plugins:
        for t in plugin.tools:
            found[t.name] = InstalledTool(
                name=t.name,
                plugin=plugin.name,
                plugin_version=plugin.version,
                description=t.description,
                hash=tool_hash(t, plugin.version),
                moves_funds=t.moves_funds,
                changes_state=t.changes_state,
            )
    return found


def installed_tools(plugins: Mapping[str, Plugin] | None = None) -> dict[str, InstalledTool]:
    """The tools of the installed plug-ins (``plugins``, or those :func:`discover` finds)."""
    return tools_of((discover() if plugins is None else plugins).values())
