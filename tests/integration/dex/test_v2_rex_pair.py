"""V2Pool against our RexV2Pair (fee per pair) on anvil: zero wei apart, for any fee.

Fifteen pairs with fees from 0 to 9999 bps (Uniswap's 30, PancakeSwap's 25 and others) get
random reserves; for 300 random sales the pair accepts ``swap(out)`` and rejects
``swap(out + 1)`` with ``RexV2Pair: K``, and reverts wherever V2Pool refuses. Real swaps move
the reserves (and the Sync events) exactly as ``V2Pool.swap`` says.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import dataclass

import pytest
from web3.contract import Contract

from rexos.chain import load_artifact
from rexos.dex.v2 import V2Pool
from rexos.errors import TransactionReverted
from tests.integration.dex.conftest import (
    MAX_UINT256,
    DexChain,
    check_v2_pair_exactness,
    random_reserves,
    random_v2_amounts,
    read_v2_pool,
    seed_v2_pair,
)

pytestmark = [pytest.mark.anvil, pytest.mark.xdist_group("anvil")]

DECIMALS = (18, 6, 8, 18, 6, 18)
FEES = (30, 25, 0, 1, 100, 9999, 5, 30, 25, 300, 50, 9000, 17, 25, 30)


@dataclass(frozen=True)
class Venue:
    factory: Contract
    pairs: list[Contract]
    tokens: dict[str, Contract]


def bind_pair(dex_chain: DexChain, address: str) -> Contract:
    return dex_chain.web3.eth.contract(address=address, abi=load_artifact("RexV2Pair").abi)


def read_pool(pair: Contract) -> V2Pool:
    return read_v2_pool(pair, pair.functions.feeBps().call())


@pytest.fixture(scope="module")
def venue(dex_chain: DexChain) -> Venue:
    factory = dex_chain.deployer.deploy("RexV2Factory", 30)
    tokens = [dex_chain.token(f"T{n}", d) for n, d in enumerate(DECIMALS)]
    for token in tokens:
        dex_chain.mint(token, dex_chain.deployer.address, MAX_UINT256 // 2)
    rng = random.Random(3)
    kinds = itertools.cycle(["tiny", "huge", "lopsided", "random", "random"])
    pairs = []
    for (a, b), fee in zip(itertools.combinations(tokens, 2), FEES, strict=True):
        create = (
            factory.functions.createPair(a.address, b.address)
            if fee == 30 and len(pairs) % 2 == 0
            else factory.functions.createPairWithFee(a.address, b.address, fee)
        )
        dex_chain.deployer.send(create, action="create pair")
        pair = bind_pair(dex_chain, factory.functions.getPair(b.address, a.address).call())
        assert pair.functions.feeBps().call() == fee
        r_a, r_b = random_reserves(rng, next(kinds))
        seed_v2_pair(dex_chain, pair, {a: r_a, b: r_b})
        pairs.append(pair)
    assert factory.functions.allPairsLength().call() == len(FEES)
    return Venue(factory, pairs, {t.address: t for t in tokens})


def test_random_quotes_match_the_rex_v2_pair_to_the_wei(dex_chain: DexChain, venue: Venue) -> None:
    rng = random.Random(20261121)
    outcomes: Counter[str] = Counter()
    fees_filled: set[int] = set()
    for pair in venue.pairs:
        pool = read_pool(pair)
        for token_in in pool.tokens:
            reserve_in, _ = pool.reserves(token_in)
            for amount in random_v2_amounts(rng, reserve_in):
                outcome = check_v2_pair_exactness(
                    dex_chain, pair, pool, token_in, amount, "RexV2Pair"
                )
                outcomes[outcome] += 1
                if outcome == "filled":
                    fees_filled.add(pool.fee_bps)
    assert sum(outcomes.values()) >= 300
    assert outcomes["filled"] >= 180
    assert outcomes["buys nothing"] >= 10
    assert outcomes["overflow"] >= 20
    assert fees_filled == set(FEES)


def test_real_swaps_move_reserves_and_sync_events_as_v2pool_says(
    dex_chain: DexChain, venue: Venue
) -> None:
    rng = random.Random(9)
    me = dex_chain.deployer.address
    for pair in venue.pairs[1::3]:
        pool = read_pool(pair)
        for _ in range(4):
            token_in = rng.choice(pool.tokens)
            token_out = pool.token1 if token_in == pool.token0 else pool.token0
            reserve_in, _ = pool.reserves(token_in)
            amount = rng.randint(reserve_in // 100 + 1, 3 * reserve_in)
            out, after = pool.swap(token_in, token_out, amount)
            pay = venue.tokens[token_in].functions.transfer(pair.address, amount)
            dex_chain.deployer.send(pay, action="pay in")
            outs = (0, out) if token_in == pool.token0 else (out, 0)
            receipt = dex_chain.deployer.send(pair.functions.swap(*outs, me, b""), action="swap")
            (sync,) = receipt.events(pair, "Sync")
            assert (sync["reserve0"], sync["reserve1"]) == (after.reserve0, after.reserve1)
            (swap,) = receipt.events(pair, "Swap")
            amounts_in = (amount, 0) if token_in == pool.token0 else (0, amount)
            assert (swap["amount0In"], swap["amount1In"]) == amounts_in
            pool = read_pool(pair)
            assert pool == after


def test_liquidity_comes_out_in_proportion(dex_chain: DexChain, venue: Venue) -> None:
    pair = venue.pairs[3]
    pool = read_pool(pair)
    me = dex_chain.deployer.address
    shares = pair.functions.balanceOf(me).call()
    supply = pair.functions.totalSupply().call()
    dex_chain.deployer.send(pair.functions.transfer(pair.address, shares // 2), action="return")
    receipt = dex_chain.deployer.send(pair.functions.burn(me), action="burn")
    (burn,) = receipt.events(pair, "Burn")
    expected0 = shares // 2 * pool.reserve0 // supply
    expected1 = shares // 2 * pool.reserve1 // supply
    assert (burn["amount0"], burn["amount1"]) == (expected0, expected1)
    after = read_pool(pair)
    assert (after.reserve0, after.reserve1) == (
        pool.reserve0 - expected0,
        pool.reserve1 - expected1,
    )


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda v, me: v.pairs[0].functions.swap(1, 0, me, b"\x01"), "FLASH_SWAPS_UNSUPPORTED"),
        (lambda v, me: v.pairs[0].functions.swap(0, 0, me, b""), "INSUFFICIENT_OUTPUT_AMOUNT"),
        (
            lambda v, me: v.pairs[0].functions.swap(
                1, 0, v.pairs[0].functions.token1().call(), b""
            ),
            "INVALID_TO",
        ),
        (lambda v, me: v.pairs[0].functions.initialize(me, me, 1), "FORBIDDEN"),
    ],
)
def test_pair_reverts(dex_chain: DexChain, venue: Venue, make: object, reason: str) -> None:
    call = make(venue, dex_chain.deployer.address)  # type: ignore[operator]
    with pytest.raises(TransactionReverted, match=f"RexV2Pair: {reason}"):
        dex_chain.deployer.send(call, action="pair call")


def test_factory_reverts(dex_chain: DexChain, venue: Venue) -> None:
    a, b = list(venue.tokens)[:2]
    f = venue.factory.functions
    for call, reason in [
        (f.createPair(a, b), "PAIR_EXISTS"),
        (f.createPair(a, a), "IDENTICAL_ADDRESSES"),
        (f.createPairWithFee(a, dex_chain.deployer.address, 10_000), "FEE"),
    ]:
        with pytest.raises(TransactionReverted, match=f"RexV2Factory: {reason}"):
            dex_chain.deployer.send(call, action="factory call")
    with pytest.raises(TransactionReverted, match="RexV2Factory: FEE"):
        dex_chain.deployer.deploy("RexV2Factory", 10_000)
