"""The routing certificate: an upper bound on what any trade over the whole pool graph gets.

Selling ``X`` of the sell token for the buy token through *every* pool given,
with any number of hops, any split and any cycle, is (for each pool in each
direction a concave curve ``fᵢ``) the convex routing problem of Angeris et al.,
*Optimal Routing for Constant Function Market Makers* (2022), and Diamandis et
al., *An Efficient Algorithm for Optimal Routing Through Constant Function
Market Makers* (2023). For any token prices ``ν ≥ 0`` with ``ν_buy = 1`` its
Lagrange dual

    g(ν) = ν_sell·X + Σᵢ max_{Δ ≥ 0} ( ν_out(i)·fᵢ(Δ) − ν_in(i)·Δ )

is at least the optimum (weak duality), whether or not ``ν`` minimises ``g``.
So the router may plan over fewer pools or stop its solver early: the bound is
``g`` evaluated here at the prices it found, over the whole graph.

Only the connected component of the pools that holds both tokens can move value
between them; a leg whose best marginal rate ``r̄`` (its rate at zero input: the
curves are concave) has ``ν_out·r̄ ≤ ν_in`` adds exactly nothing to ``g``, so only
the other legs need curves. Every other leg is evaluated on curves that lie
above its pool (:mod:`rexos.dex.curves`), in closed form, and the sum is raised
by a margin that covers float rounding before it is rounded up to an integer.
Splitting one pool's trade into several swaps never beats the single swap (the
fee stays in the pool), so the bound covers routes that use a pool repeatedly.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from rexos.dex.curves import LegRef, SegmentTable, build_table, pool_legs
from rexos.dex.pool import Pool
from rexos.errors import DexError

__all__ = ["PoolGraph"]

_LEGS: dict[int, tuple[Pool, list[LegRef], list[float]]] = {}
_LEGS_CACHE = 50_000
_GRAPHS: dict[tuple[int, ...], tuple[tuple[Pool, ...], dict[str, _Part]]] = {}
_GRAPHS_CACHE = 8
"""Pool universes whose components are kept (a node quotes over one or a few)."""
_SPOT_SLACK = 1e-12
"""Relative headroom on a leg's best rate, and on the test that drops a leg from ``g``."""
_MARGIN = 1e-9
"""Relative margin on ``g`` for float rounding (a 10⁻⁵ bps loosening)."""
_GROSS_MARGIN = 1e-12
"""Margin per unit of value traded (a term's rounding error scales with its parts, not with it)."""


class PoolGraph:
    """Every leg of every pool in the trade's connected component, with its best rate."""

    def __init__(self, pools: Sequence[Pool], sell: str, buy: str) -> None:
        part = _components(pools).get(buy)
        if part is None or sell not in part.index:
            part = _EMPTY_PART
        self.legs: tuple[LegRef, ...] = part.legs
        self.tokens: tuple[str, ...] = part.tokens
        self.index = part.index
        self.leg_in = part.leg_in
        self.leg_out = part.leg_out
        self.spot = part.spot

    def prices(self, tokens: Sequence[str], values: NDArray[np.float64]) -> NDArray[np.float64]:
        """Prices for all the graph's tokens: ``values`` for ``tokens``, the others extended.

        A token without a (positive) price gets the most it sells for at best
        rates into priced tokens (Bellman–Ford), so its own legs out add nothing.
        """
        nu = np.zeros(len(self.tokens))
        for token, value in zip(tokens, values, strict=True):
            if token in self.index:
                nu[self.index[token]] = max(float(value), 0.0)
        fixed = nu > 0
        for _ in range(len(self.tokens)):
            offered = np.zeros(len(self.tokens))
            np.maximum.at(offered, self.leg_in, self.spot * nu[self.leg_out])
            updated = np.where(fixed, nu, np.maximum(nu, offered))
            if np.array_equal(updated, nu):
                break
            nu = updated
        return nu

    def gaining(self, nu: NDArray[np.float64], within: float = 0.0) -> NDArray[np.bool_]:
        """Legs that may trade at a profit at prices ``nu`` (the rest add nothing to ``g``).

        ``within`` widens the test to legs whose best rate is short by less than
        that fraction (for picking legs to plan with, not for the bound).
        """
        result: NDArray[np.bool_] = self.spot * nu[self.leg_out] >= nu[self.leg_in] * (
            1 - max(within, _SPOT_SLACK)
        )
        return result & (nu[self.leg_out] > 0)

    def bound(self, nu: NDArray[np.float64], sell: str, buy: str, amount: int) -> int:
        """``g(ν)`` over the whole graph, rounded up with a safety margin: a valid upper bound.

        ``nu`` is rescaled so that ``ν_buy = 1`` (prices that are not finite, or
        leave the buy token unpriced, are replaced by the buy token's spot
        values); ``DexError`` if the sum still overflows.
        """
        nu = np.asarray(nu, dtype=np.float64)
        b = self.index[buy]
        if not nu[b] > 0 or not np.all(np.isfinite(nu)):
            nu = self.prices([buy], np.ones(1))
        nu = np.maximum(nu / nu[b], 0.0)
        nu[b] = 1.0
        legs = [self.legs[i] for i in np.flatnonzero(self.gaining(nu))]
        base = float(nu[self.index[sell]]) * float(amount)
        value, gross = base, 0.0
        if legs:
            table = build_table(legs, bound=True)
            local = np.array([nu[self.index[t]] for t in table.tokens])
            leg_value, leg_gross = _leg_values(table, local)
            value += float(leg_value.sum())
            gross += float(leg_gross.sum())
        if not math.isfinite(value + gross):
            raise DexError(f"no finite bound at these prices for {sell} → {buy}")
        return math.ceil(value * (1 + _MARGIN) + _GROSS_MARGIN * gross) + 1


@dataclass(frozen=True, slots=True)
class _Part:
    """One connected component of a pool universe: its legs in pool order, indexed."""

    legs: tuple[LegRef, ...]
    tokens: tuple[str, ...]
    index: dict[str, int]
    leg_in: NDArray[np.int64]
    leg_out: NDArray[np.int64]
    spot: NDArray[np.float64]


def _part(legs: list[LegRef], spots: list[float]) -> _Part:
    index: dict[str, int] = {}
    for ref in legs:
        index.setdefault(ref.token_in, len(index))
        index.setdefault(ref.token_out, len(index))
    part = _Part(
        tuple(legs),
        tuple(index),
        index,
        np.array([index[r.token_in] for r in legs], dtype=np.int64),
        np.array([index[r.token_out] for r in legs], dtype=np.int64),
        np.array(spots, dtype=np.float64) * (1 + _SPOT_SLACK),
    )
    for array in (part.leg_in, part.leg_out, part.spot):
        array.flags.writeable = False  # shared by every graph over these pools
    return part


_EMPTY_PART = _part([], [])


def _components(pools: Sequence[Pool]) -> dict[str, _Part]:
    """Each token's connected component (the pools joined by shared tokens), cached.

    Keyed by the pool objects' identities: the entry holds the pools, so no other
    object can take one of their ids while it lives (pools are immutable).
    """
    key = tuple(map(id, pools))
    hit = _GRAPHS.get(key)
    if hit is not None:
        return hit[1]
    adjacent: dict[str, set[str]] = defaultdict(set)
    for pool in pools:
        tokens = pool.tokens
        for a in tokens:
            adjacent[a].update(tokens)
    label: dict[str, int] = {}
    for start in adjacent:
        if start in label:
            continue
        label[start] = len(label)
        queue = deque([start])
        mark = label[start]
        while queue:
            for other in adjacent[queue.popleft()]:
                if other not in label:
                    label[other] = mark
                    queue.append(other)
    legs: dict[int, list[LegRef]] = defaultdict(list)
    spots: dict[int, list[float]] = defaultdict(list)
    for pool in pools:
        tokens = pool.tokens
        if tokens:
            mark = label[tokens[0]]
            pool_legs, pool_spots = _pool_legs(pool)
            legs[mark] += pool_legs
            spots[mark] += pool_spots
    parts = {mark: _part(legs[mark], spots[mark]) for mark in legs}
    by_token = {token: parts.get(mark, _EMPTY_PART) for token, mark in label.items()}
    if len(_GRAPHS) >= _GRAPHS_CACHE:
        _GRAPHS.pop(next(iter(_GRAPHS)))
    _GRAPHS[key] = (tuple(pools), by_token)
    return by_token


def _pool_legs(pool: Pool) -> tuple[list[LegRef], list[float]]:
    """The pool's legs (every ordered pair of its tokens) and their best rates, cached."""
    hit = _LEGS.get(id(pool))
    if hit is not None and hit[0] is pool:
        return hit[1], hit[2]
    legs, spots = pool_legs(pool)
    if len(_LEGS) >= _LEGS_CACHE:
        _LEGS.pop(next(iter(_LEGS)))
    _LEGS[id(pool)] = (pool, legs, spots)
    return legs, spots


def _leg_values(
    table: SegmentTable, nu: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Each leg's ``max_Δ ν_out·f(Δ) − ν_in·Δ`` on its bound curve, and the gross it trades.

    A hyperbolic segment ``f(δ) = Y·γδ/(X + γδ)``, ``0 ≤ δ ≤ cap``, is maximised in
    closed form: inside the cap the best value is ``(√(ν_out·Y) − √(ν_in·X/γ))²``,
    a sum of squares with no cancellation; at the cap it is evaluated there.
    Segments are maximised one by one (at least the leg's best trade). A leg of
    tangent lines capped at the pool's balance ``C`` has its best value at a
    breakpoint: a line's end or where the output reaches ``C``.
    """
    n = len(table.legs)
    value = np.zeros(n)
    gross = np.zeros(n)
    a_leg = nu[table.leg_in]
    b_leg = nu[table.leg_out]
    h = table.h_bound
    if h.any():
        legs = table.h_leg[h]
        a, b = a_leg[legs], b_leg[legs]
        x, y, g, cap = table.h_x[h], table.h_y[h], table.h_g[h], table.h_cap[h]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            best = np.where(a > 0, (np.sqrt(b * g * x * y / a) - x) / g, np.inf)
            interior = (best > 0) & (best < cap)
            at_cap = (best >= cap) & (b > 0)
            finite_cap = np.where(np.isfinite(cap), cap, 0.0)
            capped_out = np.where(np.isfinite(cap), y * g * finite_cap / (x + g * finite_cap), y)
            inside = (np.sqrt(b * y) - np.sqrt(a * x / g)) ** 2
            edge = b * capped_out - np.where(a > 0, a * cap, 0.0)
            seg = np.where(interior, inside, np.where(at_cap, np.maximum(edge, 0.0), 0.0))
            traded = np.where(interior, b * y, np.where(at_cap, b * capped_out + a * cap, 0.0))
        value += np.bincount(legs, seg, n)
        gross += np.bincount(legs, np.where(seg > 0, traded, 0.0), n)
    if len(table.l_leg):
        legs = table.l_leg
        a, b = a_leg[legs], b_leg[legs]
        limit = table.out_cap[legs]
        slope = table.l_slope
        with np.errstate(invalid="ignore", over="ignore"):
            end_in = table.l_in_before + table.l_cap
            end_out = table.l_out_before + slope * table.l_cap
            at_end = b * np.minimum(end_out, limit) - np.where(a > 0, a * end_in, 0.0)
            crosses = (table.l_out_before < limit) & (limit <= end_out)
            cross_in = table.l_in_before + (limit - table.l_out_before) / slope
            at_cross = np.where(crosses, b * limit - a * cross_in, -np.inf)
            points = np.nan_to_num(np.maximum(at_end, at_cross), nan=-np.inf)
        line_value = np.zeros(n)
        np.maximum.at(line_value, legs, points)
        value += line_value
        gross += np.where(line_value > 0, 2 * b_leg * table.out_cap, 0.0)
    return value, gross
