"""A spec's evals read offline: each request through the intent reader (no model, no chain),
its intent compared with the expected one and held to the spec's permissions.

``rexos studio test``, the Studio page and the demo use this one reading. An eval that also
expects an output needs a real run (``rexos studio run``): it is reported as such, never as
passed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from rexos.studio.check import INTENT_ACTIONS
from rexos.studio.spec import AgentSpec, Eval

__all__ = ["NEEDS_RUN", "EvalResult", "EvalStatus", "permission_failures", "run_eval"]

EvalStatus = Literal["pass", "fail", "needs run"]

NEEDS_RUN = "needs `rexos studio run`"


@dataclass(frozen=True, slots=True)
class EvalResult:
    """One eval's outcome: what the request was read as, and why it passed or failed."""

    status: EvalStatus
    request: str
    expect_intent: str | None
    expect_output: tuple[str, ...]
    read: str
    detail: str


def run_eval(spec: AgentSpec, ev: Eval) -> EvalResult:
    """Read ``ev``'s request offline and judge it against ``ev`` and ``spec``."""
    from rexos.orchestrator.intent import Clarification, Intent
    from rexos.orchestrator.understand import understand

    got = understand(ev.request)
    if isinstance(got, Intent):
        read = str(got.intent)
    elif isinstance(got, Clarification):
        read = f"question ({got.intent})" if got.intent else "question"
    else:
        read = f"reply ({got.kind})"
    failures: list[str] = []
    if ev.expect_intent is not None:
        if not isinstance(got, Intent):
            detail = got.question if isinstance(got, Clarification) else "not a request"
            failures.append(f"read as a {read.split(' ')[0]}: {detail}")
        elif got.intent != ev.expect_intent:
            failures.append(f"read as {got.intent}, not {ev.expect_intent}")
        failures += permission_failures(spec, ev.expect_intent, None)
    if isinstance(got, Intent):
        failures += permission_failures(spec, str(got.intent), got.args)
    status: EvalStatus
    if failures:
        status, detail = "fail", "; ".join(dict.fromkeys(failures))
    elif ev.expect_output:
        status, detail = "needs run", f"expected output: {NEEDS_RUN}"
    else:
        status = "pass"
        detail = "within the spec's permissions" if _moves_funds(read) else "reads only"
    return EvalResult(status, ev.request, ev.expect_intent, tuple(ev.expect_output), read, detail)


def _moves_funds(intent: str) -> bool:
    from rexos.orchestrator.plan import FUNDS_MOVING

    return intent in FUNDS_MOVING


def permission_failures(spec: AgentSpec, intent: str, args: Mapping[str, Any] | None) -> list[str]:
    """Why the spec's permissions would not let ``intent`` (with ``args``, when read) run."""
    if not _moves_funds(intent):
        return []
    allowed = spec.permissions
    if not allowed.moves_funds:
        return [f"a {intent} moves funds, and the agent is read-only"]
    action = INTENT_ACTIONS.get(intent)
    if action is not None and action not in allowed.actions:
        return [f"a {intent} signs a {action}, not in permissions.actions"]
    if args is None:
        return []
    token = args.get("sell" if intent == "swap" else "token")
    if not isinstance(token, str):
        return []
    cap = next((t for t in allowed.tokens if t.symbol.upper() == token.upper()), None)
    if cap is None:
        return [f"{token} is not among permissions.tokens"]
    amount = args.get("amount")
    spends = intent != "swap" or args.get("side") == "sell"  # a buy's amount is what it gets
    if spends and isinstance(amount, dict) and amount.get("kind") == "exact":
        value = Decimal(str(amount.get("value")))
        if value > cap.max_per_action:
            return [f"{value} {token} is above the per-action cap of {cap.max_per_action}"]
    return []
