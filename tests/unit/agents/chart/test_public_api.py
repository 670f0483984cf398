"""The Chart agent's public surface is its sorted ``__all__``, and every name exists."""

from __future__ import annotations

from pathlib import Path

import rexos.agents.chart as chart


def test_all_names_exist_and_are_sorted() -> None:
    assert chart.__all__ == sorted(chart.__all__, key=lambda n: (not n.isupper(), n))
    assert len(chart.__all__) == len(set(chart.__all__))
    for name in chart.__all__:
        assert hasattr(chart, name), f"rexos.agents.chart.{name} is in __all__ but missing"


def test_the_agent_does_not_reach_up_to_the_orchestrator_or_the_cli() -> None:
    package = Path(chart.__file__).parent
    for module in package.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "rexos.orchestrator" not in text and "rexos.cli" not in text, module.name


def test_only_the_render_adapter_imports_vl_convert() -> None:
    package = Path(chart.__file__).parent
    importers = sorted(m.name for m in package.glob("*.py") if "import vl_convert" in m.read_text())
    assert importers == ["render.py"]
