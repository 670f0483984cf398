"""A conversation: each message becomes a question, an answer, or a plan to confirm.

Requests go through the understanding pipeline (:mod:`rexos.orchestrator.understand`:
normalisation, the deterministic grammar, a trained recogniser, exact value extraction; no
language model needed). A question keeps the thread: the next message fills what it asked
for. Greetings get a short reply. With a tool-calling model configured, anything the
pipeline does not understand goes to :class:`~rexos.orchestrator.agentic.ToolAgent`, whose
proposals become plans the user confirms like typed ones. A plan that only reads runs at
once; a plan that moves funds waits for :meth:`ChatSession.confirm_plan`, and each of its
transactions is then checked by the Wallet agent's policy (and confirmed, above the
threshold, by its fingerprint).

A session may be used from several threads (the HTTP API runs each request on a worker
thread). Plans made only of :data:`CONCURRENT_READS` (prices, balances, the portfolio: reads
of the chain and nothing else) run side by side; everything else (confirmations, any plan
or model turn that could move funds, write files or index the chain) runs one at a time, so
one wallet never has two funds-moving runs at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Literal

from rexos.orchestrator.agentic import ToolAgent
from rexos.orchestrator.intent import Clarification, Intent
from rexos.orchestrator.plan import Plan, build_plan
from rexos.orchestrator.runner import PlanRunner
from rexos.orchestrator.understand import Reply as Said
from rexos.orchestrator.understand import understand, understand_steps
from rexos.orchestrator.understand.followup import CANCEL, fills, join

__all__ = ["CONCURRENT_READS", "ChatSession", "Reply"]

CONCURRENT_READS = frozenset({"price", "balance", "portfolio"})
"""Steps that only read the chain, safe to run on several threads at once."""

ReplyKind = Literal["clarify", "plan", "answer"]
_HELP = (
    "Try 'price of REX', 'swap 1 WETH to USDC', 'send 5 USDC to 0x…', 'stake all my REX', "
    "'show my portfolio', 'chart REX over 30 days' or 'how many swaps did I make'."
)


@dataclass(slots=True)
class Reply:
    kind: ReplyKind
    text: str
    plan: Plan | None = None
    agent: dict[str, Any] | None = None
    """What the tool-calling model did (answer, proposals, refusals, calls), if it ran."""
    question: Clarification | None = None
    """For a clarifying question: the intent it is about and the slots it still needs."""

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "kind": self.kind,
            "text": self.text,
            "plan": None if self.plan is None else self.plan.to_json(),
            "agent": self.agent,
        }
        if self.question is not None:
            doc["intent"] = self.question.intent
            doc["missing"] = list(self.question.missing)
        return doc


class ChatSession:
    def __init__(
        self,
        runner: PlanRunner,
        *,
        agent: ToolAgent | None = None,
        known_symbols: set[str] | None = None,
        wallet_names: frozenset[str] | None = None,
    ) -> None:
        self.runner = runner
        self.store = runner.store
        self._agent = agent
        self._symbols = known_symbols
        self._wallets = wallet_names
        self._serial = threading.RLock()
        """Held by everything but plans of :data:`CONCURRENT_READS`."""
        self._pending: tuple[Clarification, str] | None = None
        """The last question asked about an intent, and the request it was about."""
        self._pending_lock = threading.Lock()

    def message(self, text: str) -> Reply:
        text = text.strip()
        if not text:
            return Reply("clarify", f"What would you like to do? {_HELP}")
        with self._pending_lock:
            pending, self._pending = self._pending, None
        if pending is not None and not CANCEL.match(text):
            text = self._follow_up(pending, text)
        elif pending is not None:
            return Reply("answer", "Cancelled. What would you like to do instead?")
        parsed = understand_steps(text, self._symbols, self._wallets)
        if isinstance(parsed, Said):
            if parsed.kind == "unsupported" and self._agent is not None:
                with self._serial:  # no command for it: the model's plug-in tools may serve it
                    return self._open_ended(text)
            return Reply("answer", parsed.text)
        if isinstance(parsed, Clarification):
            if self._agent is not None and parsed.missing == ["intent"]:
                with self._serial:
                    return self._open_ended(text)
            if parsed.intent is not None:
                with self._pending_lock:
                    self._pending = (parsed, text)
            no_model = (
                " (open-ended requests need a tool-calling model: set REXOS_LLM_URL)"
                if parsed.missing == ["intent"] and self._agent is None
                else ""
            )
            return Reply("clarify", parsed.question + no_model, question=parsed)
        plan = build_plan(text, parsed)
        if all(s.intent.intent in CONCURRENT_READS for s in plan.steps):
            return self._start(plan)
        with self._serial:
            return self._start(plan)

    def _follow_up(self, pending: tuple[Clarification, str], answer: str) -> str:
        """The request the answer completes, or the answer itself when it is a new one."""
        question, request = pending
        alone = understand(answer, self._symbols, self._wallets)
        if isinstance(alone, Intent) or (
            isinstance(alone, Clarification) and alone.intent not in (None, question.intent)
        ):
            return answer
        if not fills(question, answer, self._wallets):
            return answer  # not an answer to the question: a new request
        return join(question, request, answer)

    def _start(self, plan: Plan, agent: dict[str, Any] | None = None) -> Reply:
        if plan.moves_funds:
            self.store.save(plan)
            return Reply("plan", "Confirm this plan to run it.", plan, agent)
        plan.confirmed = True
        done = self.runner.run(plan)  # saved after each step
        return Reply("answer", _summary(done), done, agent)

    def _open_ended(self, text: str) -> Reply:
        assert self._agent is not None
        outcome = self._agent.run(text)
        notes = outcome.answer + "".join(f"\nRefused: {r}" for r in outcome.refused)
        if outcome.proposals:
            reply = self._start(build_plan(text, outcome.proposals), outcome.to_json())
            reply.text = (notes + "\n" + reply.text).strip()
            return reply
        return Reply("answer", notes.strip(), None, outcome.to_json())

    def confirm_plan(self, plan_id: str) -> Reply:
        """The user's yes to the plan as shown: run it (transactions still pass the policy)."""
        with self._serial:
            plan = self.store.load(plan_id)
            plan.confirmed = True
            done = self.runner.run(plan)
            return Reply(_kind(done), _summary(done), done)

    def confirm_transaction(self, plan_id: str, fingerprint: str) -> Reply:
        with self._serial:
            done = self.runner.confirm(self.store.load(plan_id), fingerprint)
            return Reply(_kind(done), _summary(done), done)


def _kind(plan: Plan) -> ReplyKind:
    return "plan" if plan.state == "awaiting_confirmation" else "answer"


def _summary(plan: Plan) -> str:
    lines = []
    for s in plan.steps:
        line = f"{s.id}. {s.describe()}: {s.state.replace('_', ' ')}"
        if s.error:
            line += f" ({s.error})"
        if s.awaiting:
            line += f" — {s.awaiting['summary']} [fingerprint {s.awaiting['fingerprint']}]"
        lines.append(line)
    return "\n".join(lines)
