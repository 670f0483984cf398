"""The SmartWallet router: the best exact-input route and a certificate of how good it is.

:func:`find_route` selects the legs that can matter (:mod:`rexos.dex.graph`),
turns them into concave curves (:mod:`rexos.dex.curves`), solves the convex
routing problem through its dual (:mod:`rexos.dex.dual`), turns the plan into
exact integer fills (:mod:`rexos.dex.fills`), drops legs whose gain is below
their gas cost and re-solves, and never returns less than the best single path.
``upper_bound_out`` is the dual bound: no split of the same input over the same
legs gets more, so ``gap_bps`` says how far the route can be from the best.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

import numpy as np
from numpy.typing import NDArray

from rexos.dex.baseline import grid_route
from rexos.dex.curves import SegmentTable, build_table
from rexos.dex.dual import solve_dual
from rexos.dex.fills import Fill, Leg, materialize
from rexos.dex.graph import candidate_legs, run_path
from rexos.dex.pool import Pool
from rexos.errors import DexError, InsufficientLiquidity, NoRoute, UsageError

__all__ = ["Route", "best_single_path", "find_route"]

_MAX_ROUNDS = 4


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
    token are traced back.
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
    paths = []
    for _, hop, last in sorted(found, reverse=True)[:keep]:
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
    table: SegmentTable, sell: str, buy: str, amount_in: int, max_hops: int
) -> tuple[list[Fill], int]:
    """The best route with one pool per hop (exact maths); ``NoRoute`` if none fills."""
    best: tuple[list[Fill], int] | None = None
    for path in _single_path_candidates(table, sell, buy, amount_in, max_hops):
        try:
            fills, out = run_path([table.legs[i] for i in path], amount_in)
        except InsufficientLiquidity:
            continue
        if out > 0 and (best is None or out > best[1]):
            best = (fills, out)
    if best is None:
        raise NoRoute(f"no pool path of at most {max_hops} hops fills {amount_in} {sell} → {buy}")
    return best


def _plan(
    table: SegmentTable, pools: dict[str, Pool], sell: str, buy: str, amount_in: int
) -> tuple[list[Fill] | None, int, float, NDArray[np.float64]]:
    """Solve the dual and realise its plan; ``None`` fills when the plan cannot be realised."""
    dual = solve_dual(table, sell, buy, amount_in)
    plan = [
        Leg(ref.pool.id, ref.token_in, ref.token_out, float(dual.plan_in[i]))
        for i, ref in enumerate(table.legs)
    ]
    try:
        fills, out = materialize(pools, sell, buy, amount_in, plan)
    except DexError:
        return None, 0, dual.upper_bound, dual.surplus
    return fills, out, dual.upper_bound, dual.surplus


def find_route(
    pools: Sequence[Pool],
    sell: str,
    buy: str,
    amount_in: int,
    *,
    max_hops: int = 3,
    gas_cost_per_fill: int = 0,
) -> Route:
    """The best route for selling exactly ``amount_in`` of ``sell`` for ``buy``.

    ``gas_cost_per_fill`` (buy-token base units) is what one more fill costs in
    gas; legs that gain less are dropped and the rest re-solved.
    """
    if amount_in <= 0:
        raise UsageError(f"amount in must be positive, got {amount_in}")
    if sell == buy:
        raise UsageError(f"cannot route {sell} to itself")
    if max_hops < 1:
        raise UsageError(f"max hops must be at least 1, got {max_hops}")
    started = time.perf_counter()
    by_id = {p.id: p for p in pools}
    legs = candidate_legs(pools, sell, buy, max_hops)
    if not legs:
        raise NoRoute(f"no pool path of at most {max_hops} hops joins {sell} to {buy}")
    full = build_table(legs)
    try:
        best_fills, best_out = best_single_path(full, sell, buy, amount_in, max_hops)
    except NoRoute:
        best_fills, best_out = [], 0
    single_out = best_out
    bound = math.inf
    table = full
    for round_ in range(_MAX_ROUNDS):
        fills, out, round_bound, surplus = _plan(table, by_id, sell, buy, amount_in)
        if round_ == 0:
            bound = round_bound
        if fills is None:
            break
        net = out - gas_cost_per_fill * len(fills)
        if net > best_out - gas_cost_per_fill * len(best_fills):
            best_fills, best_out = fills, out
        if gas_cost_per_fill == 0:
            break
        used = {(f.pool, f.token_in, f.token_out) for f in fills}
        in_use = np.array(
            [(r.pool.id, r.token_in, r.token_out) in used for r in table.legs], dtype=bool
        )
        weak = in_use & (surplus < gas_cost_per_fill)
        if not weak.any() or weak.sum() == in_use.sum():
            break
        table = table.subset(~weak)
    if not best_fills:  # the pruned single paths and the dual's plan both came up empty:
        try:  # an exhaustive grid over split paths may still fill it (exact fills)
            best_fills, best_out = grid_route(pools, sell, buy, amount_in, max_hops=max_hops)
        except NoRoute:
            raise NoRoute(
                f"no route of at most {max_hops} hops fills {amount_in} {sell} → {buy}"
            ) from None
    upper = max(best_out, math.ceil(bound) if math.isfinite(bound) else best_out)
    return Route(
        sell=sell,
        buy=buy,
        amount_in=amount_in,
        amount_out=best_out,
        fills=tuple(best_fills),
        upper_bound_out=upper,
        gap_bps=_gap_bps(best_out, upper),
        best_single_out=single_out,
        solve_ms=(time.perf_counter() - started) * 1000,
        gas_cost_per_fill=gas_cost_per_fill,
    )
