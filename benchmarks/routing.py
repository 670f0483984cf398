"""SmartWallet routing: latency, gap to an independently solved optimum, gain over the grid.

Run: ``python benchmarks/routing.py``. Prints tables and writes ``benchmarks/routing.json``.

* Latency of ``find_route`` (median, p95) on synthetic universes of 10, 100, 1,000
  and 2,000 pools (V2 pairs with assorted fees, V3 pools with concentrated
  positions, a few stableswap pools), cold (every leg's curve built) and warm
  (curves cached, as in a node that keeps pools current from events).
* Gap to the convex optimum, solved here independently with scipy (SLSQP on the
  primal with exact gradients: the continuous V2 curves and V3 tick ranges, no
  dual, no code shared with the router's optimiser; started from three points,
  one of them the router's split) on V2 + V3 universes of 50 pools. Trades where
  no SLSQP run ends feasible are left out and counted.
* Gain over the aggregators' 5 %-grid / 3-split baseline, by trade size: 1 %,
  5 % and 20 % of the depth of the pools that trade the pair directly.
"""

from __future__ import annotations

import json
import platform
import random
import statistics
import sys
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize

from rexos.dex import V2Pool, V3Pool, find_route, grid_route, synthetic_pools
from rexos.dex import curves as curve_cache
from rexos.dex.graph import candidate_legs
from rexos.dex.pool import Pool
from rexos.errors import DexError

OUT = Path(__file__).with_suffix(".json")
SIZES = (0.01, 0.05, 0.20)
SELL = "USDC"


def _depth(pools: list[Pool], sell: str, buy: str) -> int:
    """How much of ``sell`` the pools trading ``sell``/``buy`` directly hold (V3: virtual)."""
    total = 0
    for p in pools:
        if isinstance(p, V2Pool) and {p.token0, p.token1} == {sell, buy}:
            total += p.reserves(sell)[0]
        elif isinstance(p, V3Pool) and {p.token0, p.token1} == {sell, buy}:
            s = p.sqrt_price_x96 / 2**96
            total += int(p.liquidity / s if sell == p.token0 else p.liquidity * s)
    return total


def _pieces(pool: Pool, token_in: str) -> list[tuple[float, float, float, float]]:
    """The pool's continuous curve as ``(x, y, γ, cap)`` pieces, consumed in order."""
    if isinstance(pool, V2Pool):
        x, y = (float(v) for v in pool.reserves(token_in))
        return [(x, y, 1 - pool.fee_bps / 10_000, float("inf"))]
    assert isinstance(pool, V3Pool)
    down = token_in == pool.token0
    g = 1 - pool.fee / 1e6
    pieces = []
    for seg in pool.segments(down):
        liquidity = float(seg.liquidity)
        a, b = seg.sqrt_price_start_x96 / 2**96, seg.sqrt_price_end_x96 / 2**96
        if down:
            pieces.append((liquidity / a, liquidity * a, g, liquidity * (1 / b - 1 / a) / g))
        else:
            pieces.append((liquidity * a, liquidity / a, g, liquidity * (b - a) / g))
    return pieces


def _curve(pieces: list[tuple[float, float, float, float]], d: float) -> tuple[float, float]:
    """Output and marginal rate at input ``d`` (a steep penalty past the last piece)."""
    out, left = 0.0, max(d, 0.0)
    for x, y, g, cap in pieces:
        take = min(left, cap)
        out += y * g * take / (x + g * take)
        if left <= cap:
            return out, g * x * y / (x + g * take) ** 2
        left -= cap
    return out - 1e3 * left, -1e3


def optimum(
    pools: list[Pool], sell: str, buy: str, amount: int, hint: dict[tuple[str, str, str], int]
) -> float:
    """The best continuous output, by SLSQP on the primal with exact gradients.

    SLSQP starts from a few spreads and from ``hint`` (a route's leg inputs); it
    checks optimality itself, so a start near the answer does not bias it.
    Returns 0 when no run ends feasible.
    """
    legs = candidate_legs(pools, sell, buy, 3)
    curves = [_pieces(leg.pool, leg.token_in) for leg in legs]
    tokens = sorted({leg.token_in for leg in legs} | {leg.token_out for leg in legs})
    row = {t: i for i, t in enumerate(tokens)}
    # every token's flows in units of "the trade's size in that token" (spot rates), so that
    # 6- and 18-decimal tokens and cheap and dear ones are all of order one for SLSQP
    size = dict.fromkeys(tokens, 0.0)
    size[sell] = float(amount)
    for _ in range(4):
        for leg, pieces in zip(legs, curves, strict=True):
            x, y, g, _cap = pieces[0]
            size[leg.token_out] = max(size[leg.token_out], size[leg.token_in] * g * y / x)
    unit = np.array([size[t] or 1.0 for t in tokens])

    def flows(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Net flow per token (in trade-size units) and its Jacobian in ``z``."""
        net = np.zeros(len(tokens))
        jac = np.zeros((len(tokens), len(legs)))
        for k, (leg, pieces) in enumerate(zip(legs, curves, strict=True)):
            i, o = row[leg.token_in], row[leg.token_out]
            d = max(float(z[k]), 0.0) * unit[i]
            out, rate = _curve(pieces, d)
            net[i] -= d / unit[i]
            net[o] += out / unit[o]
            jac[i, k] -= 1.0
            jac[o, k] += rate * unit[i] / unit[o]
        return net, jac

    s, b = row[sell], row[buy]
    middle = [row[t] for t in tokens if t not in (sell, buy)]
    cons = [
        {"type": "ineq", "fun": lambda z: 1.0 + flows(z)[0][s], "jac": lambda z: flows(z)[1][s]},
        {
            "type": "ineq",
            "fun": lambda z: flows(z)[0][middle],
            "jac": lambda z: flows(z)[1][middle],
        },
    ]
    hinted = np.array(
        [
            hint.get((leg.pool.id, leg.token_in, leg.token_out), 0) / unit[row[leg.token_in]]
            for leg in legs
        ]
    )
    starts = [np.full(len(legs), 1.0 / len(legs)), np.full(len(legs), 0.2 / len(legs)), hinted]
    best = 0.0
    for z0 in starts:
        res = minimize(
            lambda z: -flows(z)[0][b],
            z0,
            jac=lambda z: -flows(z)[1][b],
            bounds=[(0.0, 2.0)] * len(legs),
            constraints=cons if middle else cons[:1],
            method="SLSQP",
            options={"maxiter": 1000, "ftol": 1e-16},
        )
        net, _ = flows(res.x)
        if net[s] >= -1 - 1e-9 and all(net[m] >= -1e-9 for m in middle):
            best = max(best, net[b] * unit[b])
    return best


def _bps(a: float, b: float) -> float:
    return (a - b) / b * 10_000 if b else 0.0


def quality() -> dict[str, Any]:
    """Gap to the optimum and gain over the grid, by trade size, on ≤ 50-pool universes."""
    rows: dict[str, dict[str, list[float]]] = {
        f"{int(s * 100)}%": {"gap_opt": [], "gain_grid": [], "gain_single": [], "certified": []}
        for s in SIZES
    }
    for seed in range(8):
        pools = synthetic_pools(50, n_tokens=10, seed=100 + seed, kinds=("v2", "v3"))
        for buy in ("T3", "T4", "USDT"):
            depth = _depth(pools, SELL, buy)
            if depth == 0:
                continue
            for size in SIZES:
                amount = int(depth * size)
                try:
                    route = find_route(pools, SELL, buy, amount)
                    _, grid_out = grid_route(pools, SELL, buy, amount)
                except DexError:
                    continue
                hint = {(f.pool, f.token_in, f.token_out): f.amount_in for f in route.fills}
                best = optimum(pools, SELL, buy, amount, hint)
                if best == 0:
                    continue
                row = rows[f"{int(size * 100)}%"]
                row["gap_opt"].append(max(_bps(best, route.amount_out), 0.0))
                row["gain_grid"].append(_bps(route.amount_out, grid_out))
                row["gain_single"].append(_bps(route.amount_out, route.best_single_out))
                row["certified"].append(float(route.gap_bps))
    summary: dict[str, Any] = {}
    for size, row in rows.items():
        summary[size] = {
            "trades": len(row["gap_opt"]),
            "gap_to_optimum_bps_mean": round(statistics.fmean(row["gap_opt"]), 4),
            "gap_to_optimum_bps_max": round(max(row["gap_opt"]), 4),
            "gain_over_grid_bps_mean": round(statistics.fmean(row["gain_grid"]), 2),
            "gain_over_grid_bps_median": round(statistics.median(row["gain_grid"]), 2),
            "gain_over_grid_bps_min": round(min(row["gain_grid"]), 2),
            "gain_over_best_single_bps_mean": round(statistics.fmean(row["gain_single"]), 2),
            "certified_gap_bps_max": round(max(row["certified"]), 4),
        }
    return summary


def latency() -> dict[str, Any]:
    """``find_route`` wall time over random pairs and sizes, cold and warm."""
    result: dict[str, Any] = {}
    for n in (10, 100, 1_000, 2_000):
        pools = synthetic_pools(n, seed=7)
        rng = random.Random(n)
        trades = [
            (rng.choice(["T3", "T4", "T5", "T6", "T8", "USDT", "DAI"]), 10 ** rng.uniform(2, 6))
            for _ in range(30)
        ]
        figures: dict[str, Any] = {}
        for mode in ("cold", "warm"):
            times = []
            for buy, usd in trades:
                if mode == "cold":
                    curve_cache._CACHE.clear()
                try:
                    route = find_route(pools, SELL, buy, int(usd * 10**6))
                except DexError:
                    continue
                times.append(route.solve_ms)
            times.sort()
            figures[mode] = {
                "quotes": len(times),
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[max(int(len(times) * 0.95) - 1, 0)], 1),
            }
        result[str(n)] = figures
    return result


def main() -> None:
    lat = latency()
    print("quote latency (ms)      cold median/p95     warm median/p95")
    for n, f in lat.items():
        c, w = f["cold"], f["warm"]
        print(
            f"  {n:>5} pools          {c['median_ms']:>7} / {c['p95_ms']:<7}    "
            f"{w['median_ms']:>7} / {w['p95_ms']}"
        )
    qual = quality()
    print("trade size   gap to optimum (bps) mean/max   gain over grid (bps) mean/median/min")
    for size, q in qual.items():
        print(
            f"  {size:>4} ({q['trades']} trades)   {q['gap_to_optimum_bps_mean']:>8} / "
            f"{q['gap_to_optimum_bps_max']:<8}          {q['gain_over_grid_bps_mean']:>7} / "
            f"{q['gain_over_grid_bps_median']} / {q['gain_over_grid_bps_min']}"
        )
    document = {
        "latency": lat,
        "quality": qual,
        "goals": {"gap_to_optimum_bps_max_at_50_pools": 1.0, "p95_ms_at_2000_pools": 250},
        "machine": f"{platform.machine()}, Python {sys.version.split()[0]}, 2 cores",
    }
    OUT.write_text(json.dumps(document, indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
