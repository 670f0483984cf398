"""Pool state from the chain: the token registry, a one-shot read and a watcher kept current.

:class:`PoolWatcher` reads every pool of the deployment's venues (the pairs of each
``RexV2Factory:<venue>``, each ``StableSwapPool:<venue>``) at one block into
:class:`~rexos.dex.v2.V2Pool` / :class:`~rexos.dex.stable.StablePool` values (ids: pool
addresses; tokens: checksummed token addresses). :meth:`PoolWatcher.sync` then applies the
logs of the new blocks: ``Sync`` sets a pair's reserves; ``TokenExchange``, ``AddLiquidity``
and ``RemoveLiquidity`` move a StableSwap pool's balances; ``PairCreated`` adds a pair; any
other log of a pool re-reads it. :attr:`PoolWatcher.pools` makes no RPC call. Reorgs are not
handled: a devnet has none; on a live chain, sync a few blocks behind the head.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from eth_abi.abi import decode
from eth_utils.crypto import keccak
from web3 import Web3

from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.dex.discovery import POOL_CREATED, Discoverer, v3_ref
from rexos.dex.pool import Pool
from rexos.dex.pool_reads import PoolRef
from rexos.dex.stable import StablePool
from rexos.dex.v2 import V2Pool
from rexos.dex.v3 import V3Pool
from rexos.dex.venues import Venue, manifest_venues, multicall_address
from rexos.errors import DexError, RexosError
from rexos.types import Address

__all__ = ["PoolWatcher", "TokenInfo", "TokenRegistry"]

_TOKEN_PREFIX = "DevToken:"


def _topic(signature: str) -> bytes:
    return keccak(text=signature)


_SYNC = _topic("Sync(uint112,uint112)")
_PAIR_CREATED = _topic("PairCreated(address,address,address,uint256)")
_EXCHANGE = _topic("TokenExchange(address,uint256,uint256,uint256,uint256)")
_ADD = _topic("AddLiquidity(address,uint256[],uint256[],uint256)")
_REMOVE = _topic("RemoveLiquidity(address,uint256[],uint256)")
_V2_IGNORED = {
    _topic("Swap(address,uint256,uint256,uint256,uint256,address)"),
    _topic("Mint(address,uint256,uint256)"),
    _topic("Burn(address,uint256,uint256,address)"),
    _topic("Transfer(address,address,uint256)"),
    _topic("Approval(address,address,uint256)"),
}
"""Pair logs that never change the reserves on their own: a ``Sync`` follows each change."""
_V3_SWAP = _topic("Swap(address,address,int256,int256,uint160,uint128,int24)")
_V3_IGNORED = {
    _topic("Collect(address,address,int24,int24,uint128,uint128)"),
    _topic("CollectProtocol(address,address,uint128,uint128)"),
    _topic("Flash(address,address,uint256,uint256,uint256,uint256)"),
    _topic("IncreaseObservationCardinalityNext(uint16,uint16)"),
    _topic("SetFeeProtocol(uint8,uint8,uint8,uint8)"),
}
"""V3 pool logs that change neither price, liquidity nor ticks (``Mint``/``Burn`` re-read)."""


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """A token the deployment's pools trade."""

    symbol: str
    address: Address
    decimals: int


class TokenRegistry:
    """Symbol ↔ address ↔ decimals for the deployment's tokens (case-insensitive symbols)."""

    def __init__(self, tokens: Iterable[TokenInfo]) -> None:
        self._by_symbol = {t.symbol.upper(): t for t in tokens}
        self._by_address = {t.address.lower(): t for t in self._by_symbol.values()}

    @classmethod
    def from_manifest(cls, manifest: Manifest) -> TokenRegistry:
        """REX and every ``DevToken:<SYMBOL>``, with decimals from ``genesis["dex"]``."""
        decimals: dict[str, int] = manifest.genesis.get("dex", {}).get("tokens", {})
        found = [TokenInfo("REX", manifest.address("RexToken"), 18)]
        for name, address in manifest.contracts.items():
            if name.startswith(_TOKEN_PREFIX):
                symbol = name.removeprefix(_TOKEN_PREFIX)
                if symbol not in decimals:
                    raise DexError(f"the deployment does not record the decimals of {symbol}")
                found.append(TokenInfo(symbol, address, int(decimals[symbol])))
        return cls(found)

    def __iter__(self) -> Iterator[TokenInfo]:
        return iter(self._by_symbol.values())

    def __len__(self) -> int:
        return len(self._by_symbol)

    def symbol(self, symbol: str) -> TokenInfo:
        """The token called ``symbol``; ``DexError`` naming the known ones otherwise."""
        try:
            return self._by_symbol[symbol.strip().lstrip("$").upper()]
        except KeyError:
            known = ", ".join(sorted(self._by_symbol))
            raise DexError(f"unknown token {symbol!r} (known: {known})") from None

    def address(self, address: str) -> TokenInfo:
        """The token at ``address``; ``DexError`` if the deployment has none there."""
        try:
            return self._by_address[address.lower()]
        except KeyError:
            raise DexError(f"no known token at {address}") from None


class PoolWatcher:
    """The deployment's pools, discovered once (:mod:`rexos.dex.discovery`) and kept current
    from their logs.

    ``tick_words``: bitmap words read each side of a V3 pool's price (``None``: all).
    """

    def __init__(self, web3: Web3, manifest: Manifest, *, tick_words: int | None = 4) -> None:
        self._web3 = web3
        venues = manifest_venues(manifest)
        self._discoverer = Discoverer(
            web3, venues, multicall=multicall_address(manifest), tick_words=tick_words
        )
        self._factories: dict[str, Venue] = {
            Web3.to_checksum_address(v.factory): v for v in venues if v.factory is not None
        }
        self.rereads = 0
        """Pools re-read because a log could not be applied (for tests and metrics)."""
        found = self._discoverer.discover()
        self._block = found.block
        self._refs: dict[str, PoolRef] = dict(found.refs)
        self._pools: dict[str, Pool] = dict(found.pools)
        self.venue: dict[str, str] = {a: r.venue for a, r in found.refs.items()}
        """Pool id → the name of its venue."""

    @property
    def block(self) -> int:
        """The block the pools are current as of."""
        return self._block

    @property
    def pools(self) -> list[Pool]:
        """Every pool as of :attr:`block`; no RPC call."""
        return list(self._pools.values())

    @property
    def requests(self) -> int:
        """RPC requests made so far by discovery and re-reads (not by :meth:`sync`'s logs)."""
        return self._discoverer.requests

    def pool(self, pool_id: str) -> Pool:
        """One pool by address; ``DexError`` if not watched."""
        try:
            return self._pools[Web3.to_checksum_address(pool_id)]
        except (KeyError, ValueError):
            raise DexError(f"no watched pool at {pool_id}") from None

    def read(self, pool_id: str) -> Pool:
        """A fresh read of one watched pool at :attr:`block` (the watcher is not changed)."""
        pool = self.pool(pool_id)
        return self._read(pool.id)

    def sync(self, to_block: int | None = None) -> int:
        """Apply the logs of every block since :attr:`block` up to ``to_block`` (default: the
        latest); return how many were applied."""
        with reverts_as("read DEX logs"):
            head = int(self._web3.eth.block_number) if to_block is None else to_block
            if head <= self._block:
                return 0
            logs = self._web3.eth.get_logs(
                {
                    "fromBlock": self._block + 1,
                    "toBlock": head,
                    "address": [
                        Web3.to_checksum_address(a) for a in (*self._factories, *self._refs)
                    ],
                }
            )
        self._block = head
        applied = 0
        fresh: set[str] = set()  # re-read at the head: later logs are already in them
        for log in logs:
            address = Web3.to_checksum_address(log["address"])
            if address not in fresh:
                applied += self._apply(address, log, fresh)
        return applied

    def _apply(self, address: str, log: Any, fresh: set[str]) -> int:
        topic = bytes(log["topics"][0])
        data = bytes(log["data"])
        if address in self._factories:
            venue = self._factories[address]
            if venue.kind == "v2" and topic == _PAIR_CREATED:
                pair, _ = decode(["address", "uint256"], data)
                ref = PoolRef(
                    Web3.to_checksum_address(pair), "v2", venue.name, address, venue.fee_bps
                )
            elif venue.kind == "v3" and topic == POOL_CREATED:
                ref = v3_ref(venue, log)
            else:
                return 0
            self._refs[ref.address] = ref
            self.venue[ref.address] = venue.name
            self._add(ref.address)
            fresh.add(ref.address)
            return 1
        pool = self._pools.get(address)
        at = int(log.get("blockNumber", self._block))
        if isinstance(pool, V2Pool) and topic == _SYNC:
            r0, r1 = decode(["uint112", "uint112"], data)
            self._pools[address] = replace(pool, reserve0=r0, reserve1=r1, block=at)
            return 1
        if isinstance(pool, V2Pool) and topic in _V2_IGNORED:
            return 0
        if isinstance(pool, StablePool) and topic in (_EXCHANGE, _ADD, _REMOVE):
            self._pools[address] = replace(_stable_after(pool, topic, data), block=at)
            return 1
        if isinstance(pool, V3Pool) and topic == _V3_SWAP:
            after = _v3_after(pool, data, at)
            if after is not None:
                self._pools[address] = after
                return 1
        elif isinstance(pool, V3Pool) and topic in _V3_IGNORED:
            return 0
        self._add(address)
        fresh.add(address)
        self.rereads += 1
        return 1

    def _add(self, address: str) -> None:
        try:
            self._pools[address] = self._read(address)
        except DexError:
            self._pools.pop(address, None)  # e.g. a V3 pool created but not initialised yet

    def _read(self, address: str) -> Pool:
        pools, skipped = self._discoverer.read([self._refs[address]], self._block)
        if address not in pools:
            raise DexError(f"cannot read pool {address}: {skipped.get(address, 'unknown')}")
        return pools[address]


def _v3_after(pool: V3Pool, data: bytes, block: int) -> V3Pool | None:
    """The pool after a ``Swap`` log (price, liquidity and tick are in it); ``None`` when the
    price left the ticks read (re-read the pool then)."""
    _, _, price, liquidity, tick = decode(["int256", "int256", "uint160", "uint128", "int24"], data)
    window = pool.window
    if window is not None and not window[0] < tick < window[1]:
        return None
    try:
        return replace(pool, sqrt_price_x96=price, liquidity=liquidity, tick=tick, block=block)
    except RexosError:
        return None


def _stable_after(pool: StablePool, topic: bytes, data: bytes) -> StablePool:
    balances = list(pool.balances)
    if topic == _EXCHANGE:
        i, dx, j, dy = decode(["uint256", "uint256", "uint256", "uint256"], data)
        balances[i] += dx
        balances[j] -= dy
    elif topic == _ADD:
        amounts: Sequence[int] = decode(["uint256[]", "uint256[]", "uint256"], data)[0]
        balances = [b + a for b, a in zip(balances, amounts, strict=True)]
    else:
        amounts = decode(["uint256[]", "uint256"], data)[0]
        balances = [b - a for b, a in zip(balances, amounts, strict=True)]
    return replace(pool, balances=tuple(balances))
