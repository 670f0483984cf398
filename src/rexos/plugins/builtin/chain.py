"""The chain-node plug-in: read the chain (head, balances) through JSON-RPC."""

from __future__ import annotations

from pydantic import BaseModel, Field

from rexos import __version__
from rexos.agents.tool import ToolContext, ToolParams, tool
from rexos.chain import load_artifact
from rexos.dex import TokenRegistry
from rexos.plugins.spec import Plugin
from rexos.types import format_units, parse_address

__all__ = ["plugin"]


class HeadParams(ToolParams):
    pass


class HeadResult(BaseModel):
    chain_id: int
    block: int
    timestamp: int


@tool("chain.head", "The chain's id, latest block number and its timestamp.", HeadParams,
      HeadResult, needs=["chain"], examples=[{}],
      trusted="numbers read from the chain node")  # fmt: skip
def head(ctx: ToolContext, _: HeadParams) -> HeadResult:
    web3 = ctx.chain().web3
    block = web3.eth.get_block("latest")
    return HeadResult(
        chain_id=int(web3.eth.chain_id),
        block=int(block["number"]),
        timestamp=int(block["timestamp"]),
    )


class BalanceParams(ToolParams):
    address: str = Field(pattern=r"^0x[0-9a-fA-F]{40}$", description="Account address.")
    token: str | None = Field(
        default=None, description="Token symbol of the deployment (REX, USDC, ...); none: ETH."
    )


class BalanceResult(BaseModel):
    address: str
    symbol: str
    base_units: str
    amount: str


@tool("chain.balance", "An address's ETH or token balance on the deployment's chain.",
      BalanceParams, BalanceResult, needs=["chain"],
      trusted="a balance read from the chain; the symbol is the deployment's own",
      examples=[{"address": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"}])  # fmt: skip
def balance(ctx: ToolContext, p: BalanceParams) -> BalanceResult:
    web3 = ctx.chain().web3
    who = parse_address(p.address)
    if p.token is None:
        wei = int(web3.eth.get_balance(who))
        return BalanceResult(
            address=who, symbol="ETH", base_units=str(wei), amount=format_units(wei)
        )
    info = TokenRegistry.from_manifest(ctx.manifest()).symbol(p.token)
    erc20 = web3.eth.contract(address=info.address, abi=load_artifact("DevToken").abi)
    units = int(erc20.functions.balanceOf(who).call())
    return BalanceResult(
        address=who, symbol=info.symbol, base_units=str(units),
        amount=format_units(units, info.decimals),
    )  # fmt: skip


def plugin() -> Plugin:
    return Plugin.of("chain", __version__, "The chain node: head and balances.", [head, balance])
