"""Fills: the legs of a route, and turning a planned flow into exact integer fills.

A :class:`Fill` is one swap on one pool. :func:`replay` applies fills in order
with the pools' exact maths; :func:`materialize` turns a continuous plan (how
much of each token each pool should take) into fills whose amounts are exact
integers: tokens are visited in flow order, each token's whole balance is split
among its outgoing legs in the plan's proportions, and every output is the
exact result of the swap before it.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from rexos.dex.pool import Pool
from rexos.errors import DexError, InsufficientLiquidity

__all__ = ["Fill", "Leg", "executable", "materialize", "replay"]

_ONE = 2**60  # a plan's proportions as integer weights: amounts stay exact integers
_BACK_VISITS = 6


@dataclass(frozen=True, slots=True)
class Fill:
    """Sell ``amount_in`` of ``token_in`` to ``pool`` for exactly ``amount_out`` back."""

    pool: str
    token_in: str
    token_out: str
    amount_in: int
    amount_out: int


@dataclass(frozen=True, slots=True)
class Leg:
    """One pool in one direction, with the flow a plan gives it (any positive scale)."""

    pool: str
    token_in: str
    token_out: str
    planned_in: float


def replay(pools: Mapping[str, Pool], fills: Iterable[Fill]) -> dict[str, Pool]:
    """Apply ``fills`` in order; ``DexError`` if any output differs from the exact maths."""
    state = dict(pools)
    for n, fill in enumerate(fills):
        if fill.pool not in state:
            raise DexError(f"fill #{n}: unknown pool {fill.pool}")
        out, state[fill.pool] = state[fill.pool].swap(fill.token_in, fill.token_out, fill.amount_in)
        if out != fill.amount_out:
            raise DexError(
                f"fill #{n} on {fill.pool}: exact output {out}, fill says {fill.amount_out}"
            )
    return state


def _reaching(sell: str, buy: str, legs: list[Leg]) -> list[Leg]:
    """The legs on some walk from ``sell`` to ``buy`` (others strand what they deliver)."""
    while True:
        ahead: dict[str, set[str]] = defaultdict(set)
        behind: dict[str, set[str]] = defaultdict(set)
        for leg in legs:
            ahead[leg.token_in].add(leg.token_out)
            behind[leg.token_out].add(leg.token_in)
        from_sell, to_buy = _closure(sell, ahead), _closure(buy, behind)
        kept = [leg for leg in legs if leg.token_in in from_sell and leg.token_out in to_buy]
        if len(kept) == len(legs):
            return kept
        legs = kept


def _closure(start: str, edges: Mapping[str, set[str]]) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for other in edges.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _layout(sell: str, buy: str, legs: list[Leg]) -> tuple[list[str], list[Leg], list[Leg]]:
    """Tokens in execution order, the legs that go forward in it, and the *back* legs.

    An acyclic plan is all forward (a topological order). Each cycle of a plan
    (an arbitrage loop the optimum uses) loses one leg to the back set: the
    smallest whose input token keeps another leg forward (or is the buy token),
    so every token but ``buy`` still has a forward way on to ``buy`` (a cycle
    always has such a leg: the one leaving its token nearest to ``buy``).
    """
    forward = list(legs)
    back: list[Leg] = []
    while True:
        out_edges: dict[str, list[Leg]] = defaultdict(list)
        indegree: dict[str, int] = defaultdict(int)
        tokens = {sell, buy}
        for leg in forward:
            out_edges[leg.token_in].append(leg)
            indegree[leg.token_out] += 1
            tokens |= {leg.token_in, leg.token_out}
        ready = sorted((t for t in tokens if indegree[t] == 0), key=lambda t: (t != sell, t))
        order: list[str] = []
        while ready:
            token = ready.pop(0)
            order.append(token)
            for leg in out_edges[token]:
                indegree[leg.token_out] -= 1
                if indegree[leg.token_out] == 0:
                    ready.append(leg.token_out)
        if len(order) == len(tokens):
            return order, forward, back
        cycle = _a_cycle({t for t in tokens if t not in order}, forward)
        cut = min(
            (leg for leg in cycle if leg.token_in == buy or _still_reaches(leg, buy, forward)),
            key=lambda leg: leg.planned_in,
        )
        forward.remove(cut)
        back.append(cut)


def _still_reaches(cut: Leg, buy: str, forward: list[Leg]) -> bool:
    """Whether ``cut``'s input token reaches ``buy`` by the forward legs other than ``cut``."""
    ahead: dict[str, set[str]] = defaultdict(set)
    for leg in forward:
        if leg is not cut:
            ahead[leg.token_in].add(leg.token_out)
    return buy in _closure(cut.token_in, ahead)


def _a_cycle(stuck: set[str], forward: list[Leg]) -> list[Leg]:
    """The legs of one cycle among ``stuck`` tokens (each has a leg in from another).

    Walking those legs backwards from any stuck token must repeat a token.
    """
    into: dict[str, Leg] = {}
    for leg in forward:
        if leg.token_in in stuck and leg.token_out in stuck:
            into.setdefault(leg.token_out, leg)
    token = min(stuck)
    path: list[Leg] = []
    where: dict[str, int] = {}
    while token not in where:
        where[token] = len(path)
        path.append(into[token])
        token = into[token].token_in
    return path[where[token] :]


def materialize(
    pools: Mapping[str, Pool], sell: str, buy: str, amount_in: int, legs: Sequence[Leg]
) -> tuple[list[Fill], int]:
    """Exact fills that spend exactly ``amount_in`` of ``sell`` along ``legs``, and the output.

    Tokens are visited in flow order (:func:`_layout`); a visit splits the
    token's whole balance among its legs in the plan's proportions, so nothing
    is left behind but the buy token. A back leg (part of a cycle) takes its
    share only until its planned input is spent (and at most ``_BACK_VISITS``
    times); what it delivers to an earlier token is spent again from there, so
    a cyclic plan runs as a few rounds of the loop.
    """
    active = _reaching(sell, buy, [leg for leg in legs if leg.planned_in > 0])
    if not any(leg.token_in == sell for leg in active):
        raise InsufficientLiquidity(f"no leg of the plan carries {sell} to {buy}")
    order, forward, back = _layout(sell, buy, active)
    rank = {token: k for k, token in enumerate(order)}
    total: dict[str, float] = defaultdict(float)
    for leg in active:
        total[leg.token_in] += leg.planned_in
    remaining = {id(leg): leg.planned_in for leg in back}
    visits: dict[int, int] = defaultdict(int)
    state = dict(pools)
    held: dict[str, int] = defaultdict(int)
    held[sell] = amount_in
    fills: list[Fill] = []
    todo = [(rank[sell], sell)]
    queued = {sell}
    revisit = (set(order) - {buy}) | {leg.token_in for leg in back}

    def fill(leg: Leg, amount: int) -> int:
        done = _largest_fill(state[leg.pool], leg.token_in, leg.token_out, amount)
        if done is None:
            return 0
        taken, out, state[leg.pool] = done
        fills.append(Fill(leg.pool, leg.token_in, leg.token_out, taken, out))
        held[leg.token_out] += out
        if leg.token_out in revisit and leg.token_out not in queued:
            queued.add(leg.token_out)
            heapq.heappush(todo, (rank[leg.token_out], leg.token_out))
        return taken

    while todo:
        _, token = heapq.heappop(todo)
        queued.discard(token)
        balance, held[token] = held[token], 0
        for leg in back:
            if leg.token_in != token or visits[id(leg)] >= _BACK_VISITS:
                continue
            share = remaining[id(leg)] if token == buy else balance * leg.planned_in / total[token]
            amount = min(int(share), int(remaining[id(leg)]), balance)
            if amount <= 0:
                continue
            visits[id(leg)] += 1
            taken = fill(leg, amount)
            remaining[id(leg)] -= taken
            balance -= taken
        if token == buy:
            held[buy] += balance
        elif balance:
            _spend(fill, token, balance, [leg for leg in forward if leg.token_in == token])
    return fills, held[buy]


def _spend(fill: Callable[[Leg, int], int], token: str, balance: int, outgoing: list[Leg]) -> None:
    """Split ``balance`` among ``outgoing`` in the plan's proportions; every unit is spent."""
    if not outgoing:
        raise InsufficientLiquidity(f"the plan leaves {balance} {token} with no way on")
    total = sum(leg.planned_in for leg in outgoing)
    outgoing = sorted(outgoing, key=lambda leg: leg.planned_in)  # the biggest last: leftovers
    weights = [int(leg.planned_in / total * _ONE) for leg in outgoing]
    shares = [balance * w // _ONE for w in weights]
    shares[-1] += balance - sum(shares)
    carry = 0
    for leg, share in zip(outgoing, shares, strict=True):
        share += carry
        carry = share - fill(leg, share) if share > 0 else share
    for leg in reversed(outgoing):  # what a leg could not take goes to the others
        if carry == 0:
            break
        carry -= fill(leg, carry)
    if carry:
        raise InsufficientLiquidity(f"the pools of the plan cannot take {carry} more {token}")


def _largest_fill(
    pool: Pool, token_in: str, token_out: str, amount: int
) -> tuple[int, int, Pool] | None:
    """Swap ``amount``, or the largest part the pool takes (bisection): input, output, pool after.

    ``None`` when the pool takes nothing.
    """
    try:
        return (amount, *pool.swap(token_in, token_out, amount))
    except InsufficientLiquidity:
        pass
    low, high = 0, amount  # low is accepted (or 0), high is not
    while high - low > 1:
        mid = (low + high) // 2
        try:
            pool.swap(token_in, token_out, mid)
            low = mid
        except InsufficientLiquidity:
            high = mid
    return (low, *pool.swap(token_in, token_out, low)) if low else None


def executable(fills: Sequence[Fill], sell: str, buy: str, amount_in: int) -> bool:
    """Whether RexRouter runs ``fills`` as planned, moving exactly ``amount_in`` of ``sell``.

    The router pulls every step selling the sell token from the sender and pays every step
    buying the buy token straight to the recipient; other tokens stay in the router between
    steps. So the fills selling ``sell`` must add up to ``amount_in``, no fill may buy
    ``sell`` back (it would stay in the router while the next pull takes more from the
    sender) and none may sell ``buy`` (the router never holds it).
    """
    sold = sum(f.amount_in for f in fills if f.token_in == sell)
    returns = any(f.token_out == sell or f.token_in == buy for f in fills)
    return sold == amount_in and not returns
