"""Reads share one pool watcher per workspace, kept current: each answer is the one a fresh
read of every pool at the head block gives, after swaps by others, reverts and re-mined
blocks, and with many threads asking at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest

from rexos.chain import AnvilChain
from rexos.chain.manifest import Manifest
from rexos.dex.onchain import PoolWatcher, TokenRegistry
from rexos.dex.price import implied_price
from rexos.orchestrator import parse_steps
from rexos.orchestrator.executors import Executors
from rexos.orchestrator.plan import Plan, Step, build_plan
from rexos.orchestrator.runner import PlanRunner
from rexos.orchestrator.store import PlanStore
from tests.integration.orchestrator.conftest import workspace

pytestmark = pytest.mark.anvil

RICH = "per_tx_usd_cap: '1e9'\ndaily_usd_cap: '1e9'\n"


def plan_of(text: str) -> Plan:
    intents = parse_steps(text)
    assert isinstance(intents, list), intents
    return build_plan(text, intents)


def step(text: str) -> Step:
    (only,) = plan_of(text).steps
    return only


def fresh_price(anvil: AnvilChain, manifest: Manifest, symbol: str) -> str:
    """``symbol`` in USDC from every pool read anew at the head block."""
    tokens = TokenRegistry.from_manifest(manifest)
    base, usdc = tokens.symbol(symbol), tokens.symbol("USDC")
    pools = PoolWatcher(anvil.web3, manifest).pools
    price = implied_price(pools, base.address, base.decimals, usdc.address, usdc.decimals)
    assert price is not None
    return f"{price:.6f}"


def swap(anvil: AnvilChain, manifest: Manifest, home: Path, text: str) -> None:
    """A swap by someone else's session: the reader only sees it in the chain's logs."""
    ws = workspace(anvil, manifest, home, RICH)
    runner = PlanRunner(
        ws, PlanStore(home / "plans.sqlite"), Executors(ws), confirmer=lambda *_: True
    )
    plan = plan_of(text)
    plan.confirmed = True
    done = runner.run(plan)
    assert done.state == "done", [(s.id, s.error) for s in done.steps]


def price(ex: Executors, symbol: str) -> str:
    return str(ex.read(step(f"price of {symbol}"))["price"])


def test_prices_follow_swaps_made_elsewhere(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ex = Executors(workspace(anvil, manifest, tmp_path / "reader"))
    before = price(ex, "WETH")
    assert before == fresh_price(anvil, manifest, "WETH")
    swap(anvil, manifest, tmp_path / "trader", "swap 5 WETH to USDC")
    after = price(ex, "WETH")
    assert after == fresh_price(anvil, manifest, "WETH")
    assert Decimal(after) < Decimal(before)  # WETH sold into the pools: cheaper
    anvil.time_travel(1)  # an empty block
    assert price(ex, "WETH") == after


def test_balances_and_their_prices_follow_new_blocks(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ex = Executors(workspace(anvil, manifest, tmp_path / "reader"))
    portfolio = step("show my portfolio")
    weth = {h["symbol"]: h for h in ex.read(portfolio)["holdings"]}["WETH"]
    swap(anvil, manifest, tmp_path / "trader", "swap 5 WETH to USDC")  # Alice again
    now = {h["symbol"]: h for h in ex.read(portfolio)["holdings"]}["WETH"]
    assert Decimal(now["amount"]) == Decimal(weth["amount"]) - 5
    assert Decimal(now["usd"]) < Decimal(weth["usd"])


def test_a_revert_and_re_mined_blocks_are_read_again(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ex = Executors(workspace(anvil, manifest, tmp_path / "reader"))
    original = price(ex, "WETH")
    snap = anvil.snapshot()
    start = int(anvil.web3.eth.block_number)
    swap(anvil, manifest, tmp_path / "trader", "swap 5 WETH to USDC")
    swapped_at = int(anvil.web3.eth.block_number)
    assert price(ex, "WETH") != original
    anvil.revert(snap)
    snap = anvil.snapshot()  # a snapshot is used up by its revert
    assert price(ex, "WETH") == original  # the chain went back: fewer blocks
    for _ in range(swapped_at - start):  # the same height again, other blocks
        anvil.time_travel(1)
    assert int(anvil.web3.eth.block_number) == swapped_at
    assert price(ex, "WETH") == original == fresh_price(anvil, manifest, "WETH")
    anvil.revert(snap)
    swap(anvil, manifest, tmp_path / "trader2", "swap 5 WETH to USDC")
    for _ in range(3):  # higher than before, on a different history
        anvil.time_travel(1)
    assert price(ex, "WETH") == fresh_price(anvil, manifest, "WETH")


def test_threads_asking_at_once_get_the_head_blocks_answer(anvil, manifest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ex = Executors(workspace(anvil, manifest, tmp_path / "reader"))
    price(ex, "REX")
    swap(anvil, manifest, tmp_path / "trader", "swap 100 USDC to REX")
    with ThreadPoolExecutor(8) as pool:
        answers = set(pool.map(lambda _: price(ex, "REX"), range(16)))
    assert answers == {fresh_price(anvil, manifest, "REX")}
