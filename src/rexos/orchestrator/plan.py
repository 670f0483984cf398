"""A plan: the steps of a request as a small DAG, each with an explicit state.

States: ``pending`` (not run yet), ``awaiting_confirmation`` (a transaction of the step waits
for the user's yes to its exact fingerprint), ``done``, ``failed`` (with the reason; steps
that depended on it fail too, naming it). Funds-moving steps run in the order written, each
after the one before; a read (price, balance, chart, …) runs after every funds-moving step
written before it, so "swap …, then chart my portfolio" charts the portfolio after the swap.

A plan is plain data with a JSON form: the store persists it after every change, so a
crashed run resumes where it stopped (transactions themselves are protected by the Wallet
agent's idempotency keys, derived from the plan id, the step and the move).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from rexos.orchestrator.intent import Intent, IntentName

__all__ = [
    "FUNDS_MOVING",
    "Plan",
    "PlanState",
    "Step",
    "StepState",
    "build_plan",
]

StepState = Literal["pending", "awaiting_confirmation", "done", "failed"]
PlanState = Literal["pending", "awaiting_confirmation", "done", "failed"]
FUNDS_MOVING: frozenset[IntentName] = frozenset(
    {"swap", "send", "stake", "unstake", "claim", "bridge", "ask"}
)


@dataclass(slots=True)
class Step:
    id: int
    intent: Intent
    after: tuple[int, ...] = ()
    state: StepState = "pending"
    resolved: dict[str, Any] = field(default_factory=dict)
    """Amounts fixed when the step first ran (base units), so a resumed step does the same."""
    result: dict[str, Any] | None = None
    error: str | None = None
    awaiting: dict[str, Any] | None = None
    """The transaction waiting for a yes: move, summary, fingerprint, usd, reason."""
    txs: list[dict[str, Any]] = field(default_factory=list)
    """What was sent: move, tx hash, block."""

    @property
    def moves_funds(self) -> bool:
        return self.intent.intent in FUNDS_MOVING

    def describe(self) -> str:
        """One line for the user: ``swap 0.5 of your WETH for USDC`` (a bridge step adds
        its trust class once it is known)."""
        text = describe_intent(self.intent)
        trust = self.resolved.get("trust")
        return f"{text} ({trust})" if trust else text

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "intent": self.intent.to_json(),
            "after": list(self.after),
            "state": self.state,
            "describe": self.describe(),
            "resolved": self.resolved,
            "result": self.result,
            "error": self.error,
            "awaiting": self.awaiting,
            "txs": self.txs,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Step:
        state = doc["state"]
        if state not in get_args(StepState):
            raise ValueError(f"unknown step state {state!r}")
        return cls(
            id=int(doc["id"]),
            intent=Intent.from_json(doc["intent"]),
            after=tuple(int(a) for a in doc["after"]),
            state=state,
            resolved=dict(doc.get("resolved") or {}),
            result=doc.get("result"),
            error=doc.get("error"),
            awaiting=doc.get("awaiting"),
            txs=list(doc.get("txs") or []),
        )


@dataclass(slots=True)
class Plan:
    id: str
    text: str
    steps: list[Step]
    confirmed: bool = False
    """The user said yes to the plan as shown (each transaction still needs its own check)."""

    @property
    def state(self) -> PlanState:
        states = {s.state for s in self.steps}
        if "failed" in states:
            return "failed"
        if "awaiting_confirmation" in states:
            return "awaiting_confirmation"
        if states == {"done"}:
            return "done"
        return "pending"

    @property
    def moves_funds(self) -> bool:
        return any(s.moves_funds for s in self.steps)

    def step(self, step_id: int) -> Step:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    def ready(self) -> list[Step]:
        """Pending steps whose dependencies are all done, in order."""
        done = {s.id for s in self.steps if s.state == "done"}
        return [s for s in self.steps if s.state == "pending" and set(s.after) <= done]

    def fail_dependents(self, failed: Step) -> None:
        """Every step that waits (directly or not) on ``failed`` fails too, naming it."""
        blocked = {failed.id}
        for s in self.steps:
            if s.state == "pending" and blocked & set(s.after):
                s.state = "failed"
                s.error = f"not run: step {failed.id} failed"
                blocked.add(s.id)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "state": self.state,
            "confirmed": self.confirmed,
            "steps": [s.to_json() for s in self.steps],
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Plan:
        return cls(
            id=str(doc["id"]),
            text=str(doc["text"]),
            steps=[Step.from_json(s) for s in doc["steps"]],
            confirmed=bool(doc.get("confirmed", False)),
        )


def build_plan(text: str, intents: list[Intent], plan_id: str | None = None) -> Plan:
    """The DAG of ``intents``: funds-moving steps in sequence, reads after what precedes them."""
    steps: list[Step] = []
    movers: list[int] = []
    for n, intent in enumerate(intents, 1):
        if intent.intent in FUNDS_MOVING:
            after: tuple[int, ...] = (movers[-1],) if movers else ()
            movers.append(n)
        else:
            after = tuple(movers)
        steps.append(Step(n, intent, after))
    return Plan(plan_id or secrets.token_hex(8), text, steps)


def describe_intent(intent: Intent) -> str:
    a = intent.args

    def amount(key: str = "amount", token: str = "token") -> str:
        doc = a.get(key)
        symbol = str(a.get(token) or "")
        if not isinstance(doc, dict):
            return symbol
        kind, value = doc.get("kind"), str(doc.get("value"))
        if kind == "usd":
            return f"${value} of {symbol}"
        if kind == "fraction":
            denominator = int(str(doc.get("denominator") or 1))
            if value == str(denominator):
                return f"all your {symbol}"
            share = f"{value}/{denominator}" if denominator != 1 else value
            return f"{share} of your {symbol}"
        return f"{value} {symbol}"

    name = intent.intent
    if name == "swap":
        if a.get("side") == "buy":
            return f"buy {amount(token='buy')} with {a.get('sell')}"
        return f"swap {amount(token='sell')} for {a.get('buy')}"
    if name == "send":
        return f"send {amount()} to {a.get('to')}"
    if name in ("stake", "unstake"):
        return f"{name} {amount()}"
    if name == "claim":
        return "claim the airdrop" if a.get("what") == "airdrop" else "claim staking rewards"
    if name == "bridge":
        return f"bridge {amount()} to {a.get('to_chain')}"
    if name == "chart":
        days = a.get("days")
        return f"chart {a.get('subject')}" + (f" over {days} days" if days else "")
    if name == "price":
        return f"price of {a.get('token')}"
    if name == "balance":
        return f"balance of {a.get('token') or 'every token'}"
    if name == "portfolio":
        return "portfolio"
    if name == "query":
        return f"query: {a.get('question')}"
    if name == "ask":
        return f"ask the on-chain AI (DPrompt, fee in REX): {a.get('prompt')}"
    if name == "points":
        return "staking position, rewards and AI points"
    if name == "performance":
        days = a.get("days")
        return f"performance over {days} days" if days else "performance since first indexed"
    if name == "perp":
        side = a.get("side") or "long and short"
        return f"compare perp venues for a {a.get('market')} {side}"
    return f"{name} {a}"
