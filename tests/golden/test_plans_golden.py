"""The golden plan suite: multi-step requests run on an anvil devnet, state changes checked.

Each case in plans.yaml is parsed into a plan (its intents must match), confirmed and run
through the Wallet agent; then every listed balance must have changed exactly as stated.
Accuracy is printed; the threshold is 100 %: parsing is deterministic and the devnet is
seeded, so a miss is a regression, not noise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from rexos.chain import AnvilChain
from rexos.chain.manifest import Manifest
from rexos.config import find_anvil
from rexos.deployment import deploy_dev
from rexos.orchestrator import parse_steps
from rexos.orchestrator.charts import make_step_chart
from rexos.orchestrator.executors import Executors
from rexos.orchestrator.plan import build_plan
from rexos.orchestrator.runner import PlanRunner
from rexos.orchestrator.store import PlanStore
from rexos.types import Address
from tests.integration.orchestrator.conftest import ALICE, BOB, balance, workspace

pytestmark = pytest.mark.anvil

CASES = yaml.safe_load(Path(__file__).with_name("plans.yaml").read_text(encoding="utf-8"))
THRESHOLD = 1.0
POLICY = "per_tx_usd_cap: '100000'\ndaily_usd_cap: '1e9'\n"
HOLDERS = {"alice": ALICE.address, "bob": BOB.address}


def _balances(anvil: AnvilChain, manifest: Manifest, case: dict[str, Any]) -> dict[str, int]:
    found = {}
    for who, tokens in case["changes"].items():
        for token in tokens:
            contract = "StakedRex" if token == "sREX" else token
            found[f"{who}:{token}"] = balance(anvil, manifest, contract, HOLDERS[who])
    return found


def _expected(change: Any, before: int) -> tuple[int | None, str]:
    shares = {"-half": 2, "-quarter": 4}
    if change in shares:
        return -(before // shares[change]), str(change)
    if change == "-all":
        return -before, "-all"
    if change == ">0":
        return None, ">0"
    return int(change), str(change)


def _run_case(anvil: AnvilChain, manifest: Manifest, home: Path, case: dict[str, Any]) -> str:
    """'' when the case passes, else what went wrong."""
    intents = parse_steps(case["text"])
    if not isinstance(intents, list):
        return f"not parsed: {intents.question}"
    names = [i.intent for i in intents]
    if names != case["steps"]:
        return f"steps {names}, expected {case['steps']}"
    ws = workspace(anvil, manifest, home, POLICY)
    runner = PlanRunner(ws, PlanStore(home / "plans.sqlite"), Executors(ws, make_step_chart),
                        confirmer=lambda step, prepared: True)  # fmt: skip
    before = _balances(anvil, manifest, case)
    plan = build_plan(case["text"], intents)
    plan.confirmed = True
    done = runner.run(plan)
    if done.state != case.get("state", "done"):
        return f"ended {done.state}: {[(s.id, s.error) for s in done.steps]}"
    reason = case.get("failed_reason")
    if reason and not any(reason in (s.error or "") for s in done.steps):
        return f"no step failed with {reason!r}: {[s.error for s in done.steps]}"
    after = _balances(anvil, manifest, case)
    for who, tokens in case["changes"].items():
        for token, change in tokens.items():
            key = f"{who}:{token}"
            delta = after[key] - before[key]
            want, text = _expected(change, before[key])
            if (want is None and delta <= 0) or (want is not None and delta != want):
                return f"{key} changed by {delta}, expected {text}"
    return ""


def test_golden_plans_on_the_devnet(tmp_path: Path) -> None:
    if find_anvil() is None:
        pytest.fail("anvil is not installed: `make test` installs it from npm")
    anvil = AnvilChain()
    try:
        manifest = deploy_dev(anvil, funded=[Address(ALICE.address)])
        _suite(anvil, manifest, tmp_path)
    finally:
        anvil.close()


def _suite(anvil: AnvilChain, manifest: Manifest, tmp_path: Path) -> None:
    misses = []
    for n, case in enumerate(CASES):
        problem = _run_case(anvil, manifest, tmp_path / f"case{n}", case)
        if problem:
            misses.append(f"{case['text']!r}: {problem}")
    accuracy = 1 - len(misses) / len(CASES)
    print(f"\ngolden plans accuracy: {accuracy:.1%} ({len(CASES) - len(misses)}/{len(CASES)})")
    assert len(CASES) >= 10
    assert accuracy >= THRESHOLD, "\n".join(misses)
