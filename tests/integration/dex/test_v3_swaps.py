"""V3Pool against real swaps through the Uniswap V3 SwapRouter: amounts and state, to the wei."""

from __future__ import annotations

import random

import pytest

from rexos.chain import AnvilChain
from rexos.dex.v3 import MAX_SQRT_RATIO, MAX_TICK, MIN_SQRT_RATIO, MIN_TICK, SwapResult, V3Pool
from rexos.errors import InsufficientLiquidity, TransactionReverted
from tests.integration.dex.v3_fixtures import (
    Market,
    build_market,
    chain_state,
    depth,
    pair,
    quote,
    random_amount,
    random_limit,
    read_pool,
    swap_on_chain,
)

pytestmark = [pytest.mark.anvil, pytest.mark.xdist_group("anvil")]


@pytest.fixture(scope="module")
def market(anvil: AnvilChain) -> Market:
    return build_market(anvil.web3, random.Random(11))


def state_of(pool: V3Pool) -> tuple[int, int, int]:
    return pool.sqrt_price_x96, pool.tick, pool.liquidity


def test_real_swaps_pay_and_move_the_pool_exactly_as_predicted(market: Market) -> None:
    rng = random.Random(5)
    swaps = 0
    for contract in market.pools:
        pool = read_pool(market.v3, contract)
        for n in range(8):
            zero_for_one = rng.random() < 0.5
            amount = 1 if n == 0 else random_amount(rng, depth(pool, zero_for_one) // 2 + 1)
            limit = random_limit(rng, pool, zero_for_one)
            try:
                ours: SwapResult | None = pool.swap_exact_in(zero_for_one, amount, limit)
            except InsufficientLiquidity:  # the price is already at the limit
                ours = None
            if ours is None or ours.amount_in_used == 0:  # the router reverts
                with pytest.raises(TransactionReverted):
                    swap_on_chain(market, contract, zero_for_one, amount, limit)
                continue
            paid, received = swap_on_chain(market, contract, zero_for_one, amount, limit)
            assert (paid, received) == (ours.amount_in_used, ours.amount_out)
            assert chain_state(contract) == state_of(ours.pool_after)
            pool = ours.pool_after
            swaps += 1
        assert read_pool(market.v3, contract) == pool
    assert swaps >= 30


def test_exhausting_the_liquidity_fills_partially_like_the_pool(market: Market) -> None:
    """The contracts sell what they can and stop at the extreme price; ``swap`` refuses."""
    for n, contract in enumerate(market.pools):
        zero_for_one = n % 2 == 0
        pool = read_pool(market.v3, contract)
        token_in, token_out = pair(contract, zero_for_one)
        too_much = depth(pool, zero_for_one) * 2 + 10**6
        with pytest.raises(InsufficientLiquidity, match="can be sold"):
            pool.swap(token_in, token_out, too_much)

        ours = pool.swap_exact_in(zero_for_one, too_much)
        after = ours.pool_after
        assert 0 < ours.amount_in_used < too_much
        assert after.liquidity == 0
        if zero_for_one:
            assert (after.sqrt_price_x96, after.tick) == (MIN_SQRT_RATIO + 1, MIN_TICK)
        else:
            assert (after.sqrt_price_x96, after.tick) == (MAX_SQRT_RATIO - 1, MAX_TICK - 1)
        assert quote(market, contract, zero_for_one, too_much, None) == (
            ours.amount_out,
            after.sqrt_price_x96,
        )
        paid, received = swap_on_chain(market, contract, zero_for_one, too_much, None)
        assert (paid, received) == (ours.amount_in_used, ours.amount_out)
        assert chain_state(contract) == state_of(after)

        # at the extreme price the pool rejects any further sale in that direction
        with pytest.raises(InsufficientLiquidity, match="limit"):
            after.swap_exact_in(zero_for_one, 1000)
        assert quote(market, contract, zero_for_one, 1000, None) is None
        with pytest.raises(TransactionReverted, match="SPL"):
            swap_on_chain(market, contract, zero_for_one, 1000, None)

        # and the way back walks every empty bitmap word up to the first position
        back = after.swap_exact_in(not zero_for_one, depth(pool, not zero_for_one) // 3 + 1)
        assert back.amount_in_used > 0
        paid, received = swap_on_chain(
            market, contract, not zero_for_one, depth(pool, not zero_for_one) // 3 + 1, None
        )
        assert (paid, received) == (back.amount_in_used, back.amount_out)
        assert read_pool(market.v3, contract) == back.pool_after
