"""The SmartWallet router: the best exact-input route and a certificate of how good it is.

:func:`find_route` looks at every pool in the trade's connected component
(:class:`~rexos.dex.certificate.PoolGraph`): each pool in each direction is a
*leg* with a concave curve (:mod:`rexos.dex.curves`). It solves the convex
routing problem through its dual (:mod:`rexos.dex.dual`) over the legs that can
matter, adding any leg of the graph that would gain at the prices found (column
generation), so paths of any length, splits and loops among the intermediate
tokens are in reach (never a leg buying the sell token back or selling the buy
token: RexRouter could not run it in one swap). The plan becomes exact integer
fills (:mod:`rexos.dex.fills`, loops included);
legs whose gain is below their gas cost are dropped and the rest re-solved; the
route is never worse than the best single path.

``upper_bound_out`` is ``g(ν)`` over the *whole* graph at the prices found
(:meth:`~rexos.dex.certificate.PoolGraph.bound`): no set of trades over the
given pools gets more, whatever ``max_hops`` restricts the route to, so
``gap_bps`` says how far the route can be from the best.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

import numpy as np
from numpy.typing import NDArray

from rexos.dex.baseline import grid_route
from rexos.dex.certificate import PoolGraph
from rexos.dex.curves import LegRef, SegmentTable, build_table
from rexos.dex.dual import DualResult, solve_dual, tighten
from rexos.dex.fills import Fill, Leg, executable, materialize
from rexos.dex.graph import candidate_legs, run_path
from rexos.dex.pool import Pool
from rexos.errors import DexError, InsufficientLiquidity, NoRoute, UsageError

__all__ = ["Route", "best_single_path", "find_route"]

_MAX_ROUNDS = 4
_WHOLE_GRAPH_LEGS = 600
"""Up to this many legs the plan starts from the whole graph; beyond, from the legs near parity."""
_NEAR = 0.0002
_SELL_NEAR = 0.01
"""Planning starts from the legs within ``_NEAR`` of parity, and the sell token's within this."""
_START_HOPS = 3
_COLUMN_ROUNDS = 3
_PATH_HOPS = 6
"""Longest single path tried (with ``max_hops`` unset) for the never-worse-than-one-path floor."""
_DUST = 1e-9


@dataclass(frozen=True, slots=True)
class Route:
    """An exact-input route: fills in execution order, the output, and its certificate."""

    sell: str
    buy: str
    amount_in: int
    amount_out: int
    fills: tuple[Fill, ...]
    upper_bound_out: int
    gap_bps: Decimal
    best_single_out: int
    solve_ms: float
    gas_cost_per_fill: int = 0

    @property
    def net_out(self) -> int:
        """Output less the gas cost of the fills, in buy-token base units."""
        return self.amount_out - self.gas_cost_per_fill * len(self.fills)

    def to_json(self) -> dict[str, Any]:
        """The route in the stable ``rexos route --json`` form (integers as decimal strings)."""
        return {
            "amount_in": str(self.amount_in),
            "amount_out": str(self.amount_out),
            "fills": [
                {
                    "pool": f.pool,
                    "token_in": f.token_in,
                    "token_out": f.token_out,
                    "amount_in": str(f.amount_in),
                    "amount_out": str(f.amount_out),
                }
                for f in self.fills
            ],
            "upper_bound_out": str(self.upper_bound_out),
            "gap_bps": str(self.gap_bps),
            "solve_ms": round(self.solve_ms, 3),
        }


def _gap_bps(out: int, bound: int) -> Decimal:
    if bound <= 0:
        return Decimal(0)
    gap = Decimal(max(bound - out, 0)) * 10_000 / Decimal(bound)
    return gap.quantize(Decimal("0.0001"), rounding=ROUND_CEILING)


def _single_path_candidates(
    table: SegmentTable, sell: str, buy: str, amount_in: int, max_hops: int, keep: int = 4
) -> list[list[int]]:
    """The most promising one-pool-per-hop paths (as leg indices), by the continuous curves.

    A Bellman–Ford pass per hop keeps, for every token, the largest amount any
    path of that many hops delivers; the best ``keep`` last legs into the buy
    token, and the best of each path length (fewer fills pay less gas), are
    traced back.
    """
    n_tokens = len(table.tokens)
    s, b = table.tokens.index(sell), table.tokens.index(buy)
    amount = np.full(n_tokens, -np.inf)
    amount[s] = float(amount_in)
    back: list[NDArray[np.int64]] = []
    found: list[tuple[float, int, int]] = []
    for hop in range(max_hops):
        reach = table.outputs(np.maximum(amount[table.leg_in], 0.0))
        reach[~np.isfinite(amount[table.leg_in])] = -np.inf
        best = np.full(n_tokens, -np.inf)
        np.maximum.at(best, table.leg_out, reach)
        pred = np.full(n_tokens, -1, dtype=np.int64)
        winners = np.flatnonzero((reach == best[table.leg_out]) & np.isfinite(reach))
        pred[table.leg_out[winners]] = winners
        into_buy = np.flatnonzero((table.leg_out == b) & np.isfinite(reach))
        found += [(float(reach[i]), hop, int(i)) for i in into_buy]
        back.append(pred)
        amount = np.where(np.isfinite(best), best, -np.inf)
        amount[s] = -np.inf
    ranked = sorted(found, reverse=True)
    per_length = {hop: (reach, hop, last) for reach, hop, last in reversed(ranked)}
    paths = []
    for _, hop, last in dict.fromkeys([*ranked[:keep], *sorted(per_length.values())]):
        path = [last]
        for h in range(hop - 1, -1, -1):
            prev = int(back[h][table.leg_in[path[0]]])
            if prev < 0:
                break
            path.insert(0, prev)
        if table.legs[path[0]].token_in == sell:
            paths.append(path)
    return paths


def best_single_path(
    table: SegmentTable,
    sell: str,
    buy: str,
    amount_in: int,
    max_hops: int,
    gas_cost_per_fill: int = 0,
) -> tuple[list[Fill], int]:
    """The best route with one pool per hop (exact maths, net of gas); ``NoRoute`` if none fills."""
    best: tuple[list[Fill], int] | None = None
    for path in _single_path_candidates(table, sell, buy, amount_in, max_hops):
        try:
            fills, out = run_path([table.legs[i] for i in path], amount_in)
        except InsufficientLiquidity:
            continue
        net = out - gas_cost_per_fill * len(fills)
        if out > 0 and (best is None or net > best[1] - gas_cost_per_fill * len(best[0])):
            best = (fills, out)
    if best is None:
        raise NoRoute(f"no pool path of at most {max_hops} hops fills {amount_in} {sell} → {buy}")
    return best


def _solve(
    graph: PoolGraph,
    legs: Sequence[LegRef],
    sell: str,
    buy: str,
    amount_in: int,
    *,
    grow: bool,
    start: NDArray[np.float64] | None = None,
    routable_only: bool = False,
) -> tuple[SegmentTable, DualResult, NDArray[np.float64]]:
    """Solve the dual over ``legs``; with ``grow``, add the graph's legs that gain at its prices.

    Column generation: a leg outside the table whose best rate beats the prices
    found would pay, so it joins and the dual is solved again (warm), until no
    leg of the whole graph gains or ``_COLUMN_ROUNDS`` pass. Returns the table,
    its dual and the prices extended to the whole graph.
    """
    table = build_table(legs)
    dual = solve_dual(table, sell, buy, amount_in, _local(graph, table, start))
    nu = graph.prices(table.tokens, dual.prices)
    for _ in range(_COLUMN_ROUNDS if grow else 0):
        have = {(r.pool.id, r.token_in, r.token_out) for r in table.legs}
        extra = [
            graph.legs[i]
            for i in np.flatnonzero(graph.gaining(nu))
            if (graph.legs[i].pool.id, graph.legs[i].token_in, graph.legs[i].token_out) not in have
            and (not routable_only or _routable(graph.legs[i], sell, buy))
        ]
        if not extra:
            break
        table = table.joined(build_table(extra))
        dual = solve_dual(table, sell, buy, amount_in, _local(graph, table, nu))
        nu = graph.prices(table.tokens, dual.prices)
    return table, dual, nu


def _routable(leg: LegRef, sell: str, buy: str) -> bool:
    """Whether RexRouter can run ``leg`` inside a route: it never buys the sell token back
    (the router would keep it while pulling more from the sender) nor sells the buy token
    (the router pays it straight to the recipient). See :func:`~rexos.dex.fills.executable`."""
    return leg.token_out != sell and leg.token_in != buy


def _tight_prices(
    graph: PoolGraph,
    table: SegmentTable,
    prices: NDArray[np.float64],
    sell: str,
    amount_in: int,
) -> NDArray[np.float64]:
    """The dual's prices with the sell price tightened (:func:`tighten`), graph-wide.

    Only the legs that trade near these prices, and the sell token's, can move
    ``g`` along the sell price, so the search runs on their bound curves (any
    prices give a valid bound: this only picks which).
    """
    s = table.tokens.index(sell)
    near = (table.spot() * prices[table.leg_out] >= prices[table.leg_in] * (1 - 1e-6)) | (
        (table.leg_in == s) | (table.leg_out == s)
    )
    bound_table = build_table([table.legs[i] for i in np.flatnonzero(near)], bound=True)
    if sell not in bound_table.tokens:
        return graph.prices(table.tokens, prices)
    local = np.array([prices[table.tokens.index(t)] for t in bound_table.tokens])
    tightened = prices.copy()
    tightened[s] = tighten(bound_table, local, sell, amount_in)[bound_table.tokens.index(sell)]
    return graph.prices(table.tokens, tightened)


def _local(
    graph: PoolGraph, table: SegmentTable, nu: NDArray[np.float64] | None
) -> NDArray[np.float64] | None:
    """The graph-wide prices ``nu`` for ``table``'s tokens."""
    if nu is None:
        return None
    return np.array([nu[graph.index[t]] for t in table.tokens])


def _plan(
    table: SegmentTable,
    dual: DualResult,
    pools: dict[str, Pool],
    sell: str,
    buy: str,
    amount_in: int,
    gas_cost_per_fill: int = 0,
) -> tuple[list[Fill] | None, int]:
    """Realise the dual's plan as exact fills; ``None`` when it cannot be realised.

    Flows worth less than ``_DUST`` of the trade (solver noise) are left out; loops run
    in rounds while a round gains more than its gas at the dual's prices
    (:func:`~rexos.dex.fills.materialize`).
    """
    worth = dual.plan_in * dual.prices[table.leg_in]
    floor = _DUST * amount_in * dual.prices[table.tokens.index(sell)]
    plan = [
        Leg(ref.pool.id, ref.token_in, ref.token_out, float(dual.plan_in[i]))
        for i, ref in enumerate(table.legs)
        if worth[i] > floor
    ]
    values = {t: float(v) for t, v in zip(table.tokens, dual.prices, strict=True)}
    try:
        return materialize(
            pools, sell, buy, amount_in, plan, values=values, gas_cost_per_fill=gas_cost_per_fill
        )
    except DexError:
        return None, 0


def _pruned(
    table: SegmentTable,
    dual: DualResult,
    pools: dict[str, Pool],
    sell: str,
    buy: str,
    amount_in: int,
    gas_cost_per_fill: int,
    best: tuple[list[Fill], int],
) -> tuple[list[Fill], int]:
    """The best of ``best`` and the dual's plan, re-solved without the legs that do not pay
    for their gas (up to ``_MAX_ROUNDS`` times)."""
    best_fills, best_out = best
    for _ in range(_MAX_ROUNDS):
        fills, out = _plan(table, dual, pools, sell, buy, amount_in, gas_cost_per_fill)
        if fills is None:
            break
        net = out - gas_cost_per_fill * len(fills)
        runs = executable(fills, sell, buy, amount_in)
        if runs and net > best_out - gas_cost_per_fill * len(best_fills):
            best_fills, best_out = fills, out
        if gas_cost_per_fill == 0:
            break
        used = {(f.pool, f.token_in, f.token_out) for f in fills}
        in_use = np.array(
            [(r.pool.id, r.token_in, r.token_out) in used for r in table.legs], dtype=bool
        )
        weak = in_use & (dual.surplus < gas_cost_per_fill)
        if not weak.any() or weak.sum() == in_use.sum():
            break
        table = table.subset(~weak)
        dual = solve_dual(table, sell, buy, amount_in, dual.prices)
    return best_fills, best_out


@dataclass(frozen=True, slots=True)
class _Found:
    """The best fills found for one trade, and the dual solution they came from."""

    fills: list[Fill]
    out: int
    single_out: int
    table: SegmentTable
    dual: DualResult
    bound_nu: NDArray[np.float64]
    tight: NDArray[np.float64]


def _route(
    pools: Sequence[Pool],
    graph: PoolGraph,
    sell: str,
    buy: str,
    amount_in: int,
    max_hops: int | None,
    gas_cost_per_fill: int,
) -> _Found:
    """Plan over the graph, realise the plan as fills (gas-pruned), keep the best vs one path."""
    by_id = {p.id: p for p in pools}
    if max_hops is None and len(graph.legs) <= _WHOLE_GRAPH_LEGS:
        legs: Sequence[LegRef] = graph.legs
    elif max_hops is None:  # the legs near parity at spot prices (wider out of sell)
        spot_nu = graph.prices([buy], np.ones(1))
        out_of_sell = graph.leg_in == graph.index[sell]
        near = graph.gaining(spot_nu, _NEAR) | (out_of_sell & graph.gaining(spot_nu, _SELL_NEAR))
        legs = [graph.legs[i] for i in np.flatnonzero(near)]
    else:
        legs = candidate_legs(pools, sell, buy, max_hops or _START_HOPS)
        if not legs:
            raise NoRoute(f"no pool path of at most {max_hops} hops joins {sell} to {buy}")
    legs = [leg for leg in legs if _routable(leg, sell, buy)]
    if not legs:
        raise NoRoute(f"no pool path joins {sell} to {buy}")
    table, dual, nu = _solve(
        graph, legs, sell, buy, amount_in, grow=max_hops is None, routable_only=True
    )
    bound_table, bound_dual, bound_nu = table, dual, nu
    # the legs a route cannot run (see _routable): into the sell token, out of the buy token
    excluded = (graph.leg_out == graph.index[sell]) | (graph.leg_in == graph.index[buy])
    if max_hops is not None or (excluded & graph.gaining(nu)).any():
        # the route is restricted (hops, or legs a route cannot run: an arbitrage loop
        # through the sell or buy token), the certificate is not
        bound_table, bound_dual, bound_nu = _solve(
            graph, table.legs, sell, buy, amount_in, grow=True, start=nu
        )
    tight = _tight_prices(graph, bound_table, bound_dual.prices, sell, amount_in)
    planned = table, dual
    hops = max_hops or max(1, min(len(table.tokens) - 1, _PATH_HOPS))
    try:
        best_fills, best_out = best_single_path(
            table, sell, buy, amount_in, hops, gas_cost_per_fill
        )
    except NoRoute:
        best_fills, best_out = [], 0
    single_out = best_out
    best = _pruned(
        table, dual, by_id, sell, buy, amount_in, gas_cost_per_fill, (best_fills, best_out)
    )
    if max_hops is None and bound_table is not table:
        # loops through the sell or the buy token gain: the whole graph's plan, run in rounds
        best = _pruned(
            bound_table, bound_dual, by_id, sell, buy, amount_in, gas_cost_per_fill, best
        )
    best_fills, best_out = best
    if not best_fills:  # the pruned single paths and the dual's plan both came up empty:
        try:  # an exhaustive grid over split paths may still fill it (exact fills)
            best_fills, best_out = grid_route(
                pools, sell, buy, amount_in, max_hops=max_hops or _START_HOPS
            )
        except NoRoute:
            raise NoRoute(f"no route fills {amount_in} {sell} → {buy}") from None
    return _Found(best_fills, best_out, single_out, *planned, bound_nu, tight)


def find_route(
    pools: Sequence[Pool],
    sell: str,
    buy: str,
    amount_in: int,
    *,
    max_hops: int | None = None,
    gas_cost_per_fill: int = 0,
) -> Route:
    """The best route for selling exactly ``amount_in`` of ``sell`` for ``buy``.

    ``max_hops`` limits the pools per path of the route (``None``: the whole
    graph, any path length); the certificate always covers the whole graph.
    ``gas_cost_per_fill`` (buy-token base units) is what one more fill costs in
    gas; legs that gain less are dropped and the rest re-solved. Every route
    returned is one RexRouter runs as planned (:func:`~rexos.dex.fills.executable`):
    every fill spends what the router holds at its turn, arbitrage loops through
    any token (the sold and the bought one included) run in rounds within that
    balance, and what a truncated loop leaves shows in ``gap_bps``.
    """
    if amount_in <= 0:
        raise UsageError(f"amount in must be positive, got {amount_in}")
    if sell == buy:
        raise UsageError(f"cannot route {sell} to itself")
    if max_hops is not None and max_hops < 1:
        raise UsageError(f"max hops must be at least 1, got {max_hops}")
    started = time.perf_counter()
    graph = PoolGraph(pools, sell, buy)
    if not graph.legs:
        raise NoRoute(f"no pool path joins {sell} to {buy}")
    found = _route(pools, graph, sell, buy, amount_in, max_hops, gas_cost_per_fill)
    best_fills, best_out = found.fills, found.out
    bound = min(
        graph.bound(found.bound_nu, sell, buy, amount_in),
        graph.bound(found.tight, sell, buy, amount_in),
    )
    upper = max(best_out, bound)
    return Route(
        sell=sell,
        buy=buy,
        amount_in=amount_in,
        amount_out=best_out,
        fills=tuple(best_fills),
        upper_bound_out=upper,
        gap_bps=_gap_bps(best_out, upper),
        best_single_out=found.single_out,
        solve_ms=(time.perf_counter() - started) * 1000,
        gas_cost_per_fill=gas_cost_per_fill,
    )
