"""One chat session over a workspace: plan store, runner, executors, optional model.

Reads that depend only on the chain's state (:data:`~rexos.orchestrator.chat.CONCURRENT_READS`:
a price, a balance, the portfolio) are answered once per block: the answer is kept under the
head block's hash and reused until a new block (or a reverted and re-mined one) arrives.
Asking for the head block costs one RPC call; the pools behind prices are read whole once per
session, then brought to each new block from its logs (a few calls, not a few hundred). Many
requests for the same answer in the same block wait for the first instead of repeating it.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from rexos.chain.tx import reverts_as
from rexos.dex.onchain import TokenRegistry
from rexos.llm.tools import ToolModel
from rexos.orchestrator.agentic import ToolAgent
from rexos.orchestrator.chat import CONCURRENT_READS, ChatSession
from rexos.orchestrator.executors import ChartMaker, Executors
from rexos.orchestrator.plan import Plan, Step
from rexos.orchestrator.runner import Confirmer, PlanRunner
from rexos.orchestrator.store import PlanStore
from rexos.orchestrator.workspace import Workspace
from rexos.plugins import discover

__all__ = ["open_session", "plan_store"]


class _BlockReads:
    """Answers by key, computed once per key (concurrent askers wait for the first)."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._done: OrderedDict[tuple[str, ...], str] = OrderedDict()
        self._flights: dict[tuple[str, ...], threading.Lock] = {}

    def get(self, key: tuple[str, ...], compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        with self._lock:
            flight = self._flights.setdefault(key, threading.Lock())
        with flight:
            with self._lock:
                hit = self._done.get(key)
            if hit is not None:
                found: dict[str, Any] = json.loads(hit)  # a copy: callers may change theirs
                return found
            result = compute()  # an error is not kept: the next asker tries again
            with self._lock:
                self._done[key] = json.dumps(result)
                while len(self._done) > self._size:
                    old, _ = self._done.popitem(last=False)
                    self._flights.pop(old, None)
            return result


class _PerBlockExecutors(Executors):
    """:class:`Executors` whose chain-only reads are answered once per block."""

    def __init__(self, ws: Workspace, chart: ChartMaker | None) -> None:
        super().__init__(ws, chart)
        self._answers = _BlockReads()

    def read(self, step: Step) -> dict[str, Any]:
        if step.intent.intent not in CONCURRENT_READS:
            return super().read(step)
        with reverts_as("read the head block"):
            head = self.ws.chain().web3.eth.get_block("latest")
        block = head.get("hash")
        args = json.dumps(step.intent.args, sort_keys=True, default=str)
        key = (bytes(block or b"").hex(), step.intent.intent, args)
        return self._answers.get(key, lambda: super(_PerBlockExecutors, self).read(step))


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
        ws, plan_store(ws), _PerBlockExecutors(ws, chart), confirmer=confirmer, progress=progress
    )
    symbols = {t.symbol for t in TokenRegistry.from_manifest(ws.manifest())} | {"ETH"}
    agent = None
    if model is not None:
        tools = [t for plugin in discover().values() for t in plugin.tools]
        agent = ToolAgent(model, tools, ws, known_symbols=symbols)
    names = ws.wallet_names()  # none known: recipients by name are checked when a step runs
    wallets = frozenset(n.lower() for n in names) if names else None
    return ChatSession(runner, agent=agent, known_symbols=symbols, wallet_names=wallets)
