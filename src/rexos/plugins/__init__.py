"""Plug-ins: sets of tools discovered through the entry-point group ``rexos.plugins``.

Built-in plug-ins register the same way third-party ones do (``[project.entry-points]`` in
``pyproject.toml``); :func:`discover` loads them all.
"""

from rexos.plugins.registry import ENTRY_POINT_GROUP, PluginLoadError, discover
from rexos.plugins.spec import Plugin

__all__ = ["ENTRY_POINT_GROUP", "Plugin", "PluginLoadError", "discover"]
