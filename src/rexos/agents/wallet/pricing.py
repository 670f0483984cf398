"""USD prices for the policy, implied by the deployment's DEX pools (USDC as the dollar)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from web3 import Web3

from rexos.agents.wallet.agent import Prices
from rexos.chain.manifest import Manifest
from rexos.dex.onchain import PoolWatcher, TokenInfo, TokenRegistry
from rexos.dex.pool import Pool
from rexos.dex.price import implied_price
from rexos.errors import DexError

__all__ = ["dex_prices"]


def dex_prices(web3: Web3, manifest: Manifest, *, pools: Sequence[Pool] | None = None) -> Prices:
    """Price tokens (ETH as WETH) by their best route to USDC on the deployment's venues.

    The pools are read from the chain now, unless ``pools`` (the same pools, already read:
    e.g. a :class:`~rexos.dex.onchain.PoolWatcher`'s, kept current) is given.
    """
    registry = TokenRegistry.from_manifest(manifest)
    found = list(PoolWatcher(web3, manifest).pools if pools is None else pools)
    try:
        usdc = registry.symbol("USDC")
    except DexError:
        return lambda _: None

    def price(info: TokenInfo) -> Decimal | None:
        if info.symbol == "ETH":
            try:
                info = registry.symbol("WETH")
            except DexError:
                return None
        return implied_price(found, info.address, info.decimals, usdc.address, usdc.decimals)

    return price
