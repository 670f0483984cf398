"""Fills: the legs of a route, and turning a planned flow into exact integer fills.

A :class:`Fill` is one swap on one pool. :func:`replay` applies fills in order
with the pools' exact maths; :func:`materialize` turns a continuous plan (how
much of each token each pool should take) into fills whose amounts are exact
integers, in an order RexRouter can run from one balance (no fill sells more than
the fills before it left): loops (arbitrage the optimum uses, through any token)
run in rounds within that balance, each token's whole balance is split among its
outgoing legs in the plan's proportions, and every output is the exact result of
the swap before it.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from rexos.dex.pool import Pool
from rexos.errors import DexError, InsufficientLiquidity

__all__ = ["MAX_FILLS", "Fill", "Leg", "balances", "executable", "materialize", "replay"]

_ONE = 2**60  # a plan's proportions as integer weights: amounts stay exact integers
MAX_FILLS = 64
"""Most fills a schedule's loops may grow it to (a RexRouter swap of ~64 steps is ~3M gas)."""
_MAX_SWEEPS = 40
"""Most sweeps of one set of loops."""
_LEFT_OVER = 1e-4
"""A loop leg within this share of its planned input is done (no dust fills)."""


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


def _components(tokens: list[str], legs: list[Leg]) -> list[list[str]]:
    """The plan's strongly connected token sets, upstream first (Tarjan, iterative).

    Tarjan emits a component after every component it reaches, so the reversed
    emission order is a topological order of the components.
    """
    ahead: dict[str, list[str]] = defaultdict(list)
    for leg in legs:
        ahead[leg.token_in].append(leg.token_out)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in tokens:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            token, k = work.pop()
            if k == 0:
                index[token] = low[token] = len(index)
                stack.append(token)
                on_stack.add(token)
            if k < len(ahead[token]):
                work.append((token, k + 1))
                nxt = ahead[token][k]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[token] = min(low[token], index[nxt])
                continue
            if low[token] == index[token]:
                part = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    part.append(top)
                    if top == token:
                        break
                found.append(part)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[token])
    return found[::-1]


def _distances(targets: set[str], part: set[str], legs: list[Leg]) -> dict[str, int]:
    """Hops from each token of ``part`` to ``targets`` along ``legs`` inside ``part``."""
    behind: dict[str, set[str]] = defaultdict(set)
    for leg in legs:
        behind[leg.token_out].add(leg.token_in)
    dist = dict.fromkeys(targets, 0)
    queue = deque(targets)
    while queue:
        token = queue.popleft()
        for prev in behind[token]:
            if prev in part and prev not in dist:
                dist[prev] = dist[token] + 1
                queue.append(prev)
    return dist


@dataclass
class _Run:
    """The state of a schedule being built: pools after the fills so far, balances, fills."""

    state: dict[str, Pool]
    held: dict[str, int]
    fills: list[Fill]
    left: dict[int, float]
    """Each leg's planned input not yet sold (by ``id`` of the leg)."""

    def due(self, leg: Leg) -> float:
        """What ``leg`` has still to sell; 0 within ``_LEFT_OVER`` of its plan (no dust)."""
        left = self.left[id(leg)]
        return left if left > max(leg.planned_in * _LEFT_OVER, 1.0) else 0.0

    def fill(self, leg: Leg, amount: int) -> int:
        """Sell up to ``amount`` (what the pool takes) on ``leg``; the input taken."""
        done = _largest_fill(self.state[leg.pool], leg.token_in, leg.token_out, amount)
        if done is None:
            return 0
        taken, out, self.state[leg.pool] = done
        self.fills.append(Fill(leg.pool, leg.token_in, leg.token_out, taken, out))
        self.held[leg.token_in] -= taken
        self.held[leg.token_out] += out
        return taken

    def copy(self) -> _Run:
        return _Run(
            dict(self.state), defaultdict(int, self.held), list(self.fills), dict(self.left)
        )


def materialize(
    pools: Mapping[str, Pool],
    sell: str,
    buy: str,
    amount_in: int,
    legs: Sequence[Leg],
    *,
    values: Mapping[str, float] | None = None,
    gas_cost_per_fill: int = 0,
    max_fills: int = MAX_FILLS,
) -> tuple[list[Fill], int]:
    """Exact fills that spend exactly ``amount_in`` of ``sell`` along ``legs``, and the output.

    The fills are an ordered schedule RexRouter runs from one balance: each sells at most
    what the fills before it left of its token (starting from ``amount_in`` of ``sell``).
    The plan's tokens fall into strongly connected sets (an arbitrage loop is one; the sell
    and the buy token may be in one), visited upstream first, so a set is visited once all
    it receives from outside has arrived. Inside a set, the legs of its loops run in sweeps,
    each leg taking its planned input or, when the balance is short, its share of what is
    held: a loop larger than the balance runs as several rounds, splitting a pool's trade
    into chunks. A sweep that gains less (at the plan's token ``values``, in buy-token base
    units) than the gas of its fills is undone and ends the loop, as does ``max_fills``:
    a loop that cannot be run within the balance is truncated, not failed. Then everything
    held in the set moves on: along the legs nearest to a way out, and out along the set's
    exits in the plan's proportions, so nothing is left behind but the buy token.
    """
    active = _reaching(sell, buy, [leg for leg in legs if leg.planned_in > 0])
    if not any(leg.token_in == sell for leg in active):
        raise InsufficientLiquidity(f"no leg of the plan carries {sell} to {buy}")
    tokens = list(
        dict.fromkeys([sell, *(t for leg in active for t in (leg.token_in, leg.token_out))])
    )
    run = _Run(dict(pools), defaultdict(int), [], {id(leg): leg.planned_in for leg in active})
    run.held[sell] = amount_in
    loops = _Loops(values, gas_cost_per_fill, max_fills)
    out_of: dict[str, list[int]] = defaultdict(list)  # each token's legs, by place in `active`
    for k, leg in enumerate(active):
        out_of[leg.token_in].append(k)
    for part in _components(tokens, active):
        members = set(part)
        mine = [active[k] for k in sorted(k for t in part for k in out_of[t])]
        inside = [leg for leg in mine if leg.token_out in members]
        exits = [leg for leg in mine if leg.token_out not in members]
        run = loops.run(run, part, inside, _ways_out(part, inside, exits, buy))
        _drain(run, part, inside, exits, buy)
    return run.fills, run.held[buy]


def _ways_out(part: list[str], inside: list[Leg], exits: list[Leg], buy: str) -> dict[str, int]:
    """Hops from each token of ``part`` to one with an exit (or to the buy token)."""
    members = set(part)
    return _distances({leg.token_in for leg in exits} | (members & {buy}), members, inside)


def _drain(run: _Run, part: list[str], inside: list[Leg], exits: list[Leg], buy: str) -> None:
    """Move everything ``part`` holds (but the buy token) out along ``exits`` (in the plan's
    proportions), a token without an exit first along ``inside`` legs nearer to one."""
    dist = _ways_out(part, inside, exits, buy)
    for token in sorted(part, key=lambda t: -dist.get(t, -1)):
        balance = run.held[token]
        if token == buy or balance <= 0:
            continue
        d = dist.get(token)
        if d is None:
            raise InsufficientLiquidity(f"the plan leaves {balance} {token} with no way on")
        if d == 0:
            onward = [leg for leg in exits if leg.token_in == token]
        else:
            onward = [
                leg for leg in inside if leg.token_in == token and dist.get(leg.token_out) == d - 1
            ]
        _spend(run.fill, token, balance, onward)


@dataclass(frozen=True, slots=True)
class _Loops:
    """How far loops run: the plan's token values, the gas of a fill, the most fills."""

    values: Mapping[str, float] | None
    gas_cost_per_fill: int
    max_fills: int

    def worth(self, run: _Run, members: set[str]) -> float:
        if self.values is None:
            return 0.0
        return sum(self.values.get(t, 0.0) * run.held[t] for t in members)

    def run(self, run: _Run, part: list[str], inside: list[Leg], dist: dict[str, int]) -> _Run:
        """Run ``inside`` (legs of one strongly connected set) in sweeps until each has taken
        its planned input, a sweep does not pay for its gas (undone) or ``max_fills`` is
        reached. ``dist``: each token's hops to a way out of the set (or to the buy token).

        First the legs that do not move nearer a way out (what goes out early no longer
        feeds the loops), then all. In a sweep each token, visited from where the balance
        is, spends on whole legs first (the smallest remaining first, legs that move out
        last) and the rest on the next, in part.
        """
        far = len(part)

        def down(leg: Leg) -> bool:
            return dist.get(leg.token_out, far) < dist.get(leg.token_in, far)

        run = self._sweeps(run, part, [leg for leg in inside if not down(leg)], down)
        return self._sweeps(run, part, inside, down)

    def _sweeps(
        self, run: _Run, part: list[str], inside: list[Leg], down: Callable[[Leg], bool]
    ) -> _Run:
        if not inside:
            return run
        members = set(part)
        held_first = {t for t in part if run.held[t] > 0}
        order = list(_distances(held_first, members, [_reversed(leg) for leg in inside]))
        order += [t for t in part if t not in order]
        for _ in range(_MAX_SWEEPS):
            if len(run.fills) >= self.max_fills:
                break
            before = run.copy()
            for token in order:
                out = sorted(
                    (leg for leg in inside if leg.token_in == token and run.due(leg) > 0),
                    key=lambda leg: (down(leg), run.left[id(leg)]),
                )
                for leg in out:
                    amount = min(math.ceil(run.left[id(leg)]), run.held[token])
                    if amount > 0:
                        run.left[id(leg)] -= run.fill(leg, amount)
            added = len(run.fills) - len(before.fills)
            if added == 0:
                break
            gain = self.worth(run, members) - self.worth(before, members)
            if len(run.fills) > self.max_fills or (
                self.values is not None and gain <= self.gas_cost_per_fill * added
            ):
                return before
        return run


def _reversed(leg: Leg) -> Leg:
    return Leg(leg.pool, leg.token_out, leg.token_in, leg.planned_in)


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


def balances(fills: Sequence[Fill], sell: str, amount_in: int) -> dict[str, int] | None:
    """What RexRouter holds after running ``fills`` from ``amount_in`` of ``sell``, by token;
    ``None`` if some fill sells more than the fills before it left of its token."""
    held: dict[str, int] = defaultdict(int)
    held[sell] = amount_in
    for fill in fills:
        if fill.amount_in <= 0 or fill.amount_in > held[fill.token_in]:
            return None
        held[fill.token_in] -= fill.amount_in
        held[fill.token_out] += fill.amount_out
    return dict(held)


def executable(fills: Sequence[Fill], sell: str, buy: str, amount_in: int) -> bool:
    """Whether RexRouter runs ``fills`` as planned from ``amount_in`` of ``sell``.

    The router pulls ``amount_in`` of the sell token once and every step spends its own
    balance, so each fill must sell at most what the fills before it left of its token
    (loops through the sell or the buy token included). Anything left at the end but the buy
    token goes back to the sender.
    """
    return bool(fills) and balances(fills, sell, amount_in) is not None
