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
from dataclasses import dataclass
from typing import Any

from eth_abi.abi import decode
from eth_utils.crypto import keccak
from web3 import Web3

from rexos.chain.artifacts import load_artifact
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.dex.pool import Pool
from rexos.dex.stable import StablePool
from rexos.dex.v2 import V2Pool
from rexos.errors import DexError
from rexos.types import Address

__all__ = ["PoolWatcher", "TokenInfo", "TokenRegistry"]

_TOKEN_PREFIX = "DevToken:"
_FACTORY_PREFIX = "RexV2Factory:"
_STABLE_PREFIX = "StableSwapPool:"


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


def _contract(web3: Web3, name: str, address: str) -> Any:
    return web3.eth.contract(address=Web3.to_checksum_address(address), abi=load_artifact(name).abi)


class PoolWatcher:
    """The deployment's pools, read once and kept current from their logs."""

    def __init__(self, web3: Web3, manifest: Manifest) -> None:
        self._web3 = web3
        self._factories: dict[str, str] = {}
        self._stables: dict[str, str] = {}
        for name, address in manifest.contracts.items():
            if name.startswith(_FACTORY_PREFIX):
                self._factories[address] = name.removeprefix(_FACTORY_PREFIX)
            elif name.startswith(_STABLE_PREFIX):
                self._stables[address] = name.removeprefix(_STABLE_PREFIX)
        if not self._factories and not self._stables:
            raise DexError(f"the deployment on chain {manifest.chain_id} has no DEX venues")
        self._pools: dict[str, Pool] = {}
        self.venue: dict[str, str] = {}
        """Pool id → the name of its venue."""
        self.rereads = 0
        """Pools re-read because a log could not be applied (for tests and metrics)."""
        with reverts_as("read the DEX pools"):
            self._block = int(web3.eth.block_number)
            for factory, venue in self._factories.items():
                contract = _contract(web3, "RexV2Factory", factory)
                count = int(contract.functions.allPairsLength().call(block_identifier=self._block))
                for k in range(count):
                    pair = contract.functions.allPairs(k).call(block_identifier=self._block)
                    self._add(str(pair), venue)
            for stable, venue in self._stables.items():
                self._add(stable, venue)

    @property
    def block(self) -> int:
        """The block the pools are current as of."""
        return self._block

    @property
    def pools(self) -> list[Pool]:
        """Every pool as of :attr:`block`; no RPC call."""
        return list(self._pools.values())

    def pool(self, pool_id: str) -> Pool:
        """One pool by address; ``DexError`` if not watched."""
        try:
            return self._pools[Web3.to_checksum_address(pool_id)]
        except (KeyError, ValueError):
            raise DexError(f"no watched pool at {pool_id}") from None

    def read(self, pool_id: str) -> Pool:
        """A fresh read of one watched pool at :attr:`block` (the watcher is not changed)."""
        pool = self.pool(pool_id)
        with reverts_as(f"read pool {pool.id}"):
            return self._read(pool.id, pool.id in self._stables)

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
                        Web3.to_checksum_address(a) for a in (*self._factories, *self._pools)
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
            if topic != _PAIR_CREATED:
                return 0
            pair, _ = decode(["address", "uint256"], data)
            self._add(str(pair), self._factories[address])
            fresh.add(Web3.to_checksum_address(str(pair)))
            return 1
        pool = self._pools[address]
        if isinstance(pool, V2Pool) and topic == _SYNC:
            r0, r1 = decode(["uint112", "uint112"], data)
            self._pools[address] = V2Pool(pool.id, pool.token0, pool.token1, r0, r1, pool.fee_bps)
            return 1
        if isinstance(pool, V2Pool) and topic in _V2_IGNORED:
            return 0
        if isinstance(pool, StablePool) and topic in (_EXCHANGE, _ADD, _REMOVE):
            self._pools[address] = _stable_after(pool, topic, data)
            return 1
        self._add(address, self.venue[address])
        fresh.add(address)
        self.rereads += 1
        return 1

    def _add(self, address: str, venue: str) -> None:
        checksummed = Web3.to_checksum_address(address)
        self._pools[checksummed] = self._read(checksummed, checksummed in self._stables)
        self.venue[checksummed] = venue

    def _read(self, address: str, stable: bool) -> Pool:
        at = self._block
        if stable:
            c = _contract(self._web3, "StableSwapPool", address).functions
            n = int(c.nCoins().call(block_identifier=at))
            return StablePool(
                address,
                tuple(
                    Web3.to_checksum_address(c.coins(k).call(block_identifier=at)) for k in range(n)
                ),
                tuple(int(b) for b in c.getBalances().call(block_identifier=at)),
                tuple(int(c.rates(k).call(block_identifier=at)) for k in range(n)),
                int(c.amp().call(block_identifier=at)),
                int(c.fee().call(block_identifier=at)),
            )
        p = _contract(self._web3, "RexV2Pair", address).functions
        reserve0, reserve1, _ = p.getReserves().call(block_identifier=at)
        return V2Pool(
            address,
            Web3.to_checksum_address(p.token0().call(block_identifier=at)),
            Web3.to_checksum_address(p.token1().call(block_identifier=at)),
            int(reserve0),
            int(reserve1),
            int(p.feeBps().call(block_identifier=at)),
        )


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
    return StablePool(pool.id, pool.tokens, tuple(balances), pool.rates, pool.amp, pool.fee)
