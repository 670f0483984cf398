"""USD prices for the policy, implied by the deployment's DEX pools (USDC as the dollar)."""

from __future__ import annotations

from decimal import Decimal

from web3 import Web3

from rexos.agents.wallet.agent import Prices
from rexos.chain.manifest import Manifest
from rexos.dex.onchain import PoolWatcher, TokenInfo, TokenRegistry
from rexos.dex.price import implied_price
from rexos.errors import DexError

__all__ = ["dex_prices"]


def dex_prices(web3: Web3, manifest: Manifest) -> Prices:
    """Price tokens (ETH as WETH) by their best route to USDC on the deployment's venues."""
    registry = TokenRegistry.from_manifest(manifest)
    watcher = PoolWatcher(web3, manifest)
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
        return implied_price(
            watcher.pools, info.address, info.decimals, usdc.address, usdc.decimals
        )

    return price
