"""Reading pools' state at one block in a few batched rounds, into exact pool values.

:func:`read_pools` takes :class:`PoolRef` values (what discovery found: address, kind,
venue, factory and what the creation log already told) and reads them through a
:class:`~rexos.dex.multicall.Multicall`, every call at the same block:

1. V2 ``token0``, ``token1``, ``getReserves`` (and ``feeBps`` where the venue has no fixed
   fee); V3 ``slot0``, ``liquidity`` (and the immutables the log did not give); StableSwap
   ``nCoins``, ``amp``, ``fee``, ``getBalances``;
2. V3 ``tickBitmap`` words around the current tick; StableSwap ``coins(k)``, ``rates(k)``;
3. V3 ``ticks(i)`` for every bit set in those words.

A V3 pool read over ``tick_words`` words each side carries that window
(:attr:`~rexos.dex.v3.V3Pool.window`); ``tick_words=None`` reads every word. A pool whose
calls revert, or whose state is not a valid pool (an uninitialised V3 pool), is left out
and named in :attr:`Reads.skipped`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eth_abi.abi import encode
from web3 import Web3

from rexos.dex.multicall import Call, Multicall, selector
from rexos.dex.pool import Pool
from rexos.dex.stable import StablePool
from rexos.dex.v2 import V2Pool
from rexos.dex.v3 import MAX_TICK, MIN_TICK, Tick, V3Pool
from rexos.dex.venues import VenueKind
from rexos.errors import RexosError

__all__ = ["PoolRef", "Reads", "read_pools"]

_WORD = 256


@dataclass(frozen=True, slots=True)
class PoolRef:
    """A pool discovery found: where it is, its kind and venue, and what its creation said."""

    address: str
    kind: VenueKind
    venue: str
    factory: str | None = None
    fee_bps: int | None = None
    """V2: the venue's fixed fee (``None``: read the pair's ``feeBps()``)."""
    tokens: tuple[str, ...] = ()
    """V3: ``(token0, token1)`` from ``PoolCreated`` (empty: read them)."""
    fee: int | None = None
    tick_spacing: int | None = None


@dataclass(frozen=True, slots=True)
class Reads:
    """The pools read, by address, and the addresses left out (with why)."""

    pools: dict[str, Pool] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


def _int(data: bytes, k: int = 0, *, signed: bool = False) -> int:
    return int.from_bytes(data[32 * k : 32 * k + 32], "big", signed=signed)


def _address(data: bytes) -> str:
    return Web3.to_checksum_address(data[12:32])


@dataclass
class _State:
    """What the rounds read of one pool (the fields its kind uses)."""

    token0: str = ""
    token1: str = ""
    reserves: tuple[int, int] = (0, 0)
    fee: int | None = None
    spacing: int | None = None
    slot0: tuple[int, int] = (0, 0)
    liquidity: int = 0
    n: int = 0
    amp: int = 0
    balances: tuple[int, ...] = ()
    coins: dict[int, str] = field(default_factory=dict)
    rates: dict[int, int] = field(default_factory=dict)
    bitmap: dict[int, int] = field(default_factory=dict)
    nets: dict[int, int] = field(default_factory=dict)
    window: tuple[int, int] | None = None


def _set(state: _State, name: str, decode: Callable[[bytes], object]) -> Callable[[bytes], None]:
    def sink(data: bytes) -> None:
        setattr(state, name, decode(data))

    return sink


def _put(
    into: dict[int, Any], key: int, decode: Callable[[bytes], object]
) -> Callable[[bytes], None]:
    def sink(data: bytes) -> None:
        into[key] = decode(data)

    return sink


class _Round:
    """Calls collected for one batched round, each with what to do with its answer."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.sinks: list[tuple[str, Callable[[bytes], None]]] = []

    def add(self, pool: str, signature: str, sink: Callable[[bytes], None], *args: int) -> None:
        types = signature[signature.index("(") + 1 : -1].split(",") if args else []
        data = selector(signature) + (encode(types, list(args)) if args else b"")
        self.calls.append(Call(pool, data))
        self.sinks.append((pool, sink))

    def run(self, multicall: Multicall, block: int, failed: dict[str, str]) -> None:
        answers = multicall.try_many(self.calls, block)
        for (pool, sink), answer in zip(self.sinks, answers, strict=True):
            if pool in failed:
                continue
            if answer is None or len(answer) < 32:
                failed[pool] = "a read reverted"
                continue
            sink(answer)


def _words(tick: int, spacing: int, each_side: int | None) -> tuple[range, tuple[int, int] | None]:
    """Bitmap words to read and the tick window they cover (``None``: all of them)."""
    first, last = (MIN_TICK // spacing) >> 8, (MAX_TICK // spacing) >> 8
    if each_side is None:
        return range(first, last + 1), None
    here = (tick // spacing) >> 8
    low_word, high_word = max(first, here - each_side), min(last, here + each_side)
    if (low_word, high_word) == (first, last):
        return range(first, last + 1), None
    low = max(low_word * _WORD * spacing, -(-MIN_TICK // spacing) * spacing)
    high = min((high_word * _WORD + _WORD - 1) * spacing, MAX_TICK)
    return range(low_word, high_word + 1), (low, high)


def read_pools(
    multicall: Multicall, refs: Sequence[PoolRef], block: int, *, tick_words: int | None = 4
) -> Reads:
    """Read ``refs`` at ``block`` (three batched rounds at most); see the module docstring."""
    states = {r.address: _State(fee=r.fee, spacing=r.tick_spacing) for r in refs}
    failed: dict[str, str] = {}
    first = _Round()
    for r in refs:
        a, st = r.address, states[r.address]
        if r.kind == "v2":
            first.add(a, "token0()", _set(st, "token0", _address))
            first.add(a, "token1()", _set(st, "token1", _address))
            first.add(a, "getReserves()", _set(st, "reserves", lambda d: (_int(d, 0), _int(d, 1))))
            if r.fee_bps is None:
                first.add(a, "feeBps()", _set(st, "fee", _int))
            else:
                st.fee = r.fee_bps
        elif r.kind == "v3":
            first.add(
                a, "slot0()", _set(st, "slot0", lambda d: (_int(d, 0), _int(d, 1, signed=True)))
            )
            first.add(a, "liquidity()", _set(st, "liquidity", _int))
            if r.tokens:
                st.token0, st.token1 = r.tokens
            else:
                first.add(a, "token0()", _set(st, "token0", _address))
                first.add(a, "token1()", _set(st, "token1", _address))
            if r.fee is None or r.tick_spacing is None:
                first.add(a, "fee()", _set(st, "fee", _int))
                first.add(a, "tickSpacing()", _set(st, "spacing", lambda d: _int(d, signed=True)))
        else:
            first.add(a, "nCoins()", _set(st, "n", _int))
            first.add(a, "amp()", _set(st, "amp", _int))
            first.add(a, "fee()", _set(st, "fee", _int))
            first.add(a, "getBalances()", _set(st, "balances", _uint_array))
    first.run(multicall, block, failed)

    second = _Round()
    for r in refs:
        a, st = r.address, states[r.address]
        if a in failed:
            continue
        if r.kind == "v3" and st.spacing is not None and st.spacing > 0:
            words, st.window = _words(st.slot0[1], st.spacing, tick_words)
            for w in words:
                second.add(a, "tickBitmap(int16)", _put(st.bitmap, w, _int), w)
        elif r.kind == "stable":
            for k in range(st.n):
                second.add(a, "coins(uint256)", _put(st.coins, k, _address), k)
                second.add(a, "rates(uint256)", _put(st.rates, k, _int), k)
    second.run(multicall, block, failed)

    third = _Round()
    for r in refs:
        a, st = r.address, states[r.address]
        if a in failed or r.kind != "v3" or st.spacing is None:
            continue
        for w, bits in st.bitmap.items():
            for bit in range(_WORD) if bits else ():
                if bits >> bit & 1:
                    index = (w * _WORD + bit) * st.spacing
                    third.add(a, "ticks(int24)", _put(st.nets, index, _net), index)
    third.run(multicall, block, failed)

    reads = Reads(skipped=failed)
    for r in refs:
        if r.address in failed:
            continue
        try:
            reads.pools[r.address] = _build(r, states[r.address], block)
        except RexosError as exc:
            failed[r.address] = str(exc)
    return reads


def _uint_array(data: bytes) -> tuple[int, ...]:
    count = _int(data, 1)
    return tuple(_int(data, 2 + k) for k in range(count))


def _net(data: bytes) -> int:
    return _int(data, 1, signed=True)


def _build(r: PoolRef, st: _State, block: int) -> Pool:
    a = r.address
    if r.kind == "v2":
        fee = st.fee if st.fee is not None else 0
        return V2Pool(a, st.token0, st.token1, st.reserves[0], st.reserves[1], fee, block)
    if r.kind == "v3":
        return V3Pool(
            a,
            st.token0,
            st.token1,
            st.fee if st.fee is not None else -1,
            st.spacing if st.spacing is not None else 0,
            st.slot0[0],
            st.liquidity,
            st.slot0[1],
            tuple(Tick(i, n) for i, n in sorted(st.nets.items())),
            window=st.window,
            block=block,
            factory=r.factory,
        )
    return StablePool(
        a,
        tuple(st.coins[k] for k in range(st.n)),
        st.balances,
        tuple(st.rates[k] for k in range(st.n)),
        st.amp,
        st.fee if st.fee is not None else 0,
        block,
    )
