"""Arbitrage passes through the sell token: the input goes round paying loops before the trade.

When pools disagree by more than their fees, the best trade also closes
arbitrage loops, often with flows several times the trade (the convex optimum
circulates through every loop that pays). A route can only push what it holds,
so a loop through the sell token is run in *passes*: the balance (or the part
of it that gains most) goes round the loop and comes back larger, and the pools
are updated pass by pass with their exact maths. Loops are closed walks from
the sell token of up to ``_WALK`` pools, so a loop among other tokens is reached
by an entry and an exit leg; each hop takes the pool with the best rate at the
current state. Passes stop when no loop gains more than the gas of its fills,
or at ``_MAX_FILLS`` fills. Every fill sells an exact amount, so RexRouter can
execute the passes as steps in order.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Mapping
from itertools import pairwise

from rexos.dex.curves import LegRef, leg_spot
from rexos.dex.fills import Fill
from rexos.dex.pool import Pool
from rexos.errors import DexError

__all__ = ["loop_passes"]

_WALK = 4
_MAX_FILLS = 120
_GOLDEN = (math.sqrt(5) - 1) / 2
_SEARCH_STEPS = 48


def _walks(start: str, pairs: Collection[tuple[str, str]], longest: int) -> list[tuple[str, ...]]:
    """Closed walks ``start … start`` of 2 to ``longest`` steps along ``pairs``."""
    nxt: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs:
        nxt[a].append(b)
    found: list[tuple[str, ...]] = []
    frontier: list[tuple[str, ...]] = [(start,)]
    for _ in range(longest):
        frontier = [(*w, t) for w in frontier for t in nxt[w[-1]]]
        found += [w for w in frontier if w[-1] == start and len(w) > 2]
        frontier = [w for w in frontier if w[-1] != start]
    return found


def _run(state: Mapping[str, Pool], hops: list[tuple[str, str, str]], amount: int) -> int:
    """The exact output of ``amount`` sent along ``hops`` (a pool met twice sees its new state)."""
    local: dict[str, Pool] = {}
    for pid, a, b in hops:
        amount, local[pid] = local.get(pid, state[pid]).swap(a, b, amount)
    return amount


def _best_amount(state: Mapping[str, Pool], hops: list[tuple[str, str, str]], held: int) -> int:
    """The input up to ``held`` with the most profit (golden-section search, exact swaps)."""

    def profit(amount: float) -> int:
        whole = int(amount)
        if whole <= 0:
            return 0
        try:
            return _run(state, hops, whole) - whole
        except DexError:
            return -(2**255)

    if profit(held) >= profit(held * (1 - 1e-6)):  # still gaining at the whole balance
        return held
    low, high = 0.0, float(held)
    for _ in range(_SEARCH_STEPS):
        left = high - _GOLDEN * (high - low)
        right = low + _GOLDEN * (high - low)
        if profit(left) < profit(right):
            low = left
        else:
            high = right
    return int(low)


def loop_passes(
    pools: Mapping[str, Pool],
    sell: str,
    amount: int,
    tokens: Collection[str],
    *,
    sell_value: float,
    gas_cost_per_fill: int = 0,
) -> tuple[list[Fill], dict[str, Pool], int]:
    """Run ``amount`` of ``sell`` round paying loops among ``tokens``: fills, pools after, balance.

    ``sell_value`` (buy-token units per sell-token unit) weighs a pass's profit
    against ``gas_cost_per_fill`` per fill.
    """
    state = dict(pools)
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for pool in pools.values():
        for a in pool.tokens:
            for b in pool.tokens:
                if a != b and a in tokens and b in tokens:
                    pairs[(a, b)].append(pool.id)
    walks = _walks(sell, pairs, _WALK if len(tokens) <= 8 else 3)
    fills: list[Fill] = []
    held = amount
    while walks:
        best: dict[tuple[str, str], tuple[float, str]] = {}
        for pair, ids in pairs.items():
            best[pair] = max((leg_spot(LegRef(state[pid], *pair)), pid) for pid in ids)
        rate, walk = max((math.prod(best[p][0] for p in pairwise(w)), w) for w in walks)
        if rate <= 1 or len(fills) + len(walk) - 1 > _MAX_FILLS:
            break
        hops = [(best[(a, b)][1], a, b) for a, b in pairwise(walk)]
        size = _best_amount(state, hops, held)
        try:
            gained = _run(state, hops, size) - size if size > 0 else 0
        except DexError:
            break
        if gained <= 0 or gained * sell_value <= gas_cost_per_fill * len(hops):
            break
        for pid, a, b in hops:
            out, state[pid] = state[pid].swap(a, b, size)
            fills.append(Fill(pid, a, b, size, out))
            size = out
        held += gained
    return fills, state, held
