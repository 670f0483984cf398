"""The certificate holds over the whole pool graph: checked against an independent LP.

The independent solver shares no code with the router: each V2 pool in each
direction is replaced by chords of its exact constant-product curve on a fine
grid (chords of a concave curve lie below it), and scipy's HiGHS solves the
linear program "most buy token out, no other token's net flow negative, at most
X of the sell token in" over every pool, with any number of hops, splits and
loops. Its optimum is at most the true optimum, so a valid certificate is never
below it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from rexos.dex import Pool, V2Pool, find_route, replay
from rexos.dex.curves import LegRef
from rexos.dex.fills import executable
from rexos.dex.graph import run_path
from rexos.dex.router import Route
from rexos.errors import NoRoute

UNIT = 10**18
_GRID = np.concatenate(([0.0], np.logspace(-7, 2.5, 400)))


def lp_optimum(
    pools: list[V2Pool], sell: str, buy: str, amount: int, *, routable: bool = False
) -> float:
    """The chord LP's optimum in base units of ``buy`` (a lower bound on the true optimum);
    with ``routable``, over the trades a router can run: none buys ``sell`` back or sells
    ``buy``."""
    tokens = sorted({t for p in pools for t in p.tokens})
    row = {t: k for k, t in enumerate(tokens)}
    columns: list[tuple[int, int, float, float]] = []  # (row in, row out, slope, width)
    for pool in pools:
        for a, b in ((pool.token0, pool.token1), (pool.token1, pool.token0)):
            if routable and (b == sell or a == buy):
                continue
            x, y = (v / UNIT for v in pool.reserves(a))
            g = (10_000 - pool.fee_bps) / 10_000
            grid = np.unique(np.concatenate((_GRID * x, amount / UNIT * np.linspace(0, 1.5, 60))))
            out = y * g * grid / (x + g * grid)
            for k in range(len(grid) - 1):
                width = grid[k + 1] - grid[k]
                columns.append((row[a], row[b], (out[k + 1] - out[k]) / width, width))
    net = np.zeros((len(tokens), len(columns)))
    for c, (i, o, slope, _) in enumerate(columns):
        net[i, c] -= 1.0
        net[o, c] += slope
    keep = [k for k, t in enumerate(tokens) if t != buy]
    bounds_rhs = np.zeros(len(tokens))
    bounds_rhs[row[sell]] = amount / UNIT
    result = linprog(
        -net[row[buy]],
        A_ub=-net[keep],
        b_ub=bounds_rhs[keep],
        bounds=[(0.0, w) for *_, w in columns],
        method="highs",
    )
    assert result.status == 0, result.message
    return float(-result.fun) * UNIT


def _check_route(pools: list[V2Pool], route: Route) -> None:
    replay({p.id: p for p in pools}, route.fills)
    # RexRouter runs it as planned: pulls exactly the input, keeps nothing
    assert executable(route.fills, route.sell, route.buy, route.amount_in)
    net: dict[str, int] = defaultdict(int)
    for fill in route.fills:
        net[fill.token_in] -= fill.amount_in
        net[fill.token_out] += fill.amount_out
    assert net[route.sell] == -route.amount_in
    assert net[route.buy] == route.amount_out
    assert all(v == 0 for t, v in net.items() if t not in (route.sell, route.buy))
    assert route.best_single_out <= route.amount_out <= route.upper_bound_out


def _assert_certified(pools: list[V2Pool], route: Route, sell: str, buy: str, amount: int) -> float:
    best = lp_optimum(pools, sell, buy, amount)
    # the LP's own feasibility tolerance is the only slack, and it is in its favour
    assert route.upper_bound_out >= best * (1 - 1e-9), (route.upper_bound_out, best)
    return best


def _regression_pools() -> list[V2Pool]:
    """Issue 14's shape: 8 pools over 4 tokens; paths through the dear C→A pool beat B–D."""
    e = UNIT
    return [
        V2Pool("bd1", "B", "D", 1000 * e, 1000 * e, 30),
        V2Pool("bd2", "B", "D", 800 * e, 800 * e, 30),
        V2Pool("bc", "B", "C", 5000 * e, 5000 * e, 30),
        V2Pool("ca", "C", "A", 5000 * e, 5100 * e, 30),
        V2Pool("ad", "A", "D", 5000 * e, 5000 * e, 30),
        V2Pool("ab", "A", "B", 1000 * e, 900 * e, 30),
        V2Pool("cd", "C", "D", 1000 * e, 950 * e, 30),
        V2Pool("ac2", "A", "C", 300 * e, 290 * e, 30),
    ]


def test_the_three_hop_regression_is_certified_and_routed() -> None:
    pools = _regression_pools()
    amount = 50 * UNIT
    restricted = find_route(pools, "B", "D", amount, max_hops=3)
    _check_route(pools, restricted)
    best = _assert_certified(pools, restricted, "B", "D", amount)
    # the old bound equalled the restricted route's own output; the true gap is large
    true_gap = (best - restricted.amount_out) / best * 10_000
    assert true_gap > 50
    assert float(restricted.gap_bps) >= true_gap - 1e-3
    route = find_route(pools, "B", "D", amount)
    _check_route(pools, route)
    _assert_certified(pools, route, "B", "D", amount)
    assert "ca" in {f.pool for f in route.fills}  # the dear C–A pool, two hops from both
    # as good as any route a router can run (the rest of the optimum buys B back in a loop)
    assert route.amount_out >= lp_optimum(pools, "B", "D", amount, routable=True) * (1 - 1e-4)


def _chain(n_tokens: int, depth: int, skews: list[float], fee: int) -> list[V2Pool]:
    """A path T0 → … → Tn−1 of deep pools and a shallow direct pool 1 % dearer (no loop pays)."""
    pools = [
        V2Pool(f"hop{k}", f"T{k}", f"T{k + 1}", depth, int(depth * s), fee)
        for k, s in enumerate(skews[: n_tokens - 1])
    ]
    pools.append(V2Pool("direct", "T0", f"T{n_tokens - 1}", depth // 50, depth * 99 // 5000, fee))
    return pools


def test_a_four_hop_path_is_found_when_it_pays() -> None:
    pools = _chain(5, 10**6 * UNIT, [1.0, 1.0, 1.0, 1.0], 30)
    amount = 100 * UNIT
    route = find_route(pools, "T0", "T4", amount)
    _check_route(pools, route)
    best = _assert_certified(pools, route, "T0", "T4", amount)
    assert [f.pool for f in route.fills] == ["hop0", "hop1", "hop2", "hop3"]
    assert route.amount_out >= best * (1 - 5e-4)
    short = find_route(pools, "T0", "T4", amount, max_hops=3)
    assert [f.pool for f in short.fills] == ["direct"]
    assert short.upper_bound_out >= best * (1 - 1e-9)


def test_gas_keeps_a_long_path_only_while_it_pays() -> None:
    pools = _chain(5, 10**6 * UNIT, [1.0, 1.0, 1.0, 1.0], 30)
    amount = 100 * UNIT
    free = find_route(pools, "T0", "T4", amount)
    direct_out = pools[-1].swap("T0", "T4", amount)[0]
    # four fills cost more than the long path gains over one direct fill
    cost = (free.amount_out - direct_out) // 3 + 1
    paid = find_route(pools, "T0", "T4", amount, gas_cost_per_fill=cost)
    _check_route(pools, paid)
    assert [f.pool for f in paid.fills] == ["direct"]
    cheap = find_route(pools, "T0", "T4", amount, gas_cost_per_fill=cost // 100)
    assert len(cheap.fills) == 4


@st.composite
def _graphs(draw: st.DrawFn) -> tuple[list[V2Pool], str, str, int]:
    n_tokens = draw(st.integers(3, 6))
    tokens = [f"T{k}" for k in range(n_tokens)]
    value = [draw(st.floats(0.2, 5.0)) for _ in tokens]
    disagree = draw(st.sampled_from([0.001, 0.02, 0.2]))
    pools: list[V2Pool] = []
    if draw(st.booleans()):  # a deep chain: the best path has n − 1 hops
        for k in range(n_tokens - 1):
            depth = draw(st.integers(10**3, 10**5)) * UNIT
            pools.append(
                V2Pool(
                    f"c{k}",
                    tokens[k],
                    tokens[k + 1],
                    depth,
                    int(depth * value[k] / value[k + 1]),
                    30,
                )
            )
    for k in range(draw(st.integers(2, 12))):
        a, b = draw(st.lists(st.sampled_from(tokens), min_size=2, max_size=2, unique=True))
        depth = draw(st.integers(10, 10**4)) * UNIT
        skew = math.exp(draw(st.floats(-disagree, disagree)))
        ratio = value[tokens.index(a)] / value[tokens.index(b)] * skew
        fee = draw(st.sampled_from([5, 25, 30, 100]))
        pools.append(V2Pool(f"p{k}", a, b, depth, max(int(depth * ratio), 1), fee))
    amount = int(draw(st.floats(1e-4, 0.3)) * 1000 * UNIT)
    return pools, tokens[0], tokens[-1], max(amount, 1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_graphs())
@example(
    (
        _regression_pools(),
        "B",
        "D",
        50 * UNIT,
    )
)
def test_the_bound_holds_on_random_graphs(case: tuple[list[V2Pool], str, str, int]) -> None:
    pools, sell, buy, amount = case
    tokens = {t for p in pools for t in p.tokens}
    if sell not in tokens or buy not in tokens:
        return
    any_pools: list[Pool] = list(pools)
    for max_hops in (None, 2):
        try:
            route = find_route(any_pools, sell, buy, amount, max_hops=max_hops)
        except NoRoute:  # tokens not joined (or not within two hops): nothing to certify
            continue
        _check_route(pools, route)
        _assert_certified(pools, route, sell, buy, amount)


def test_an_arbitrage_loop_through_the_sell_token_runs_within_the_balance() -> None:
    """Two A–B pools 4 % apart: the optimum circulates far more than the trade round A→B→A.
    RexRouter pulls the trade's A once, so the route turns the loop in rounds from that
    balance (each a step on each pool), up to the fill cap: executable, better than without
    the loop, and its certificate says how much of the loop's worth is left."""
    e = UNIT
    pools = [
        V2Pool("ab1", "A", "B", 10_000 * e, 10_000 * e, 30),
        V2Pool("ab2", "A", "B", 10_000 * e, 10_400 * e, 30),
        V2Pool("bc", "B", "C", 1_000 * e, 1_000 * e, 30),
    ]
    amount = 10 * e
    route = find_route(pools, "A", "C", amount)
    _check_route(pools, route)
    assert any(f.token_out == "A" for f in route.fills)
    assert executable(route.fills, "A", "C", amount)
    no_loop = max(run_path([LegRef(p, "A", "B"), LegRef(pools[2], "B", "C")], amount)[1]
                  for p in pools[:2])  # fmt: skip
    assert route.amount_out > no_loop
    best = _assert_certified(pools, route, "A", "C", amount)
    assert route.amount_out < best  # the loop's worth is not all taken …
    shortfall = (best - route.amount_out) / best * 10_000
    assert route.gap_bps >= Decimal(shortfall * 0.999)  # … but shown in the gap
