"""Plans on an anvil devnet: shown, confirmed, run, resumable, with exact state changes."""

from __future__ import annotations

import pytest

from rexos.errors import UsageError
from rexos.orchestrator import parse_steps
from rexos.orchestrator.executors import Executors
from rexos.orchestrator.plan import Plan, build_plan
from rexos.orchestrator.runner import PlanRunner
from rexos.orchestrator.store import PlanStore
from tests.integration.orchestrator.conftest import ALICE, BOB, balance, workspace

pytestmark = pytest.mark.anvil


def plan_of(text: str) -> Plan:
    intents = parse_steps(text)
    assert isinstance(intents, list), intents
    return build_plan(text, intents)


def yes(step, prepared) -> bool:  # type: ignore[no-untyped-def]
    return True


RICH = "per_tx_usd_cap: '1e9'\ndaily_usd_cap: '1e9'\n"


def test_three_step_plan_changes_exactly_what_it_says(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(anvil, manifest, tmp_path, RICH)
    store = PlanStore(tmp_path / "plans.sqlite")
    runner = PlanRunner(ws, store, Executors(ws), confirmer=yes)
    weth0 = balance(anvil, manifest, "WETH", ALICE.address)
    usdc0 = balance(anvil, manifest, "USDC", ALICE.address)
    staked0 = balance(anvil, manifest, "StakedRex", ALICE.address)
    plan = plan_of("swap half my WETH to USDC, then stake all my REX and show my portfolio")
    assert [s.after for s in plan.steps] == [(), (1,), (1, 2)]
    with pytest.raises(UsageError, match="confirm the plan"):
        runner.run(plan)
    plan.confirmed = True
    done = runner.run(plan)
    assert done.state == "done", [(s.id, s.error) for s in done.steps]
    assert balance(anvil, manifest, "WETH", ALICE.address) == weth0 - weth0 // 2
    assert balance(anvil, manifest, "USDC", ALICE.address) > usdc0
    rex_left = balance(anvil, manifest, "REX", ALICE.address)
    assert rex_left == 0
    staked = int(done.steps[1].resolved["units"])
    assert balance(anvil, manifest, "StakedRex", ALICE.address) == staked0 + staked
    moves = [[t["move"] for t in s.txs] for s in done.steps[:2]]
    assert moves == [["approve", "swap"], ["approve", "stake"]]
    portfolio = {h["symbol"]: h for h in done.steps[2].result["holdings"]}  # type: ignore[index]
    assert "REX" not in portfolio and int(portfolio["WETH"]["units"]) == weth0 - weth0 // 2
    assert store.load(plan.id).to_json() == done.to_json()  # persisted as it ended


def test_api_style_confirmation_binds_the_exact_transaction(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(anvil, manifest, tmp_path)
    store = PlanStore(tmp_path / "plans.sqlite")
    runner = PlanRunner(ws, store, Executors(ws))  # no terminal: waits for confirm()
    bob0 = balance(anvil, manifest, "USDC", BOB.address)
    plan = plan_of("send 12.5 USDC to bob")
    plan.confirmed = True
    waiting = runner.run(plan)
    assert waiting.state == "awaiting_confirmation"
    awaiting = waiting.steps[0].awaiting
    assert awaiting is not None and "send 12.5 USDC to " + BOB.address in awaiting["summary"]
    with pytest.raises(UsageError, match="waits for confirmation"):
        runner.confirm(plan, "0x" + "00" * 32)  # not the shown transaction
    assert balance(anvil, manifest, "USDC", BOB.address) == bob0
    done = runner.confirm(plan, awaiting["fingerprint"])
    assert done.state == "done"
    assert balance(anvil, manifest, "USDC", BOB.address) == bob0 + 12_500_000
    again = runner.run(store.load(plan.id))  # nothing left to do, nothing sent twice
    assert again.state == "done"
    assert balance(anvil, manifest, "USDC", BOB.address) == bob0 + 12_500_000


def test_a_crashed_plan_resumes_without_paying_twice(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(anvil, manifest, tmp_path)
    store = PlanStore(tmp_path / "plans.sqlite")
    plan = plan_of("send 1 USDC to bob, then send 2 USDC to bob")
    plan.confirmed = True
    bob0 = balance(anvil, manifest, "USDC", BOB.address)
    calls = []

    def crash_on_second(step, prepared) -> bool:  # type: ignore[no-untyped-def]
        calls.append(step.id)
        if step.id == 2:
            raise KeyboardInterrupt  # the process dies while asking about step 2
        return True

    with pytest.raises(KeyboardInterrupt):
        PlanRunner(ws, store, Executors(ws), confirmer=crash_on_second).run(plan)
    saved = store.load(plan.id)
    assert [s.state for s in saved.steps] == ["done", "pending"]
    assert balance(anvil, manifest, "USDC", BOB.address) == bob0 + 1_000_000
    fresh = workspace(anvil, manifest, tmp_path)  # a new process on the same data directory
    done = PlanRunner(fresh, PlanStore(tmp_path / "plans.sqlite"), Executors(fresh),
                      confirmer=yes).run(saved)  # fmt: skip
    assert done.state == "done"
    assert balance(anvil, manifest, "USDC", BOB.address) == bob0 + 3_000_000


def test_a_refused_step_fails_with_the_reason_and_stops_what_depends_on_it(  # type: ignore[no-untyped-def]
    anvil, manifest, tmp_path
) -> None:
    ws = workspace(anvil, manifest, tmp_path, "per_tx_usd_cap: '100'\n")
    runner = PlanRunner(ws, PlanStore(tmp_path / "p.sqlite"), Executors(ws), confirmer=yes)
    bob0 = balance(anvil, manifest, "USDC", BOB.address)
    plan = plan_of("send 500 USDC to bob, then send 1 USDC to bob and show my portfolio")
    plan.confirmed = True
    done = runner.run(plan)
    assert [s.state for s in done.steps] == ["failed", "failed", "failed"]
    assert "per-transaction cap" in (done.steps[0].error or "")
    assert done.steps[1].error == "not run: step 1 failed"
    assert balance(anvil, manifest, "USDC", BOB.address) == bob0


def test_unclear_or_impossible_steps_never_move_funds(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(anvil, manifest, tmp_path)
    runner = PlanRunner(ws, PlanStore(tmp_path / "p.sqlite"), Executors(ws), confirmer=yes)
    for text, reason in [
        ("swap 1 ETH to USDC", "trade WETH, not native ETH"),
        ("send 5 USDC to carol", "carol"),
        ("swap 1000000 WETH to USDC", "cannot swap"),
        ("unstake 1000000 REX", "simulation failed"),
    ]:
        plan = plan_of(text)
        plan.confirmed = True
        done = runner.run(plan)
        assert done.state == "failed" and reason in (done.steps[0].error or ""), done.steps[0]
        assert done.steps[0].txs == []


def test_a_step_whose_service_the_jurisdiction_bars_fails_before_it_runs(
    anvil, manifest, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from rexos.compliance import declare
    from rexos.compliance import load_policy as load_compliance

    ws = workspace(anvil, manifest, tmp_path, RICH)
    declare(load_compliance(tmp_path), tmp_path, "CN")
    runner = PlanRunner(ws, PlanStore(tmp_path / "plans.sqlite"), Executors(ws), confirmer=yes)
    weth0 = balance(anvil, manifest, "WETH", ALICE.address)
    plan = plan_of("what is the price of WETH, then show my portfolio")
    done = runner.run(plan)
    price, portfolio = done.steps
    assert price.state == "failed" and "jurisdiction.CN" in str(price.error)
    assert portfolio.state == "done"  # the user's own holdings are not a barred service
    swap = plan_of("swap half my WETH to USDC")
    swap.confirmed = True
    refused = runner.run(swap)
    assert refused.steps[0].state == "failed" and "jurisdiction.CN" in str(refused.steps[0].error)
    assert refused.steps[0].txs == []
    assert balance(anvil, manifest, "WETH", ALICE.address) == weth0
