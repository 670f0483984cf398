"""One chat session over a workspace: plan store, runner, executors, optional model."""

from __future__ import annotations

from collections.abc import Callable

from rexos.dex.onchain import TokenRegistry
from rexos.llm.tools import ToolModel
from rexos.orchestrator.agentic import ToolAgent
from rexos.orchestrator.chat import ChatSession
from rexos.orchestrator.executors import ChartMaker, Executors
from rexos.orchestrator.plan import Plan, Step
from rexos.orchestrator.runner import Confirmer, PlanRunner
from rexos.orchestrator.store import PlanStore
from rexos.orchestrator.workspace import Workspace
from rexos.plugins import discover

__all__ = ["open_session", "plan_store"]


def plan_store(ws: Workspace) -> PlanStore:
    return PlanStore(ws.settings.home / "plans.sqlite")


def open_session(
    ws: Workspace,
    *,
    model: ToolModel | None = None,
    confirmer: Confirmer | None = None,
    progress: Callable[[Plan, Step], None] | None = None,
    chart: ChartMaker | None = None,
) -> ChatSession:
    """A :class:`ChatSession` on ``ws``; ``confirmer`` asks about transactions interactively
    (without one, they wait for an explicit confirmation by fingerprint)."""
    runner = PlanRunner(
        ws, plan_store(ws), Executors(ws, chart), confirmer=confirmer, progress=progress
    )
    symbols = {t.symbol for t in TokenRegistry.from_manifest(ws.manifest())} | {"ETH"}
    agent = None
    if model is not None:
        tools = [t for plugin in discover().values() for t in plugin.tools]
        agent = ToolAgent(model, tools, ws, known_symbols=symbols)
    return ChatSession(runner, agent=agent, known_symbols=symbols)
