"""The devnet's Uniswap V3 venue: the real factory's pools, seeded over a few tick ranges.

:func:`seed_v3` creates each pool of :data:`V3_POOLS` on the real UniswapV3Factory (npm
bytecode), initialises it at the devnet's USD prices and adds liquidity over three ranges
around the price (narrow, medium, wide) through ``DevV3Liquidity``, which is sent exactly
what each position costs first (the amounts the pool's own maths asks, computed here with
:mod:`rexos.dex.v3`). Pool addresses are computed (CREATE2, the factory's pool init code).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from eth_abi.abi import encode
from eth_utils.crypto import keccak
from web3 import Web3

from rexos.chain.artifacts import load_artifact
from rexos.dex.v3 import sqrt_ratio_at_tick, tick_at_sqrt_ratio
from rexos.dex.v3.sqrt_price_math import amount0_delta, amount1_delta
from rexos.types import Address

if TYPE_CHECKING:
    from rexos.dex.deploy import DexToken

__all__ = ["V3_FEE_TIERS", "V3_POOLS", "V3_VENUE", "V3PoolSpec", "seed_v3", "v3_pool_address"]

V3_VENUE = "univ3dev"
"""The devnet's Uniswap V3 venue (manifest ``UniswapV3Factory:univ3dev``)."""

V3_FEE_TIERS = {100: 1, 500: 10, 3000: 60, 10000: 200}
"""Fee (millionths) → tick spacing; the factory enables all but 100 itself."""

_Q96 = 2**96


@dataclass(frozen=True, slots=True)
class V3PoolSpec:
    """A pool: tokens, fee tier, USD per side, and ranges ``(± price move, share)``."""

    a: str
    b: str
    fee: int
    usd: int
    ranges: tuple[tuple[Decimal, Decimal], ...]


_VOLATILE = (
    (Decimal("0.02"), Decimal("0.5")),
    (Decimal("0.1"), Decimal("0.3")),
    (Decimal("0.5"), Decimal("0.2")),
)
_STABLE = (
    (Decimal("0.002"), Decimal("0.5")),
    (Decimal("0.01"), Decimal("0.3")),
    (Decimal("0.05"), Decimal("0.2")),
)

V3_POOLS = (
    V3PoolSpec("WETH", "USDC", 500, 2_000_000, _VOLATILE),
    V3PoolSpec("WETH", "USDC", 3000, 1_000_000, _VOLATILE),
    V3PoolSpec("WETH", "USDT", 500, 1_000_000, _VOLATILE),
    V3PoolSpec("WBTC", "WETH", 3000, 1_000_000, _VOLATILE),
    V3PoolSpec("USDC", "USDT", 100, 1_000_000, _STABLE),
    V3PoolSpec("REX", "WETH", 10000, 200_000, _VOLATILE),
    V3PoolSpec("LINK", "WETH", 3000, 300_000, _VOLATILE),
)
"""The devnet's V3 pools: four fee tiers, seeded at the same USD prices as the V2 pools."""


def v3_pool_address(factory: str, token_a: str, token_b: str, fee: int) -> Address:
    """The UniswapV3Pool address ``factory`` creates for two tokens and a fee (CREATE2)."""
    low, high = sorted((token_a, token_b), key=lambda t: int(t, 16))
    salt = keccak(encode(["address", "address", "uint24"], [low, high, fee]))
    init_hash = keccak(hexstr=load_artifact("UniswapV3Pool").bytecode)
    raw = keccak(b"\xff" + bytes.fromhex(factory[2:]) + salt + init_hash)[12:]
    return Address(Web3.to_checksum_address(raw))


@dataclass(frozen=True, slots=True)
class _Position:
    lower: int
    upper: int
    liquidity: int
    amount0: int
    amount1: int


def _positions(spec: V3PoolSpec, price: int, units1: int) -> list[_Position]:
    """Ranges around ``price`` (a sqrt price) holding ``units1`` of token1 in all."""
    spacing = V3_FEE_TIERS[spec.fee]
    tick = tick_at_sqrt_ratio(price)
    found = []
    for move, share in spec.ranges:
        ticks = max(1, int(math.log1p(float(move)) / math.log(1.0001)))
        lower = (tick - ticks) // spacing * spacing
        upper = -(-(tick + ticks) // spacing) * spacing
        low, high = sqrt_ratio_at_tick(lower), sqrt_ratio_at_tick(upper)
        liquidity = int(units1 * share) * _Q96 // (price - low)
        found.append(
            _Position(
                lower,
                upper,
                liquidity,
                amount0_delta(price, high, liquidity, True),
                amount1_delta(low, price, liquidity, True),
            )
        )
    return found


def _sqrt_price(token0: DexToken, token1: DexToken) -> int:
    """Q64.96 square root of token1 base units per token0 base unit at the USD prices."""
    usd0, usd1 = Fraction(token0.usd), Fraction(token1.usd)
    price = usd0 * 10**token1.decimals / (usd1 * 10**token0.decimals)
    return math.isqrt(price.numerator * 2**192 // price.denominator)


def seed_v3(
    batch: Any,
    web3: Web3,
    factory: Address,
    liquidity: Address,
    tokens: Mapping[str, Address],
    prices: Mapping[str, DexToken],
    pay: Callable[[str, str, int], None],
) -> list[Address]:
    """Create, initialise and seed :data:`V3_POOLS`; their addresses, in order.

    ``batch`` is the deployment's transaction batch (it owns the factory and the liquidity
    helper); ``pay(symbol, to, amount)`` mints or sends a token.
    """
    abi = load_artifact("UniswapV3Factory").abi
    v3 = web3.eth.contract(address=factory, abi=abi).functions
    helper = web3.eth.contract(address=liquidity, abi=load_artifact("DevV3Liquidity").abi)
    pool_abi = load_artifact("UniswapV3Pool").abi
    batch.call(v3.enableFeeAmount(100, V3_FEE_TIERS[100]), "enable the 0.01 % V3 tier")
    created: list[Address] = []
    for spec in V3_POOLS:
        first, second = sorted((spec.a, spec.b), key=lambda s: int(tokens[s], 16))
        batch.call(
            v3.createPool(tokens[first], tokens[second], spec.fee),
            f"create V3 {spec.a}/{spec.b} {spec.fee}",
            7_000_000,
        )
        address = v3_pool_address(factory, tokens[first], tokens[second], spec.fee)
        pool = web3.eth.contract(address=address, abi=pool_abi)
        price = _sqrt_price(prices[first], prices[second])
        batch.call(pool.functions.initialize(price), f"initialise V3 {spec.a}/{spec.b}")
        positions = _positions(spec, price, prices[second].units(spec.usd))
        pay(first, liquidity, sum(p.amount0 for p in positions))
        pay(second, liquidity, sum(p.amount1 for p in positions))
        for p in positions:
            batch.call(
                helper.functions.mint(address, p.lower, p.upper, p.liquidity),
                f"add V3 liquidity to {spec.a}/{spec.b}",
            )
        created.append(address)
    return created
