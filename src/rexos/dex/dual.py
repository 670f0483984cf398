"""The routing problem's dual: token prices that yield a plan (and certify a bound).

Routing ``X`` of the sell token to the buy token through legs ``i`` (input
``Δᵢ ≥ 0``, output at most ``fᵢ(Δᵢ)``, ``fᵢ`` concave) is the convex problem of
Angeris et al., *Optimal Routing for Constant Function Market Makers* (2022):
maximise the buy token received while no other token's net flow is negative
and at most ``X`` of the sell token is spent. With a price ``ν_t ≥ 0`` per token
(``ν_buy = 1``) the Lagrangian splits by leg, and its dual is

    g(ν) = ν_sell·X + Σᵢ max_{Δ ≥ 0} ( ν_out(i)·fᵢ(Δ) − ν_in(i)·Δ )

where each inner maximum is a closed-form "arbitrage" of one segment. Every
``ν`` gives an upper bound ``g(ν)`` on the best output (weak duality); the
minimising ``ν`` makes the legs' best trades balance, which is the plan. With
one price (parallel pools) the minimum is found by bisection on the marginal
price (water-filling); otherwise by a damped Newton method with the analytic
Hessian (each interior segment adds a rank-one term), which copes with the
nearly flat curves of stableswap pools where quasi-Newton methods stall. The
bound itself is evaluated over the whole pool graph by
:mod:`rexos.dex.certificate`, at whatever prices this finds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from rexos.dex.curves import SegmentTable

__all__ = ["DualResult", "Evaluation", "evaluate", "solve_dual", "tighten"]

_BISECTION_STEPS = 200
_NEWTON_STEPS = 100
_TOLERANCE = 1e-9
_PRICE_FLOOR = 1e-9
_STALL = 1e-13
"""Newton stops when its step promises less than this share of ``g`` (float noise is ~10⁻¹⁶)."""


@dataclass(frozen=True)
class Evaluation:
    """``g(ν)``, its gradient (and Hessian if asked), and every leg's best trade at ``ν``."""

    value: float
    grad: NDArray[np.float64]
    leg_in: NDArray[np.float64]
    leg_out: NDArray[np.float64]
    surplus: NDArray[np.float64]
    hessian: NDArray[np.float64] | None = None


@dataclass(frozen=True)
class DualResult:
    """The prices found and the plan they give (each leg's best trade at those prices)."""

    prices: NDArray[np.float64]
    plan_in: NDArray[np.float64]
    plan_out: NDArray[np.float64]
    surplus: NDArray[np.float64]


def evaluate(
    table: SegmentTable,
    prices: NDArray[np.float64],
    sell: int,
    amount: float,
    *,
    upper: bool,
    hessian: bool = False,
) -> Evaluation:
    """``g`` at ``prices`` (one per token of ``table``).

    ``upper`` evaluates the curves that lie above every pool (a valid bound);
    otherwise the planning curves.
    """
    n_legs = len(table.legs)
    nu_in = prices[table.leg_in]
    nu_out = prices[table.leg_out]
    leg_in = np.zeros(n_legs)
    leg_out = np.zeros(n_legs)
    h = table.h_bound if upper else np.ones(len(table.h_leg), dtype=bool)
    if h.any():
        legs = table.h_leg[h]
        a = nu_in[legs]
        b = nu_out[legs]
        x, y, g, cap = table.h_x[h], table.h_y[h], table.h_g[h], table.h_cap[h]
        with np.errstate(divide="ignore", invalid="ignore"):
            root = np.sqrt(np.where(a > 0, b * g * x * y / a, np.inf))
            delta = np.clip((root - x) / g, 0.0, cap)
            delta = np.where(np.isfinite(delta), delta, 0.0)
            out = np.where(delta > 0, y * g * delta / (x + g * delta), 0.0)
        leg_in += np.bincount(legs, delta, n_legs)
        leg_out += np.bincount(legs, out, n_legs)
        if hessian:
            hess = _hessian(table, legs, a, b, x, g, delta, cap, len(prices))
    if upper and len(table.l_leg):
        slope = table.l_slope
        a = nu_in[table.l_leg]
        b = nu_out[table.l_leg]
        take = b * slope > a
        delta = np.where(take, table.l_cap, 0.0)
        line_in = np.asarray(np.bincount(table.l_leg, delta, n_legs), dtype=np.float64)
        line_out = np.asarray(np.bincount(table.l_leg, delta * slope, n_legs), dtype=np.float64)
        _cap_outputs(table, line_in, line_out)
        leg_in += line_in
        leg_out += line_out
    surplus = nu_out * leg_out - nu_in * leg_in
    grad = np.zeros(len(prices))
    grad += np.bincount(table.leg_out, leg_out, len(prices))
    grad -= np.bincount(table.leg_in, leg_in, len(prices))
    grad[sell] += amount
    value = float(prices[sell] * amount + surplus.sum())
    if not hessian:
        return Evaluation(value, grad, leg_in, leg_out, surplus)
    if not h.any():
        hess = np.zeros((len(prices), len(prices)))
    return Evaluation(value, grad, leg_in, leg_out, surplus, hess)


def _cap_outputs(
    table: SegmentTable, line_in: NDArray[np.float64], line_out: NDArray[np.float64]
) -> None:
    """No leg pays out more than its pool holds: stop where the bound's lines reach that.

    The lines taken are a prefix (their slopes fall), so the input at which their
    output reaches the cap ``C`` is found on the line that crosses it. Stopping
    there is the best trade on the capped curve, which still lies above the pool.
    """
    over = line_out > table.out_cap
    if not over.any():
        return
    legs = table.l_leg
    cap = table.out_cap[legs]
    top = table.l_out_before + table.l_slope * table.l_cap
    crossing = over[legs] & (table.l_out_before < cap) & (cap <= top)
    at = table.l_in_before + (cap - table.l_out_before) / table.l_slope
    line_in[legs[crossing]] = at[crossing]
    line_out[over] = table.out_cap[over]


def _hessian(
    table: SegmentTable,
    legs: NDArray[np.int64],
    nu_in: NDArray[np.float64],
    nu_out: NDArray[np.float64],
    x: NDArray[np.float64],
    g: NDArray[np.float64],
    delta: NDArray[np.float64],
    cap: NDArray[np.float64],
    n: int,
) -> NDArray[np.float64]:
    """``∂²g/∂ν²``: each interior segment adds ``(D/ν_in)·v·vᵀ`` with ``v = (ρ at out, −1 at in)``.

    For an interior optimum ``Δ = (√(ν_out·gXY/ν_in) − X)/g``, so ``∂Δ/∂ln ν_out =
    −∂Δ/∂ln ν_in = D = (gΔ + X)/2g`` and the output moves by ``ρ = ν_in/ν_out`` per
    unit of input; clipped segments contribute nothing.
    """
    inside = np.flatnonzero((delta > 0) & (delta < cap) & (nu_in > 0) & (nu_out > 0))
    a, g = nu_in[inside], g[inside]
    weight = (g * delta[inside] + x[inside]) / (2 * g) / a
    rho = a / nu_out[inside]
    i = table.leg_in[legs[inside]]
    o = table.leg_out[legs[inside]]
    cells = np.concatenate((o * n + o, o * n + i, i * n + o, i * n + i))
    parts = np.concatenate((weight * rho * rho, -weight * rho, -weight * rho, weight))
    return np.asarray(np.bincount(cells, parts, n * n), dtype=np.float64).reshape(n, n)


def _initial_prices(table: SegmentTable, buy: int) -> NDArray[np.float64]:
    """Each token's best spot value in buy-token units (Bellman–Ford over spot rates)."""
    spot = table.spot()
    prices = np.zeros(len(table.tokens))
    prices[buy] = 1.0
    for _ in range(len(table.tokens)):
        candidate = spot * prices[table.leg_out]
        updated = prices.copy()
        np.maximum.at(updated, table.leg_in, candidate)
        updated[buy] = 1.0
        if np.array_equal(updated, prices):
            break
        prices = updated
    return prices


def _bisect(
    table: SegmentTable,
    prices: NDArray[np.float64],
    sell: int,
    amount: float,
    *,
    upper: bool = False,
) -> NDArray[np.float64]:
    """The price ``ν_sell`` (others fixed) at which the legs take exactly ``amount``.

    ``g`` is convex in ``ν_sell`` with derivative ``amount − Σ input``, increasing,
    so its minimum along that coordinate is where the derivative turns positive:
    bracketed by doubling or halving from the current price, then narrowed to a
    relative width of ``_TOLERANCE`` (:func:`_narrow`; never more steps than
    geometric bisection and one, far fewer where the derivative is smooth).
    """
    trial = prices.copy()
    # only the legs into or out of the sell token move its net flow: the rest are left out
    table = table.subset((table.leg_in == sell) | (table.leg_out == sell))

    def excess(price: float) -> float:
        trial[sell] = price
        return float(evaluate(table, trial, sell, amount, upper=upper).grad[sell])

    low = high = max(float(prices[sell]), 1e-300)
    f_low = f_high = excess(high)
    if f_high >= 0:
        for _ in range(_BISECTION_STEPS):
            low /= 2
            f_low = excess(low)
            if not f_low >= 0:
                break
            high, f_high = low, f_low
    else:
        for _ in range(_BISECTION_STEPS):
            high *= 2
            f_high = excess(high)
            if f_high >= 0:
                break
            low, f_low = high, f_high
    if 0 < low < high and f_low < 0 <= f_high:
        low, high = _narrow(excess, low, high, f_low, f_high)
    for _ in range(_BISECTION_STEPS):
        if high <= low * (1 + _TOLERANCE):
            break
        mid = math.sqrt(low * high) if low > 0 else high / 2
        if excess(mid) >= 0:
            high = mid
        else:
            low = mid
    trial[sell] = high
    return trial


def _narrow(
    excess: Callable[[float], float], low: float, high: float, f_low: float, f_high: float
) -> tuple[float, float]:
    """``[low, high]`` (``excess`` below 0 at ``low``, at least 0 at ``high``) narrowed to a
    relative width of ``_TOLERANCE`` by the ITP method (Oliveira and Takahashi, 2020) on
    ``ln ν``: false position, truncated and projected so that it never needs more steps
    than bisection and one; at a kink it falls back towards bisection."""
    a, b = math.log(low), math.log(high)
    eps = math.log1p(_TOLERANCE) / 2
    n_max = math.ceil(math.log2(max((b - a) / (2 * eps), 1.0))) + 1
    k1 = 0.2 / (b - a)
    for j in range(n_max + 1):
        if high <= low * (1 + _TOLERANCE):
            break
        a, b = math.log(low), math.log(high)
        half = (a + b) / 2
        radius = eps * 2.0 ** (n_max - j) - (b - a) / 2
        shift = k1 * (b - a) ** 2
        guess = (f_high * a - f_low * b) / (f_high - f_low)
        if not math.isfinite(guess):
            guess = half
        toward = math.copysign(1.0, half - guess)
        x = guess + toward * shift if shift <= abs(half - guess) else half
        if abs(x - half) > radius:
            x = half - toward * radius
        price = math.exp(x)
        if not low < price < high:
            price = math.sqrt(low * high)
        value = excess(price)
        if value >= 0:
            high, f_high = price, value
        else:
            low, f_low = price, value
    return low, high


def _balanced(table: SegmentTable, e: Evaluation, free: NDArray[np.int64], amount: float) -> bool:
    """Whether every free token's net flow is within ``_TOLERANCE`` of its gross flow."""
    gross = np.zeros(len(e.grad))
    gross += np.bincount(table.leg_in, e.leg_in, len(gross))
    gross += np.bincount(table.leg_out, e.leg_out, len(gross))
    slack = _TOLERANCE * gross[free] + 1.0  # one base unit of rounding
    return bool(np.all(np.abs(e.grad[free]) <= slack))


def _newton(
    table: SegmentTable, start: NDArray[np.float64], sell: int, buy: int, amount: float
) -> NDArray[np.float64]:
    """Damped Newton on ``g`` (convex in ``ν``), scaled by the current prices, with backtracking."""
    free = np.array([t for t in range(len(start)) if t != buy and start[t] > 0])
    prices = start.copy()
    current = evaluate(table, prices, sell, amount, upper=False, hessian=True)
    floor = start[free] * _PRICE_FLOOR
    for _ in range(_NEWTON_STEPS):
        scale = prices[free]
        grad = current.grad[free] * scale
        if _balanced(table, current, free, amount):
            break
        assert current.hessian is not None
        hess = current.hessian[np.ix_(free, free)] * np.outer(scale, scale)
        diag = np.diag(hess)
        # no curvature yet (no segment trades): a step of at most half the price
        flat = diag <= 1e-12 * max(float(diag.max()), 0.0)
        hess = hess + np.diag(np.where(flat, 2 * np.abs(grad) + 1e-300, 1e-12 * diag))
        try:
            step = np.linalg.solve(hess, -grad)
        except np.linalg.LinAlgError:
            step = -grad / np.maximum(np.diag(hess), 1e-300)
        step = np.nan_to_num(step, nan=0.0, posinf=3.0, neginf=-0.75)
        step = np.clip(step, -0.75, 3.0)  # a price moves by at most 4x per step
        if -float(grad @ step) <= _STALL * abs(current.value):
            break  # converged in value: what is left is imbalance worth nothing at these prices
        t = 1.0
        while t > 1e-9:
            trial = prices.copy()
            trial[free] = np.maximum(scale * (1 + t * step), floor)
            candidate = evaluate(table, trial, sell, amount, upper=False, hessian=True)
            if candidate.value <= current.value + 1e-4 * t * float(grad @ step):
                prices, current = trial, candidate
                break
            t /= 2
        else:
            break
    return prices


def solve_dual(
    table: SegmentTable,
    sell: str,
    buy: str,
    amount: int,
    start: NDArray[np.float64] | None = None,
) -> DualResult:
    """Minimise ``g`` for routing ``amount`` of ``sell`` to ``buy`` through ``table``'s legs.

    ``start`` (one price per token of ``table``, 0 for unknown) warm-starts the
    search; tokens it leaves at 0 start from their best spot value.
    """
    s, b = table.tokens.index(sell), table.tokens.index(buy)
    x = float(amount)
    initial = _initial_prices(table, b)
    if start is not None:
        initial = np.where((start > 0) & (initial > 0), start / start[b], initial)
        initial[b] = 1.0
    if len(table.tokens) == 2:
        prices = _bisect(table, initial, s, x)
    else:
        prices = _newton(table, initial, s, b, x)
    plan = evaluate(table, prices, s, x, upper=False)
    return DualResult(prices, plan.leg_in, plan.leg_out, plan.surplus)


def tighten(
    table: SegmentTable, prices: NDArray[np.float64], sell: str, amount: int
) -> NDArray[np.float64]:
    """``prices`` with the sell token's moved to where the bound curves take exactly ``amount``.

    Often a lower ``g`` than the planner's prices; either is a valid certificate
    (:mod:`rexos.dex.certificate` evaluates them over the whole graph).
    """
    return _bisect(table, prices, table.tokens.index(sell), float(amount), upper=True)
