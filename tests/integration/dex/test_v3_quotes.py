"""V3Pool against the real Uniswap V3 contracts: QuoterV2 quotes, to the wei."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from rexos.chain import AnvilChain
from rexos.dex.v3 import SwapResult
from rexos.errors import InsufficientLiquidity
from tests.integration.dex.v3_fixtures import (
    WORD,
    Market,
    build_market,
    depth,
    quote,
    random_amount,
    random_limit,
    read_pool,
)

pytestmark = [pytest.mark.anvil, pytest.mark.xdist_group("anvil")]

QUOTES_PER_POOL = 45


@pytest.fixture(scope="module")
def market(anvil: AnvilChain) -> Market:
    return build_market(anvil.web3, random.Random(3))


def test_random_quotes_match_quoter_v2_to_the_wei(market: Market) -> None:
    rng = random.Random(7)
    seen: Counter[str] = Counter()
    for contract in market.pools:
        pool = read_pool(market.v3, contract)
        word = WORD * pool.tick_spacing
        for _ in range(QUOTES_PER_POOL):
            zero_for_one = rng.random() < 0.5
            amount = random_amount(rng, depth(pool, zero_for_one) * 10**6 // (10**6 - pool.fee))
            limit = random_limit(rng, pool, zero_for_one)
            expected = quote(market, contract, zero_for_one, amount, limit)
            try:
                ours: SwapResult | None = pool.swap_exact_in(zero_for_one, amount, limit)
            except InsufficientLiquidity:
                ours = None
            seen["quotes"] += 1
            if ours is None or ours.amount_in_used == 0:
                assert expected is None, (pool, zero_for_one, amount, limit)
                seen["reverts"] += 1
                continue
            after = ours.pool_after
            assert expected == (ours.amount_out, after.sqrt_price_x96), (
                pool,
                zero_for_one,
                amount,
                limit,
            )
            seen["1 wei"] += amount == 1
            seen["partial"] += ours.amount_in_used < amount
            seen["limit"] += limit is not None
            seen["multi-tick"] += ours.ticks_crossed >= 2
            seen["words"] += (after.tick // word) != (pool.tick // word)
            seen["zero for one"] += zero_for_one
    print(dict(seen))
    assert seen["quotes"] >= 200
    for what in ("1 wei", "partial", "limit", "multi-tick", "words", "zero for one"):
        assert seen[what] >= 5, f"too few quotes of kind {what!r}: {dict(seen)}"
