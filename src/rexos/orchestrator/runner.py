"""Runs a plan step by step, persisting every change, resumable after a crash.

A funds-moving step is a list of Wallet moves (approve, then swap …). Each move's intent key
is ``plan:<plan id>:<step>:<move>``, so after a crash the runner first asks the Wallet agent
what a key already did (:meth:`~rexos.agents.wallet.WalletAgent.recorded`) and never sends a
move twice. Each transaction is planned (built, simulated, valued, checked) only when its
turn comes; the policy's verdict decides:

* ``deny``: the step fails with the policy's reason, and every step after it that depends on
  it fails too;
* ``confirm``: with an interactive ``confirmer`` (the terminal) the user is asked about this
  exact transaction; without one (the HTTP API) the step waits in ``awaiting_confirmation``
  with the transaction's summary and fingerprint until :meth:`PlanRunner.confirm` is called
  with that fingerprint. A transaction planned again (after a restart, or because the pools
  moved) has a new fingerprint and needs a new yes;
* ``allow``: it is sent (the user confirmed the plan, and the policy allows this amount
  without a per-transaction yes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rexos.agents.wallet import Prepared, WalletAgent
from rexos.errors import RexosError, UsageError
from rexos.orchestrator.executors import Executors
from rexos.orchestrator.plan import Plan, Step
from rexos.orchestrator.store import PlanStore
from rexos.orchestrator.workspace import Workspace

__all__ = ["Confirmer", "PlanRunner", "intent_key"]

Confirmer = Callable[[Step, Prepared], bool]
"""Asks the human about one exact transaction; ``True`` is a yes."""


def intent_key(plan: Plan, step: Step, move: str) -> str:
    return f"plan:{plan.id}:{step.id}:{move}"


class PlanRunner:
    def __init__(
        self,
        ws: Workspace,
        store: PlanStore,
        executors: Executors,
        *,
        confirmer: Confirmer | None = None,
        progress: Callable[[Plan, Step], None] | None = None,
    ) -> None:
        self.ws = ws
        self.store = store
        self.executors = executors
        self._confirmer = confirmer
        self._progress = progress or (lambda plan, step: None)
        self._waiting: dict[str, Prepared] = {}
        """Transactions shown to the user and not yet confirmed (by intent key)."""
        self._approved: dict[str, Prepared] = {}
        """Transactions the user confirmed through :meth:`confirm` (by intent key)."""

    # ------------------------------------------------------------------ public

    def run(self, plan: Plan) -> Plan:
        """Run every step that can run now; return the plan in its new state (also saved)."""
        if plan.moves_funds and not plan.confirmed:
            raise UsageError("this plan moves funds: confirm the plan before running it")
        while True:
            ready = plan.ready()
            if not ready:
                break
            for step in ready:
                self._run_step(plan, step)
                self.store.save(plan)
                self._progress(plan, step)
        self.store.save(plan)
        return plan

    def confirm(self, plan: Plan, fingerprint: str) -> Plan:
        """The user's yes to the transaction with ``fingerprint`` a step is waiting on; runs on."""
        for step in plan.steps:
            awaiting = step.awaiting
            if step.state != "awaiting_confirmation" or awaiting is None:
                continue
            if awaiting.get("fingerprint") != fingerprint.strip().lower():
                continue
            key = str(awaiting["key"])
            prepared = self._waiting.pop(key, None)
            step.state, step.awaiting = "pending", None
            if prepared is not None and prepared.tx.fingerprint == awaiting["fingerprint"]:
                self._approved[key] = prepared
            # else: this process did not plan it (a restart): it is planned again and shown
            self.store.save(plan)
            return self.run(plan)
        raise UsageError(f"no transaction of plan {plan.id} waits for confirmation {fingerprint}")

    # ------------------------------------------------------------------ steps

    def _run_step(self, plan: Plan, step: Step) -> None:
        try:
            self.executors.comply(step)
            if step.moves_funds:
                self._run_moves(plan, step)
            else:
                step.result = self.executors.read(step)
                step.state, step.error = "done", None
        except RexosError as exc:
            step.state, step.error, step.awaiting = "failed", str(exc), None
            plan.fail_dependents(step)

    def _run_moves(self, plan: Plan, step: Step) -> None:
        agent = self.ws.wallet()
        for move in self.executors.moves(step, agent):
            key = intent_key(plan, step, move.name)
            done = agent.recorded(key)
            if done is not None:
                self._record(step, move.name, done.tx_hash, done.block)
                continue
            approved = self._approved.pop(key, None)
            prepared = approved or move.plan()
            if prepared is None:
                continue  # e.g. the allowance already covers it
            if not self._send(plan, step, agent, key, move.name, prepared, approved is not None):
                return  # waiting for a confirmation
        step.resolved.update(self.executors.settle(step, agent))
        step.state, step.error = "done", None
        step.result = {"resolved": dict(step.resolved), "txs": list(step.txs)}

    def _send(
        self,
        plan: Plan,
        step: Step,
        agent: WalletAgent,
        key: str,
        move: str,
        prepared: Prepared,
        approved: bool,
    ) -> bool:
        decision = prepared.decision
        if decision.verdict == "deny":
            raise UsageError(f"refused by the policy: {decision.reason} ({prepared.tx.summary})")
        confirmation = None
        if decision.verdict == "confirm":
            if not approved and self._confirmer is not None:
                if not self._confirmer(step, prepared):
                    raise UsageError(f"you declined: {prepared.tx.summary}")
            elif not approved:
                self._wait(step, key, move, prepared)
                return False
            confirmation = agent.confirm(prepared)
        done = agent.execute(prepared, key, confirmation)
        self._record(step, move, done.tx_hash, done.block)
        self.store.save(plan)
        return True

    def _wait(self, step: Step, key: str, move: str, prepared: Prepared) -> None:
        tx = prepared.tx
        self._waiting[key] = prepared
        step.state = "awaiting_confirmation"
        step.awaiting = {
            "key": key,
            "move": move,
            "summary": tx.summary,
            "fingerprint": tx.fingerprint,
            "usd": None if tx.usd is None else f"{tx.usd:.2f}",
            "gas": tx.simulated_gas,
            "reason": prepared.decision.reason,
        }
        if "trust" in step.resolved:  # a bridge: whom the user trusts with the delivery
            step.awaiting["trust"] = step.resolved["trust"]

    @staticmethod
    def _record(step: Step, move: str, tx_hash: str, block: int) -> None:
        entry: dict[str, Any] = {"move": move, "tx": tx_hash, "block": block}
        if entry not in step.txs:
            step.txs.append(entry)
