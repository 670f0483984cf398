"""Random but realistic pool universes, for the benchmark, the tests and the demo.

Tokens get a USD price and decimals; pools are V2 pairs with assorted fees,
V3 pools with several concentrated positions, and stableswap pools among the
dollar tokens. Pool prices scatter around the tokens' prices by a little, as on
real venues between arbitrage trades. Everything is drawn from one seed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from rexos.dex.pool import Pool
from rexos.dex.stable import StablePool
from rexos.dex.v2 import V2Pool
from rexos.dex.v3 import MAX_TICK, MIN_TICK, Tick, V3Pool, sqrt_ratio_at_tick, tick_at_sqrt_ratio

__all__ = ["SyntheticToken", "synthetic_pools", "synthetic_tokens"]

_V2_FEES = (30, 30, 25, 5, 100)
_V3_TIERS = ((500, 10), (3000, 60), (10000, 200), (100, 1))
_KIND_WEIGHTS = {"v2": 5.0, "v3": 4.0, "stable": 0.2}


@dataclass(frozen=True, slots=True)
class SyntheticToken:
    """A token of a synthetic universe: id, decimals and USD price (for drawing pools)."""

    id: str
    decimals: int
    usd: float
    stable: bool = False


def synthetic_tokens(n: int, seed: int = 0) -> list[SyntheticToken]:
    """``n`` tokens: three dollar tokens first, then assets priced from $0.01 to $50,000."""
    rng = random.Random(seed)
    tokens = [
        SyntheticToken("USDC", 6, 1.0, True),
        SyntheticToken("USDT", 6, 1.0, True),
        SyntheticToken("DAI", 18, 1.0, True),
    ][:n]
    for k in range(len(tokens), n):
        tokens.append(
            SyntheticToken(f"T{k}", rng.choice((6, 8, 18, 18)), 10 ** rng.uniform(-2, 4.7))
        )
    return tokens


def _units(token: SyntheticToken, usd: float) -> int:
    return max(int(usd / token.usd * 10**token.decimals), 1)


def _skew(rng: random.Random, fee: float) -> float:
    """A price error within half the pool's fee: no loop of pools is an arbitrage."""
    return 1 + rng.uniform(-fee / 2, fee / 2)


def _v2(rng: random.Random, pid: str, a: SyntheticToken, b: SyntheticToken, depth: float) -> V2Pool:
    fee = rng.choice(_V2_FEES)
    skew = _skew(rng, fee / 10_000)
    return V2Pool(pid, a.id, b.id, _units(a, depth * skew), _units(b, depth), fee)


def _v3(rng: random.Random, pid: str, a: SyntheticToken, b: SyntheticToken, depth: float) -> V3Pool:
    fee, spacing = rng.choice(_V3_TIERS)
    price = (a.usd / b.usd) * 10 ** (b.decimals - a.decimals) * _skew(rng, fee / 1_000_000)
    sqrt_x96 = int(math.sqrt(price) * 2**96)
    sqrt_x96 = min(
        max(sqrt_x96, sqrt_ratio_at_tick(MIN_TICK + spacing)),
        sqrt_ratio_at_tick(MAX_TICK - spacing),
    )
    tick = tick_at_sqrt_ratio(sqrt_x96)
    nets: dict[int, int] = {}
    active = 0
    x_units, y_units = _units(a, depth), _units(b, depth)
    lowest, highest = (MIN_TICK // spacing + 1) * spacing, (MAX_TICK // spacing) * spacing
    for _ in range(rng.randint(1, 6)):
        width = spacing * rng.randint(1, max(1, 4000 // spacing))
        center = tick + rng.randint(-width // 2, width // 2)
        lower = max(lowest, (center - width) // spacing * spacing)
        upper = min(highest, (center + width) // spacing * spacing + spacing)
        # concentrated liquidity worth about `depth` of virtual reserves at the current price
        liquidity = max(int(math.sqrt(x_units * y_units) * rng.uniform(0.2, 1.5)), 1)
        nets[lower] = nets.get(lower, 0) + liquidity
        nets[upper] = nets.get(upper, 0) - liquidity
        if lower <= tick < upper:
            active += liquidity
    ticks = tuple(Tick(i, nets[i]) for i in sorted(nets) if nets[i] != 0)
    return V3Pool(pid, a.id, b.id, fee, spacing, sqrt_x96, active, tick, ticks)


def _stable(rng: random.Random, pid: str, coins: list[SyntheticToken], depth: float) -> StablePool:
    balances = tuple(_units(c, depth * (1 + rng.uniform(-0.003, 0.003))) for c in coins)
    rates = tuple(10 ** (36 - c.decimals) for c in coins)
    return StablePool(
        pid,
        tuple(c.id for c in coins),
        balances,
        rates,
        rng.choice((10_000, 20_000, 50_000)),
        4_000_000,
    )


def synthetic_pools(
    n_pools: int, n_tokens: int = 40, seed: int = 0, kinds: tuple[str, ...] = ("v2", "v3", "stable")
) -> list[Pool]:
    """``n_pools`` pools over ``n_tokens`` tokens, each pool ``$10k``–``$10M`` deep."""
    rng = random.Random(seed)
    tokens = synthetic_tokens(n_tokens, seed)
    stables = [t for t in tokens if t.stable]
    pools: list[Pool] = []
    while len(pools) < n_pools:
        kind = rng.choices(kinds, [_KIND_WEIGHTS.get(k, 1) for k in kinds])[0]
        depth = 10 ** rng.uniform(4, 7)
        pid = f"{kind}-{len(pools)}"
        if kind == "stable" and len(stables) >= 2:
            coins = rng.sample(stables, rng.randint(2, len(stables)))
            pools.append(_stable(rng, pid, coins, depth))
            continue
        # hubs (the dollar tokens and the first assets) take part in most pools
        a, b = (tokens[min(int(rng.expovariate(1 / 6)), n_tokens - 1)] for _ in range(2))
        if a.id == b.id:
            continue
        pools.append(_v3(rng, pid, a, b, depth) if kind == "v3" else _v2(rng, pid, a, b, depth))
    return pools
