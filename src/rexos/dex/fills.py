"""Fills: the legs of a route, and turning a planned flow into exact integer fills.

A :class:`Fill` is one swap on one pool. :func:`replay` applies fills in order
with the pools' exact maths; :func:`materialize` turns a continuous plan (how
much of each token each pool should take) into fills whose amounts are exact
integers: tokens are visited in flow order, each token's whole balance is split
among its outgoing legs in the plan's proportions, and every output is the
exact result of the swap before it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rexos.dex.pool import Pool
from rexos.errors import DexError, InsufficientLiquidity

__all__ = ["Fill", "Leg", "materialize", "replay"]

_ONE = 2**60  # a plan's proportions as integer weights: amounts stay exact integers


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


def _flow_order(sell: str, legs: Sequence[Leg]) -> tuple[list[str], list[Leg]]:
    """Tokens in an order where every leg goes forward, dropping the weakest leg of any cycle."""
    legs = list(legs)
    while True:
        out_edges: dict[str, list[Leg]] = defaultdict(list)
        indegree: dict[str, int] = defaultdict(int)
        tokens = {sell}
        for leg in legs:
            out_edges[leg.token_in].append(leg)
            indegree[leg.token_out] += 1
            tokens |= {leg.token_in, leg.token_out}
        ready = [t for t in tokens if indegree[t] == 0]
        ready.sort(key=lambda t: t != sell)
        order: list[str] = []
        while ready:
            token = ready.pop(0)
            order.append(token)
            for leg in out_edges[token]:
                indegree[leg.token_out] -= 1
                if indegree[leg.token_out] == 0:
                    ready.append(leg.token_out)
        if len(order) == len(tokens):
            return order, legs
        stuck = {t for t in tokens if t not in order}
        cyclic = [leg for leg in legs if leg.token_in in stuck and leg.token_out in stuck]
        legs.remove(min(cyclic, key=lambda leg: leg.planned_in))


def _prune(sell: str, buy: str, legs: list[Leg]) -> list[Leg]:
    """Drop legs that strand tokens: every token a leg delivers (but ``buy``) must flow on."""
    while True:
        sources = {leg.token_in for leg in legs}
        sinks = {leg.token_out for leg in legs}
        kept = [
            leg
            for leg in legs
            if (leg.token_out == buy or leg.token_out in sources)
            and (leg.token_in == sell or leg.token_in in sinks)
            and leg.token_out != sell
            and leg.token_in != buy
        ]
        if len(kept) == len(legs):
            return kept
        legs = kept


def materialize(
    pools: Mapping[str, Pool], sell: str, buy: str, amount_in: int, legs: Sequence[Leg]
) -> tuple[list[Fill], int]:
    """Exact fills that spend exactly ``amount_in`` of ``sell`` along ``legs``, and the output."""
    active = _prune(sell, buy, [leg for leg in legs if leg.planned_in > 0])
    if not active:
        raise InsufficientLiquidity(f"no leg of the plan carries {sell} to {buy}")
    order, active = _flow_order(sell, active)
    active = _prune(sell, buy, active)
    state = dict(pools)
    held: dict[str, int] = defaultdict(int)
    held[sell] = amount_in
    fills: list[Fill] = []
    for token in order:
        if token == buy:
            continue
        outgoing = [leg for leg in active if leg.token_in == token]
        balance = held[token]
        if not outgoing or balance == 0:
            continue
        total = sum(leg.planned_in for leg in outgoing)
        outgoing.sort(key=lambda leg: leg.planned_in)  # the biggest last: it takes leftovers
        weights = [int(leg.planned_in / total * _ONE) for leg in outgoing]
        shares = [balance * w // _ONE for w in weights]
        shares[-1] += balance - sum(shares)
        carry = 0
        for leg, share in zip(outgoing, shares, strict=True):
            share += carry
            if share <= 0:
                continue
            pool = state[leg.pool]
            taken = _largest_fill(pool, leg.token_in, leg.token_out, share)
            carry = share - taken
            if taken == 0:
                continue
            out, state[leg.pool] = pool.swap(leg.token_in, leg.token_out, taken)
            fills.append(Fill(leg.pool, leg.token_in, leg.token_out, taken, out))
            held[leg.token_out] += out
        for leg in reversed(outgoing):  # what a leg could not take goes to the others
            if carry == 0:
                break
            pool = state[leg.pool]
            taken = _largest_fill(pool, leg.token_in, leg.token_out, carry)
            if taken:
                out, state[leg.pool] = pool.swap(leg.token_in, leg.token_out, taken)
                fills.append(Fill(leg.pool, leg.token_in, leg.token_out, taken, out))
                held[leg.token_out] += out
                carry -= taken
        if carry:
            raise InsufficientLiquidity(f"the pools of the plan cannot take {carry} more {token}")
        held[token] = 0
    return fills, held[buy]


def _largest_fill(pool: Pool, token_in: str, token_out: str, amount: int) -> int:
    """``amount`` if the pool takes it whole, else the largest part it takes (bisection)."""
    try:
        pool.swap(token_in, token_out, amount)
        return amount
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
    return low
