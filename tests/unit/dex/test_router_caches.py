"""The quote path's shortcuts give what the plain computation gives.

The pool graph is cached per pool universe (by the pools' identities), the
stableswap curves a table needs are built in one batch, and the sell-price
search narrows its bracket by ITP: each is checked here against the direct
computation, including a universe whose pool changed state.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from rexos.dex import V2Pool, find_route, synthetic_pools
from rexos.dex import certificate as graph_cache
from rexos.dex import curves as curve_cache
from rexos.dex.certificate import PoolGraph
from rexos.dex.curves import _stable, build_table
from rexos.dex.dual import evaluate, solve_dual, tighten
from rexos.dex.stable import StablePool

_UNIT = 10**18


def _fresh(pools: list, sell: str, buy: str) -> PoolGraph:
    graph_cache._GRAPHS.clear()
    graph_cache._LEGS.clear()
    return PoolGraph(pools, sell, buy)


def test_cached_graph_equals_a_fresh_one_and_follows_a_new_pool_state() -> None:
    pools = synthetic_pools(60, seed=3)
    fresh = _fresh(pools, "USDC", "T4")
    cached = PoolGraph(list(pools), "USDC", "T4")  # another list, the same pool objects
    assert cached.legs == fresh.legs
    assert cached.index == fresh.index
    assert np.array_equal(cached.spot, fresh.spot)
    v2 = next(k for k, p in enumerate(pools) if isinstance(p, V2Pool))
    moved = list(pools)
    moved[v2] = replace(pools[v2], reserve0=pools[v2].reserve0 * 2)  # a new state
    after = PoolGraph(moved, "USDC", "T4")
    expected = _fresh(moved, "USDC", "T4")
    assert [leg.pool for leg in after.legs if leg.pool.id == moved[v2].id] == [moved[v2]] * 2
    assert all(leg.pool is moved[v2] for leg in after.legs if leg.pool.id == moved[v2].id)
    assert np.array_equal(after.spot, expected.spot)
    assert not np.array_equal(after.spot, fresh.spot)


def test_graph_keeps_to_the_trades_component() -> None:
    pools = [
        V2Pool("ab", "A", "B", 10 * _UNIT, 10 * _UNIT, 30),
        V2Pool("xy", "X", "Y", 10 * _UNIT, 10 * _UNIT, 30),
    ]
    graph = _fresh(pools, "A", "B")
    assert {leg.pool.id for leg in graph.legs} == {"ab"}
    assert PoolGraph(pools, "A", "Y").legs == ()
    assert PoolGraph(pools, "X", "Y").tokens == ("X", "Y")


def test_batched_stable_curves_equal_one_by_one() -> None:
    pools = [p for p in synthetic_pools(400, seed=5) if isinstance(p, StablePool)]
    assert len(pools) >= 2
    legs = [
        curve_cache.LegRef(pool, a, b)
        for pool in pools
        for a in pool.tokens
        for b in pool.tokens
        if a != b
    ]
    for bound in (False, True):
        curve_cache._CACHE.clear()
        table = build_table(legs, bound=bound)  # one batch
        curve_cache._CACHE.clear()
        single = [_stable(ref.pool, ref.token_in, ref.token_out, bound=bound) for ref in legs]
        h = np.concatenate([c.h for c in single], axis=1)
        lines = np.concatenate([c.lines for c in single], axis=1)
        assert np.array_equal(table.h_x, h[0]) and np.array_equal(table.h_y, h[1])
        assert np.array_equal(table.h_cap, h[3])
        assert np.array_equal(table.l_slope, lines[0]) and np.array_equal(table.l_cap, lines[1])


def test_tightened_sell_price_brackets_the_balance_point() -> None:
    pools = synthetic_pools(100, seed=11)
    graph = _fresh(pools, "USDC", "T5")
    legs = [leg for leg in graph.legs if leg.token_out != "USDC" and leg.token_in != "T5"]
    table = build_table(legs, bound=True)
    amount = 50_000 * 10**6
    prices = solve_dual(build_table(legs), "USDC", "T5", amount).prices
    tight = tighten(table, prices, "USDC", amount)
    s = table.tokens.index("USDC")

    def excess(price: float) -> float:
        trial = tight.copy()
        trial[s] = price
        return float(evaluate(table, trial, s, float(amount), upper=True).grad[s])

    assert excess(tight[s]) >= 0  # at or past where the legs take exactly the amount
    assert excess(tight[s] / (1 + 2e-9)) < 0  # and within the bracket's width of it
    assert np.array_equal(np.delete(tight, s), np.delete(prices, s))


def test_route_over_cached_graph_matches_a_cold_route() -> None:
    pools = synthetic_pools(200, seed=8)
    graph_cache._GRAPHS.clear()
    graph_cache._LEGS.clear()
    curve_cache._CACHE.clear()
    cold = find_route(pools, "USDC", "T6", 25_000 * 10**6)
    warm = find_route(pools, "USDC", "T6", 25_000 * 10**6)
    assert (warm.amount_out, warm.upper_bound_out, warm.fills) == (
        cold.amount_out,
        cold.upper_bound_out,
        cold.fills,
    )
