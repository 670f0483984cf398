"""The routing problem's dual: token prices that certify a bound and yield a plan.

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
price (water-filling); otherwise by L-BFGS on ``log ν``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize

from rexos.dex.curves import SegmentTable

__all__ = ["DualResult", "Evaluation", "evaluate", "solve_dual"]

_BISECTION_STEPS = 200


@dataclass(frozen=True)
class Evaluation:
    """``g(ν)``, its gradient, and every leg's best trade at ``ν``."""

    value: float
    grad: NDArray[np.float64]
    leg_in: NDArray[np.float64]
    leg_out: NDArray[np.float64]
    surplus: NDArray[np.float64]


@dataclass(frozen=True)
class DualResult:
    """The prices found, the plan they give, and the best certified bound."""

    prices: NDArray[np.float64]
    plan_in: NDArray[np.float64]
    plan_out: NDArray[np.float64]
    surplus: NDArray[np.float64]
    upper_bound: float


def evaluate(
    table: SegmentTable, prices: NDArray[np.float64], sell: int, amount: float, *, upper: bool
) -> Evaluation:
    """``g`` at ``prices`` (one per token of ``table``); ``upper`` uses the linear bounds."""
    n_legs = len(table.legs)
    nu_in = prices[table.leg_in]
    nu_out = prices[table.leg_out]
    leg_in = np.zeros(n_legs)
    leg_out = np.zeros(n_legs)
    if len(table.h_leg):
        a = nu_in[table.h_leg]
        b = nu_out[table.h_leg]
        x, y, g, cap = table.h_x, table.h_y, table.h_g, table.h_cap
        with np.errstate(divide="ignore", invalid="ignore"):
            root = np.sqrt(np.where(a > 0, b * g * x * y / a, np.inf))
            delta = np.clip((root - x) / g, 0.0, cap)
            delta = np.where(np.isfinite(delta), delta, 0.0)
            out = np.where(delta > 0, y * g * delta / (x + g * delta), 0.0)
        np.add.at(leg_in, table.h_leg, delta)
        np.add.at(leg_out, table.h_leg, out)
    if len(table.l_leg):
        slope = table.l_slope_up if upper else table.l_slope
        a = nu_in[table.l_leg]
        b = nu_out[table.l_leg]
        take = b * slope > a
        delta = np.where(take, table.l_cap, 0.0)
        np.add.at(leg_in, table.l_leg, delta)
        np.add.at(leg_out, table.l_leg, delta * slope)
    surplus = nu_out * leg_out - nu_in * leg_in
    grad = np.zeros(len(prices))
    np.add.at(grad, table.leg_out, leg_out)
    np.subtract.at(grad, table.leg_in, leg_in)
    grad[sell] += amount
    value = float(prices[sell] * amount + surplus.sum())
    return Evaluation(value, grad, leg_in, leg_out, surplus)


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
    table: SegmentTable, prices: NDArray[np.float64], sell: int, amount: float
) -> NDArray[np.float64]:
    """The single free price ``ν_sell`` at which the legs take exactly ``amount``."""
    low, high = 0.0, max(prices[sell], 1e-300)
    trial = prices.copy()
    for _ in range(200):
        trial[sell] = high
        if evaluate(table, trial, sell, amount, upper=False).grad[sell] >= 0:
            break
        low, high = high, high * 4
    for _ in range(_BISECTION_STEPS):
        mid = (low + high) / 2
        if mid <= low or mid >= high:
            break
        trial[sell] = mid
        if evaluate(table, trial, sell, amount, upper=False).grad[sell] >= 0:
            high = mid
        else:
            low = mid
    trial[sell] = high
    return trial


def _lbfgs(
    table: SegmentTable, start: NDArray[np.float64], sell: int, buy: int, amount: float
) -> NDArray[np.float64]:
    free = np.array([t for t in range(len(start)) if t != buy and start[t] > 0])
    scale = start[free]

    def fun(z: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        prices = start.copy()
        prices[free] = scale * np.exp(z)
        e = evaluate(table, prices, sell, amount, upper=False)
        norm = amount * start[sell]
        return e.value / norm, e.grad[free] * prices[free] / norm

    result = minimize(
        fun,
        np.zeros(len(free)),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 500, "gtol": 1e-12, "ftol": 1e-15},
    )
    prices = start.copy()
    prices[free] = scale * np.exp(result.x)
    return prices


def solve_dual(table: SegmentTable, sell: str, buy: str, amount: int) -> DualResult:
    """Minimise ``g`` for routing ``amount`` of ``sell`` to ``buy`` through ``table``'s legs."""
    s, b = table.tokens.index(sell), table.tokens.index(buy)
    x = float(amount)
    start = _initial_prices(table, b)
    if len(table.tokens) == 2:
        prices = _bisect(table, start, s, x)
    else:
        prices = _lbfgs(table, start, s, b, x)
    plan = evaluate(table, prices, s, x, upper=False)
    bound = min(
        evaluate(table, prices, s, x, upper=True).value,
        evaluate(table, start, s, x, upper=True).value,
    )
    return DualResult(prices, plan.leg_in, plan.leg_out, plan.surplus, bound)
