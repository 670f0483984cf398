"""Chart steps: the Chart agent drawing from the workspace's index and chain."""

from __future__ import annotations

from typing import Any

from rexos.agents.chart import PORTFOLIO, ChartRequest, IndexedSources, make_chart
from rexos.agents.database import index_path
from rexos.orchestrator.workspace import Workspace

__all__ = ["make_step_chart"]


def make_step_chart(ws: Workspace, subject: str, days: int | None, name: str) -> dict[str, Any]:
    """Draw ``subject`` (a token's price, or the owner's portfolio) to ``<name>.svg``."""
    manifest = ws.manifest()
    portfolio = subject.lower() == PORTFOLIO
    request = ChartRequest(
        subject=PORTFOLIO if portfolio else subject,
        days=None if portfolio else days,
        address=ws.owner() if portfolio else None,
    )
    sources = IndexedSources(
        ws.chain().web3, manifest, index_path(ws.settings.home, int(manifest.chain_id))
    )
    result = make_chart(request, sources)
    path = ws.output_dir() / f"{name}.svg"
    path.write_text(result.svg, encoding="utf-8")
    return result.to_json(str(path))
