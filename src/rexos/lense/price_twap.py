"""A time-weighted price from the deployment's Uniswap V3 pools' own observations.

:class:`V3TwapSource` calls ``observe([window, 0])`` on every V3 pool of the deployment at
one block (one batched multicall round), takes the arithmetic mean tick over the window
(rounded down, as Uniswap's ``OracleLibrary.consult`` does) and turns it into a price with
the exact tick maths (:func:`rexos.dex.v3.sqrt_ratio_at_tick`). An asset is priced against
USDC through the deepest pool pairing the two (most in-range liquidity at the block), else
through WETH (asset/WETH × WETH/USDC). The native coin is priced as WETH.

A swap moves the pool's tick only from the block it lands in, so a pool pushed by one huge
swap shows the new price at once in the spot reading but barely in a 30-minute average: the
two disagree and the asset is flagged. A pool whose observations do not reach back over the
window (``observe`` reverts ``OLD``: its observation cardinality is too small, or it is
younger than the window) is asked again over half the window, and half again, down to
``min_window_s`` (5 minutes by default): the source then says the window it used. A pool
with less history than that gives no price; :attr:`V3TwapSource.skipped` says which and
why. (A pool keeping one observation, as a pool does until someone calls
``increaseObservationCardinalityNext``, reaches back only to its last tick-moving swap.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from eth_abi.abi import decode, encode
from web3 import Web3

from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.dex.discovery import Discoverer
from rexos.dex.multicall import Call, Multicall, selector
from rexos.dex.onchain import TokenRegistry
from rexos.dex.v3 import V3Pool, sqrt_ratio_at_tick
from rexos.dex.venues import Venue, manifest_venues, multicall_address
from rexos.lense.model import Asset, PriceQuote
from rexos.lense.price_sources import (
    USD_SYMBOL,
    DeploymentSource,
    chain_as_of,
    priced_token,
)
from rexos.prices.coingecko import PriceError

__all__ = ["DEFAULT_WINDOW_S", "MIN_WINDOW_S", "V3TwapSource", "mean_tick", "tick_price", "windows"]

DEFAULT_WINDOW_S = 1800
"""30 minutes."""
MIN_WINDOW_S = 300
"""The shortest window a pool with less history is read over: 5 minutes."""

_OBSERVE = selector("observe(uint32[])")


def windows(window_s: int, min_window_s: int) -> list[int]:
    """``window_s``, then halved while it stays at least ``min_window_s``."""
    found = [window_s]
    while found[-1] // 2 >= min_window_s:
        found.append(found[-1] // 2)
    return found


def _observe(window_s: int) -> bytes:
    return _OBSERVE + encode(["uint32[]"], [[window_s, 0]])


def mean_tick(cumulative_then: int, cumulative_now: int, window_s: int) -> int:
    """The mean tick between two ``tickCumulative`` readings ``window_s`` apart, rounded
    toward negative infinity."""
    return (cumulative_now - cumulative_then) // window_s


def tick_price(tick: int, decimals0: int, decimals1: int) -> Fraction:
    """Whole token1 per whole token0 at ``tick`` (exactly, from the pool's sqrt price)."""
    sqrt = sqrt_ratio_at_tick(tick)
    return Fraction(sqrt * sqrt, 2**192) * Fraction(10) ** (decimals0 - decimals1)


@dataclass(frozen=True, slots=True)
class _Mean:
    """One pool's mean price over the window: token1 per token0, whole units."""

    pool: V3Pool
    price: Fraction
    window: int


class V3TwapSource(DeploymentSource):
    """Time-weighted prices over ``window_s`` seconds ending at ``block`` (default: latest)."""

    def __init__(
        self,
        web3: Web3,
        manifest: Manifest,
        *,
        window_s: int = DEFAULT_WINDOW_S,
        min_window_s: int = MIN_WINDOW_S,
        block: int | None = None,
    ) -> None:
        if not 1 <= min_window_s <= window_s:
            raise PriceError(
                f"a TWAP window must be at least 1 s and at least its minimum, got {window_s} "
                f"and {min_window_s}"
            )
        self._windows = windows(window_s, min_window_s)
        self._web3 = web3
        self._manifest = manifest
        self._block = block
        self.skipped: dict[str, str] = {}
        """Pools that gave no average at the last read (address → why)."""

    @property
    def name(self) -> str:
        return f"v3 twap {self._windows[0]} s"

    def _read(self, mine: Sequence[Asset]) -> dict[str, PriceQuote]:
        manifest = self._manifest
        venues = [v for v in manifest_venues(manifest) if v.kind == "v3"]
        if not venues:
            return {}  # no V3 pools: no price from here
        registry = TokenRegistry.from_manifest(manifest)
        usd = registry.symbol(USD_SYMBOL)
        weth = registry.symbol("WETH")
        decimals: dict[str, int] = {t.address: t.decimals for t in registry}
        decimals.update({priced_token(a, registry).address: a.decimals for a in mine})
        block, means = self._means(venues, decimals)
        as_of = chain_as_of(block, manifest.chain_id)
        out: dict[str, PriceQuote] = {}
        for asset in mine:
            token = priced_token(asset, registry).address
            if token == usd.address:
                continue  # the dollar itself: no pool can check it against itself
            found = _route(means, token, usd.address, weth.address)
            if found is not None:
                price, used = found
                out[asset.key] = PriceQuote(self._source(used), _decimal(price), as_of)
        return out

    def _source(self, used: list[_Mean]) -> str:
        window = min(m.window for m in used)
        asked = self._windows[0]
        short = "" if window == asked else f" (of {asked} s asked: no more history)"
        pools = " × ".join(m.pool.id for m in used)
        return f"Uniswap V3 TWAP over {window} s{short} (pool {pools}), mean tick from observe()"

    def _means(self, venues: Sequence[Venue], decimals: dict[str, int]) -> tuple[int, list[_Mean]]:
        """The block read and each V3 pool's mean price (pools of unknown tokens left out)."""
        address = multicall_address(self._manifest)
        found = Discoverer(self._web3, venues, multicall=address, tick_words=0).discover(
            self._block
        )
        pools = [p for p in found.pools.values() if isinstance(p, V3Pool)]
        self.skipped = dict(found.skipped)
        calls = [Call(p.id, _observe(w)) for p in pools for w in self._windows]
        with reverts_as("observe the V3 pools"):
            answers = Multicall(self._web3, address).try_many(calls, found.block)
        means: list[_Mean] = []
        per_pool = len(self._windows)
        for k, pool in enumerate(pools):
            tried = zip(self._windows, answers[k * per_pool : (k + 1) * per_pool], strict=True)
            read = next(((w, a) for w, a in tried if a is not None), None)
            if read is None:
                self.skipped[pool.id] = (
                    f"observe() reverted: not even {self._windows[-1]} s of history"
                )
            elif pool.token0 in decimals and pool.token1 in decimals:
                cumulatives, _ = decode(["int56[]", "uint160[]"], read[1])
                tick = mean_tick(int(cumulatives[0]), int(cumulatives[1]), read[0])
                price = tick_price(tick, decimals[pool.token0], decimals[pool.token1])
                means.append(_Mean(pool, price, read[0]))
        return found.block, means


def _direct(means: list[_Mean], token: str, quote: str) -> tuple[Fraction, _Mean] | None:
    """Quote per token through the deepest pool pairing the two, and that pool."""
    pairs = [m for m in means if {m.pool.token0, m.pool.token1} == {token, quote}]
    if not pairs:
        return None
    best = max(pairs, key=lambda m: m.pool.liquidity)
    price = best.price if best.pool.token0 == token else 1 / best.price
    return price, best


def _route(
    means: list[_Mean], token: str, usd: str, weth: str
) -> tuple[Fraction, list[_Mean]] | None:
    """USD per token directly, or through WETH, and the pools used."""
    direct = _direct(means, token, usd)
    if direct is not None:
        return direct[0], [direct[1]]
    first = _direct(means, token, weth)
    second = _direct(means, weth, usd)
    if first is None or second is None:
        return None
    return first[0] * second[0], [first[1], second[1]]


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)
