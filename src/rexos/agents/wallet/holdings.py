"""What an address holds: ETH and every token of the deployment, valued at DEX-implied USD."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from web3 import Web3

from rexos.agents.wallet.agent import ETH, Prices
from rexos.chain.artifacts import load_artifact
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.dex.onchain import TokenInfo, TokenRegistry
from rexos.types import Address, format_units

__all__ = ["Holding", "holdings"]


@dataclass(frozen=True, slots=True)
class Holding:
    token: TokenInfo
    units: int
    usd_price: Decimal | None
    """USD per whole token; ``None`` when no pool prices the token."""

    @property
    def usd(self) -> Decimal | None:
        if self.usd_price is None:
            return None
        return Decimal(self.units).scaleb(-self.token.decimals) * self.usd_price

    def to_json(self) -> dict[str, str | int | None]:
        return {
            "symbol": self.token.symbol,
            "address": self.token.address,
            "decimals": self.token.decimals,
            "units": str(self.units),
            "amount": format_units(self.units, self.token.decimals),
            "usd": None if self.usd is None else f"{self.usd:.2f}",
        }


def holdings(
    web3: Web3,
    manifest: Manifest,
    owner: Address,
    prices: Prices,
    *,
    zero: bool = False,
    block: int | None = None,
) -> list[Holding]:
    """ETH first, then the deployment's tokens by symbol, all read at one block (``block``,
    default the latest); empty balances only with ``zero``."""
    abi = load_artifact("DevToken").abi
    found = []
    with reverts_as(f"read the balances of {owner}"):
        at = int(web3.eth.block_number) if block is None else block
        found.append((ETH, int(web3.eth.get_balance(owner, at))))
        for token in sorted(TokenRegistry.from_manifest(manifest), key=lambda t: t.symbol):
            contract = web3.eth.contract(address=token.address, abi=abi)
            units = int(contract.functions.balanceOf(owner).call(block_identifier=at))
            found.append((token, units))
    return [Holding(token, units, prices(token)) for token, units in found if units or zero]
