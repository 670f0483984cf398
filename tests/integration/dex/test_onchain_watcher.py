"""The pool watcher stays equal to a fresh read of the chain, from logs alone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from eth_abi import encode
from eth_utils import keccak
from hexbytes import HexBytes
from web3.middleware import Web3Middleware

from rexos.chain import load_artifact
from rexos.dex import StablePool, V2Pool, V3Pool, find_route
from rexos.dex.deploy import pair_address
from rexos.dex.execute import quote_swap
from rexos.dex.onchain import PoolWatcher
from tests.integration.dex.test_onchain_deploy import OTHER, USER, DexNet, dex_net

MAX = 2**256 - 1


@pytest.fixture
def net() -> Iterator[DexNet]:
    with dex_net().rollback() as built:
        yield built


def _state(watcher: PoolWatcher) -> dict[str, Any]:
    return {p.id: p for p in watcher.pools}


def _same_v3(kept: V3Pool, fresh: V3Pool) -> bool:
    """A V3 pool kept from logs equals a fresh read in price, liquidity and tick, and in every
    initialised tick both have read; the windows read may differ (a fresh read centres its
    window on the current price, a kept pool keeps its window while the price stays in it)."""
    assert kept.window is not None and fresh.window is not None
    low, high = max(kept.window[0], fresh.window[0]), min(kept.window[1], fresh.window[1])
    assert low < kept.tick < high, "the kept pool's ticks still cover its price"

    def inside(pool: V3Pool) -> list[Any]:
        return [t for t in pool.ticks if low <= t.index <= high]

    plain = (kept.sqrt_price_x96, kept.liquidity, kept.tick, inside(kept))
    return plain == (fresh.sqrt_price_x96, fresh.liquidity, fresh.tick, inside(fresh))


def _same_state(watcher: PoolWatcher, fresh: PoolWatcher) -> bool:
    kept, read = _state(watcher), _state(fresh)
    assert kept.keys() == read.keys()
    for pool_id, pool in kept.items():
        other = read[pool_id]
        if isinstance(pool, V3Pool) and isinstance(other, V3Pool) and pool.window != other.window:
            assert _same_v3(pool, other), pool_id
        else:
            assert pool == other, pool_id
    return True


def _swap_through_router(net: DexNet, watcher: PoolWatcher, sell: str, buy: str, n: int) -> None:
    pools = watcher.pools
    route = find_route(pools, net.tokens.symbol(sell).address, net.tokens.symbol(buy).address, n)
    net.mint(sell, USER, n)
    net.executor().execute(quote_swap(route, pools))


def test_the_watcher_matches_a_fresh_read_after_swaps_deposits_and_a_new_pair(
    net: DexNet,
) -> None:
    watcher = net.watcher()
    start = watcher.block
    _swap_through_router(net, watcher, "WETH", "USDC", 300 * 10**18)
    _swap_through_router(net, watcher, "REX", "WBTC", 2_000_000 * 10**18)
    other = net.tx(OTHER)
    # a direct pair swap, outside the router
    (pair,) = [
        p
        for p in watcher.pools
        if isinstance(p, V2Pool)
        and watcher.venue[p.id] == "lowdev"
        and set(p.tokens) == {net.tokens.symbol(s).address for s in ("USDC", "USDT")}
    ]
    usdc = net.token("USDC")
    out = pair.amount_out(usdc.address, 30_000 * 10**6)
    other.send(usdc.functions.transfer(pair.id, 30_000 * 10**6), action="pay the pair")
    contract = net.web3.eth.contract(address=pair.id, abi=load_artifact("RexV2Pair").abi)
    outs = (0, out) if pair.token0 == usdc.address else (out, 0)
    other.send(contract.functions.swap(*outs, net.address(OTHER), b""), action="pair swap")
    # a direct StableSwap exchange and a deposit
    (stable,) = [p for p in watcher.pools if isinstance(p, StablePool)]
    curve = net.web3.eth.contract(address=stable.id, abi=load_artifact("StableSwapPool").abi)
    dai = net.token("DAI")
    other.send(dai.functions.approve(stable.id, MAX), action="approve")
    other.send(curve.functions.exchange(2, 1, 20_000 * 10**18, 0), action="exchange")
    other.send(usdc.functions.approve(stable.id, MAX), action="approve")
    other.send(curve.functions.add_liquidity([10_000 * 10**6, 0, 0], 0), action="deposit")
    # a new pair on a venue: PairCreated
    factory_address = net.manifest.address("RexV2Factory:lowdev")
    factory = net.web3.eth.contract(address=factory_address, abi=load_artifact("RexV2Factory").abi)
    link, uni = net.token("LINK"), net.token("UNI")
    deployer = net.tx(0)
    deployer.send(factory.functions.createPair(link.address, uni.address), action="create")
    new_pair = pair_address(factory_address, link.address, uni.address)
    deployer.send(link.functions.mint(new_pair, 1_000 * 10**18), action="seed")
    deployer.send(uni.functions.mint(new_pair, 1_875 * 10**18), action="seed")

    assert watcher.block == start
    applied = watcher.sync()
    assert applied >= 10
    assert watcher.block == net.web3.eth.block_number
    assert watcher.pool(new_pair) == watcher.read(new_pair)
    assert isinstance(watcher.pool(new_pair), V2Pool)
    assert watcher.pool(new_pair).reserve0 == 0  # type: ignore[union-attr]
    contract = net.web3.eth.contract(address=new_pair, abi=load_artifact("RexV2Pair").abi)
    deployer.send(contract.functions.mint(net.address(0)), action="first deposit")
    watcher.sync()
    fresh = net.watcher()
    assert _same_state(watcher, fresh)
    assert watcher.venue == fresh.venue
    assert watcher.rereads == 0
    assert _state(watcher)[stable.id] != stable and _state(watcher)[pair.id] != pair


def test_a_warm_watcher_quotes_without_any_rpc_call(net: DexNet) -> None:
    watcher = net.watcher()
    calls: list[str] = []

    class Counting(Web3Middleware):
        def wrap_make_request(self, make_request: Any) -> Any:
            def middleware(method: Any, params: Any) -> Any:
                calls.append(str(method))
                return make_request(method, params)

            return middleware

    net.web3.middleware_onion.add(Counting, name="count")
    try:
        _quote_counting(net, watcher, calls)
    finally:
        net.web3.middleware_onion.remove("count")


def _quote_counting(net: DexNet, watcher: PoolWatcher, calls: list[str]) -> None:
    assert watcher.sync() == 0
    assert calls == ["eth_blockNumber"], "a sync with no new block asks for the head only"
    calls.clear()
    weth, usdc = net.tokens.symbol("WETH").address, net.tokens.symbol("USDC").address
    pools = watcher.pools
    quote = quote_swap(find_route(pools, weth, usdc, 10**19), pools)
    assert quote.expected_out > 0
    assert calls == []


def test_a_log_it_cannot_apply_rereads_the_pool(
    net: DexNet, monkeypatch: pytest.MonkeyPatch
) -> None:
    watcher = net.watcher()
    _swap_through_router(net, watcher, "UNI", "WETH", 5_000 * 10**18)
    fresh = _state(net.watcher())
    moved = [p.id for p in watcher.pools if fresh[p.id] != p]
    assert len(moved) >= 2, "the swap moved pools"
    target, untouched = moved[0], moved[1]
    unknown = {"address": target, "topics": [HexBytes(keccak(text="Odd()"))], "data": HexBytes(b"")}
    stale = {  # a later log of the same pool is already in the re-read state
        "address": target,
        "topics": [HexBytes(keccak(text="Sync(uint112,uint112)"))],
        "data": HexBytes(encode(["uint112", "uint112"], [1, 1])),
    }
    monkeypatch.setattr(net.web3.eth, "get_logs", lambda _: [unknown, stale])
    assert watcher.sync() == 1
    assert watcher.rereads == 1
    assert watcher.pool(target) == fresh[target]
    assert watcher.pool(untouched) != fresh[untouched], "its logs were not delivered"
