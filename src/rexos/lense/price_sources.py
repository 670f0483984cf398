"""Where Lense's prices come from: the :class:`PriceSource` protocol and its sources.

* :class:`DexSpotSource`: the DEX-implied spot price, from the exact pool maths
  (:func:`rexos.dex.router.find_route`) over every pool of the deployment read at one block,
  in the deployment's USD stablecoin (USDC); the native coin is priced as WETH.
* :class:`~rexos.lense.price_twap.V3TwapSource`: a time-weighted price from Uniswap V3
  ``observe()``;
* :class:`~rexos.lense.price_index.IndexTwapSource`: a time-weighted price from the chain
  index's swaps against stablecoins.
* :class:`CoinGeckoSource`: a CoinGecko-compatible feed
  (:class:`~rexos.prices.coingecko.CoinGeckoClient`, through :mod:`rexos.outside_http`) for
  the assets it is told the coin of: never by symbol alone, so a spam token calling itself
  ``WETH`` is not given WETH's price.
* :class:`FixedSource`: fixed quotes, the fake that tests use beside the real ones.

A quote's ``usd`` is the price of one whole token. Every quote any source gives passes
:func:`require_sane_price`; a feed that answers a negative, zero, non-finite or absurd
price raises :class:`~rexos.prices.coingecko.PriceError` and is not used.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Protocol, runtime_checkable

from web3 import Web3

from rexos.chain.manifest import Manifest
from rexos.dex.discovery import Discoverer
from rexos.dex.onchain import TokenInfo, TokenRegistry
from rexos.dex.pool import Pool
from rexos.dex.price import implied_price
from rexos.dex.router import find_route
from rexos.dex.venues import manifest_venues, multicall_address
from rexos.errors import DexError, RexosError
from rexos.lense.model import NATIVE, Asset, PriceQuote
from rexos.prices.coingecko import SYMBOL_IDS, CoinGeckoClient, PriceError
from rexos.types import Address

__all__ = [
    "MAX_USD",
    "MIN_USD",
    "PROBE_USD",
    "USD_SYMBOL",
    "CoinGeckoSource",
    "DeploymentSource",
    "DexSpotSource",
    "FixedSource",
    "PriceSource",
    "chain_as_of",
    "chain_failures",
    "deployment_coins",
    "is_token",
    "priced_token",
    "require_sane_price",
    "spot_price",
]

MAX_USD = Decimal(10) ** 9
"""No token is worth a billion dollars a unit: a larger quote is refused."""
MIN_USD = Decimal(10) ** -18
"""Below one dollar per 10¹⁸ whole tokens a quote is refused (it cannot be told from 0)."""
PROBE_USD = Decimal(10)
"""What the DEX spot probe is worth: small beside the devnet's pools, large beside a base unit."""
USD_SYMBOL = "USDC"
"""The deployment's dollar: chain reads price every asset in it."""


@runtime_checkable
class PriceSource(Protocol):
    """One source of USD prices."""

    @property
    def name(self) -> str:
        """A short name (``"dex spot"``), used when the source fails."""
        ...

    def quotes(self, assets: Sequence[Asset]) -> dict[str, PriceQuote]:
        """Quotes keyed by :attr:`Asset.key`; an asset left out has no price from here.
        Raises :class:`~rexos.prices.coingecko.PriceError` when the source cannot answer."""
        ...


def require_sane_price(source: str, what: str, usd: object) -> Decimal:
    """``usd`` if it is a finite :class:`Decimal` in [:data:`MIN_USD`, :data:`MAX_USD`];
    else :class:`~rexos.prices.coingecko.PriceError` naming the source and the value."""
    if not isinstance(usd, Decimal):
        raise PriceError(f"{source}: refused the price of {what}: {usd!r} is not a Decimal")
    if not usd.is_finite():
        raise PriceError(f"{source}: refused the price of {what}: {usd} is not finite")
    if usd <= 0:
        raise PriceError(f"{source}: refused the price of {what}: {usd} is not positive")
    if usd > MAX_USD or usd < MIN_USD:
        raise PriceError(
            f"{source}: refused the price of {what}: ${usd} is outside [{MIN_USD}, {MAX_USD}]"
        )
    return usd


@contextmanager
def chain_failures(source: str) -> Iterator[None]:
    """Turn a chain or DEX failure inside a source into a
    :class:`~rexos.prices.coingecko.PriceError` naming the source (a price error passes)."""
    try:
        yield
    except PriceError:
        raise
    except RexosError as exc:
        raise PriceError(f"{source}: {exc}") from exc


def chain_as_of(block: int, chain_id: int) -> str:
    """``"block 123 on chain 31337"``: when a chain read was made."""
    return f"block {block} on chain {chain_id}"


def is_token(asset: Asset) -> bool:
    """Whether ``asset`` is the native coin or a token at an address (not points)."""
    return asset.token == NATIVE or Web3.is_address(asset.token)


def priced_token(asset: Asset, registry: TokenRegistry) -> TokenInfo:
    """The token whose pools price ``asset``: WETH for the native coin, else the asset."""
    if asset.token == NATIVE:
        return registry.symbol("WETH")
    return TokenInfo(asset.symbol, Address(Web3.to_checksum_address(asset.token)), asset.decimals)


class FixedSource:
    """Fixed quotes (the fake of the conformance tests): ``usd`` by asset key."""

    def __init__(self, name: str, usd: Mapping[str, Decimal], *, as_of: str = "fixed") -> None:
        self._name = name
        self._usd = dict(usd)
        self._as_of = as_of

    @property
    def name(self) -> str:
        return self._name

    def quotes(self, assets: Sequence[Asset]) -> dict[str, PriceQuote]:
        found = [a.key for a in assets if a.key in self._usd]
        return {k: PriceQuote(self._name, self._usd[k], self._as_of) for k in found}


class DeploymentSource(ABC):
    """A source that reads one deployment's chain: it answers for that chain's assets only,
    and a failure of the chain or the DEX reads is its :class:`PriceError`."""

    _manifest: Manifest

    @property
    @abstractmethod
    def name(self) -> str: ...

    def quotes(self, assets: Sequence[Asset]) -> dict[str, PriceQuote]:
        mine = [a for a in assets if a.chain_id == self._manifest.chain_id]
        if not mine:
            return {}
        with chain_failures(self.name):
            return self._read(mine)

    @abstractmethod
    def _read(self, mine: Sequence[Asset]) -> dict[str, PriceQuote]:
        """The quotes for ``mine``, every one on this deployment's chain."""


class DexSpotSource(DeploymentSource):
    """DEX-implied spot prices: a probe sold to USDC through the best direct pool (else the
    best two-hop route) of every pool of the deployment (V2, V3, StableSwap) read at
    ``block`` (default: the latest).

    The probe's output (see :func:`spot_price`) is the marginal price less the route's fees
    (0.01-0.3 % on the devnet), without the impact of a large trade. USDC itself is the
    dollar (1).
    """

    def __init__(self, web3: Web3, manifest: Manifest, *, block: int | None = None) -> None:
        self._web3 = web3
        self._manifest = manifest
        self._block = block

    @property
    def name(self) -> str:
        return "dex spot"

    def _read(self, mine: Sequence[Asset]) -> dict[str, PriceQuote]:
        manifest = self._manifest
        registry = TokenRegistry.from_manifest(manifest)
        usd = registry.symbol(USD_SYMBOL)
        venues = manifest_venues(manifest)
        found = Discoverer(self._web3, venues, multicall=multicall_address(manifest)).discover(
            self._block
        )
        pools = list(found.pools.values())
        source = (
            f"DEX spot: best direct pool (else two-hop route) to {USD_SYMBOL} over {len(pools)} "
            "pools of the deployment, fees included"
        )
        as_of = chain_as_of(found.block, manifest.chain_id)
        out: dict[str, PriceQuote] = {}
        for asset in mine:
            token = priced_token(asset, registry)
            price = spot_price(pools, token, usd)
            if price is not None:
                out[asset.key] = PriceQuote(source, price, as_of)
        return out


def spot_price(pools: Sequence[Pool], token: TokenInfo, usd: TokenInfo) -> Decimal | None:
    """USD per whole ``token``: a probe worth about :data:`PROBE_USD` (a first,
    thousandth-of-a-token probe sizes it, so the answer keeps about seven significant digits
    even for a cheap token) sold through the best **direct** pool to USDC, or through the
    best two-hop route when no pool pairs the two; ``None`` without a route.

    Direct first: a two-hop route can pass through two pools that disagree after a trade and
    sell the probe above every pool's own price (an arbitrage), which is not a price.
    """
    rough = implied_price(pools, token.address, token.decimals, usd.address, usd.decimals)
    if rough is None or rough <= 0 or token.address == usd.address:
        return rough
    probe = max(1, int(PROBE_USD / rough * 10**token.decimals))
    for hops in (1, 2):
        try:
            route = find_route(pools, token.address, usd.address, probe, max_hops=hops)
        except DexError:
            continue
        if route.amount_out > 0:
            out = Decimal(route.amount_out).scaleb(-usd.decimals)
            return out / Decimal(probe).scaleb(-token.decimals)
    return None


def deployment_coins(manifest: Manifest) -> dict[str, str]:
    """Asset key → CoinGecko symbol for the deployment's tokens CoinGecko lists (by address)
    and the chain's native coin (ETH)."""
    coins = {f"{manifest.chain_id}:{NATIVE}": "ETH"}
    for token in TokenRegistry.from_manifest(manifest):
        if token.symbol.upper() in SYMBOL_IDS:
            coins[f"{manifest.chain_id}:{token.address}"] = token.symbol.upper()
    return coins


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class CoinGeckoSource:
    """A CoinGecko-compatible feed for the assets named in ``coins`` (asset key → a symbol of
    :data:`~rexos.prices.coingecko.SYMBOL_IDS`; see :func:`deployment_coins`)."""

    def __init__(
        self,
        client: CoinGeckoClient,
        coins: Mapping[str, str],
        *,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self._client = client
        self._coins = {k: v.upper() for k, v in coins.items()}
        self._clock = clock

    @property
    def name(self) -> str:
        return "coingecko"

    def quotes(self, assets: Sequence[Asset]) -> dict[str, PriceQuote]:
        wanted = {a.key: self._coins[a.key] for a in assets if a.key in self._coins}
        if not wanted:
            return {}
        prices = self._client.usd(sorted(set(wanted.values())))
        as_of = self._clock().astimezone(dt.UTC).isoformat(timespec="seconds")
        source = f"CoinGecko-compatible feed at {self._client.base_url} (simple/price)"
        out: dict[str, PriceQuote] = {}
        for key, symbol in wanted.items():
            if symbol in prices:
                usd = require_sane_price("CoinGecko", symbol, prices[symbol])
                out[key] = PriceQuote(source, usd, as_of)
        return out
