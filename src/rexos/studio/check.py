"""``validate``: a spec against the installed tools, before it is tested, run or published.

The schema and the spec's own rules were checked when it was read
(:func:`~rexos.studio.reading.parse_spec`); here it meets the machine it would run on.
Every problem found is listed in one :class:`SpecError`:

- each tool is installed, from the plug-in and version the spec names, and its content hash
  is the installed tool's (a mismatch names the tool and both hashes);
- permissions fit the tools: a read-only agent may not use a tool that moves funds or changes
  what the user owns (the tools' own ``moves_funds``/``changes_state`` markings);
- permissions fit what the agent is asked to do: an eval expecting, or a trigger sending, a
  funds-moving request needs the matching wallet action among ``permissions.actions``;
- for publishing, at least one eval.
"""

from __future__ import annotations

from collections.abc import Mapping

from rexos.orchestrator.intent import Intent, parse
from rexos.orchestrator.plan import FUNDS_MOVING
from rexos.studio.errors import SpecError
from rexos.studio.spec import AgentSpec
from rexos.studio.tools import InstalledTool

__all__ = ["INTENT_ACTIONS", "problems", "validate"]

INTENT_ACTIONS: Mapping[str, str] = {
    "swap": "swap",
    "send": "transfer",
    "stake": "stake",
    "unstake": "unstake",
    "claim": "claim",
    "bridge": "bridge",
    "ask": "dprompt_request",
}
"""The wallet action (:data:`rexos.agents.wallet.ACTION_KINDS`) each funds-moving intent
signs; its permission must list it."""


def validate(
    spec: AgentSpec, installed: Mapping[str, InstalledTool], *, publish: bool = False
) -> None:
    """Raise one :class:`SpecError` listing every problem, or return if there is none."""
    found = problems(spec, installed, publish=publish)
    if found:
        raise SpecError(f"{spec.name}: " + "; ".join(found))


def problems(
    spec: AgentSpec, installed: Mapping[str, InstalledTool], *, publish: bool = False
) -> list[str]:
    """Every problem with ``spec`` on this machine, one line each (empty: none)."""
    found: list[str] = []
    read_only = not spec.permissions.moves_funds
    for i, pin in enumerate(spec.tools):
        where = f"tools[{i}]"
        tool = installed.get(pin.name)
        if tool is None:
            found.append(f"{where}: {pin.name} is not installed (no plug-in provides it)")
            continue
        if tool.plugin != pin.plugin or tool.plugin_version != pin.plugin_version:
            found.append(
                f"{where}: {pin.name} is pinned to {pin.plugin} {pin.plugin_version} but "
                f"{tool.plugin} {tool.plugin_version} is installed"
            )
        if tool.hash != pin.hash:
            found.append(
                f"{where}: {pin.name} does not match its pin: the spec pins {pin.hash}, the "
                f"installed tool hashes to {tool.hash}"
            )
        if read_only and tool.moves_funds:
            found.append(f"{where}: {pin.name} moves funds, and the agent is read-only")
        elif read_only and tool.changes_state:
            found.append(f"{where}: {pin.name} changes what the user owns; the agent is read-only")
    for i, ev in enumerate(spec.evals):
        if ev.expect_intent is not None:
            found.extend(_intent_problem(spec, f"evals[{i}]", ev.expect_intent))
    for i, trigger in enumerate(spec.triggers):
        if trigger.message is None:
            continue
        parsed = parse(trigger.message)
        if isinstance(parsed, Intent):
            found.extend(_intent_problem(spec, f"triggers[{i}].message", parsed.intent))
    if publish and not spec.evals:
        found.append("evals: at least one eval is needed to publish")
    return found


def _intent_problem(spec: AgentSpec, where: str, intent: str) -> list[str]:
    if intent not in FUNDS_MOVING:
        return []
    if not spec.permissions.moves_funds:
        return [f"{where}: a {intent} moves funds, and the agent is read-only"]
    action = INTENT_ACTIONS.get(intent)
    if action is not None and action not in spec.permissions.actions:
        return [f"{where}: a {intent} signs a {action}, not in permissions.actions"]
    return []
