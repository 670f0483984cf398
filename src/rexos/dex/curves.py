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
* **linear** ``out(Δ) = slope·Δ`` for ``0 ≤ Δ ≤ cap``: chords of any other curve
  (stableswap) sampled with its exact maths. ``slope_up`` is the previous
  chord's slope, at least the true marginal anywhere on the segment, so curves
  built from it lie above the pool and give a valid upper bound.

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
_STABLE_POINTS = 48
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
    l_leg: list[int] = field(default_factory=list)
    l_slope: list[float] = field(default_factory=list)
    l_slope_up: list[float] = field(default_factory=list)
    l_cap: list[float] = field(default_factory=list)

    def hyperbola(self, leg: int, x: float, y: float, g: float, cap: float) -> None:
        if x > 0 and y > 0 and cap > 0:
            self.h_leg.append(leg)
            self.h_x.append(x)
            self.h_y.append(y)
            self.h_g.append(g)
            self.h_cap.append(cap)

    def line(self, leg: int, slope: float, slope_up: float, cap: float) -> None:
        if slope_up > 0 and cap > 0:
            self.l_leg.append(leg)
            self.l_slope.append(max(slope, 0.0))
            self.l_slope_up.append(slope_up)
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
    l_leg: NDArray[np.int64]
    l_slope: NDArray[np.float64]
    l_slope_up: NDArray[np.float64]
    l_cap: NDArray[np.float64]

    def spot(self) -> NDArray[np.float64]:
        """Each leg's marginal rate at zero input (0 for a leg without liquidity)."""
        rate = np.zeros(len(self.legs))
        np.maximum.at(rate, self.h_leg, self.h_g * self.h_y / self.h_x)
        np.maximum.at(rate, self.l_leg, self.l_slope_up)
        return rate


def _v2(b: _Builder, leg: int, pool: V2Pool, token_in: str) -> None:
    x, y = (
        (pool.reserve0, pool.reserve1)
        if token_in == pool.token0
        else (pool.reserve1, pool.reserve0)
    )
    b.hyperbola(leg, float(x), float(y), 1 - pool.fee_bps / 10_000, math.inf)


def _sqrt_at(tick: int) -> float:
    return math.sqrt(1.0001**tick)


def _v3(b: _Builder, leg: int, pool: V3Pool, token_in: str) -> None:
    g = 1 - pool.fee / 1_000_000
    s = pool.sqrt_price_x96 / _Q96
    liquidity = float(pool.liquidity)
    down = token_in == pool.token0
    if down:
        ticks = [t for t in reversed(pool.ticks) if t.index <= pool.tick]
    else:
        ticks = [t for t in pool.ticks if t.index > pool.tick]
    bounds = [(_sqrt_at(t.index), float(t.liquidity_net)) for t in ticks[:_MAX_V3_SEGMENTS]]
    last = _sqrt_at(-887272) if down else _sqrt_at(887272)
    for boundary, net in [*bounds, (last, 0.0)]:
        if liquidity > 0 and (boundary < s if down else boundary > s):
            if down:
                b.hyperbola(
                    leg, liquidity / s, liquidity * s, g, liquidity * (1 / boundary - 1 / s) / g
                )
            else:
                b.hyperbola(leg, liquidity * s, liquidity / s, g, liquidity * (boundary - s) / g)
        s = boundary
        liquidity = liquidity - net if down else liquidity + net


def _sampled(b: _Builder, leg: int, pool: Pool, token_in: str, token_out: str, scale: int) -> None:
    """Chords of the exact curve on a geometric grid from 1e-7 to 30 times ``scale``."""
    points = [0]
    for k in range(_STABLE_POINTS):
        x = int(scale * 10 ** (-7 + 8.5 * k / (_STABLE_POINTS - 1)))
        if x > points[-1]:
            points.append(x)
    outs = [0]
    for x in points[1:]:
        try:
            outs.append(pool.swap(token_in, token_out, x)[0])
        except DexError:
            break
    previous = math.inf
    for k in range(1, len(outs)):
        width = points[k] - points[k - 1]
        slope = (outs[k] - outs[k - 1]) / width
        up = slope * (1 + 1e-6) + 1 / width if k == 1 else previous
        b.line(leg, slope, up, float(width))
        previous = max(slope, 0.0) * (1 + 1e-9) + 1 / width


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
            i = pool.tokens.index(ref.token_in)
            _sampled(b, n, pool, ref.token_in, ref.token_out, max(pool.balances[i], 1))
        else:
            raise DexError(f"pool {pool.id}: the router has no curve for {type(pool).__name__}")

    def ints(v: list[int]) -> NDArray[np.int64]:
        return np.asarray(v, dtype=np.int64)

    def floats(v: list[float]) -> NDArray[np.float64]:
        return np.asarray(v, dtype=np.float64)

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
        l_leg=ints(b.l_leg),
        l_slope=floats(b.l_slope),
        l_slope_up=floats(b.l_slope_up),
        l_cap=floats(b.l_cap),
    )
