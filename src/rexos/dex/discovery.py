"""Pool discovery from a chain: every pool of the given venues, read at one block.

:class:`Discoverer` works on any RPC given venues (:mod:`rexos.dex.venues`: the registry's
real factories for a chain, or a deployment's own):

- V2 factories (Uniswap V2, PancakeSwap V2, RexV2): ``allPairsLength`` and ``allPairs(k)``,
  batched through Multicall3;
- V3 factories (Uniswap V3, PancakeSwap V3): ``PoolCreated`` logs from the factory's
  deployment block, ``log_span`` blocks per request (they carry tokens, fee and spacing);
- StableSwap venues: their listed pools.

State is then read in batches (:func:`~rexos.dex.pool_reads.read_pools`). Every pool is a
:class:`~rexos.dex.pool.Pool` the router takes, carrying the block it was read at;
:attr:`Discovery.requests` counts the RPC requests it took.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eth_abi.abi import decode
from eth_utils.crypto import keccak
from web3 import Web3

from rexos.chain.tx import reverts_as
from rexos.dex.multicall import Call, Multicall, selector
from rexos.dex.pool import Pool
from rexos.dex.pool_reads import PoolRef, read_pools
from rexos.dex.venues import Venue
from rexos.errors import DexError, UsageError

__all__ = ["POOL_CREATED", "Discoverer", "Discovery", "v3_ref"]

POOL_CREATED = keccak(text="PoolCreated(address,address,uint24,int24,address)")
"""Topic of a V3 factory's ``PoolCreated(token0, token1, fee, tickSpacing, pool)``."""


@dataclass(frozen=True, slots=True)
class Discovery:
    """What discovery found at :attr:`block`: pools by address and how each was found."""

    block: int
    pools: dict[str, Pool]
    refs: dict[str, PoolRef]
    skipped: dict[str, str]
    """Pools found but not read (an uninitialised V3 pool, a reverting read), with why."""
    requests: int
    """RPC requests made (block number, logs, batched reads)."""


def v3_ref(venue: Venue, log: object) -> PoolRef:
    """The pool a ``PoolCreated`` log (a web3 log dict) announces."""
    topics = log["topics"]  # type: ignore[index]
    token0 = Web3.to_checksum_address(bytes(topics[1])[12:])
    token1 = Web3.to_checksum_address(bytes(topics[2])[12:])
    fee = int.from_bytes(bytes(topics[3]), "big")
    spacing, pool = decode(["int24", "address"], bytes(log["data"]))  # type: ignore[index]
    return PoolRef(
        Web3.to_checksum_address(pool),
        "v3",
        venue.name,
        factory=venue.factory,
        tokens=(token0, token1),
        fee=fee,
        tick_spacing=int(spacing),
    )


class Discoverer:
    """Finds and reads the pools of ``venues`` through the multicall contract at
    ``multicall``; see the module docstring.

    ``tick_words``: bitmap words read on each side of a V3 pool's current word (``None``:
    all); ``max_pools_per_venue``: the first pairs of each V2 factory only (a mainnet
    factory holds hundreds of thousands).
    """

    def __init__(
        self,
        web3: Web3,
        venues: Sequence[Venue],
        *,
        multicall: str,
        batch: int = 500,
        tick_words: int | None = 4,
        log_span: int = 10_000,
        max_pools_per_venue: int | None = None,
    ) -> None:
        if log_span < 1:
            raise UsageError(f"log_span must be at least 1, got {log_span}")
        if tick_words is not None and tick_words < 0:
            raise UsageError(f"tick_words must not be negative, got {tick_words}")
        self._web3 = web3
        self.venues = tuple(venues)
        self.multicall = Multicall(web3, multicall, batch=batch)
        self.tick_words = tick_words
        self._log_span = log_span
        self._cap = max_pools_per_venue
        self._other_requests = 0

    @property
    def requests(self) -> int:
        """RPC requests made so far."""
        return self.multicall.requests + self._other_requests

    def head(self) -> int:
        """The latest block number."""
        with reverts_as("read the latest block"):
            self._other_requests += 1
            return int(self._web3.eth.block_number)

    def find(self, block: int) -> list[PoolRef]:
        """Every pool of the venues that exists at ``block`` (nothing read but addresses)."""
        refs: list[PoolRef] = []
        v2 = [v for v in self.venues if v.kind == "v2"]
        counts = self.multicall.try_many(
            [Call(str(v.factory), selector("allPairsLength()")) for v in v2], block
        )
        calls: list[tuple[Venue, Call]] = []
        for venue, count in zip(v2, counts, strict=True):
            if count is None:
                raise DexError(f"venue {venue.name}: {venue.factory} is not a V2 factory")
            n = int.from_bytes(count[:32], "big")
            n = n if self._cap is None else min(n, self._cap)
            sig = selector("allPairs(uint256)")
            calls += [
                (venue, Call(str(venue.factory), sig + k.to_bytes(32, "big"))) for k in range(n)
            ]
        pairs = self.multicall.try_many([c for _, c in calls], block)
        for (venue, _), pair in zip(calls, pairs, strict=True):
            if pair is None:
                raise DexError(f"venue {venue.name}: reading its pairs failed")
            address = Web3.to_checksum_address(pair[12:32])
            refs.append(PoolRef(address, "v2", venue.name, venue.factory, fee_bps=venue.fee_bps))
        for venue in self.venues:
            if venue.kind == "v3":
                listed = [
                    PoolRef(Web3.to_checksum_address(p), "v3", venue.name, venue.factory)
                    for p in venue.pools
                ]
                logged = [] if venue.start_block is None else self._v3_pools(venue, block)
                known = {r.address for r in logged}
                refs += logged + [r for r in listed if r.address not in known]
            elif venue.kind == "stable":
                refs += [
                    PoolRef(Web3.to_checksum_address(p), "stable", venue.name) for p in venue.pools
                ]
        return refs

    def _v3_pools(self, venue: Venue, block: int) -> list[PoolRef]:
        found: list[PoolRef] = []
        start = venue.start_block or 0
        while start <= block:
            end = min(block, start + self._log_span - 1)
            with reverts_as(f"read the pools created by {venue.name}"):
                self._other_requests += 1
                logs = self._web3.eth.get_logs(
                    {
                        "fromBlock": start,
                        "toBlock": end,
                        "address": Web3.to_checksum_address(str(venue.factory)),
                        "topics": [Web3.to_hex(POOL_CREATED)],
                    }
                )
            found += [v3_ref(venue, log) for log in logs]
            if self._cap is not None and len(found) >= self._cap:
                return found[: self._cap]
            start = end + 1
        return found

    def read(self, refs: Sequence[PoolRef], block: int) -> tuple[dict[str, Pool], dict[str, str]]:
        """The pools of ``refs`` at ``block`` and those left out (with why)."""
        reads = read_pools(self.multicall, refs, block, tick_words=self.tick_words)
        return reads.pools, reads.skipped

    def discover(self, block: int | None = None) -> Discovery:
        """Find and read every pool at ``block`` (default: the latest)."""
        at = self.head() if block is None else block
        refs = self.find(at)
        pools, skipped = self.read(refs, at)
        by_address = {r.address: r for r in refs}
        return Discovery(at, pools, by_address, skipped, self.requests)
