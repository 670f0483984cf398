"""The Agent Market: the AgentMarket contract's client and its pure logic (listings by spec
hash, prepaid REX credit, jobs settled by the agent's operator, refunds, ratings from payers,
the fee split)."""

from __future__ import annotations

__all__: list[str] = []
