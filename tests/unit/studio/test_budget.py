"""A run within its limits: calls, seconds, US dollars and token totals, failing closed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rexos.agents.wallet import Policy, PolicyDenied
from rexos.studio import RunBudget, agent_policy, load_spec
from tests.unit.studio.specs import DCA, DIGEST
from tests.unit.studio.test_policy import DECIMALS, MANIFEST, swap


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def budget(clock: Clock, path=DCA) -> RunBudget:  # type: ignore[no-untyped-def]
    ap = agent_policy(load_spec(path), Policy(), decimals=DECIMALS, contracts=MANIFEST)
    return RunBudget(ap, clock)


def test_calls_past_the_limit_are_refused() -> None:
    b = budget(Clock())
    for _ in range(4):
        b.call("dex.quote")
    with pytest.raises(PolicyDenied, match="made its 4 calls"):
        b.call("dex.quote")


def test_nothing_runs_after_the_time_limit() -> None:
    clock = Clock()
    b = budget(clock)
    clock.now += 120
    b.call("dex.quote")
    assert b.admit(swap("10")).verdict == "allow"
    clock.now += 1
    with pytest.raises(PolicyDenied, match="past its limit of 120 s"):
        b.call("dex.quote")
    assert b.admit(swap("10")).verdict == "deny"


def test_the_runs_dollars_and_tokens_add_up_to_the_limits() -> None:
    b = budget(Clock())
    first = swap("50")
    assert b.admit(first).verdict == "allow"
    b.record(first)
    second = swap("10")
    decision = b.admit(second)  # $60 is the limit: $50 + $10 is exactly it
    assert decision.verdict == "allow"
    b.record(second)
    third = swap("0.01")
    decision = b.admit(third)
    assert decision.verdict == "deny" and "above its limit of $60" in decision.reason
    assert b.spent == {"USDC": 60 * 10**6} and b.usd == Decimal(60)
    b.record(swap("50", kind="approve"))
    assert b.spent == {"USDC": 60 * 10**6}
    assert b.admit(swap("1", usd=None)).verdict == "deny"


def test_a_read_only_run_admits_nothing() -> None:
    b = budget(Clock(), DIGEST)
    decision = b.admit(swap("0.01", usd=Decimal(0)))
    assert decision.verdict == "deny" and "read-only" in decision.reason
