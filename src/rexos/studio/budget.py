"""One run of an agent within its limits: calls, seconds, US dollars and token totals.

A :class:`RunBudget` is made from an :class:`~rexos.studio.policy.AgentPolicy` when a run
starts and fails closed: the call past ``max_calls``, anything after ``max_seconds``, a
transaction that cannot be valued in USD or would bring the run above ``max_spend_usd``, or
one above a token cap (:meth:`AgentPolicy.check`) is refused with the reason. The clock is
passed in (monotonic seconds), so tests need no waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal

from rexos.agents.wallet import Decision, PlannedTx, PolicyDenied
from rexos.studio.policy import AgentPolicy

__all__ = ["RunBudget"]


class RunBudget:
    """What is left of one run's limits; refuses, never stretches."""

    def __init__(self, policy: AgentPolicy, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy
        self._clock = clock
        self._started = clock()
        self.calls = 0
        self.usd = Decimal(0)
        self.spent: dict[str, int] = {}
        """Base units each token (upper-case symbol) moved in this run."""

    def _late(self) -> str | None:
        elapsed = self._clock() - self._started
        if elapsed > self.policy.max_seconds:
            return f"agent {self.policy.agent} ran past its limit of {self.policy.max_seconds} s"
        return None

    def call(self, tool: str) -> None:
        """Count one tool call; :class:`PolicyDenied` when the run may make no more."""
        late = self._late()
        if late is not None:
            raise PolicyDenied(f"{tool} not called: {late}")
        if self.calls >= self.policy.max_calls:
            raise PolicyDenied(
                f"{tool} not called: agent {self.policy.agent} made its "
                f"{self.policy.max_calls} calls"
            )
        self.calls += 1

    def admit(self, tx: PlannedTx) -> Decision:
        """The run's verdict on ``tx``: time, USD and the agent's token caps."""
        late = self._late()
        if late is not None:
            return Decision("deny", late)
        if tx.usd is None:
            return Decision("deny", f"cannot value {tx.token_symbol} in USD against the limit")
        if self.usd + tx.usd > self.policy.max_spend_usd:
            return Decision(
                "deny",
                f"${tx.usd:,.2f} would bring agent {self.policy.agent}'s run to "
                f"${self.usd + tx.usd:,.2f}, above its limit of ${self.policy.max_spend_usd:,}",
            )
        return self.policy.check(tx, self.spent)

    def record(self, tx: PlannedTx) -> None:
        """Count ``tx``, once sent, against the run's totals (an approval moves nothing)."""
        if tx.kind == "approve":
            return
        symbol = tx.token_symbol.upper()
        self.spent[symbol] = self.spent.get(symbol, 0) + tx.amount
        self.usd += tx.usd or Decimal(0)
