"""Start a spec from a template, pin it to the installed tools, write it out as YAML.

The templates are the two example agents (``examples/agents/`` in the repository, shipped in
the package as ``rexos/studio/templates/``): ``dca``, a weekly swap within caps, and
``portfolio-digest``, a read-only report with the news. :func:`new_spec` gives a template a
new name and pins its tools to those installed here; :func:`repin` does the same for any spec
after a plug-in upgrade (the user sees the new hashes in the diff and re-runs the evals).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from importlib import resources
from typing import Any

import yaml

from rexos.studio.errors import SpecError
from rexos.studio.reading import parse_spec
from rexos.studio.safeyaml import load_document
from rexos.studio.spec import AgentSpec, ToolPin
from rexos.studio.tools import InstalledTool, installed_tools

__all__ = ["TEMPLATES", "dump_spec", "new_spec", "repin", "template_text"]

TEMPLATES: Mapping[str, str] = {
    "dca": "weekly-dca.yaml",
    "portfolio-digest": "portfolio-digest.yaml",
}
"""Template name → its file under ``rexos/studio/templates/``."""


def template_text(template: str) -> str:
    """The YAML text of ``template``."""
    if template not in TEMPLATES:
        raise SpecError(f"no template {template!r}; templates: {', '.join(sorted(TEMPLATES))}")
    return resources.files("rexos.studio").joinpath(f"templates/{TEMPLATES[template]}").read_text()


def repin(spec: AgentSpec, installed: Mapping[str, InstalledTool]) -> AgentSpec:
    """``spec`` with each tool pinned to the installed one (an absent tool is an error)."""
    pins = []
    for pin in spec.tools:
        tool = installed.get(pin.name)
        if tool is None:
            raise SpecError(f"tools: {pin.name} is not installed (no plug-in provides it)")
        pins.append(ToolPin(tool.name, tool.plugin, tool.plugin_version, tool.hash))
    return dataclasses.replace(spec, tools=tuple(pins))


def new_spec(
    template: str, name: str, installed: Mapping[str, InstalledTool] | None = None
) -> AgentSpec:
    """A new spec called ``name`` from ``template``, pinned to the installed tools."""
    doc = load_document(template_text(template))
    doc["name"] = name
    spec = parse_spec(doc)
    return repin(spec, installed_tools() if installed is None else installed)


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_spec(spec: AgentSpec) -> str:
    """``spec`` as YAML (every default written) that :func:`load_spec` reads back equal."""
    text: str = yaml.dump(
        spec.to_document(), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
    return text
