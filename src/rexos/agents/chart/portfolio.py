"""An address's holdings valued in USD: native ETH and the deployment's tokens.

Prices are DEX-implied (the best route of a small probe to USDC through the deployment's
pools, ETH as WETH), exactly as the Wallet agent values a transfer. A token with no route
to USDC is listed as not valued, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from web3 import Web3

from rexos.chain.artifacts import load_artifact
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.dex.onchain import PoolWatcher, TokenInfo, TokenRegistry
from rexos.dex.price import implied_price
from rexos.errors import DexError
from rexos.types import parse_address

__all__ = ["Holding", "Portfolio", "read_portfolio"]

_ETH_DECIMALS = 18


@dataclass(frozen=True, slots=True)
class Holding:
    """``amount`` base units of ``symbol``, and its USD price per whole token if known."""

    symbol: str
    amount: int
    decimals: int
    usd_price: Decimal | None

    @property
    def whole(self) -> Decimal:
        """The amount in whole tokens."""
        return Decimal(self.amount).scaleb(-self.decimals)

    @property
    def usd(self) -> Decimal | None:
        """The holding's USD value, or ``None`` when the token has no price."""
        return None if self.usd_price is None else self.whole * self.usd_price


@dataclass(frozen=True, slots=True)
class Portfolio:
    """What ``address`` holds (zero balances included), as of ``block``."""

    address: str
    holdings: tuple[Holding, ...]
    block: int | None = None


def read_portfolio(web3: Web3, manifest: Manifest, address: str) -> Portfolio:
    """ETH and every token of ``manifest`` held by ``address``, priced from the pools."""
    who = parse_address(address)
    registry = TokenRegistry.from_manifest(manifest)
    price = _pricer(web3, manifest, registry)
    abi = load_artifact("DevToken").abi
    with reverts_as(f"read the balances of {who}"):
        block = int(web3.eth.block_number)
        holdings = [
            Holding("ETH", int(web3.eth.get_balance(who, block)), _ETH_DECIMALS, price("ETH"))
        ]
        for info in registry:
            token = web3.eth.contract(address=Web3.to_checksum_address(info.address), abi=abi)
            amount = int(token.functions.balanceOf(who).call(block_identifier=block))
            holdings.append(Holding(info.symbol, amount, info.decimals, price(info.symbol)))
    return Portfolio(who, tuple(holdings), block)


def _pricer(
    web3: Web3, manifest: Manifest, registry: TokenRegistry
) -> Callable[[str], Decimal | None]:
    try:
        usdc = registry.symbol("USDC")
        pools = PoolWatcher(web3, manifest).pools
    except DexError:
        return lambda _: None

    def price(symbol: str) -> Decimal | None:
        try:
            info: TokenInfo = registry.symbol("WETH" if symbol == "ETH" else symbol)
        except DexError:
            return None
        return implied_price(pools, info.address, info.decimals, usdc.address, usdc.decimals)

    return price
