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
    usd: Decimal | None
    """``None`` when no pool prices the token."""

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
    web3: Web3, manifest: Manifest, owner: Address, prices: Prices, *, zero: bool = False
) -> list[Holding]:
    """ETH first, then the deployment's tokens by symbol; empty balances only with ``zero``."""
    abi = load_artifact("DevToken").abi
    found = []
    with reverts_as(f"read the balances of {owner}"):
        found.append((ETH, int(web3.eth.get_balance(owner))))
        for token in sorted(TokenRegistry.from_manifest(manifest), key=lambda t: t.symbol):
            contract = web3.eth.contract(address=token.address, abi=abi)
            found.append((token, int(contract.functions.balanceOf(owner).call())))
    rows = []
    for token, units in found:
        if units == 0 and not zero:
            continue
        price = prices(token)
        usd = None if price is None else Decimal(units).scaleb(-token.decimals) * price
        rows.append(Holding(token, units, usd))
    return rows
