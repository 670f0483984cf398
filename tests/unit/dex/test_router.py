"""The router: exact fills, never worse than one path or the grid baseline, a valid bound."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rexos.dex import Pool, V2Pool, find_route, grid_route, replay, synthetic_pools
from rexos.dex.execute import router_steps
from rexos.dex.fills import MAX_FILLS, Fill, balances, executable
from rexos.dex.router import Route
from rexos.errors import DexError, NoRoute, UsageError

BUYS = ("T3", "T4", "T5", "USDT", "DAI", "T6", "T7")


def _net_flows(route: Route) -> dict[str, int]:
    net: dict[str, int] = defaultdict(int)
    for fill in route.fills:
        net[fill.token_in] -= fill.amount_in
        net[fill.token_out] += fill.amount_out
    return net


def _check(pools: list[Pool], route: Route) -> None:
    by_id = {p.id: p for p in pools}
    replay(by_id, route.fills)  # every output is the exact maths, in order
    net = _net_flows(route)
    assert net[route.sell] == -route.amount_in
    assert net[route.buy] == route.amount_out
    assert all(v == 0 for t, v in net.items() if t not in (route.sell, route.buy))
    assert route.best_single_out <= route.amount_out <= route.upper_bound_out
    assert route.gap_bps == Decimal(0) or route.gap_bps > 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n_pools=st.sampled_from([6, 20, 60]),
    buy=st.sampled_from(BUYS),
    usd=st.integers(10, 2_000_000),
)
@example(seed=1500, n_pools=20, buy="T5", usd=2_000_000)  # the grid fills it: "no route" is wrong
def test_routes_replay_exactly_and_respect_the_bound(
    seed: int, n_pools: int, buy: str, usd: int
) -> None:
    pools = synthetic_pools(n_pools, n_tokens=12, seed=seed)
    try:
        route = find_route(pools, "USDC", buy, usd * 10**6)
    except NoRoute as exc:
        _check_no_route(pools, buy, usd * 10**6, exc)
        return
    _check(pools, route)


def _hops(pools: list[Pool], sell: str, buy: str) -> int | None:
    """Fewest pools from ``sell`` to ``buy`` (breadth first over the pools' tokens)."""
    seen, frontier, hops = {sell}, {sell}, 0
    while frontier and buy not in frontier:
        frontier = {t for p in pools if frontier & set(p.tokens) for t in p.tokens} - seen
        seen |= frontier
        hops += 1
    return hops if buy in frontier else None


def _check_no_route(pools: list[Pool], buy: str, amount: int, exc: NoRoute) -> None:
    """A "no route" only when it is so: no path of pools joins the tokens, or one does and
    the grid baseline (an independent search over single and split paths as long as the
    shortest) cannot fill the amount either."""
    hops = _hops(pools, "USDC", buy)
    if hops is None:
        assert "joins" in str(exc), exc
        return
    assert "fills" in str(exc), exc
    with pytest.raises(NoRoute):
        grid_route(pools, "USDC", buy, amount, max_hops=max(hops, 3))


def test_parallel_pools_split_to_the_brute_force_optimum() -> None:
    pools: list[Pool] = [
        V2Pool("a", "X", "Y", 10**24, 2 * 10**24, 30),
        V2Pool("b", "X", "Y", 4 * 10**23, 8 * 10**23, 25),
    ]
    amount = 10**23

    def split_out(to_a: int) -> int:
        a = pools[0].swap("X", "Y", to_a)[0] if to_a else 0
        rest = amount - to_a
        return a + (pools[1].swap("X", "Y", rest)[0] if rest else 0)

    low, high = 0, amount  # the output is concave in the split: ternary search
    while high - low > 2:
        m1, m2 = low + (high - low) // 3, high - (high - low) // 3
        if split_out(m1) < split_out(m2):
            low = m1
        else:
            high = m2
    best = max(split_out(k) for k in range(low, high + 1))
    route = find_route(pools, "X", "Y", amount)
    _check(pools, route)
    assert route.upper_bound_out >= best
    assert best - route.amount_out <= best // 10**9  # within 0.00001 bps
    assert route.amount_out > max(split_out(0), split_out(amount))


def test_a_split_route_beats_the_best_single_pool_and_the_grid() -> None:
    pools: list[Pool] = [
        V2Pool("uni", "WETH", "USDC", 1_000 * 10**18, 3_000_000 * 10**6, 30),
        V2Pool("cake", "WETH", "USDC", 400 * 10**18, 1_210_000 * 10**6, 25),
        V2Pool("sushi", "USDT", "WETH", 900_000 * 10**6, 300 * 10**18, 30),
        V2Pool("stables", "USDT", "USDC", 5_000_000 * 10**6, 5_000_000 * 10**6, 5),
    ]
    amount = 100 * 10**18
    route = find_route(pools, "WETH", "USDC", amount)
    _check(pools, route)
    _, grid_out = grid_route(pools, "WETH", "USDC", amount)
    assert route.amount_out > grid_out > route.best_single_out
    assert {f.pool for f in route.fills} == {"uni", "cake", "sushi", "stables"}
    assert route.gap_bps < 1


@pytest.mark.parametrize("seed", range(6))
def test_never_worse_than_the_grid_baseline_on_large_trades(seed: int) -> None:
    pools = synthetic_pools(40, n_tokens=10, seed=seed, kinds=("v2", "v3"))
    for buy in ("T3", "T4", "USDT"):
        try:
            route = find_route(pools, "USDC", buy, 200_000 * 10**6)
            _, grid_out = grid_route(pools, "USDC", buy, 200_000 * 10**6)
        except NoRoute:
            continue
        _check(pools, route)
        assert route.amount_out >= grid_out


def test_gas_cost_drops_legs_that_do_not_pay_for_themselves() -> None:
    pools: list[Pool] = [
        V2Pool("deep", "X", "Y", 10**24, 10**24, 30),
        *(V2Pool(f"dust{k}", "X", "Y", 10**19, 10**19, 30) for k in range(5)),
    ]
    amount = 10**22
    free = find_route(pools, "X", "Y", amount)
    assert len(free.fills) == 6
    cost = 10**17  # far more than a dust pool adds
    paid = find_route(pools, "X", "Y", amount, gas_cost_per_fill=cost)
    _check(pools, paid)
    assert [f.pool for f in paid.fills] == ["deep"]
    assert paid.net_out >= free.amount_out - cost * len(free.fills)


def test_bad_requests_are_refused() -> None:
    pools: list[Pool] = [V2Pool("a", "X", "Y", 10**20, 10**20, 30), V2Pool("b", "Z", "W", 1, 1, 30)]
    with pytest.raises(NoRoute):
        find_route(pools, "X", "W", 10**18)
    with pytest.raises(UsageError, match="positive"):
        find_route(pools, "X", "Y", 0)
    with pytest.raises(UsageError, match="itself"):
        find_route(pools, "X", "X", 10)


def test_route_json_is_the_stable_file_contract() -> None:
    pools: list[Pool] = [V2Pool("a", "X", "Y", 10**20, 10**20, 30)]
    doc = find_route(pools, "X", "Y", 10**18).to_json()
    assert set(doc) == {
        "amount_in",
        "amount_out",
        "fills",
        "upper_bound_out",
        "gap_bps",
        "solve_ms",
    }
    assert doc["amount_in"] == str(10**18)
    assert doc["fills"][0]["pool"] == "a" and int(doc["fills"][0]["amount_out"]) > 0
    assert math.isfinite(doc["solve_ms"])


def test_router_steps_refuse_a_route_rexrouter_would_not_run_as_planned() -> None:
    """A fill selling more than the router holds at that point (it pulls ``amount_in`` once,
    and every step spends its own balance) would revert: refused before any step is built."""
    e = 10**18
    pools = [V2Pool("ab1", "A", "B", 10_000 * e, 10_000 * e, 30),
             V2Pool("ab2", "A", "B", 10_000 * e, 10_400 * e, 30)]  # fmt: skip
    fills = (
        Fill("ab2", "A", "B", 10 * e, 10 * e),
        Fill("ab1", "B", "A", 11 * e, 10 * e),  # more B than the first fill bought
        Fill("ab2", "A", "B", 10 * e, 11 * e),
    )
    looped = Route("A", "B", 10 * e, 11 * e, fills, 12 * e, Decimal(0), 10 * e, 0.0, 0)
    with pytest.raises(DexError, match="cannot run this route"):
        router_steps(looped, pools)


def _disagreeing(seed: int) -> tuple[list[Pool], int]:
    """Parallel and crossing V2 pools over A, B, C whose prices disagree by up to 3 %."""
    rng = random.Random(seed)
    e = 10**18
    pools: list[Pool] = []
    for k in range(rng.randint(3, 12)):
        a, b = rng.sample("ABC", 2)
        depth = rng.randint(1_000, 1_000_000)
        skew = 1 + rng.uniform(-0.03, 0.03)
        fee = rng.choice((5, 30, 100))
        pools.append(V2Pool(f"p{k}", a, b, depth * e, int(depth * skew * e), fee))
    return pools, rng.randint(1, 3_000) * e


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6))
def test_loops_through_the_sold_and_bought_tokens_run_within_the_router_balance(
    seed: int,
) -> None:
    """Pools that disagree by more than their fees: the route runs the arbitrage loops the
    optimum uses (through A and C too), as steps RexRouter runs from one balance, exact to
    the wei, and never worse than the route without loops through A or C."""
    pools, amount = _disagreeing(seed)
    try:
        route = find_route(pools, "A", "C", amount)
    except NoRoute:
        return
    _check(pools, route)
    held = balances(route.fills, "A", amount)
    assert held is not None, "no step sells more than the router holds"
    assert all(v == 0 for t, v in held.items() if t != "C") and held["C"] == route.amount_out
    steps = router_steps(route, pools)
    zeros = [n for n, step in enumerate(steps) if step[-1] == 0]
    for n in zeros:  # "all the router holds" only where the fill sells exactly that
        seller = route.fills[n].token_in
        assert all(f.token_in != seller for f in route.fills[n + 1 :])
    routable = [leg for leg in route.fills if leg.token_out != "A" and leg.token_in != "C"]
    assert len(routable) <= len(route.fills)
    assert route.amount_out >= route.best_single_out


@pytest.mark.parametrize(("premium", "max_gap_bps"), [(1_005, 1), (1_040, None)])
def test_a_loop_through_the_sold_token_runs_in_rounds_or_is_truncated(
    premium: int, max_gap_bps: int | None
) -> None:
    """Two A/B pools apart by more than their fees and a deep A/C pool: buying B cheap on one
    and selling it back dear on the other returns more A than it cost, so the route loops
    before selling A. A loop the balance can turn in a few rounds runs nearly in full
    (0.5 % apart); one far larger than the balance (4 % apart) is truncated at the fill cap,
    still paying more than the trade without it, and the certificate says how far it is."""
    e = 10**18
    pools: list[Pool] = [
        V2Pool("cheap", "A", "B", 100_000 * e, 100 * premium * e, 5),
        V2Pool("dear", "A", "B", 100_000 * e, 100_000 * e, 5),
        V2Pool("out", "A", "C", 1_000_000 * e, 1_000_000 * e, 30),
    ]
    route = find_route(pools, "A", "C", 10 * e)
    _check(pools, route)
    direct = pools[2].swap("A", "C", 10 * e)[0]
    assert route.amount_out > direct
    assert {f.pool for f in route.fills} == {"cheap", "dear", "out"}
    assert executable(route.fills, "A", "C", 10 * e)
    assert len(route.fills) <= MAX_FILLS + 2
    if max_gap_bps is not None:
        assert route.gap_bps < max_gap_bps
    else:
        assert route.gap_bps > 100  # truncated: the certificate does not pretend otherwise
