"""RexRouter's V3 legs on anvil: through the Wallet agent's gateway, exact to the wei, and
safe against anything that is not the pool being swapped with.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rexos.agents.wallet import (
    GatewaySigner,
    PolicyEngine,
    WalletAgent,
    WalletLedger,
    dex_prices,
    load_policy,
    swap_moves,
)
from rexos.chain import AnvilChain, Transactor, dev_account, load_artifact
from rexos.chain.manifest import Manifest
from rexos.deployment import deploy_dev
from rexos.dex import PoolWatcher, TokenRegistry, V3Pool, find_route
from rexos.dex.execute import KIND_V3, SwapExecutor, quote_swap
from rexos.dex.gas import fill_gas_cost
from rexos.errors import DexError, TransactionReverted
from rexos.types import Address, parse_units

pytestmark = pytest.mark.anvil

ALICE, MALLORY = dev_account(1), dev_account(4)
MAX = 2**256 - 1


@pytest.fixture(scope="module")
def manifest(anvil: AnvilChain) -> Manifest:
    return deploy_dev(anvil, funded=[Address(ALICE.address), Address(MALLORY.address)])


@pytest.fixture
def chain(anvil: AnvilChain) -> Any:
    snapshot = anvil.snapshot()
    yield anvil
    anvil.revert(snapshot)


def _agent(anvil: AnvilChain, manifest: Manifest, home: Path) -> WalletAgent:
    (home / "policy.yaml").write_text("per_tx_usd_cap: '1e9'\ndaily_usd_cap: '1e9'\n")
    engine = PolicyEngine(
        load_policy(home / "policy.yaml"), WalletLedger(home / "w.db"), home / "k"
    )
    tokens = TokenRegistry.from_manifest(manifest)
    prices = dex_prices(anvil.web3, manifest)
    return WalletAgent(anvil.web3, ALICE, tokens, prices, engine, manifest=manifest)


def _token(anvil: AnvilChain, address: str) -> Any:
    return anvil.web3.eth.contract(address=Address(address), abi=load_artifact("DevToken").abi)


def _balance(anvil: AnvilChain, token: str, who: str) -> int:
    return int(_token(anvil, token).functions.balanceOf(who).call())


def _v3(watcher: PoolWatcher, fee: int) -> V3Pool:
    return next(p for p in watcher.pools if isinstance(p, V3Pool) and p.fee == fee)


def test_a_v3_leg_through_the_gateway_pays_the_quote_to_the_wei(
    chain: AnvilChain, manifest: Manifest, tmp_path: Path
) -> None:
    signer = GatewaySigner(_agent(chain, manifest, tmp_path), approve=lambda _: True)
    router = manifest.address("RexRouter")
    watcher = PoolWatcher(chain.web3, manifest)
    for fee in (500, 10000):  # WETH/USDC at 0.05 %, REX/WETH at 1 %
        pool = _v3(watcher, fee)
        sell, buy = pool.token1, pool.token0
        amount = _balance(chain, sell, ALICE.address) // 7
        quote = quote_swap(find_route([pool], sell, buy, amount), [pool])
        assert quote.block == pool.block and quote.steps[0][0] == KIND_V3
        before = _balance(chain, buy, ALICE.address)
        result = SwapExecutor(signer, router).execute(quote, max_age_blocks=5)
        assert result.amount_out == quote.expected_out == result.simulated_out
        assert _balance(chain, buy, ALICE.address) - before == quote.expected_out
        assert _balance(chain, sell, router) == _balance(chain, buy, router) == 0
        assert [p.tx.kind for p in signer.sent[-1:]] == ["swap"]
        watcher.sync()
        print(f"\nRexRouter gas, one V3 leg (fee {fee}): {result.gas_used}")


def test_a_chat_swap_routes_through_v3_and_gets_what_was_quoted(
    chain: AnvilChain, manifest: Manifest, tmp_path: Path
) -> None:
    agent = _agent(chain, manifest, tmp_path)
    tokens = TokenRegistry.from_manifest(manifest)
    weth, usdc = tokens.symbol("WETH"), tokens.symbol("USDC")
    amount = 10 * 10**18
    watcher = PoolWatcher(chain.web3, manifest)
    route = find_route(watcher.pools, weth.address, usdc.address, amount)
    assert any(isinstance(watcher.pool(f.pool), V3Pool) for f in route.fills)
    before = _balance(chain, usdc.address, ALICE.address)
    approve, swap = swap_moves(agent, manifest, weth, usdc, amount)
    for move in (approve, swap):
        prepared = move.plan()
        assert prepared is not None
        agent.execute(prepared, f"v3:{move.name}", agent.confirm(prepared))
    # the approval's block moved no pool: the swap was planned on the same state
    assert _balance(chain, usdc.address, ALICE.address) - before == route.amount_out


def test_nothing_but_the_pool_being_swapped_with_can_make_the_router_pay(
    chain: AnvilChain, manifest: Manifest
) -> None:
    router = chain.web3.eth.contract(
        address=manifest.address("RexRouter"), abi=load_artifact("RexRouter").abi
    )
    watcher = PoolWatcher(chain.web3, manifest)
    pool = _v3(watcher, 500)
    alice, mallory = Transactor(chain.web3, ALICE), Transactor(chain.web3, MALLORY)
    token0 = _token(chain, pool.token0)
    # Alice left an unlimited approval to the router, and someone sent the router tokens
    alice.send(token0.functions.approve(router.address, MAX), action="approve")
    alice.send(token0.functions.transfer(router.address, 10**6), action="gift")
    held = {who: _balance(chain, pool.token0, who) for who in (ALICE.address, router.address)}
    big = 10**6
    for data in (b"", ALICE.address.encode()):
        for callback in (
            router.functions.uniswapV3SwapCallback,
            router.functions.pancakeV3SwapCallback,
        ):
            with pytest.raises(TransactionReverted, match="RexRouter: CALLBACK"):
                mallory.send(callback(big, 0, data), action="steal")
    # a step naming a pool no trusted factory created, or a factory the router does not trust
    v2_pair = next(p for p in watcher.pools if not isinstance(p, V3Pool) and len(p.tokens) == 2)
    factory = manifest.address("UniswapV3Factory:univ3dev")
    sell, buy = pool.token0, pool.token1
    deadline = 2**40
    bad = {
        "RexRouter: POOL": (2, v2_pair.id, sell, buy, pool.fee, 0, 0, factory, 1000),
        "RexRouter: FACTORY": (
            2,
            pool.id,
            sell,
            buy,
            pool.fee,
            0,
            0,
            manifest.address("RexV2Factory:unidev"),
            1000,
        ),
    }
    wrong_fee = (2, pool.id, sell, buy, 3000, 0, 0, factory, 1000)
    bad_fee_reason = "RexRouter: POOL"
    for reason, step in [*bad.items(), (bad_fee_reason, wrong_fee)]:
        call = router.functions.swap([step], sell, 1000, buy, 0, ALICE.address, deadline)
        with pytest.raises(TransactionReverted, match=reason):
            alice.send(call, action="bad step")
    assert {who: _balance(chain, pool.token0, who) for who in held} == held


def test_a_stale_v3_quote_is_refused_and_a_fresh_one_pays_to_the_wei(
    chain: AnvilChain, manifest: Manifest
) -> None:
    router = manifest.address("RexRouter")
    watcher = PoolWatcher(chain.web3, manifest)
    pool = _v3(watcher, 3000)
    sell, buy = pool.token1, pool.token0
    amount = _balance(chain, sell, ALICE.address) // 10
    stale = quote_swap(find_route([pool], sell, buy, amount), [pool])
    # someone else trades on the same pool first
    other = SwapExecutor(Transactor(chain.web3, MALLORY), router)
    other.execute(quote_swap(find_route([pool], sell, buy, amount), [pool]))
    executor = SwapExecutor(Transactor(chain.web3, ALICE), router)
    with pytest.raises(DexError, match="blocks old"):
        executor.execute(stale, max_age_blocks=1)
    assert watcher.sync() >= 1  # the Swap log moves the watched pool
    fresh_pool = watcher.pool(pool.id)
    assert isinstance(fresh_pool, V3Pool) and fresh_pool.block == watcher.block
    assert fresh_pool.sqrt_price_x96 != pool.sqrt_price_x96
    fresh = quote_swap(find_route([fresh_pool], sell, buy, amount), [fresh_pool])
    assert fresh.expected_out < stale.expected_out  # the price moved against this side
    before = _balance(chain, buy, ALICE.address)
    result = executor.execute(fresh, max_age_blocks=2)
    assert _balance(chain, buy, ALICE.address) - before == fresh.expected_out == result.amount_out


def test_a_chat_swap_takes_no_step_that_gains_less_than_its_gas(
    chain: AnvilChain, manifest: Manifest, tmp_path: Path
) -> None:
    agent = _agent(chain, manifest, tmp_path)
    tokens = TokenRegistry.from_manifest(manifest)
    router = chain.web3.eth.contract(
        address=manifest.address("RexRouter"), abi=load_artifact("RexRouter").abi
    )
    watcher = PoolWatcher(chain.web3, manifest)
    gas_price = int(chain.web3.eth.gas_price)
    weth = tokens.symbol("WETH").address
    trimmed = 0
    for sell, buy, amount in (
        ("WETH", "USDC", "0.01"),
        ("WETH", "USDC", "10"),
        ("USDC", "WETH", "25"),
        ("USDC", "USDT", "1000"),
        ("WBTC", "USDT", "0.05"),
        ("LINK", "REX", "40"),
    ):
        s, b = tokens.symbol(sell), tokens.symbol(buy)
        units = parse_units(amount, s.decimals)
        cost = fill_gas_cost(watcher.pools, gas_price, weth, b.address)
        assert cost > 0
        approve, swap = swap_moves(agent, manifest, s, b, units)
        prepared = approve.plan()
        if prepared is not None:
            agent.execute(prepared, f"gas:{sell}:{buy}:{amount}", agent.confirm(prepared))
        planned = swap.plan()
        assert planned is not None
        steps = router.decode_function_input(planned.tx.data)[1]["steps"]
        blind = find_route(watcher.pools, s.address, b.address, units)
        chat = find_route(watcher.pools, s.address, b.address, units, gas_cost_per_fill=cost)
        assert len(steps) == len(chat.fills)  # the chat swap is the route after gas
        extra = len(blind.fills) - len(chat.fills)
        print(f"\n{amount} {sell}->{buy}: blind {len(blind.fills)} fills, chat {len(chat.fills)}")
        if extra > 0:
            # what the steps left out would have gained is less than their gas
            assert blind.amount_out - chat.amount_out < cost * extra
            trimmed += 1
    assert trimmed >= 1, "no swap here had a step gaining less than its gas"
