"""Every pool kind honours the `Pool` protocol the router relies on (one shared suite)."""

from __future__ import annotations

import pytest

from rexos.dex import Pool, StablePool, V2Pool, V3Pool, synthetic_pools
from rexos.errors import DexError, InsufficientLiquidity


def _one_of_each() -> list[Pool]:
    pools = synthetic_pools(200, n_tokens=8, seed=3)
    kinds: dict[type, Pool] = {}
    for pool in pools:
        kinds.setdefault(type(pool), pool)
    assert set(kinds) == {V2Pool, V3Pool, StablePool}
    return list(kinds.values())


POOLS = _one_of_each()


@pytest.fixture(params=POOLS, ids=lambda p: type(p).__name__)
def pool(request: pytest.FixtureRequest) -> Pool:
    return request.param  # type: ignore[no-any-return]


def _small(pool: Pool, token: str) -> int:
    """An amount of ``token`` well inside the pool's depth."""
    if isinstance(pool, V2Pool):
        return max(pool.reserves(token)[0] // 1_000, 1)
    if isinstance(pool, StablePool):
        return max(pool.balances[pool.tokens.index(token)] // 1_000, 1)
    assert isinstance(pool, V3Pool)
    virtual = (
        pool.liquidity * 2**96 // pool.sqrt_price_x96
        if token == pool.token0
        else pool.liquidity * pool.sqrt_price_x96 // 2**96
    )
    return max(virtual // 1_000, 1)


def test_is_a_pool(pool: Pool) -> None:
    assert isinstance(pool, Pool)
    assert pool.id and len(pool.tokens) >= 2 and len(set(pool.tokens)) == len(pool.tokens)


def test_swap_returns_the_output_and_the_pool_after(pool: Pool) -> None:
    a, b = pool.tokens[0], pool.tokens[1]
    amount = _small(pool, a)
    out, after = pool.swap(a, b, amount)
    assert isinstance(out, int) and out > 0
    assert after.id == pool.id and after.tokens == pool.tokens and after != pool
    assert pool.swap(a, b, amount)[0] == out  # a value: swapping does not change it
    again, _ = after.swap(a, b, amount)
    assert again <= out  # the price moved against the seller


def test_output_grows_with_input_and_splitting_never_pays(pool: Pool) -> None:
    a, b = pool.tokens[0], pool.tokens[1]
    amount = _small(pool, a)
    whole, _ = pool.swap(a, b, 2 * amount)
    first, after = pool.swap(a, b, amount)
    second, _ = after.swap(a, b, amount)
    assert pool.swap(a, b, amount)[0] <= whole
    assert first + second <= whole + 2  # at most rounding


def test_refuses_what_it_cannot_do(pool: Pool) -> None:
    a, b = pool.tokens[0], pool.tokens[1]
    with pytest.raises(InsufficientLiquidity):
        pool.swap(a, b, 0)
    with pytest.raises(DexError):
        pool.swap(a, "NOT-A-TOKEN", 10)
    with pytest.raises(DexError):
        pool.swap(a, a, 10)
