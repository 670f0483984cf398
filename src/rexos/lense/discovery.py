"""Discovery: what a wallet holds on each chain, read in batches at one block per chain.

:func:`discover` looks on every :class:`~rexos.lense.discovery_source.ChainSource`:

1. the head block, which every read on that chain is made at (``Discovery.blocks``);
2. the deployment's venues and their pools (:class:`~rexos.dex.discovery.Discoverer`);
3. the wallet's history (:mod:`rexos.lense.discovery_history`): the index, and the
   ``Transfer``/``Approval`` logs naming the wallet, which find tokens no list names;
4. ``balanceOf`` of the deployment's tokens, the source's token list and the history's
   tokens, in ``aggregate3`` batches; then the symbol, name and decimals of those held;
5. the native balance, the liquidity (V2 pairs, StableSwap pools, and V3 ranges found by
   the pools' ``Mint`` logs: :mod:`rexos.lense.discovery_v3`), stake, rewards, points and
   vesting positions (:mod:`rexos.lense.positions`), in one more batched round;
6. a spam verdict (:mod:`rexos.lense.spam`) for every held token the deployment does not
   name; spam is listed like the rest, with the rules that fired.

Zero balances are not positions. Token names and symbols are third-party text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from web3 import Web3

from rexos.chain.tx import reverts_as
from rexos.dex.discovery import Discoverer
from rexos.dex.pool import Pool
from rexos.dex.v3 import V3Pool
from rexos.dex.venues import manifest_venues
from rexos.errors import DexError, UsageError
from rexos.lense.discovery_batch import LeanMulticall
from rexos.lense.discovery_history import History, fanout, history
from rexos.lense.discovery_reads import TokenMeta, read_balances, read_metadata
from rexos.lense.discovery_source import ChainSource, native_symbol
from rexos.lense.discovery_spam import judge, unsolicited
from rexos.lense.discovery_v3 import v3_probe, v3_ranges
from rexos.lense.model import NATIVE, Asset, Discovery, Position, SpamVerdict
from rexos.lense.positions import (
    Reading,
    pool_probe,
    run_probes,
    staking_probe,
    vesting_probe,
)
from rexos.types import parse_address

__all__ = ["deployment_tokens", "discover"]

_TOKEN_KEYS = ("DevToken:", "BridgedToken:")


def deployment_tokens(source: ChainSource) -> list[str]:
    """The deployment's own ERC-20s: REX and every dev and bridged token (not sREX, which
    is read as a stake)."""
    if source.manifest is None:
        return []
    contracts = source.manifest.contracts
    found = [contracts["RexToken"]] if "RexToken" in contracts else []
    found += [a for k, a in sorted(contracts.items()) if k.startswith(_TOKEN_KEYS)]
    return [Web3.to_checksum_address(a) for a in found]


def discover(sources: Sequence[ChainSource], owner: str) -> Discovery:
    """What ``owner`` holds on every chain of ``sources`` (see the module docstring)."""
    who = parse_address(owner)
    if not sources:
        raise UsageError("discovery needs at least one chain to look on")
    chains = [s.chain_id for s in sources]
    if len(set(chains)) != len(chains):
        raise UsageError(f"each chain may be given once, got chain ids {chains}")
    found = [_discover_chain(source, who) for source in sources]
    return Discovery(
        address=who,
        positions=tuple(p for f in found for p in f.positions),
        spam={k: v for f in found for k, v in f.spam.items()},
        blocks={f.chain_id: f.block for f in found},
        rpc_requests=sum(f.requests for f in found),
        found_in_history=frozenset(k for f in found for k in f.from_history),
    )


@dataclass(frozen=True, slots=True)
class _Chain:
    """What one chain gave."""

    chain_id: int
    block: int
    positions: list[Position]
    spam: dict[str, SpamVerdict]
    from_history: set[str]
    requests: int


@dataclass(frozen=True, slots=True)
class _Venues:
    """The deployment's pools at the block, their venues, and the requests that took."""

    pools: dict[str, Pool]
    venues: dict[str, str]
    known: bool
    requests: int


def _discover_chain(source: ChainSource, who: str) -> _Chain:
    """Every step of the module docstring on one chain."""
    multicall = LeanMulticall(source.web3, source.multicall_address(), batch=source.batch)
    with reverts_as(f"read the head block of chain {source.chain_id}"):
        block = int(source.web3.eth.block_number)
    ours = deployment_tokens(source)
    venues = _venues(source, block)
    trail = history(source.web3, who, source.index, source.history_from, block, source.log_span)
    listed = [parse_address(t) for t in source.tokens]
    candidates = _unique([*ours, *listed, *sorted(trail.trails)], skip=_skipped(source, venues))
    balances = read_balances(multicall, candidates, who, block)
    held = {t: b for t, b in zip(candidates, balances, strict=True) if b}
    pool_tokens = [t for p in venues.pools.values() for t in p.tokens]
    described = _unique([*held, *ours, *pool_tokens, *_staked(source)], skip=set())
    metas = dict(zip(described, read_metadata(multicall, described, block), strict=True))
    reading = Reading(
        source.chain_id, who, block, {t: _asset(source.chain_id, t, m) for t, m in metas.items()}
    )
    positions = [_native(source, who, block), *_balances(reading, multicall, held)]
    found, v3_requests = _positions(source, reading, multicall, venues)
    strangers = {t: metas[t] for t in held if t not in set(ours)}
    known = {t: reading.assets[t] for t in ours}
    verdicts, fan_requests = _spam(source, strangers, known, venues, trail)
    spam = {reading.assets[t].key: v for t, v in verdicts.items()}
    from_history = {
        reading.assets[t].key for t in strangers if t in trail.trails and t not in listed
    }
    requests = 2 + multicall.requests + venues.requests + trail.requests + fan_requests
    requests += v3_requests
    positions = [p for p in [*positions, *found] if p.amount > 0]
    return _Chain(source.chain_id, block, positions, spam, from_history, requests)


def _balances(
    reading: Reading, multicall: LeanMulticall, held: Mapping[str, int]
) -> list[Position]:
    """The ``balance`` positions of the tokens held."""
    via = f"via multicall {multicall.address}" if multicall.deployed() else "by eth_call"
    return [
        Position(
            reading.assets[t], amount, "balance", reading.at(t, f"balanceOf({reading.owner}) {via}")
        )
        for t, amount in held.items()
    ]


def _positions(
    source: ChainSource, reading: Reading, multicall: LeanMulticall, venues: _Venues
) -> tuple[list[Position], int]:
    """Liquidity, stake, rewards, points and vesting in one batched round, and the requests
    finding the V3 ranges took."""
    v3 = {a: p for a, p in venues.pools.items() if isinstance(p, V3Pool)}
    ranges, requests = v3_ranges(
        source.web3, reading.owner, v3, source.history_from, reading.block, source.log_span
    )
    probes = [pool_probe(reading, venues.pools, venues.venues)]
    probes.append(v3_probe(reading, v3, venues.venues, ranges))
    contracts = source.manifest.contracts if source.manifest is not None else {}
    rex = contracts.get("RexToken")
    if rex is not None:
        if "StakedRex" in contracts:
            probes.append(staking_probe(reading, contracts["StakedRex"], rex))
        probes.append(vesting_probe(reading, contracts, rex))
    return run_probes(multicall, probes, reading.block), requests


def _unique(tokens: Iterable[str], skip: set[str]) -> list[str]:
    return [t for t in dict.fromkeys(tokens) if t not in skip]


def _staked(source: ChainSource) -> list[str]:
    """The deployment's ``StakedRex`` (sREX), if it has one."""
    staked = source.manifest.contracts.get("StakedRex") if source.manifest else None
    return [Web3.to_checksum_address(staked)] if staked else []


def _skipped(source: ChainSource, venues: _Venues) -> set[str]:
    """Tokens read as positions, not balances: LP tokens and sREX."""
    return set(venues.pools) | set(_staked(source))


def _venues(source: ChainSource, block: int) -> _Venues:
    if source.manifest is None:
        return _Venues({}, {}, False, 0)
    try:
        venues = manifest_venues(source.manifest)
    except DexError:
        return _Venues({}, {}, False, 0)
    finder = Discoverer(
        source.web3, venues, multicall=source.multicall_address(), batch=source.batch
    )
    try:
        found = finder.discover(block)
    except DexError:
        return _Venues({}, {}, False, finder.requests)
    names = {address: ref.venue for address, ref in found.refs.items()}
    return _Venues(dict(found.pools), names, True, finder.requests)


def _asset(chain_id: int, token: str, meta: TokenMeta) -> Asset:
    return Asset(chain_id, token, meta.symbol, meta.name, meta.decimals)


def _native(source: ChainSource, who: str, block: int) -> Position:
    with reverts_as(f"read the native balance on chain {source.chain_id}"):
        address = Web3.to_checksum_address(who)
        amount = int(source.web3.eth.get_balance(address, block_identifier=block))
    symbol = native_symbol(source.chain_id)
    asset = Asset(source.chain_id, NATIVE, symbol, symbol, 18)
    where = f"at block {block} on chain {source.chain_id}"
    return Position(asset, amount, "balance", f"eth_getBalance({who}) {where}")


def _spam(
    source: ChainSource,
    strangers: Mapping[str, TokenMeta],
    known: Mapping[str, Asset],
    venues: _Venues,
    trail: History,
) -> tuple[dict[str, SpamVerdict], int]:
    """Verdicts for the held tokens the deployment does not name, keyed by token address
    (only those where a rule fired), and the requests reading the senders' reach took."""
    arrivals = unsolicited(strangers, trail, set(venues.pools))
    reach, requests = fanout(source.web3, arrivals) if arrivals else ({}, 0)
    pools = list(venues.pools.values()) if venues.known else None
    verdicts = judge(source.chain_id, strangers, known, pools, trail, reach)
    return {t: v for t, v in verdicts.items() if v.rules}, requests
