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
  concave, so these lie above it.

The continuous curves are never below the exact integer maths (which rounds
outputs down), so a bound computed on them bounds what any integer route gets.
Floats are used for planning only; amounts that reach a fill are integers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from rexos.dex.pool import Pool
from rexos.dex.stable import StablePool
from rexos.dex.v2 import V2Pool
from rexos.dex.v3 import V3Pool
from rexos.errors import DexError

__all__ = ["LegRef", "SegmentTable", "build_table"]

_MAX_V3_SEGMENTS = 256
_STABLE_PLAN_POINTS = 40
_STABLE_BOUND_POINTS = 240
_Q96 = float(2**96)


@dataclass(frozen=True, slots=True)
class LegRef:
    """One pool in one direction."""

    pool: Pool
    token_in: str
    token_out: str


@dataclass(slots=True)
class _Builder:
    h_leg: list[int] = field(default_factory=list)
    h_x: list[float] = field(default_factory=list)
    h_y: list[float] = field(default_factory=list)
    h_g: list[float] = field(default_factory=list)
    h_cap: list[float] = field(default_factory=list)
    h_bound: list[bool] = field(default_factory=list)
    l_leg: list[int] = field(default_factory=list)
    l_slope: list[float] = field(default_factory=list)
    l_cap: list[float] = field(default_factory=list)

    def hyperbola(
        self, leg: int, x: float, y: float, g: float, cap: float, *, bound: bool = True
    ) -> None:
        if x > 0 and y > 0 and cap > 0:
            self.h_leg.append(leg)
            self.h_x.append(x)
            self.h_y.append(y)
            self.h_g.append(g)
            self.h_cap.append(cap)
            self.h_bound.append(bound)

    def line(self, leg: int, slope: float, cap: float) -> None:
        if slope > 0 and cap > 0:
            self.l_leg.append(leg)
            self.l_slope.append(slope)
            self.l_cap.append(cap)


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
    h_before: NDArray[np.float64]
    capacity: NDArray[np.float64]

    def outputs(self, amounts: NDArray[np.float64]) -> NDArray[np.float64]:
        """Each leg's output for the input ``amounts[leg]`` (``-inf`` beyond its capacity)."""
        out = np.zeros(len(self.legs))
        if len(self.h_leg):
            take = np.clip(amounts[self.h_leg] - self.h_before, 0.0, self.h_cap)
            np.add.at(out, self.h_leg, self.h_y * self.h_g * take / (self.h_x + self.h_g * take))
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
            h_before=self.h_before[h],
            capacity=self.capacity[keep],
        )

    def spot(self) -> NDArray[np.float64]:
        """Each leg's marginal rate at zero input (0 for a leg without liquidity)."""
        rate = np.zeros(len(self.legs))
        np.maximum.at(rate, self.h_leg, self.h_g * self.h_y / self.h_x)
        return rate


def _v2(b: _Builder, leg: int, pool: V2Pool, token_in: str) -> None:
    x, y = (
        (pool.reserve0, pool.reserve1)
        if token_in == pool.token0
        else (pool.reserve1, pool.reserve0)
    )
    b.hyperbola(leg, float(x), float(y), 1 - pool.fee_bps / 10_000, math.inf)


def _v3(b: _Builder, leg: int, pool: V3Pool, token_in: str) -> None:
    g = 1 - pool.fee / 1_000_000
    down = token_in == pool.token0
    for n, seg in enumerate(pool.segments(down)):
        if n == _MAX_V3_SEGMENTS:
            break
        liquidity = float(seg.liquidity)
        start, end = seg.sqrt_price_start_x96 / _Q96, seg.sqrt_price_end_x96 / _Q96
        if down:
            cap = liquidity * (1 / end - 1 / start) / g
            b.hyperbola(leg, liquidity / start, liquidity * start, g, cap)
        else:
            b.hyperbola(leg, liquidity * start, liquidity / start, g, liquidity * (end - start) / g)


def _stable_outputs(
    pool: StablePool, i: int, j: int, amounts: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The pool's output and marginal rate at each input in ``amounts``, in floats.

    With ``Ann = A·n`` (the pool's ``amp / A_PRECISION · n``), the invariant
    ``Ann·Σx + D = Ann·D + D^(n+1) / (nⁿ·Πx)`` is a quadratic in the output
    coin's balance ``y`` once the others are fixed: ``Ann·y² + b·y − c = 0`` with
    ``b = Ann·(S − D) + D`` and ``c = D^(n+1)/(nⁿ·P)`` (``S``, ``P``: sum and
    product of the other balances, the input coin's included). It is solved in
    closed form, and ``dy/dx = −(Ann·y + c/x)/(2·Ann·y + b)`` gives the marginal.
    """
    n = len(pool.tokens)
    xp = [b * r / 1e36 for b, r in zip(pool.balances, pool.rates, strict=True)]
    ann = pool.amp / 100 * n
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
    x_in = xp[i] + amounts * pool.rates[i] / 1e36
    others = sum(x for k, x in enumerate(xp) if k not in (i, j)) + x_in
    product = math.prod(x for k, x in enumerate(xp) if k not in (i, j)) * x_in
    b = ann * (others - d) + d
    c = d ** (n + 1) / (n**n * product)
    y = 2 * c / (b + np.sqrt(b * b + 4 * ann * c))
    keep = 1 - pool.fee / 1e10
    out: NDArray[np.float64] = np.maximum(xp[j] - y, 0.0) * keep * 1e36 / pool.rates[j]
    dy_dx = (ann * y + c / x_in) / (2 * ann * y + b)
    slope: NDArray[np.float64] = dy_dx * keep * pool.rates[i] / pool.rates[j]
    return out, slope


def _stable(b: _Builder, leg: int, pool: StablePool, token_in: str, token_out: str) -> None:
    """Hyperbolic fits for the plan, tangent lines for the bound (see the module docstring)."""
    i, j = pool.tokens.index(token_in), pool.tokens.index(token_out)
    if min(pool.balances) == 0:
        return
    scale = float(pool.balances[i])
    for points, plan in ((_STABLE_PLAN_POINTS, True), (_STABLE_BOUND_POINTS, False)):
        grid = np.concatenate(([0.0], scale * np.logspace(-7, 1.5, points)))
        values, slopes = _stable_outputs(pool, i, j, grid)
        if not plan:
            slopes = slopes * (1 + 1e-12)  # float noise
        widths, rises = np.diff(grid), np.diff(values)
        for k in range(len(widths)):
            m0, w, rise = float(slopes[k]), float(widths[k]), float(rises[k])
            if plan:
                # h(δ) = Y·δ/(X + δ) with h'(0) = m0 and h(w) = rise
                if rise > 0 and m0 * w > rise * (1 + 1e-12):
                    x = rise * w / (m0 * w - rise)
                    b.hyperbola(leg, x, m0 * x, 1.0, w, bound=False)
                elif rise > 0:  # straight to float precision: nearly a line
                    b.hyperbola(leg, w * 1e6, rise * 1e6, 1.0, w, bound=False)
            else:
                b.line(leg, m0, w)


def build_table(legs: Sequence[LegRef]) -> SegmentTable:
    """The segment table of ``legs`` (tokens indexed in order of first appearance)."""
    tokens: dict[str, int] = {}
    b = _Builder()
    for n, ref in enumerate(legs):
        for t in (ref.token_in, ref.token_out):
            tokens.setdefault(t, len(tokens))
        pool = ref.pool
        if isinstance(pool, V2Pool):
            _v2(b, n, pool, ref.token_in)
        elif isinstance(pool, V3Pool):
            _v3(b, n, pool, ref.token_in)
        elif isinstance(pool, StablePool):
            _stable(b, n, pool, ref.token_in, ref.token_out)
        else:
            raise DexError(f"pool {pool.id}: the router has no curve for {type(pool).__name__}")

    def ints(v: list[int]) -> NDArray[np.int64]:
        return np.asarray(v, dtype=np.int64)

    def floats(v: list[float]) -> NDArray[np.float64]:
        return np.asarray(v, dtype=np.float64)

    def before(leg: list[int], cap: list[float]) -> list[float]:
        """Input the earlier segments of the same leg take first (segments are in order)."""
        done: dict[int, float] = {}
        result = []
        for n, c in zip(leg, cap, strict=True):
            result.append(done.get(n, 0.0))
            done[n] = result[-1] + c
        return result

    capacity = np.zeros(len(legs))
    np.add.at(capacity, np.asarray(b.h_leg, dtype=np.int64), floats(b.h_cap))

    return SegmentTable(
        legs=tuple(legs),
        tokens=tuple(tokens),
        leg_in=ints([tokens[r.token_in] for r in legs]),
        leg_out=ints([tokens[r.token_out] for r in legs]),
        h_leg=ints(b.h_leg),
        h_x=floats(b.h_x),
        h_y=floats(b.h_y),
        h_g=floats(b.h_g),
        h_cap=floats(b.h_cap),
        h_bound=np.asarray(b.h_bound, dtype=bool),
        l_leg=ints(b.l_leg),
        l_slope=floats(b.l_slope),
        l_cap=floats(b.l_cap),
        h_before=floats(before(b.h_leg, b.h_cap)),
        capacity=capacity,
    )
