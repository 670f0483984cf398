"""An address's holdings valued in USD: native ETH and the deployment's tokens.

Balances and DEX-implied prices come from the Wallet agent's own reader
(:func:`rexos.agents.wallet.holdings`, one block, ETH priced as WETH), so a chart values a
portfolio exactly as the Wallet agent values a transfer. A token with no route
to USDC is listed as not valued, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from web3 import Web3

from rexos.agents.wallet import dex_prices, holdings
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.types import parse_address

__all__ = ["Holding", "Portfolio", "read_portfolio"]


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
    with reverts_as("read the latest block"):
        block = int(web3.eth.block_number)
    rows = holdings(web3, manifest, who, dex_prices(web3, manifest), zero=True, block=block)
    return Portfolio(
        who,
        tuple(Holding(r.token.symbol, r.units, r.token.decimals, r.usd_price) for r in rows),
        block,
    )
