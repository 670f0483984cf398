"""The Chart agent stays below the orchestrator, and one adapter renders."""

from __future__ import annotations

from pathlib import Path

import rexos.agents.chart as chart


def test_the_agent_does_not_reach_up_to_the_orchestrator_or_the_cli() -> None:
    package = Path(chart.__file__).parent
    for module in package.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "rexos.orchestrator" not in text and "rexos.cli" not in text, module.name


def test_only_the_render_adapter_imports_vl_convert() -> None:
    package = Path(chart.__file__).parent
    importers = sorted(m.name for m in package.glob("*.py") if "import vl_convert" in m.read_text())
    assert importers == ["render.py"]
