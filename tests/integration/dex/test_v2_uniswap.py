"""V2Pool against the real Uniswap V2 contracts (npm bytecode) on anvil: zero wei apart.

Fifteen pairs of DevTokens get random reserves (tiny, huge, lopsided, anything between).
For each of 300 random sales the test checks, to the wei, that

- Router02.getAmountsOut (the library maths) equals ``V2Pool.amount_out``;
- the pair itself accepts ``swap(out)`` and rejects ``swap(out + 1)`` with ``UniswapV2: K``
  (``eth_call`` with the input already credited to the pair through a state override), so
  ``out`` is the largest output the K check allows;
- where V2Pool refuses (the input buys nothing, the reserve would pass uint112) the pair
  reverts too.

Real swaps then move the reserves exactly as ``V2Pool.swap`` says, and Router02.getAmountsIn
equals ``V2Pool.amount_in_for``.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import dataclass

import pytest
from web3.contract import Contract

from rexos.chain import dev_account
from rexos.dex.v2 import V2Pool
from tests.integration.dex.conftest import (
    MAX_UINT256,
    DexChain,
    check_v2_pair_exactness,
    random_reserves,
    random_v2_amounts,
    read_v2_pool,
    seed_v2_pair,
)
from tests.integration.dex.npm_artifacts import (
    UNISWAP_V2_FACTORY,
    UNISWAP_V2_PAIR,
    UNISWAP_V2_ROUTER02,
    WETH9,
    bind_npm,
    deploy_npm,
)

pytestmark = [pytest.mark.anvil, pytest.mark.xdist_group("anvil")]

DECIMALS = (18, 6, 8, 18, 6, 18)


@dataclass(frozen=True)
class Market:
    router: Contract
    pairs: list[Contract]
    tokens: dict[str, Contract]


@pytest.fixture(scope="module")
def market(dex_chain: DexChain) -> Market:
    web3, deployer = dex_chain.web3, dev_account(0)
    weth = deploy_npm(web3, deployer, WETH9)
    factory = deploy_npm(web3, deployer, UNISWAP_V2_FACTORY, deployer.address)
    router = deploy_npm(web3, deployer, UNISWAP_V2_ROUTER02, factory.address, weth.address)
    tokens = [dex_chain.token(f"T{n}", d) for n, d in enumerate(DECIMALS)]
    for token in tokens:
        dex_chain.mint(token, deployer.address, MAX_UINT256 // 2)
    rng = random.Random(2)
    kinds = itertools.cycle(["tiny", "huge", "lopsided", "random", "random"])
    pairs = []
    for a, b in itertools.combinations(tokens, 2):
        dex_chain.deployer.send(factory.functions.createPair(a.address, b.address), action="pair")
        address = factory.functions.getPair(a.address, b.address).call()
        pair = bind_npm(web3, UNISWAP_V2_PAIR, address)
        r_a, r_b = random_reserves(rng, next(kinds))
        seed_v2_pair(dex_chain, pair, {a: r_a, b: r_b})
        pairs.append(pair)
    return Market(router, pairs, {t.address: t for t in tokens})


def read_pool(pair: Contract) -> V2Pool:
    return read_v2_pool(pair, 30)


def test_random_quotes_match_the_uniswap_v2_pair_to_the_wei(
    dex_chain: DexChain, market: Market
) -> None:
    rng = random.Random(20261121)
    outcomes: Counter[str] = Counter()
    for pair in market.pairs:
        pool = read_pool(pair)
        token0 = market.tokens[pool.token0]
        assert token0.functions.balanceOf(pair.address).call() == pool.reserve0
        for token_in, token_out in ((pool.token0, pool.token1), (pool.token1, pool.token0)):
            reserve_in, _ = pool.reserves(token_in)
            for amount in random_v2_amounts(rng, reserve_in):
                outcome = check_v2_pair_exactness(
                    dex_chain, pair, pool, token_in, amount, "UniswapV2"
                )
                outcomes[outcome] += 1
                if outcome == "overflow":
                    continue  # the router's maths does not look at uint112
                quoted = market.router.functions.getAmountsOut(amount, [token_in, token_out])
                ours = 0 if outcome == "buys nothing" else pool.amount_out(token_in, amount)
                assert quoted.call() == [amount, ours], (pool, token_in, amount)
    assert sum(outcomes.values()) >= 300
    assert outcomes["filled"] >= 200
    assert outcomes["buys nothing"] >= 10
    assert outcomes["overflow"] >= 20


def test_real_swaps_move_the_reserves_as_v2pool_says(dex_chain: DexChain, market: Market) -> None:
    rng = random.Random(7)
    me = dex_chain.deployer.address
    swaps = 0
    for pair in market.pairs[::3]:
        pool = read_pool(pair)
        for _ in range(4):
            token_in = rng.choice(pool.tokens)
            token_out = pool.token1 if token_in == pool.token0 else pool.token0
            reserve_in, _ = pool.reserves(token_in)
            amount = rng.randint(reserve_in // 100 + 1, 3 * reserve_in)
            out, after = pool.swap(token_in, token_out, amount)
            before = market.tokens[token_out].functions.balanceOf(me).call()
            dex_chain.deployer.send(
                market.tokens[token_in].functions.transfer(pair.address, amount), action="pay in"
            )
            outs = (0, out) if token_in == pool.token0 else (out, 0)
            dex_chain.deployer.send(pair.functions.swap(*outs, me, b""), action="swap")
            assert market.tokens[token_out].functions.balanceOf(me).call() == before + out
            pool = read_pool(pair)
            assert pool == after
            swaps += 1
    assert swaps == 20


def test_get_amounts_in_matches_amount_in_for(market: Market) -> None:
    rng = random.Random(11)
    compared = 0
    for pair in market.pairs:
        pool = read_pool(pair)
        for token_out in pool.tokens:
            token_in = pool.token1 if token_out == pool.token0 else pool.token0
            _, reserve_out = pool.reserves(token_in)
            for want in {1, rng.randint(1, reserve_out - 1), reserve_out - 1}:
                ours = pool.amount_in_for(token_out, want)
                raw = market.router.functions.getAmountsIn(want, [token_in, token_out]).call()
                assert raw == [ours, want], (pool, token_out, want)
                compared += 1
    assert compared >= 60
