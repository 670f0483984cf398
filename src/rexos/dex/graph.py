"""Which pools can matter for a trade, and the single paths through them.

A leg (pool, direction) is a candidate when it lies on some path of at most
``max_hops`` pools from the sell token to the buy token: its input token is
``d`` hops from the sell token, its output token ``e`` hops from the buy token,
and ``d + 1 + e ≤ max_hops``. Legs into the sell token or out of the buy token
never help and are left out.

Legs must also go *forward* in one order of the tokens (by hops from the sell
token, then by hops to the buy token, farthest first, then by id), so the legs
form no cycle: a route spends the input on the trade, never on an arbitrage
loop among intermediate tokens (which would inflate the bound with profit the
trade does not need and no fill order could realise atomically from one input).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterator, Sequence

from rexos.dex.curves import LegRef
from rexos.dex.fills import Fill
from rexos.dex.pool import Pool

__all__ = ["candidate_legs", "run_path", "token_paths"]


def _distances(adjacent: dict[str, set[str]], start: str, limit: int) -> dict[str, int]:
    seen = {start: 0}
    queue = deque([start])
    while queue:
        token = queue.popleft()
        if seen[token] == limit:
            continue
        for other in adjacent[token]:
            if other not in seen:
                seen[other] = seen[token] + 1
                queue.append(other)
    return seen


def candidate_legs(pools: Sequence[Pool], sell: str, buy: str, max_hops: int) -> list[LegRef]:
    """Every leg on a path of at most ``max_hops`` pools from ``sell`` to ``buy``."""
    adjacent: dict[str, set[str]] = defaultdict(set)
    for pool in pools:
        for a in pool.tokens:
            adjacent[a].update(t for t in pool.tokens if t != a)
    from_sell = _distances(adjacent, sell, max_hops)
    to_buy = _distances(adjacent, buy, max_hops)

    def rank(token: str) -> tuple[int, int, str]:
        return (from_sell[token], -to_buy[token], token)

    legs: list[LegRef] = []
    for pool in pools:
        for a in pool.tokens:
            if a == buy or a not in from_sell:
                continue
            for b in pool.tokens:
                if b in (a, sell) or b not in to_buy:
                    continue
                if from_sell[a] + 1 + to_buy[b] <= max_hops and rank(a) < rank(b):
                    legs.append(LegRef(pool, a, b))
    return legs


def token_paths(
    legs: Sequence[LegRef], sell: str, buy: str, max_hops: int
) -> Iterator[tuple[str, ...]]:
    """Simple token sequences ``sell … buy`` of at most ``max_hops`` steps along ``legs``."""
    nxt: dict[str, set[str]] = defaultdict(set)
    for leg in legs:
        nxt[leg.token_in].add(leg.token_out)

    def walk(path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        if path[-1] == buy:
            yield path
            return
        if len(path) > max_hops:
            return
        for token in sorted(nxt[path[-1]]):
            if token not in path:
                yield from walk((*path, token))

    yield from walk((sell,))


def run_path(path: Sequence[LegRef], amount: int) -> tuple[list[Fill], int]:
    """Sell ``amount`` along ``path`` (each leg's whole output feeds the next): exact fills."""
    state: dict[str, Pool] = {}
    fills = []
    for leg in path:
        pool = state.get(leg.pool.id, leg.pool)
        out, state[leg.pool.id] = pool.swap(leg.token_in, leg.token_out, amount)
        fills.append(Fill(leg.pool.id, leg.token_in, leg.token_out, amount, out))
        amount = out
    return fills, amount
