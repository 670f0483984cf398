"""Discovery on anvil: every pool the devnet created, each quoting as its own contracts do.

The devnet (``deploy_dev``: RexV2 venues, the StableSwap pool, the real Uniswap V3 factory,
pools and QuoterV2) gets a fourth kind of venue next to it: the real Uniswap V2 factory and
Router02 from npm. Discovery is given only factory addresses (V3 pools come from
``PoolCreated`` logs); every pool it returns must be one the chain has, and none may be
missing. Then, over 240 seeded random trades (amounts from 1 wei to past the pool's depth,
both directions), each discovered pool's output equals the contracts' own quote to the wei:
``QuoterV2.quoteExactInputSingle`` (V3), Router02 ``getAmountsOut`` (Uniswap V2),
``getAmountOut`` on the pair's reserves (RexV2 pairs at 30 bps), ``get_dy`` (StableSwap).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

import pytest
from web3.exceptions import ContractLogicError

from rexos.chain import AnvilChain, Transactor, dev_account, load_artifact
from rexos.chain.manifest import Manifest
from rexos.deployment import deploy_dev
from rexos.dex import Pool, StablePool, TokenRegistry, V2Pool, V3Pool
from rexos.dex.deploy import STABLE_VENUES, V2_VENUES, pair_address
from rexos.dex.deploy_v3 import V3_POOLS, V3_VENUE, v3_pool_address
from rexos.dex.discovery import Discoverer, Discovery
from rexos.dex.venues import Venue, manifest_venues, multicall_address
from rexos.errors import InsufficientLiquidity
from rexos.types import Address
from tests.integration.dex.npm_artifacts import (
    UNISWAP_V2_FACTORY,
    UNISWAP_V2_PAIR,
    UNISWAP_V2_ROUTER02,
    WETH9,
    bind_npm,
    deploy_npm,
)

pytestmark = pytest.mark.anvil

DEPLOYER, TRADER = dev_account(0), dev_account(1)
UNI_PAIRS = (("WETH", "USDC", 5_000_000), ("WBTC", "WETH", 2_000_000), ("LINK", "UNI", 300_000))
"""Real Uniswap V2 pairs added next to the devnet: tokens and USD per side."""


@dataclass
class Net:
    chain: AnvilChain
    manifest: Manifest
    tokens: TokenRegistry
    uni_factory: Any
    uni_router: Any
    uni_pairs: set[str]

    def venues(self) -> list[Venue]:
        """The deployment's venues with V3 found from logs (no listed pools) and real V2."""
        found = []
        for v in manifest_venues(self.manifest):
            if v.kind == "v3":
                v = Venue(v.name, "v3", factory=v.factory, start_block=0)
            found.append(v)
        found.append(Venue("uniswap-v2", "v2", factory=self.uni_factory.address, fee_bps=30))
        return found

    def discover(self, tick_words: int | None) -> Discovery:
        multicall = multicall_address(self.manifest)
        return Discoverer(
            self.chain.web3, self.venues(), multicall=multicall, tick_words=tick_words
        ).discover()


@pytest.fixture(scope="module")
def net(anvil: AnvilChain) -> Net:
    manifest = deploy_dev(anvil, funded=[Address(TRADER.address)])
    web3 = anvil.web3
    owner = Transactor(web3, DEPLOYER)
    tokens = TokenRegistry.from_manifest(manifest)
    weth9 = deploy_npm(web3, DEPLOYER, WETH9)
    factory = deploy_npm(web3, DEPLOYER, UNISWAP_V2_FACTORY, DEPLOYER.address)
    router = deploy_npm(web3, DEPLOYER, UNISWAP_V2_ROUTER02, factory.address, weth9.address)
    prices = {"WETH": 3000, "USDC": 1, "WBTC": 60000, "LINK": 15, "UNI": 8}
    pairs = set()
    erc20 = load_artifact("DevToken").abi
    for a, b, usd in UNI_PAIRS:
        ta, tb = tokens.symbol(a), tokens.symbol(b)
        owner.send(factory.functions.createPair(ta.address, tb.address), action="create pair")
        pair = factory.functions.getPair(ta.address, tb.address).call()
        for info in (ta, tb):
            token = web3.eth.contract(address=info.address, abi=erc20)
            units = usd * 10**info.decimals // prices[info.symbol]
            owner.send(token.functions.mint(pair, units), action="fund pair")
        owner.send(
            bind_npm(web3, UNISWAP_V2_PAIR, pair).functions.mint(DEPLOYER.address), action="mint"
        )
        pairs.add(pair)
    return Net(anvil, manifest, tokens, factory, router, pairs)


def _expected(net: Net) -> dict[str, str]:
    """Address → venue of every pool the deployment and the test created."""
    token = {info.symbol: info.address for info in net.tokens}
    found = {}
    for venue in V2_VENUES:
        factory = net.manifest.address(f"RexV2Factory:{venue.name}")
        for a, b, _, _ in venue.pairs:
            found[pair_address(factory, token[a], token[b])] = venue.name
    v3 = net.manifest.address(f"UniswapV3Factory:{V3_VENUE}")
    for p in V3_POOLS:
        found[v3_pool_address(v3, token[p.a], token[p.b], p.fee)] = V3_VENUE
    for s in STABLE_VENUES:
        found[net.manifest.address(f"StableSwapPool:{s.name}")] = s.name
    return found | dict.fromkeys(net.uni_pairs, "uniswap-v2")


def test_discovery_finds_every_pool_the_chain_has(net: Net) -> None:
    found = net.discover(tick_words=4)
    expected = _expected(net)
    assert {a: r.venue for a, r in found.refs.items()} == expected
    assert set(found.pools) == set(expected) and not found.skipped
    assert all(p.block == found.block for p in found.pools.values())  # type: ignore[attr-defined]
    kinds = {type(p).__name__ for p in found.pools.values()}
    assert kinds == {"V2Pool", "V3Pool", "StablePool"}
    v3 = [p for p in found.pools.values() if isinstance(p, V3Pool)]
    assert {p.fee for p in v3} == {100, 500, 3000, 10000}
    assert all(p.window is not None and len(p.ticks) == 6 for p in v3)
    # one batched read per round, not one request per call
    assert found.requests < 20, found.requests


def _amount(rng: random.Random, scale: int) -> int:
    """1 wei, a few wei, far more than ``scale``, or log-uniform up to three times it."""
    kind = rng.randrange(8)
    if kind == 0:
        return 1
    if kind == 1:
        return rng.randint(2, 1000)
    if kind == 2:
        return scale * rng.randint(20, 100) + 1
    return max(1, int(10 ** rng.uniform(0, math.log10(3 * scale + 10))))


def _balance(net: Net, token: str, holder: str) -> int:
    contract = net.chain.web3.eth.contract(
        address=Address(token), abi=load_artifact("DevToken").abi
    )
    return int(contract.functions.balanceOf(holder).call())


def _contract_quote(net: Net, pool: Pool, token_in: str, token_out: str, amount: int) -> int | None:
    """What the pool's own contracts quote (``None`` where the quote reverts)."""
    web3 = net.chain.web3
    try:
        if isinstance(pool, V3Pool):
            quoter = web3.eth.contract(
                address=net.manifest.address("QuoterV2"), abi=load_artifact("QuoterV2").abi
            )
            params = (token_in, token_out, amount, pool.fee, 0)
            return int(quoter.functions.quoteExactInputSingle(params).call()[0])
        if isinstance(pool, V2Pool):
            if pool.id in net.uni_pairs:
                path = [token_in, token_out]
                return int(net.uni_router.functions.getAmountsOut(amount, path).call()[1])
            reserve_in, reserve_out = pool.reserves(token_in)
            call = net.uni_router.functions.getAmountOut(amount, reserve_in, reserve_out)
            return int(call.call())
        assert isinstance(pool, StablePool)
        contract = web3.eth.contract(
            address=Address(pool.id), abi=load_artifact("StableSwapPool").abi
        )
        i, j = pool.tokens.index(token_in), pool.tokens.index(token_out)
        return int(contract.functions.get_dy(i, j, amount).call())
    except ContractLogicError:
        return None


def _ours(pool: Pool, token_in: str, token_out: str, amount: int) -> int | None:
    """Our exact output; a V3 partial fill counts (QuoterV2 quotes what the pool fills)."""
    try:
        if isinstance(pool, V3Pool):
            return pool.swap_exact_in(token_in == pool.token0, amount).amount_out
        return pool.swap(token_in, token_out, amount)[0]
    except InsufficientLiquidity:
        return None


def _check_quotes(net: Net, found: Discovery, rng: random.Random, cases: int) -> dict[str, int]:
    pools = [p for p in found.pools.values() if not isinstance(p, V2Pool) or p.fee_bps == 30]
    v3 = [p for p in pools if isinstance(p, V3Pool)]
    stable = [p for p in pools if isinstance(p, StablePool)]
    done = {"v3": 0, "v2": 0, "stable": 0, "v3_partial": 0}
    for n in range(cases):
        pool = v3[n % len(v3)] if n % 2 == 0 else rng.choice(stable if n % 10 == 1 else pools)
        token_in, token_out = rng.sample(list(pool.tokens), 2)
        amount = _amount(rng, _balance(net, token_in, pool.id))
        theirs = _contract_quote(net, pool, token_in, token_out, amount)
        ours = _ours(pool, token_in, token_out, amount)
        if theirs == 0 and ours is None:
            ours = 0  # V2 library math quotes 0 where the pair would refuse the swap
        assert ours == theirs, (pool.id, token_in, amount)
        kind = "v3" if isinstance(pool, V3Pool) else "v2" if isinstance(pool, V2Pool) else "stable"
        done[kind] += 1
        if isinstance(pool, V3Pool) and _partial(pool, token_in, amount):
            done["v3_partial"] += 1
            with pytest.raises(InsufficientLiquidity):  # the router's swap wants it all sold
                pool.swap(token_in, token_out, amount)
    return done


def _partial(pool: V3Pool, token_in: str, amount: int) -> bool:
    try:
        return pool.swap_exact_in(token_in == pool.token0, amount).amount_in_used != amount
    except InsufficientLiquidity:
        return False


def _trade(net: Net, found: Discovery, rng: random.Random) -> None:
    """Move the V3 pools: random swaps through RexRouter on each, from the trader."""
    from rexos.dex import find_route
    from rexos.dex.execute import SwapExecutor, quote_swap

    executor = SwapExecutor(Transactor(net.chain.web3, TRADER), net.manifest.address("RexRouter"))
    for pool in [p for p in found.pools.values() if isinstance(p, V3Pool)]:
        token_in, token_out = rng.sample(list(pool.tokens), 2)
        held = _balance(net, token_in, TRADER.address)
        route = find_route([pool], token_in, token_out, held // rng.randint(5, 50))
        executor.execute(quote_swap(route, [pool]))


def test_every_discovered_pool_quotes_as_its_contracts_to_the_wei(net: Net) -> None:
    rng = random.Random(14_2026)
    snapshot = net.chain.snapshot()
    try:
        first = _check_quotes(net, net.discover(tick_words=None), rng, 140)
        _trade(net, net.discover(tick_words=None), rng)
        second = _check_quotes(net, net.discover(tick_words=None), rng, 100)
    finally:
        net.chain.revert(snapshot)
    total = {k: first[k] + second[k] for k in first}
    assert sum(total[k] for k in ("v3", "v2", "stable")) == 240
    assert total["v3"] >= 120 and total["v2"] >= 20 and total["stable"] >= 5, total
    assert total["v3_partial"] >= 5, "some trades run past the last range"


def test_a_pool_read_around_its_price_quotes_exactly_or_refuses(net: Net) -> None:
    rng = random.Random(7)
    windowed = net.discover(tick_words=1)
    exact = 0
    for n in range(60):
        pool = [p for p in windowed.pools.values() if isinstance(p, V3Pool)][n % len(V3_POOLS)]
        token_in, token_out = rng.sample(list(pool.tokens), 2)
        amount = _amount(rng, _balance(net, token_in, pool.id))
        theirs = _contract_quote(net, pool, token_in, token_out, amount)
        try:
            ours = pool.swap(token_in, token_out, amount)[0]
        except InsufficientLiquidity:
            continue
        assert ours == theirs
        exact += 1
    assert 20 <= exact < 60
