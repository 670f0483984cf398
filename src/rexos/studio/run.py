"""``run_agent``: one run of an agent through the orchestrator, held to what its spec declared.

A run fails closed at every layer, so an agent can never exceed its permissions, whatever its
prompt, its examples, its request or its tools' results say:

1. the spec is validated against the installed tools first (:func:`~rexos.studio.validate`):
   any problem refuses the run before anything is read or signed;
2. the orchestrator sees only the spec's pinned tools: each plan step is served by a tool the
   spec lists (:data:`STEP_TOOLS`) or is a wallet action among ``permissions.actions``
   (:data:`~rexos.studio.INTENT_ACTIONS`); a funds-moving plan with any other step is refused
   whole, before the user is asked, and nothing of it runs. A tool-calling model is offered
   only the pinned tools, and hears the spec's prompt and examples as the agent's
   instructions, never as the user's words;
3. the Wallet agent signs through a gateway whose verdict is the strictest of three: the
   user's policy as it is now (re-read at every decision), the spec's permissions within the
   user's policy (:func:`~rexos.studio.agent_policy`, never wider than the user's), and the
   run's :class:`~rexos.studio.RunBudget` (calls, seconds, US dollars, token caps);
4. the budget counts every step and every tool call a model makes before it runs, and every
   transaction when its spend is reserved, just before signing.

An agent's plans are kept in ``$REXOS_HOME/studio/runs.sqlite``, apart from the chat's: a
plan an agent made can never be confirmed later through ``rexos chat`` or the API, where it
would run outside the agent's limits.

Refusals are step errors that say which limit refused (``refused by the policy: …``,
``… not called: agent X made its 4 calls``); :class:`RunResult` collects them.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from rexos.agents.tool import Tool, ToolContext
from rexos.agents.wallet import (
    Decision,
    Move,
    PlannedTx,
    PolicyDenied,
    PolicyEngine,
    WalletAgent,
    WalletLedger,
    WalletPaths,
    dex_prices,
    load_policy,
)
from rexos.chain.client import ChainClient
from rexos.chain.manifest import Manifest
from rexos.config import Settings
from rexos.dex.onchain import TokenRegistry
from rexos.llm.tools import ToolModel, ToolTurn
from rexos.orchestrator.agentic import ToolAgent
from rexos.orchestrator.chat import ChatSession, Reply
from rexos.orchestrator.executors import ChartMaker, Executors
from rexos.orchestrator.plan import FUNDS_MOVING, Plan, Step
from rexos.orchestrator.runner import Confirmer, PlanRunner
from rexos.orchestrator.store import PlanStore
from rexos.orchestrator.workspace import Workspace
from rexos.plugins import Plugin, discover
from rexos.studio.budget import RunBudget
from rexos.studio.check import INTENT_ACTIONS, validate
from rexos.studio.errors import SpecError
from rexos.studio.identity import spec_hash
from rexos.studio.policy import AgentPolicy, agent_policy
from rexos.studio.prompts import render
from rexos.studio.spec import AgentSpec
from rexos.studio.tools import installed_tools
from rexos.types import Address

__all__ = ["STEP_TOOLS", "RunResult", "default_message", "run_agent"]

STEP_TOOLS: Mapping[str, frozenset[str]] = {
    "price": frozenset({"prices.usd", "dex.quote"}),
    "balance": frozenset({"chain.balance", "explorer.balance"}),
    "portfolio": frozenset({"lense.report", "chain.balance"}),
    "performance": frozenset({"lense.report"}),
    "chart": frozenset({"chart.make", "chart.render"}),
    "query": frozenset({"explorer.history", "explorer.transactions", "explorer.token_transfers"}),
    "perp": frozenset({"perps.compare"}),
}
"""The pinned tools that may serve each read step (any one of them); a read not listed here
(``points``) is served by no tool and refused."""

Outcome = Literal["done", "refused", "failed", "waiting", "declined", "question", "answer"]


@dataclass(slots=True)
class RunResult:
    """What one run did: the request, the plan and its steps, and every refusal."""

    agent: str
    spec_hash: str
    request: str
    text: str
    """The orchestrator's reply (a summary of the plan, an answer, or a question)."""
    plan: Plan | None
    outcome: Outcome
    refused: list[str] = field(default_factory=list)
    """Why each refused step or tool call was refused (the limit that refused it)."""
    calls: int = 0
    usd: str = "0"
    spent: dict[str, int] = field(default_factory=dict)
    """Base units each token (upper-case symbol) this run moved."""

    @property
    def ok(self) -> bool:
        return self.outcome in ("done", "answer")

    def to_json(self) -> dict[str, Any]:
        return {
            "agent": self.agent, "spec_hash": self.spec_hash, "request": self.request,
            "text": self.text, "outcome": self.outcome, "ok": self.ok,
            "plan": None if self.plan is None else self.plan.to_json(),
            "refused": self.refused, "calls": self.calls, "usd": self.usd,
            "spent": {k: str(v) for k, v in self.spent.items()},
        }  # fmt: skip


def default_message(spec: AgentSpec) -> str:
    """The spec's first chat or schedule trigger message (:class:`SpecError` if none)."""
    for trigger in spec.triggers:
        if trigger.kind in ("chat", "schedule") and trigger.message:
            return trigger.message
    raise SpecError(f"{spec.name}: no chat or schedule trigger has a message: give one")


class _RunEngine(PolicyEngine):
    """The user's engine (policy file re-read at each decision), narrowed by the agent's
    permissions and the run's budget: the strictest verdict wins; a reserved spend is counted."""

    def __init__(
        self, home: Path, ledger: WalletLedger, agent: PolicyEngine, budget: RunBudget
    ) -> None:
        paths = WalletPaths.of(home)
        super().__init__(paths.policy, ledger, paths.confirm_key)
        self._agent = agent
        self._budget = budget

    def check(self, tx: PlannedTx, now: int) -> Decision:
        narrowed = self._agent.check(tx, now)
        agent = f"agent {self._budget.policy.agent}: "
        verdicts = [
            super().check(tx, now),
            dataclasses.replace(narrowed, reason=agent + narrowed.reason),
            self._budget.admit(tx),
        ]
        denied = [d.reason for d in verdicts if d.verdict == "deny"]
        if denied:  # every limit that refuses it, so the user sees each one
            return Decision("deny", "; ".join(dict.fromkeys(denied)))
        return next((d for d in verdicts if d.verdict == "confirm"), verdicts[0])

    def reserve(self, tx: PlannedTx, intent_key: str, now: int) -> str | None:
        refused = super().reserve(tx, intent_key, now)
        if refused is None:
            self._budget.record(tx)  # counted before signing: a failed send still counts
        return refused


class _RunWorkspace:
    """``ws`` whose Wallet agent signs through a :class:`_RunEngine`."""

    def __init__(self, ws: Workspace, engine: Callable[[], PolicyEngine]) -> None:
        self._ws = ws
        self._engine = engine
        self._agent: WalletAgent | None = None

    @property
    def settings(self) -> Settings:
        return self._ws.settings

    def chain(self) -> ChainClient:
        return self._ws.chain()

    def manifest(self) -> Manifest:
        return self._ws.manifest()

    def owner(self) -> Address:
        return self._ws.owner()

    def resolve_recipient(self, name: str) -> Address:
        return self._ws.resolve_recipient(name)

    def output_dir(self) -> Path:
        return self._ws.output_dir()

    def peer(self) -> tuple[ChainClient, Manifest]:
        return self._ws.peer()

    def wallet_names(self) -> dict[str, str]:
        return self._ws.wallet_names()

    def wallet(self) -> WalletAgent:
        if self._agent is None:
            user = self._ws.wallet()
            manifest = self._ws.manifest()
            self._agent = WalletAgent(
                user.web3, user.account, TokenRegistry.from_manifest(manifest),
                dex_prices(user.web3, manifest), self._engine(), manifest=manifest,
            )  # fmt: skip
        return self._agent


class _GatedExecutors(Executors):
    """Runs a step only if the spec allows it and the budget has a call left."""

    def __init__(self, ws: Workspace, spec: AgentSpec, budget: RunBudget,
                 chart: ChartMaker | None) -> None:  # fmt: skip
        super().__init__(ws, chart)
        self._spec, self._budget = spec, budget
        self._pinned = frozenset(t.name for t in spec.tools)
        self._counted: set[int] = set()
        """Steps already counted against the budget (a step resumed after a confirmation
        is checked again, but counted once)."""

    def refusal(self, step: Step) -> tuple[str | None, str]:
        """Why the spec does not let ``step`` run (``None``: it may), and what it calls."""
        name, spec = step.intent.intent, self._spec
        if name in FUNDS_MOVING:
            action = INTENT_ACTIONS.get(name, name)
            if not spec.permissions.moves_funds:
                return f"agent {spec.name} is read-only: a {name} moves funds", action
            if action not in spec.permissions.actions:
                return f"agent {spec.name} may not {action}: not in its permissions", action
            return None, f"wallet.{action}"
        wanted = STEP_TOOLS.get(name, frozenset())
        serving = sorted(wanted & self._pinned)
        if not serving:
            needed = " or ".join(sorted(wanted)) or "a tool RexOS does not have"
            return f"agent {spec.name} has no tool for a {name} step (it needs {needed})", name
        return None, serving[0]

    def _gate(self, step: Step) -> None:
        refused, call = self.refusal(step)
        if refused is not None:
            raise PolicyDenied(f"refused: {refused}")
        if step.id not in self._counted:
            self._budget.call(call)
            self._counted.add(step.id)

    def read(self, step: Step) -> dict[str, Any]:
        self._gate(step)
        return super().read(step)

    def moves(self, step: Step, agent: WalletAgent) -> list[Move]:
        self._gate(step)
        return super().moves(step, agent)


class _Persona:
    """A tool-calling model that hears the spec's prompt and examples as the agent's
    instructions (after the orchestrator's own), never as the user's request."""

    def __init__(self, model: ToolModel, system: str, examples: Sequence[tuple[str, str]]):
        self._model, self._system, self._examples = model, system, examples

    def tool_turn(
        self, messages: Sequence[dict[str, Any]], tools: Sequence[dict[str, Any]]
    ) -> ToolTurn:
        persona: list[dict[str, Any]] = [{"role": "system", "content": self._system}]
        for user, assistant in self._examples:
            persona += [{"role": "user", "content": user},
                        {"role": "assistant", "content": assistant}]  # fmt: skip
        return self._model.tool_turn([messages[0], *persona, *messages[1:]], tools)


def _gated_tools(
    spec: AgentSpec, plugins: Mapping[str, Plugin], budget: RunBudget
) -> list[Tool[Any, Any]]:
    pinned = {t.name for t in spec.tools}
    found = [t for p in plugins.values() for t in p.tools if t.name in pinned]

    def gate(tool: Tool[Any, Any]) -> Tool[Any, Any]:
        def fn(context: ToolContext, params: Any) -> Any:
            budget.call(tool.name)
            return tool.fn(context, params)

        return dataclasses.replace(tool, fn=fn)

    return [gate(t) for t in found if not t.moves_funds]


def run_agent(
    spec: AgentSpec,
    message: str,
    ws: Workspace,
    *,
    confirm_plan: Callable[[Plan], bool],
    confirmer: Confirmer | None = None,
    model: ToolModel | None = None,
    plugins: Mapping[str, Plugin] | None = None,
    clock: Callable[[], float] = time.monotonic,
    chart: ChartMaker | None = None,
) -> RunResult:
    """Run ``spec`` on ``message`` for the wallet of ``ws``, within the spec's permissions.

    ``confirm_plan``: the user's yes to a funds-moving plan as shown; ``confirmer``: to each
    transaction the policy wants confirmed (without one such a transaction waits: outcome
    ``waiting``); ``model``: an optional tool-calling model for open-ended requests;
    ``plugins``: the installed plug-ins (default: discovered); ``clock``: monotonic seconds
    for the time limit. A spec that does not fit the installed tools or the user's policy is a
    :class:`SpecError`; nothing is read or signed then.
    """
    plugins = discover() if plugins is None else plugins
    validate(spec, installed_tools(plugins))
    manifest, home = ws.manifest(), ws.settings.home
    registry = TokenRegistry.from_manifest(manifest)
    user_policy = load_policy(WalletPaths.of(home).policy)  # a broken policy: ConfigError
    permissions: AgentPolicy = agent_policy(
        spec, user_policy, decimals={t.symbol: t.decimals for t in registry},
        contracts=dict(manifest.contracts),
    )  # fmt: skip
    budget = RunBudget(permissions, clock)
    paths = WalletPaths.of(home)
    store = PlanStore(home / "studio" / "runs.sqlite")  # never the chat's (module docstring)
    with tempfile.TemporaryDirectory(prefix="rexos-agent-run-") as scratch:
        ledgers = [WalletLedger(Path(scratch) / "run.sqlite"), WalletLedger(paths.ledger)]
        narrowed = PolicyEngine(permissions.policy, ledgers[0], paths.confirm_key)
        run_ws = _RunWorkspace(ws, lambda: _RunEngine(home, ledgers[1], narrowed, budget))
        try:
            reply, declined = _converse(spec, message, ws, run_ws, store, budget, confirm_plan,
                                        confirmer, model, plugins, chart)  # fmt: skip
        finally:
            for ledger in ledgers:
                ledger.close()
            store.close()
    kind = "declined" if declined else reply.kind
    return _result(spec, message, reply.text, kind, reply.plan, reply.agent, budget)


def _converse(
    spec: AgentSpec,
    message: str,
    ws: Workspace,
    run_ws: _RunWorkspace,
    store: PlanStore,
    budget: RunBudget,
    confirm_plan: Callable[[Plan], bool],
    confirmer: Confirmer | None,
    model: ToolModel | None,
    plugins: Mapping[str, Plugin],
    chart: ChartMaker | None,
) -> tuple[Reply, bool]:
    """``message`` through a chat session over the gated executors, its plan run if the spec
    allows every step and the user confirms it; and whether the user declined it."""
    manifest = ws.manifest()
    executors = _GatedExecutors(run_ws, spec, budget, chart)
    runner = PlanRunner(run_ws, store, executors, confirmer=confirmer)
    symbols = {t.symbol for t in TokenRegistry.from_manifest(manifest)} | {"ETH"}
    tool_agent = None
    if model is not None:
        today = datetime.now(UTC).date().isoformat()
        values = {"agent": spec.name, "chain": str(manifest.chain_id), "date": today,
                  "wallet": str(ws.owner())}  # fmt: skip
        persona = _Persona(
            model, render(spec.system_prompt, values),
            [(render(e.user, values), render(e.assistant, values)) for e in spec.examples],
        )  # fmt: skip
        tool_agent = ToolAgent(persona, _gated_tools(spec, plugins, budget), run_ws,
                               known_symbols=symbols)  # fmt: skip
    names = ws.wallet_names()
    wallets = frozenset(n.lower() for n in names) if names else None
    session = ChatSession(runner, agent=tool_agent, known_symbols=symbols, wallet_names=wallets)
    reply = session.message(message)
    plan = reply.plan
    if plan is None or not plan.moves_funds or plan.confirmed:
        return reply, False
    if _refuse_unallowed(plan, executors):
        store.save(plan)  # refused as a whole: nothing is asked, nothing runs
        text = "Not run: the agent's permissions refuse this plan."
        return Reply("answer", text, plan, reply.agent), False
    if not confirm_plan(plan):
        return Reply("answer", "Not run: you declined the plan.", plan, reply.agent), True
    return session.confirm_plan(plan.id), False


def _refuse_unallowed(plan: Plan, executors: _GatedExecutors) -> bool:
    """Fail each step the spec does not allow (and what waits on it); whether any was."""
    any_refused = False
    for step in plan.steps:
        refused, _ = executors.refusal(step)
        if refused is not None and step.state == "pending":
            step.state, step.error = "failed", f"refused: {refused}"
            plan.fail_dependents(step)
            any_refused = True
    return any_refused


_REFUSAL = ("refused", "not called:")
"""How a refusal's reason starts or reads: the gate's and the policy's ``refused…``, the
budget's ``… not called: …``."""


def _is_refusal(reason: str) -> bool:
    return reason.startswith(_REFUSAL[0]) or _REFUSAL[1] in reason


def _result(
    spec: AgentSpec,
    message: str,
    text: str,
    kind: str,
    plan: Plan | None,
    agent: Mapping[str, Any] | None,
    budget: RunBudget,
) -> RunResult:
    failed = [s for s in (plan.steps if plan else []) if s.state == "failed" and s.error]
    refused = [f"step {s.id} ({s.describe()}): {s.error}" for s in failed
               if s.error and _is_refusal(s.error)]  # fmt: skip
    refused += [str(r) for r in (agent or {}).get("refused", [])]
    for call in (agent or {}).get("calls", []):
        error = str(call.get("error", ""))
        if not call.get("ok") and _is_refusal(error):
            refused.append(f"{call.get('tool')}: {error}")
    outcome: Outcome
    if kind in ("clarify", "declined"):
        outcome = "question" if kind == "clarify" else "declined"
    elif refused:
        outcome = "refused"
    elif plan is None or plan.state == "done":
        outcome = "answer" if plan is None else "done"
    else:
        outcome = "failed" if plan.state == "failed" else "waiting"
    return RunResult(spec.name, spec_hash(spec), message, text, plan, outcome, refused,
                     budget.calls, f"{budget.usd:.2f}", dict(budget.spent))  # fmt: skip
