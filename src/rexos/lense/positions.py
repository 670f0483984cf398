"""Readers of the positions that are not plain balances: liquidity, stake, rewards, points,
vesting.

Each reader returns a :class:`Probe`: the calls it needs and how to turn their return data
into :class:`~rexos.lense.model.Position` values, so discovery runs every probe of a chain
in one batched round at one block (:func:`run_probes`). What each position's ``source``
says is exactly what was read: contract, function, block and chain.

- V2 pairs (``RexV2Pair``): the wallet's LP tokens (``balanceOf``) over ``totalSupply()``,
  times the reserves read at the same block, is its share of each token.
- StableSwap pools: ``sharesOf`` over ``totalSupply()``, times each coin's balance.
- ``StakedRex``: the stake (``balanceOf``, REX 1:1 before any exit deduction), unclaimed
  rewards (``earned``) and points (``points``; no price, 18 decimals).
- ``RexVesting:<bucket>`` wallets owned by the wallet: what is not vested yet (the REX the
  vesting wallet holds minus ``releasable(REX)``) and what can be released now.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from eth_abi.abi import encode
from web3 import Web3

from rexos.dex.multicall import Call, Multicall, selector
from rexos.dex.pool import Pool
from rexos.dex.stable import StablePool
from rexos.dex.v2 import V2Pool
from rexos.lense.discovery_reads import decode_uint, read_all
from rexos.lense.model import Asset, Position

__all__ = [
    "POINTS_PREFIX",
    "Probe",
    "Reading",
    "pool_probe",
    "run_probes",
    "staking_probe",
    "vesting_probe",
]

POINTS_PREFIX = "points:"
"""``Asset.token`` of staking points is this prefix and the ``StakedRex`` address: points are
no token, and the key must differ from sREX's."""

_VESTING_PREFIX = "RexVesting:"


@dataclass(frozen=True, slots=True)
class Reading:
    """Where and for whom positions are read, and the assets known by address."""

    chain_id: int
    owner: str
    block: int
    assets: Mapping[str, Asset]

    def at(self, contract: str, functions: str) -> str:
        """A position's ``source``: what was called on which contract, at which block."""
        return f"{contract} {functions} at block {self.block} on chain {self.chain_id}"

    def asset(self, token: str) -> Asset:
        """The known asset at ``token`` (a placeholder if its metadata was not read)."""
        found = self.assets.get(Web3.to_checksum_address(token))
        return found or Asset(self.chain_id, Web3.to_checksum_address(token), "?", "?", 0)


Finish = Callable[[Sequence[bytes | None]], list[Position]]


@dataclass(frozen=True, slots=True)
class Probe:
    """Calls to make and how to read positions from their return data (in call order)."""

    calls: tuple[Call, ...]
    finish: Finish


def run_probes(multicall: Multicall, probes: Sequence[Probe], block: int) -> list[Position]:
    """Every probe's positions, all calls in one batched round at ``block``."""
    calls = [c for p in probes for c in p.calls]
    raw = read_all(multicall, calls, block)
    found: list[Position] = []
    start = 0
    for probe in probes:
        found += probe.finish(raw[start : start + len(probe.calls)])
        start += len(probe.calls)
    return found


def _sig(signature: str, *args: tuple[str, object]) -> bytes:
    return selector(signature) + encode([t for t, _ in args], [v for _, v in args])


def pool_probe(reading: Reading, pools: Mapping[str, Pool], venues: Mapping[str, str]) -> Probe:
    """The wallet's liquidity in the V2 pairs and StableSwap pools of ``pools`` (V3 pools
    hold positions by owner and range, not as a token, and are not read here)."""
    owned = [p for p in pools.values() if isinstance(p, V2Pool | StablePool)]
    calls: list[Call] = []
    for pool in owned:
        share = "balanceOf(address)" if isinstance(pool, V2Pool) else "sharesOf(address)"
        calls += [Call(pool.id, _sig(share, ("address", reading.owner)))]
        calls += [Call(pool.id, _sig("totalSupply()"))]

    def finish(raw: Sequence[bytes | None]) -> list[Position]:
        found = []
        for k, pool in enumerate(owned):
            held, supply = decode_uint(raw[2 * k]), decode_uint(raw[2 * k + 1])
            if held and supply and held <= supply:
                found.append(_lp(reading, pool, venues.get(pool.id, "?"), held, supply))
        return found

    return Probe(tuple(calls), finish)


def _lp(
    reading: Reading, pool: V2Pool | StablePool, venue: str, held: int, supply: int
) -> Position:
    reserves: tuple[int, ...]
    if isinstance(pool, V2Pool):
        reserves = (pool.reserve0, pool.reserve1)
        read = "balanceOf, totalSupply(), getReserves()"
    else:
        reserves = pool.balances
        read = "sharesOf, totalSupply(), balances(i)"
    parts = tuple(reading.asset(t) for t in pool.tokens)
    symbols = "/".join(a.symbol for a in parts)
    lp = Asset(reading.chain_id, pool.id, f"{symbols} LP", f"{venue} {symbols} liquidity", 18)
    underlying = tuple((a, r * held // supply) for a, r in zip(parts, reserves, strict=True))
    source = reading.at(f"{venue} pool {pool.id}", read)
    return Position(lp, held, "lp", source, venue=pool.id, underlying=underlying)


def staking_probe(reading: Reading, staked: str, rex: str) -> Probe:
    """The wallet's sREX stake, its unclaimed REX rewards and its points in ``staked``."""
    owner = ("address", reading.owner)
    names = ("balanceOf(address)", "earned(address)", "points(address)")
    calls = tuple(Call(staked, _sig(n, owner)) for n in names)

    def finish(raw: Sequence[bytes | None]) -> list[Position]:
        stake, earned, points = (decode_uint(r) for r in raw)
        found = []
        rex_asset = reading.asset(rex)
        if stake:
            source = reading.at(f"StakedRex {staked}", "balanceOf")
            found.append(
                Position(
                    reading.asset(staked),
                    stake,
                    "stake",
                    source,
                    venue="StakedRex",
                    underlying=((rex_asset, stake),),
                )
            )
        if earned:
            source = reading.at(f"StakedRex {staked}", "earned")
            found.append(Position(rex_asset, earned, "rewards", source, venue="StakedRex"))
        if points:
            asset = Asset(reading.chain_id, POINTS_PREFIX + staked, "POINTS", "REX points", 18)
            source = reading.at(f"StakedRex {staked}", "points")
            found.append(Position(asset, points, "points", source, venue="StakedRex"))
        return found

    return Probe(calls, finish)


def vesting_probe(reading: Reading, contracts: Mapping[str, str], rex: str) -> Probe:
    """What the ``RexVesting:<bucket>`` wallets of ``contracts`` owned by the wallet hold
    unvested (``kind="vesting"``) and can release now (``kind="rewards"``)."""
    wallets = sorted((k, a) for k, a in contracts.items() if k.startswith(_VESTING_PREFIX))
    calls: list[Call] = []
    for _, wallet in wallets:
        calls += [
            Call(wallet, _sig("owner()")),
            Call(wallet, _sig("releasable(address)", ("address", rex))),
            Call(rex, _sig("balanceOf(address)", ("address", wallet))),
        ]

    def finish(raw: Sequence[bytes | None]) -> list[Position]:
        found = []
        rex_asset = reading.asset(rex)
        for k, (key, wallet) in enumerate(wallets):
            owner = raw[3 * k]
            releasable, held = decode_uint(raw[3 * k + 1]), decode_uint(raw[3 * k + 2])
            if owner is None or len(owner) < 32 or releasable is None or held is None:
                continue
            if Web3.to_checksum_address(owner[12:32]) != reading.owner:
                continue
            contract = f"{key} {wallet}"
            if held > releasable:
                source = reading.at(contract, "owner(), REX balanceOf minus releasable(REX)")
                found.append(Position(rex_asset, held - releasable, "vesting", source, venue=key))
            if releasable:
                source = reading.at(contract, "owner(), releasable(REX)")
                found.append(Position(rex_asset, releasable, "rewards", source, venue=key))
        return found

    return Probe(tuple(calls), finish)
