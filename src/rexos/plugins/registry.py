"""Find plug-ins through the ``rexos.plugins`` entry-point group.

An entry point names either a :class:`~rexos.plugins.spec.Plugin` or a function that returns
one. A plug-in that fails to load is reported by name with the reason, never silently dropped.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

from rexos.errors import ConfigError
from rexos.plugins.spec import Plugin

__all__ = ["ENTRY_POINT_GROUP", "PluginLoadError", "discover", "load_entry_point"]

ENTRY_POINT_GROUP = "rexos.plugins"


class PluginLoadError(ConfigError):
    """A plug-in's entry point could not be loaded or is not a Plugin."""


def load_entry_point(ep: EntryPoint) -> Plugin:
    try:
        target = ep.load()
        plugin = target() if callable(target) and not isinstance(target, Plugin) else target
    except Exception as exc:  # a third-party import can fail any way; name it and go on
        raise PluginLoadError(f"plug-in {ep.name} ({ep.value}) failed to load: {exc}") from exc
    if not isinstance(plugin, Plugin):
        raise PluginLoadError(f"plug-in {ep.name} ({ep.value}) is not a rexos Plugin")
    if plugin.name != ep.name:
        raise PluginLoadError(f"entry point {ep.name} loads a plug-in named {plugin.name}")
    return plugin


def discover() -> dict[str, Plugin]:
    """Every installed plug-in by name; raises on the first one that is broken."""
    found: dict[str, Plugin] = {}
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if ep.name in found:
            raise PluginLoadError(f"two plug-ins are named {ep.name}")
        found[ep.name] = load_entry_point(ep)
    return found
