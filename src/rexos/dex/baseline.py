"""The aggregator baseline the router is measured against: a 5 % grid with up to 3 splits.

This is how today's routers split an order: enumerate pool-level paths, quote
each one for 5 %, 10 %, …, 100 % of the input, and pick the best combination
of at most three pool-disjoint paths whose percentages add up to 100 %. It is
exact (every quote uses the pools' exact maths) but coarse.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations, pairwise

from rexos.dex.curves import LegRef
from rexos.dex.fills import Fill
from rexos.dex.graph import candidate_legs, run_path, token_paths
from rexos.dex.pool import Pool
from rexos.errors import DexError, NoRoute

__all__ = ["grid_route"]


def _pool_paths(
    legs: Sequence[LegRef], sell: str, buy: str, max_hops: int, limit: int
) -> list[tuple[LegRef, ...]]:
    by_pair: dict[tuple[str, str], list[LegRef]] = {}
    for leg in legs:
        by_pair.setdefault((leg.token_in, leg.token_out), []).append(leg)
    paths: list[tuple[LegRef, ...]] = [()]
    found: list[tuple[LegRef, ...]] = []
    for tokens in token_paths(legs, sell, buy, max_hops):
        paths = [()]
        for a, b in pairwise(tokens):
            paths = [
                (*p, leg)
                for p in paths
                for leg in by_pair[(a, b)]
                if leg.pool.id not in {q.pool.id for q in p}
            ]
        found += paths
        if len(found) >= limit * 20:
            break
    return found


def grid_route(
    pools: Sequence[Pool],
    sell: str,
    buy: str,
    amount_in: int,
    *,
    max_hops: int = 3,
    step_pct: int = 5,
    max_splits: int = 3,
    max_paths: int = 12,
) -> tuple[list[Fill], int]:
    """The best ``step_pct``-grid split over at most ``max_splits`` disjoint paths."""
    legs = candidate_legs(pools, sell, buy, max_hops)
    steps = 100 // step_pct
    quotes: list[tuple[tuple[LegRef, ...], list[int]]] = []
    for path in _pool_paths(legs, sell, buy, max_hops, max_paths):
        row = [0]
        for k in range(1, steps + 1):
            part = amount_in * k // steps
            try:
                row.append(run_path(path, part)[1])
            except DexError:
                row.append(-1)
        quotes.append((path, row))
    quotes.sort(key=lambda q: q[1][steps], reverse=True)
    quotes = quotes[:max_paths]
    if not quotes or quotes[0][1][steps] <= 0:
        raise NoRoute(f"no single path fills {amount_in} {sell} → {buy}")
    best_value = quotes[0][1][steps]
    best_pick: tuple[tuple[int, int], ...] = ((0, steps),)
    for n in range(2, max_splits + 1):
        for group in combinations(range(len(quotes)), n):
            ids = [{leg.pool.id for leg in quotes[g][0]} for g in group]
            if sum(len(s) for s in ids) != len(set().union(*ids)):
                continue
            for split in _splits(steps, n):
                rows = [quotes[g][1][k] for g, k in zip(group, split, strict=True)]
                if min(rows) < 0:
                    continue
                value = sum(rows)
                if value > best_value:
                    best_value, best_pick = value, tuple(zip(group, split, strict=True))
    fills: list[Fill] = []
    total = 0
    spent = 0
    for n, (g, k) in enumerate(best_pick):
        part = amount_in - spent if n == len(best_pick) - 1 else amount_in * k // steps
        spent += part
        path_fills, out = run_path(quotes[g][0], part)
        fills += path_fills
        total += out
    return fills, total


def _splits(steps: int, n: int) -> list[tuple[int, ...]]:
    """Ways to write ``steps`` as ``n`` positive parts."""
    if n == 1:
        return [(steps,)]
    return [(k, *rest) for k in range(1, steps) for rest in _splits(steps - k, n - 1)]
