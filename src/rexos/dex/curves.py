"""Pools as concave curves for the optimiser: bounded hyperbolic and linear segments.

The router plans with a continuous relaxation. Each pool in each direction (a
*leg*) becomes a list of segments whose marginal rates decrease from one to the
next, so "take every segment whose marginal beats a price" is the same as
walking the curve:

* **hyperbolic** ``out(Δ) = Y·γΔ / (X + γΔ)`` for ``0 ≤ Δ ≤ cap``: a Uniswap-V2
  pool is one such segment with ``cap = ∞``; a Uniswap-V3 pool is one per
  price range between initialised ticks (virtual reserves ``X = L/√P``,
  ``Y = L·√P`` or the mirror image, ``cap`` = the input that reaches the next
  tick), so V3 liquidity is handled as bounded segments;
* a stableswap pool (its invariant solved in closed form for the output
  balance) is planned with one hyperbolic segment per interval of a geometric
  grid, through both ends of the interval and tangent at its start; for the
  bound it is a **linear** ``out(Δ) = slope·Δ`` segment per interval of a finer
  grid, with the slope of the tangent at the interval's start: the curve is
  concave, so these lie above it. A last line of unbounded width, with the
  tangent's slope at the grid's end, covers any larger input; the pool's
  balance of the output coin caps the whole curve.

The curves used for the certificate (:mod:`rexos.dex.certificate`) are upper
approximations of each pool's true output: V2 and V3 curves are the exact real
maths the integer pools round down from (a V3 leg the planner cuts after
``_MAX_V3_SEGMENTS`` ranges is rebuilt whole for the bound), and the stableswap
tangents are raised by a relative ``_TANGENT_SLACK`` against float error. They
are built (``build_table(..., bound=True)``) only for the legs a bound needs.

The continuous curves are never below the exact integer maths (which rounds
outputs down), so a bound computed on them bounds what any integer route gets.
Floats are used for planning only; amounts that reach a fill are integers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from rexos.dex.pool import Pool
from rexos.dex.stable import StablePool
from rexos.dex.v2 import V2Pool
from rexos.dex.v3 import V3Pool
from rexos.errors import DexError

__all__ = ["LegRef", "SegmentTable", "build_table", "leg_spot", "pool_legs"]

_MAX_V3_SEGMENTS = 256
_CACHE_SIZE = 50_000
_CACHE: dict[tuple[int, str, str, bool], tuple[Pool, _Curve]] = {}
_STABLE_PLAN_POINTS = 40
_STABLE_BOUND_POINTS = 240
_Q96 = float(2**96)
_TANGENT_SLACK = 1e-9
_Amounts = TypeVar("_Amounts", NDArray[np.float64], float)


@dataclass(frozen=True, slots=True)
class LegRef:
    """One pool in one direction."""

    pool: Pool
    token_in: str
    token_out: str


@dataclass(frozen=True, slots=True)
class _Curve:
    """One leg's segments (before they are stacked into a table), packed as rows.

    ``h``: one column per hyperbolic segment, rows ``X, Y, γ, cap, counts for the
    bound (1/0), input before the segment``; ``lines``: one column per linear
    segment, rows ``slope, width, input before, output before``. Packed so that
    stacking a table's legs is one concatenation per kind.
    """

    h: NDArray[np.float64]
    lines: NDArray[np.float64]
    out_cap: float
    truncated: bool = False


_NO_SEGMENTS = np.zeros((6, 0))
_NO_LINES = np.zeros((4, 0))
_NO_SEGMENTS.flags.writeable = False
_NO_LINES.flags.writeable = False


def _exclusive(v: NDArray[np.float64], row: NDArray[np.float64]) -> None:
    """``row[k] = v[0] + … + v[k-1]`` (0 first)."""
    if len(v):
        row[0] = 0.0
        np.cumsum(v[:-1], out=row[1:])


def _curve(
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    g: NDArray[np.float64] | float,
    cap: NDArray[np.float64],
    *,
    bound: bool = True,
    slope: NDArray[np.float64] | None = None,
    width: NDArray[np.float64] | None = None,
    out_cap: float = math.inf,
    truncated: bool = False,
) -> _Curve:
    keep = (x > 0) & (y > 0) & (cap > 0)
    if not keep.all():
        x, y, cap = x[keep], y[keep], cap[keep]
        if not isinstance(g, float):
            g = g[keep]
    h = np.empty((6, len(x)))
    h[0], h[1], h[2], h[3], h[4] = x, y, g, cap, float(bound)
    _exclusive(cap, h[5])
    lines = _NO_LINES
    if slope is not None and width is not None:
        take = (slope > 0) & (width > 0)
        slope, width = slope[take], width[take]
        lines = np.empty((4, len(slope)))
        lines[0], lines[1] = slope, width
        _exclusive(width, lines[2])
        _exclusive(slope * width, lines[3])
    return _Curve(h, lines, out_cap, truncated)


@dataclass(frozen=True)
class SegmentTable:
    """Every segment of every leg, as numpy arrays the optimiser evaluates at once."""

    legs: tuple[LegRef, ...]
    tokens: tuple[str, ...]
    leg_in: NDArray[np.int64]
    leg_out: NDArray[np.int64]
    h_leg: NDArray[np.int64]
    h_x: NDArray[np.float64]
    h_y: NDArray[np.float64]
    h_g: NDArray[np.float64]
    h_cap: NDArray[np.float64]
    h_bound: NDArray[np.bool_]
    """Whether a hyperbolic segment also counts for the bound (stableswap fits do not)."""
    l_leg: NDArray[np.int64]
    l_slope: NDArray[np.float64]
    l_cap: NDArray[np.float64]
    """Linear segments: for the bound only."""
    l_in_before: NDArray[np.float64]
    l_out_before: NDArray[np.float64]
    out_cap: NDArray[np.float64]
    """The most a leg can ever pay out (its pool's balance), for the bound."""
    h_before: NDArray[np.float64]
    capacity: NDArray[np.float64]
    truncated: NDArray[np.bool_]
    """Whether a leg's curve stops short of the pool's (a V3 leg cut for planning)."""

    def outputs(self, amounts: NDArray[np.float64]) -> NDArray[np.float64]:
        """Each leg's output for the input ``amounts[leg]`` (``-inf`` beyond its capacity)."""
        out = np.zeros(len(self.legs))
        if len(self.h_leg):
            take = np.clip(amounts[self.h_leg] - self.h_before, 0.0, self.h_cap)
            gained = self.h_y * self.h_g * take / (self.h_x + self.h_g * take)
            out += np.bincount(self.h_leg, gained, len(self.legs))
        return np.where(amounts <= self.capacity, out, -np.inf)

    def subset(self, keep: NDArray[np.bool_]) -> SegmentTable:
        """The table of the legs where ``keep`` is true (same tokens)."""
        new_index = np.cumsum(keep) - 1
        h = keep[self.h_leg]
        line = keep[self.l_leg]
        return SegmentTable(
            legs=tuple(leg for leg, k in zip(self.legs, keep, strict=True) if k),
            tokens=self.tokens,
            leg_in=self.leg_in[keep],
            leg_out=self.leg_out[keep],
            h_leg=new_index[self.h_leg[h]],
            h_x=self.h_x[h],
            h_y=self.h_y[h],
            h_g=self.h_g[h],
            h_cap=self.h_cap[h],
            h_bound=self.h_bound[h],
            l_leg=new_index[self.l_leg[line]],
            l_slope=self.l_slope[line],
            l_cap=self.l_cap[line],
            l_in_before=self.l_in_before[line],
            l_out_before=self.l_out_before[line],
            out_cap=self.out_cap[keep],
            h_before=self.h_before[h],
            capacity=self.capacity[keep],
            truncated=self.truncated[keep],
        )

    def joined(self, other: SegmentTable) -> SegmentTable:
        """This table with ``other``'s legs after its own (tokens new to it appended)."""
        tokens = list(self.tokens)
        tokens += [t for t in other.tokens if t not in self.tokens]
        remap = np.array([tokens.index(t) for t in other.tokens], dtype=np.int64)
        shift = len(self.legs)

        def cat(name: str, offset: int = 0) -> NDArray[Any]:
            mine: NDArray[Any] = getattr(self, name)
            theirs: NDArray[Any] = getattr(other, name)
            return np.concatenate((mine, theirs + offset if offset else theirs))

        return SegmentTable(
            legs=self.legs + other.legs,
            tokens=tuple(tokens),
            leg_in=np.concatenate((self.leg_in, remap[other.leg_in])),
            leg_out=np.concatenate((self.leg_out, remap[other.leg_out])),
            h_leg=cat("h_leg", shift),
            h_x=cat("h_x"),
            h_y=cat("h_y"),
            h_g=cat("h_g"),
            h_cap=cat("h_cap"),
            h_bound=cat("h_bound"),
            l_leg=cat("l_leg", shift),
            l_slope=cat("l_slope"),
            l_cap=cat("l_cap"),
            l_in_before=cat("l_in_before"),
            l_out_before=cat("l_out_before"),
            out_cap=cat("out_cap"),
            h_before=cat("h_before"),
            capacity=cat("capacity"),
            truncated=cat("truncated"),
        )

    def spot(self) -> NDArray[np.float64]:
        """Each leg's marginal rate at zero input (0 for a leg without liquidity)."""
        rate = np.zeros(len(self.legs))
        np.maximum.at(rate, self.h_leg, self.h_g * self.h_y / self.h_x)
        return rate


def _v2_reserves(pool: V2Pool, token_in: str) -> tuple[int, int]:
    if token_in == pool.token0:
        return pool.reserve0, pool.reserve1
    if token_in == pool.token1:
        return pool.reserve1, pool.reserve0
    return pool.reserves(token_in)  # raises: the pair does not trade it


def _v2(pool: V2Pool, token_in: str) -> _Curve:
    x, y = _v2_reserves(pool, token_in)
    if not (x and y):
        return _Curve(_NO_SEGMENTS, _NO_LINES, math.inf)
    h = np.array([[float(x)], [float(y)], [1 - pool.fee_bps / 10_000], [math.inf], [1.0], [0.0]])
    return _Curve(h, _NO_LINES, math.inf)


def _v3(pool: V3Pool, token_in: str, *, full: bool = False) -> _Curve:
    """One hyperbolic segment per range (in Python floats: a pool has few ranges)."""
    down = token_in == pool.token0
    limit = None if full else _MAX_V3_SEGMENTS + 1
    segments = list(islice(pool.segments(down), limit))
    truncated = len(segments) > _MAX_V3_SEGMENTS
    segments = segments[: None if full else _MAX_V3_SEGMENTS]
    g = 1 - pool.fee / 1_000_000
    columns = []
    before = 0.0
    for seg in segments:
        liquidity = float(seg.liquidity)
        start = seg.sqrt_price_start_x96 / _Q96
        end = seg.sqrt_price_end_x96 / _Q96
        if down:  # token0 in: virtual reserves (L/√P, L·√P), the price falls to `end`
            x, y, cap = liquidity / start, liquidity * start, liquidity * (1 / end - 1 / start) / g
        else:
            x, y, cap = liquidity * start, liquidity / start, liquidity * (end - start) / g
        if x > 0 and y > 0 and cap > 0:
            columns.append((x, y, g, cap, 1.0, before))
            before += cap
    h = np.array(columns, dtype=np.float64).T if columns else _NO_SEGMENTS
    return _Curve(h, _NO_LINES, math.inf, truncated)


@lru_cache(maxsize=4096)
def _stable_invariant(
    balances: tuple[int, ...], rates: tuple[int, ...], amp: int
) -> tuple[tuple[float, ...], float, float]:
    """The pool's normalised balances, ``Ann`` and invariant ``D``, in floats."""
    n = len(balances)
    xp = tuple(b * r / 1e36 for b, r in zip(balances, rates, strict=True))
    ann = amp / 100 * n
    total = sum(xp)
    d = total
    for _ in range(255):
        d_p = d
        for x in xp:
            d_p = d_p * d / (x * n)
        previous = d
        d = (ann * total + d_p * n) * d / ((ann - 1) * d + (n + 1) * d_p)
        if abs(d - previous) <= d * 1e-15:
            break
    return xp, ann, d


def _stable_outputs(
    pool: StablePool, i: int, j: int, amounts: _Amounts
) -> tuple[_Amounts, _Amounts]:
    """The pool's output and marginal rate at each input in ``amounts`` (or one), in floats.

    With ``Ann = A·n`` (the pool's ``amp / A_PRECISION · n``), the invariant
    ``Ann·Σx + D = Ann·D + D^(n+1) / (nⁿ·Πx)`` is a quadratic in the output
    coin's balance ``y`` once the others are fixed: ``Ann·y² + b·y − c = 0`` with
    ``b = Ann·(S − D) + D`` and ``c = D^(n+1)/(nⁿ·P)`` (``S``, ``P``: sum and
    product of the other balances, the input coin's included). It is solved in
    closed form, and ``dy/dx = −(Ann·y + c/x)/(2·Ann·y + b)`` gives the marginal.
    """
    n = len(pool.tokens)
    xp, ann, d = _stable_invariant(tuple(pool.balances), tuple(pool.rates), pool.amp)
    x_in = xp[i] + amounts * pool.rates[i] / 1e36
    others = sum(x for k, x in enumerate(xp) if k not in (i, j)) + x_in
    product = math.prod(x for k, x in enumerate(xp) if k not in (i, j)) * x_in
    b = ann * (others - d) + d
    c = d ** (n + 1) / (n**n * product)
    y = 2 * c / (b + np.sqrt(b * b + 4 * ann * c))
    keep = 1 - pool.fee / 1e10
    out: Any = np.maximum(xp[j] - y, 0.0) * keep * 1e36 / pool.rates[j]
    dy_dx = (ann * y + c / x_in) / (2 * ann * y + b)
    slope: Any = dy_dx * keep * pool.rates[i] / pool.rates[j]
    return out, slope


@lru_cache(maxsize=4)
def _unit_grid(points: int) -> NDArray[np.float64]:
    grid = np.concatenate(([0.0], np.logspace(-7, 1.5, points)))
    grid.flags.writeable = False
    return grid


def _stable_grid(pool: StablePool, i: int, points: int) -> NDArray[np.float64]:
    """``0`` and ``points`` inputs from 10⁻⁷ to 10^1.5 of the input coin's balance."""
    return float(pool.balances[i]) * _unit_grid(points)


def _stable(pool: StablePool, token_in: str, token_out: str, *, bound: bool) -> _Curve:
    """Hyperbolic fits for the plan, or tangent lines for the bound (see the module docstring)."""
    return _stable_curves([LegRef(pool, token_in, token_out)], bound=bound)[0]


def _stable_curves(refs: Sequence[LegRef], *, bound: bool) -> list[_Curve]:
    """:func:`_stable` for many legs at once: one row of the grid per leg, each array step
    done for all rows together (the same arithmetic, element by element, as for one leg)."""
    empty = np.zeros(0)
    curves: list[_Curve | None] = []
    rows: list[tuple[StablePool, int, int]] = []
    for ref in refs:
        pool = ref.pool
        assert isinstance(pool, StablePool)
        if min(pool.balances) == 0:
            curves.append(_curve(empty, empty, 1.0, empty))
        else:
            curves.append(None)
            rows.append((pool, pool.tokens.index(ref.token_in), pool.tokens.index(ref.token_out)))
    if not rows:
        return [c for c in curves if c is not None]
    points = _STABLE_BOUND_POINTS if bound else _STABLE_PLAN_POINTS
    balance = np.array([[float(pool.balances[i])] for pool, i, _ in rows])
    grid = balance * _unit_grid(points)
    values, slopes = _stable_rows(rows, grid)
    made: list[_Curve] = []
    if bound:
        tangents = slopes * (1 + _TANGENT_SLACK)  # float noise: the lines stay above the pool
        widths = np.diff(grid)  # and the last tangent runs on to the balance cap
        for k, (pool, _, j) in enumerate(rows):
            made.append(
                _curve(
                    empty,
                    empty,
                    1.0,
                    empty,
                    slope=tangents[k],
                    width=np.append(widths[k], math.inf),
                    out_cap=pool.balances[j],
                )
            )
    else:
        m0, w, rise = slopes[:, :-1], np.diff(grid), np.diff(values)
        # h(δ) = Y·δ/(X + δ) with h'(0) = m0 and h(w) = rise; nearly straight pieces get a huge X
        curved = m0 * w > rise * (1 + 1e-12)
        with np.errstate(divide="ignore", invalid="ignore"):
            x = np.where(curved, rise * w / (m0 * w - rise), w * 1e6)
        y = np.where(curved, m0 * x, rise * 1e6)
        made = [_curve(x[k], y[k], 1.0, w[k], bound=False) for k in range(len(rows))]
    fresh = iter(made)
    return [c if c is not None else next(fresh) for c in curves]


def _stable_rows(
    rows: Sequence[tuple[StablePool, int, int]], amounts: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """:func:`_stable_outputs` for one row of ``amounts`` per ``(pool, i, j)``, all at once."""
    n_, xi, xj, ann_, d_, rate_i, rate_j, rest, rest_product, power, keep_ = ([] for _ in range(11))
    for pool, i, j in rows:
        n = len(pool.tokens)
        xp, pool_ann, pool_d = _stable_invariant(tuple(pool.balances), tuple(pool.rates), pool.amp)
        n_.append(float(n**n))
        xi.append(xp[i])
        xj.append(xp[j])
        ann_.append(pool_ann)
        d_.append(pool_d)
        rate_i.append(float(pool.rates[i]))
        rate_j.append(float(pool.rates[j]))
        rest.append(float(sum(x for k, x in enumerate(xp) if k not in (i, j))))
        rest_product.append(float(math.prod(x for k, x in enumerate(xp) if k not in (i, j))))
        power.append(pool_d ** (n + 1))
        keep_.append(1 - pool.fee / 1e10)

    def column(v: list[float]) -> NDArray[np.float64]:
        return np.array(v, dtype=np.float64)[:, None]

    ann, d, keep = column(ann_), column(d_), column(keep_)
    x_in = column(xi) + amounts * column(rate_i) / 1e36
    others = column(rest) + x_in
    product = column(rest_product) * x_in
    b = ann * (others - d) + d
    c = column(power) / (column(n_) * product)
    y = 2 * c / (b + np.sqrt(b * b + 4 * ann * c))
    out = np.maximum(column(xj) - y, 0.0) * keep * 1e36 / column(rate_j)
    dy_dx = (ann * y + c / x_in) / (2 * ann * y + b)
    slope = dy_dx * keep * column(rate_i) / column(rate_j)
    return out, slope


def _prebuild_stable(legs: Sequence[LegRef], bound: bool) -> None:
    """Build the uncached stableswap curves among ``legs`` in one batch (:func:`_stable_curves`)."""
    todo: dict[tuple[int, str, str, bool], LegRef] = {}
    for ref in legs:
        pool = ref.pool
        if isinstance(pool, StablePool):
            key = (id(pool), ref.token_in, ref.token_out, bound)
            hit = _CACHE.get(key)
            if hit is None or hit[0] is not pool:
                todo[key] = ref
    if len(todo) > 1:
        for (key, ref), curve in zip(
            todo.items(), _stable_curves(list(todo.values()), bound=bound), strict=True
        ):
            _store(key, ref.pool, curve)


def _store(key: tuple[int, str, str, bool], pool: Pool, curve: _Curve) -> None:
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (pool, curve)


def _leg_curve(ref: LegRef, bound: bool = False) -> _Curve:
    """The leg's planning curve, or with ``bound`` its curve above the pool; cached by pool state.

    The two differ for stableswap legs (fits, tangent lines) and for V3 legs the
    planner cuts after ``_MAX_V3_SEGMENTS`` ranges (rebuilt whole for the bound).
    Pools are immutable, so a pool object's curves never change.
    """
    pool = ref.pool
    bound = bound and isinstance(pool, V3Pool | StablePool)
    key = (id(pool), ref.token_in, ref.token_out, bound)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is pool:
        return hit[1]
    if bound and isinstance(pool, V3Pool):
        planned = _leg_curve(ref)
        if not planned.truncated:
            return planned
    if isinstance(pool, V2Pool):
        curve = _v2(pool, ref.token_in)
    elif isinstance(pool, V3Pool):
        curve = _v3(pool, ref.token_in, full=bound)
    elif isinstance(pool, StablePool):
        curve = _stable(pool, ref.token_in, ref.token_out, bound=bound)
    else:
        raise DexError(f"pool {pool.id}: the router has no curve for {type(pool).__name__}")
    _store(key, pool, curve)
    return curve


def leg_spot(ref: LegRef) -> float:
    """The leg's best marginal rate (at zero input; the curves are concave), never below it.

    V2: ``γ·y/x``; V3: ``γ·P`` (or ``γ/P``) at the current price, which no later
    range beats; stableswap: the tangent at zero, raised as its bound curve's are.
    """
    pool = ref.pool
    if isinstance(pool, V2Pool):
        x, y = _v2_reserves(pool, ref.token_in)
        return _v2_spot(pool, x, y)
    if isinstance(pool, V3Pool):
        g, price = _v3_spot(pool)
        return g * price if ref.token_in == pool.token0 else g / price
    if isinstance(pool, StablePool):
        return _stable_spot(pool, ref.token_in, ref.token_out)
    raise DexError(f"pool {pool.id}: the router has no curve for {type(pool).__name__}")


def pool_legs(pool: Pool) -> tuple[list[LegRef], list[float]]:
    """The pool's legs (every ordered pair of its tokens) and their :func:`leg_spot` rates."""
    if isinstance(pool, V2Pool):
        a, b = pool.token0, pool.token1
        return [LegRef(pool, a, b), LegRef(pool, b, a)], [
            _v2_spot(pool, pool.reserve0, pool.reserve1),
            _v2_spot(pool, pool.reserve1, pool.reserve0),
        ]
    if isinstance(pool, V3Pool):
        a, b = pool.token0, pool.token1
        g, price = _v3_spot(pool)
        return [LegRef(pool, a, b), LegRef(pool, b, a)], [g * price, g / price]
    tokens = pool.tokens
    legs = [LegRef(pool, a, b) for a in tokens for b in tokens if a != b]
    return legs, [leg_spot(ref) for ref in legs]


def _v2_spot(pool: V2Pool, x: int, y: int) -> float:
    return (1 - pool.fee_bps / 10_000) * y / x if x and y else 0.0


def _v3_spot(pool: V3Pool) -> tuple[float, float]:
    """``γ`` and the price ``P`` (token1 per token0) at the pool's current price."""
    return 1 - pool.fee / 1_000_000, (pool.sqrt_price_x96 / _Q96) ** 2


def _stable_spot(pool: StablePool, token_in: str, token_out: str) -> float:
    if min(pool.balances) == 0:
        return 0.0
    i, j = pool.tokens.index(token_in), pool.tokens.index(token_out)
    return float(_stable_outputs(pool, i, j, 0.0)[1]) * (1 + _TANGENT_SLACK)


def build_table(legs: Sequence[LegRef], *, bound: bool = False) -> SegmentTable:
    """The segment table of ``legs`` (tokens indexed in order of first appearance).

    By default the planning curves; ``bound`` builds the curves above the pools
    instead (stableswap tangent lines, every V3 range), for the certificate.
    """
    tokens: dict[str, int] = {}
    for ref in legs:
        tokens.setdefault(ref.token_in, len(tokens))
        tokens.setdefault(ref.token_out, len(tokens))
    _prebuild_stable(legs, bound)
    curves = [_leg_curve(ref, bound) for ref in legs]
    h = np.concatenate([c.h for c in curves], axis=1) if curves else _NO_SEGMENTS
    lines = np.concatenate([c.lines for c in curves], axis=1) if curves else _NO_LINES
    index = np.arange(len(legs), dtype=np.int64)
    h_leg = np.repeat(index, [c.h.shape[1] for c in curves])
    capacity = np.zeros(len(legs))
    np.add.at(capacity, h_leg, h[3])
    return SegmentTable(
        legs=tuple(legs),
        tokens=tuple(tokens),
        leg_in=np.array([tokens[r.token_in] for r in legs], dtype=np.int64),
        leg_out=np.array([tokens[r.token_out] for r in legs], dtype=np.int64),
        h_leg=h_leg,
        h_x=h[0],
        h_y=h[1],
        h_g=h[2],
        h_cap=h[3],
        h_bound=h[4] > 0,
        l_leg=np.repeat(index, [c.lines.shape[1] for c in curves]),
        l_slope=lines[0],
        l_cap=lines[1],
        l_in_before=lines[2],
        l_out_before=lines[3],
        out_cap=np.array([float(c.out_cap) for c in curves]),
        h_before=h[5],
        capacity=capacity,
        truncated=np.array([c.truncated for c in curves], dtype=bool),
    )
