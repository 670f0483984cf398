"""SmartWallet routing: latency, gap to an independently solved optimum, gain over the grid.

Run: ``python benchmarks/routing.py``. Prints tables and writes ``benchmarks/routing.json``
(top-level keys this script does not own, such as ``"discovery"``, are kept).

* Latency of ``find_route`` (median, p95; wall time, and the process's CPU time,
  which other work on the machine inflates less; the load average is recorded) on
  synthetic universes of 10, 100, 1,000 and 2,000 pools (V2 pairs with assorted
  fees, V3 pools with concentrated positions, a few stableswap pools), cold
  (every leg's curve and the pool graph built: the router's caches are cleared
  before each quote) and warm (curves and graph cached, as in a node that keeps
  pools current from events).
* Quality on random V2 graphs of up to 50 pools over 2 to 6 tokens: parallel
  pools, and multi-hop graphs (some with a deep chain whose best path has up to
  five hops); pool prices either arbitraged (each within half its fee of a
  common price, so no loop pays) or disagreeing (up to 2 % apart, so loops pay
  and the optimum uses them). The optimum over the whole graph (any path, split
  or loop) is solved here independently as a linear program (scipy HiGHS, no
  router code) over chords of each pool's exact curve, refined around its own
  solution (:func:`optimum`): a value from below that converges on the optimum.
  The certificate held when ``upper_bound_out`` is at least that value; the
  certified gap (route to its own bound) bounds the true gap from above.
* Gain over the best single pool (graphs with a direct pool) and over the
  aggregators' 5 %-grid / 3-split baseline.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linprog

from rexos.dex import V2Pool, find_route, grid_route, synthetic_pools
from rexos.dex import certificate as leg_cache
from rexos.dex import curves as curve_cache
from rexos.errors import DexError

OUT = Path(__file__).with_suffix(".json")
SELL = "USDC"
UNIT = 10**18
CASES = 60
_KEYS = ("gap", "routable", "certified", "held", "single", "grid")


def _leg_grid(x: float, around: list[float]) -> np.ndarray:
    grid = np.concatenate(([0.0], x * np.logspace(-7, 2.5, 240)))
    for point in around:
        if point > 0:
            grid = np.concatenate((grid, point * (1 + np.linspace(-0.05, 0.05, 51))))
    return np.unique(grid[grid >= 0])


def _lp(
    pools: list[V2Pool],
    sell: str,
    buy: str,
    amount: float,
    around: dict[Any, list[float]],
    routable: bool = False,
) -> tuple[float, dict[Any, float]]:
    """Best output of the chord LP, and each leg's input (with ``routable``, no leg buys
    ``sell`` back or sells ``buy``: the trades one RexRouter swap can run)."""
    tokens = sorted({t for p in pools for t in p.tokens})
    row = {t: k for k, t in enumerate(tokens)}
    heads, slopes, widths, owners = [], [], [], []
    for pool in pools:
        for a, b in ((pool.token0, pool.token1), (pool.token1, pool.token0)):
            if routable and (b == sell or a == buy):
                continue
            x, y = (v / UNIT for v in pool.reserves(a))
            g = (10_000 - pool.fee_bps) / 10_000
            grid = _leg_grid(x, around.get((pool.id, a), []))
            out = y * g * grid / (x + g * grid)
            width = np.diff(grid)
            slope = np.diff(out) / width
            heads += [(row[a], row[b])] * len(width)
            slopes.append(slope)
            widths.append(width)
            owners += [(pool.id, a)] * len(width)
    slope_all, width_all = np.concatenate(slopes), np.concatenate(widths)
    net = np.zeros((len(tokens), len(slope_all)))
    cols = np.arange(len(slope_all))
    ins = np.array([h[0] for h in heads])
    outs = np.array([h[1] for h in heads])
    net[ins, cols] -= 1.0
    net[outs, cols] += slope_all
    keep = [k for k, t in enumerate(tokens) if t != buy]
    rhs = np.zeros(len(tokens))
    rhs[row[sell]] = amount
    res = linprog(
        -net[row[buy]],
        A_ub=-net[keep],
        b_ub=rhs[keep],
        bounds=np.stack((np.zeros(len(width_all)), width_all), axis=1),
        method="highs",
    )
    if res.status != 0:
        raise RuntimeError(res.message)
    used: dict[Any, float] = {}
    for owner, v in zip(owners, res.x, strict=True):
        used[owner] = used.get(owner, 0.0) + float(v)
    return float(-res.fun), used


def optimum(
    pools: list[V2Pool], sell: str, buy: str, amount: int, *, routable: bool = False
) -> float:
    """The best output over the whole graph (base units), from below: chords refined twice.

    Each round adds fine grid points (±5 % in steps of 0.2 %) around every leg's
    input in the previous solution, where chords then lie within about 10⁻⁷ of
    the curve; the value can only rise from round to round.
    """
    x = amount / UNIT
    value, used = _lp(pools, sell, buy, x, {}, routable)
    points: dict[Any, list[float]] = {}
    for _ in range(2):
        points = {k: [*points.get(k, []), v] for k, v in used.items() if v > 0}
        refined, used = _lp(pools, sell, buy, x, points, routable)
        value = max(value, refined)
    return value * UNIT


def random_graph(rng: random.Random, arbitraged: bool) -> tuple[list[V2Pool], str, str, int]:
    """Up to 50 V2 pools over 2–6 tokens; sell ``T0`` for the last token."""
    n_tokens = rng.choice((2, 3, 4, 5, 6))
    tokens = [f"T{k}" for k in range(n_tokens)]
    value = [10 ** rng.uniform(-1, 1) for _ in tokens]
    pools: list[V2Pool] = []

    def pool(a: int, b: int, depth: float) -> None:
        fee = rng.choice((5, 25, 30, 30, 100))
        spread = fee / 20_000 if arbitraged else 0.02
        skew = 1 + rng.uniform(-spread, spread)
        reserve_a = int(depth / value[a] * UNIT)
        reserve_b = int(depth / value[b] * skew * UNIT)
        pools.append(V2Pool(f"p{len(pools)}", tokens[a], tokens[b], reserve_a, reserve_b, fee))

    if n_tokens > 2 and rng.random() < 0.4:  # a deep chain: the best path is long
        for k in range(n_tokens - 1):
            pool(k, k + 1, 10 ** rng.uniform(5, 6.5))
    for _ in range(rng.randint(2, 50 - len(pools))):
        a, b = rng.sample(range(n_tokens), 2)
        pool(a, b, 10 ** rng.uniform(3, 6))
    depth = sum(p.reserves(tokens[0])[0] for p in pools if tokens[0] in p.tokens)
    amount = int(depth * 10 ** rng.uniform(-3.5, -0.7))
    return pools, tokens[0], tokens[-1], max(amount, 1)


def _bps(a: float, b: float) -> float:
    return (a - b) / b * 10_000 if b else 0.0


def quality() -> dict[str, Any]:
    """Gap to the independent optimum, certificate, gains: arbitraged and disagreeing graphs."""
    rng = random.Random(14)
    rows: dict[str, dict[str, list[float]]] = {}
    for case in range(CASES):
        arbitraged = case % 3 != 2
        pools, sell, buy, amount = random_graph(rng, arbitraged)
        kind = "arbitraged" if arbitraged else "disagreeing"
        try:
            route = find_route(list(pools), sell, buy, amount)
        except DexError:
            continue
        best = optimum(pools, sell, buy, amount)
        runnable = optimum(pools, sell, buy, amount, routable=True)
        row = rows.setdefault(kind, {k: [] for k in _KEYS})
        row["gap"].append(max(_bps(best, route.amount_out) * route.amount_out / best, 0.0))
        row["routable"].append(
            max(_bps(runnable, route.amount_out) * route.amount_out / runnable, 0.0)
        )
        row["certified"].append(float(route.gap_bps))
        row["held"].append(float(route.upper_bound_out >= best * (1 - 1e-9)))
        direct = [
            p.swap(sell, buy, amount)[0]
            for p in pools
            if {sell, buy} == set(p.tokens) and _fills(p, sell, buy, amount)
        ]
        if direct:
            row["single"].append(_bps(route.amount_out, max(direct)))
        try:
            _, grid_out = grid_route(list(pools), sell, buy, amount)
            row["grid"].append(_bps(route.amount_out, grid_out))
        except DexError:
            pass
    summary: dict[str, Any] = {}
    every = {k: [v for r in rows.values() for v in r[k]] for k in _KEYS}
    for kind, row in [*rows.items(), ("all", every)]:
        summary[kind] = {
            "trades": len(row["gap"]),
            "gap_to_optimum_bps_mean": round(statistics.fmean(row["gap"]), 4),
            "gap_to_optimum_bps_max": round(max(row["gap"]), 4),
            "gap_to_routable_optimum_bps_mean": round(statistics.fmean(row["routable"]), 4),
            "gap_to_routable_optimum_bps_max": round(max(row["routable"]), 4),
            "certified_gap_bps_mean": round(statistics.fmean(row["certified"]), 4),
            "certified_gap_bps_max": round(max(row["certified"]), 4),
            "certificate_held_share": round(statistics.fmean(row["held"]), 4),
            "gain_over_best_single_pool_bps_mean": round(statistics.fmean(row["single"]), 2),
            "gain_over_grid_bps_mean": round(statistics.fmean(row["grid"]), 2),
            "gain_over_grid_bps_median": round(statistics.median(row["grid"]), 2),
            "gain_over_grid_bps_min": round(min(row["grid"]), 2),
        }
    return summary


def _fills(pool: V2Pool, sell: str, buy: str, amount: int) -> bool:
    try:
        pool.swap(sell, buy, amount)
    except DexError:
        return False
    return True


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
            times, cpu = [], []
            for buy, usd in trades:
                if mode == "cold":
                    curve_cache._CACHE.clear()
                    leg_cache._LEGS.clear()
                    leg_cache._GRAPHS.clear()
                started = time.process_time()
                try:
                    route = find_route(pools, SELL, buy, int(usd * 10**6))
                except DexError:
                    continue
                cpu.append((time.process_time() - started) * 1000)
                times.append(route.solve_ms)
            times.sort()
            cpu.sort()
            p95 = max(int(len(times) * 0.95) - 1, 0)
            figures[mode] = {
                "quotes": len(times),
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[p95], 1),
                "cpu_median_ms": round(statistics.median(cpu), 1),
                "cpu_p95_ms": round(cpu[p95], 1),
            }
        figures["load_average_1m"] = round(os.getloadavg()[0], 2)
        result[str(n)] = figures
    return result


def main() -> None:
    lat = latency()
    print("quote latency (ms, wall; process CPU)   cold median/p95       warm median/p95")
    for n, f in lat.items():
        c, w = f["cold"], f["warm"]
        print(
            f"  {n:>5} pools (load {f['load_average_1m']:>4})   "
            f"{c['median_ms']:>6} / {c['p95_ms']:<6} ({c['cpu_median_ms']} / {c['cpu_p95_ms']})"
            f"   {w['median_ms']:>6} / {w['p95_ms']:<6} ({w['cpu_median_ms']} / {w['cpu_p95_ms']})"
        )
    qual = quality()
    print(
        "graphs            gap to optimum (bps) mean/max   certificate held   "
        "gain (bps) over single pool / grid (mean)"
    )
    for kind, q in qual.items():
        print(
            f"  {kind:<12} ({q['trades']:>3})  {q['gap_to_optimum_bps_mean']:>8} / "
            f"{q['gap_to_optimum_bps_max']:<8}          {q['certificate_held_share']:>7.2%}"
            f"        {q['gain_over_best_single_pool_bps_mean']:>8} / "
            f"{q['gain_over_grid_bps_mean']}"
        )
    print("gap (bps) to the best route one RexRouter swap can run (no loop through sell/buy):")
    for kind, q in qual.items():
        print(
            f"  {kind:<12} mean {q['gap_to_routable_optimum_bps_mean']}, "
            f"max {q['gap_to_routable_optimum_bps_max']}"
        )
    document = json.loads(OUT.read_text()) if OUT.exists() else {}
    document.update(
        {
            "latency": lat,
            "quality": qual,
            "goals": {
                "gap_to_optimum_bps_mean": 1.0,
                "gap_to_optimum_bps_max": 5.0,
                "certificate_held_share": 1.0,
                "p95_ms_at_2000_pools": 250,
            },
            "machine": f"{platform.machine()}, Python {sys.version.split()[0]}, 2 cores",
        }
    )
    OUT.write_text(json.dumps(document, indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
