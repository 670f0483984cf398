"""Uniswap V3 liquidity held directly in pools, by owner and tick range.

The deployment has no ``NonfungiblePositionManager``: its V3 positions are minted straight
into the pools (``DevV3Liquidity`` mints them for its owner), so they are found by the
pools' ``Mint`` logs that name the wallet as ``owner`` (:func:`v3_ranges`), then read with
``positions(keccak(owner, tickLower, tickUpper))`` at the discovery block
(:func:`v3_probe`). A position's parts are what burning its liquidity would return at the
pool's current price (the pool's own rounding), plus the fees already credited to it
(``tokensOwed``); fees accrued since its last update are not counted.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from eth_abi.packed import encode_packed
from eth_utils.crypto import keccak
from web3 import Web3

from rexos.dex.multicall import Call, selector
from rexos.dex.v3 import V3Pool
from rexos.dex.v3.sqrt_price_math import amount0_delta, amount1_delta
from rexos.dex.v3.tick_math import sqrt_ratio_at_tick
from rexos.lense.discovery_history import raw_logs
from rexos.lense.model import Asset, Position
from rexos.lense.positions import Probe, Reading

__all__ = ["MINT", "Range", "burn_amounts", "v3_probe", "v3_ranges"]

MINT = keccak(text="Mint(address,address,int24,int24,uint128,uint256,uint256)")
"""Topic of a V3 pool's ``Mint(sender, owner indexed, tickLower indexed, tickUpper indexed,
amount, amount0, amount1)``."""

_POSITIONS = selector("positions(bytes32)")

Range = tuple[str, int, int]
"""A V3 position's pool, lower tick and upper tick."""


def v3_ranges(
    web3: Web3, owner: str, pools: Collection[str], first: int, last: int, span: int
) -> tuple[set[Range], int]:
    """The ranges ``owner`` minted into ``pools`` in blocks ``first``..``last``, and the
    requests that took (one per ``span`` blocks)."""
    if not pools:
        return set(), 0
    ids = {p.lower(): Web3.to_checksum_address(p) for p in pools}
    topic = "0x" + bytes(12).hex() + owner[2:].lower()
    found: set[Range] = set()
    requests, start = 0, first
    while start <= last:
        end = min(last, start + span - 1)
        query = {
            "fromBlock": start,
            "toBlock": end,
            "address": sorted(ids),
            "topics": ["0x" + MINT.hex(), topic],
        }
        requests += 1
        for log in raw_logs(web3, query):
            if len(log.topics) == 4 and log.address in ids:
                lower = int.from_bytes(log.topics[2], "big", signed=True)
                upper = int.from_bytes(log.topics[3], "big", signed=True)
                found.add((ids[log.address], lower, upper))
        start = end + 1
    return found, requests


def burn_amounts(pool: V3Pool, lower: int, upper: int, liquidity: int) -> tuple[int, int]:
    """What burning ``liquidity`` of the range ``lower``..``upper`` returns at the pool's
    current price, rounded down as the pool does."""
    low, high = sqrt_ratio_at_tick(lower), sqrt_ratio_at_tick(upper)
    if pool.tick < lower:
        return amount0_delta(low, high, liquidity, False), 0
    if pool.tick < upper:
        price = pool.sqrt_price_x96
        return (
            amount0_delta(price, high, liquidity, False),
            amount1_delta(low, price, liquidity, False),
        )
    return 0, amount1_delta(low, high, liquidity, False)


def v3_probe(
    reading: Reading, pools: Mapping[str, V3Pool], venues: Mapping[str, str], ranges: set[Range]
) -> Probe:
    """The wallet's liquidity in each of ``ranges`` of ``pools``."""
    wanted = sorted(r for r in ranges if r[0] in pools)
    calls = tuple(Call(p, _POSITIONS + _key(reading.owner, lo, hi)) for p, lo, hi in wanted)

    def finish(raw: Sequence[bytes | None]) -> list[Position]:
        found = []
        for (pool_id, lower, upper), data in zip(wanted, raw, strict=True):
            if data is None or len(data) < 160:
                continue
            liquidity = int.from_bytes(data[:32], "big")
            owed = (int.from_bytes(data[96:128], "big"), int.from_bytes(data[128:160], "big"))
            if liquidity or any(owed):
                pool, venue = pools[pool_id], venues.get(pool_id, "?")
                found.append(_position(reading, pool, venue, (lower, upper), liquidity, owed))
        return found

    return Probe(calls, finish)


def _key(owner: str, lower: int, upper: int) -> bytes:
    return keccak(encode_packed(["address", "int24", "int24"], [owner, lower, upper]))


def _position(
    reading: Reading,
    pool: V3Pool,
    venue: str,
    ticks: tuple[int, int],
    liquidity: int,
    owed: tuple[int, int],
) -> Position:
    parts = (reading.asset(pool.token0), reading.asset(pool.token1))
    burned = burn_amounts(pool, *ticks, liquidity)
    symbols = f"{parts[0].symbol}/{parts[1].symbol}"
    fee = f"{pool.fee / 10_000:g} %"
    name = f"{venue} {symbols} {fee} ticks {ticks[0]}..{ticks[1]}"
    asset = Asset(reading.chain_id, pool.id, f"{symbols} V3 LP", name, 0)
    underlying = tuple((a, b + o) for a, b, o in zip(parts, burned, owed, strict=True))
    what = f"positions(owner, {ticks[0]}, {ticks[1]}), slot0()"
    source = reading.at(f"{venue} V3 pool {pool.id}", what)
    return Position(asset, liquidity, "lp", source, venue=pool.id, underlying=underlying)
