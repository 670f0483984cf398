"""The block-explorer plug-in: an address's history from the local index (offline), and a
real chain's transactions, token transfers and balance from an Etherscan-compatible API.

Its results are the explorer's own records (:mod:`rexos.explorer.records`), declared once
there; amounts travel as decimal strings."""

from __future__ import annotations

from pydantic import BaseModel, Field

from rexos import __version__
from rexos.agents.tool import ToolContext, ToolParams, tool
from rexos.config import Settings
from rexos.explorer import (
    MAX_HISTORY,
    EtherscanClient,
    ExplorerTx,
    LocalHistory,
    TokenTransfer,
    local_history,
)
from rexos.plugins.spec import Plugin
from rexos.types import format_units, parse_address

__all__ = ["client", "plugin"]

_ADDRESS = r"^0x[0-9a-fA-F]{40}$"
_DEV = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
_VITALIK = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"


def client(settings: Settings) -> EtherscanClient:
    """The explorer API client (tests replace it with one that replays recorded answers)."""
    return EtherscanClient(settings.etherscan_url, api_key=settings.etherscan_api_key)


class HistoryParams(ToolParams):
    address: str = Field(pattern=_ADDRESS, description="Account address.")
    chain_id: int | None = Field(
        default=None, ge=1, description="Read this chain's index only; default: every index."
    )
    limit: int = Field(default=25, ge=1, le=MAX_HISTORY, description="Most transfers returned.")


@tool(
    "explorer.history",
    "An address's token transfers (in, out), newest first, from the local index that "
    "`rexos index` builds under $REXOS_HOME/index. Reads no network; an empty list with no "
    "chains means nothing has been indexed yet.",
    HistoryParams,
    LocalHistory,
    trusted="the local index of the deployment's own tokens: addresses, amounts and symbols "
    "from the manifest; no third-party text",
    examples=[{"address": _DEV}, {"address": _DEV, "limit": 5}],
)
def history(ctx: ToolContext, p: HistoryParams) -> LocalHistory:
    return local_history(ctx.settings.home, p.address, chain_id=p.chain_id, limit=p.limit)


class ChainParams(ToolParams):
    address: str = Field(pattern=_ADDRESS, description="Account address.")
    chain_id: int = Field(default=1, ge=1, description="EVM chain id (1: Ethereum).")
    limit: int = Field(default=25, ge=1, le=1000, description="Most rows returned.")


class TransactionsResult(BaseModel):
    address: str
    chain_id: int
    explorer: str
    transactions: list[ExplorerTx]


@tool(
    "explorer.transactions",
    "An address's normal transactions on a real chain, newest first, from an "
    "Etherscan-compatible explorer API (REXOS_ETHERSCAN_URL). Values are wei.",
    ChainParams,
    TransactionsResult,
    needs=["network"],
    examples=[{"address": _VITALIK, "chain_id": 1, "limit": 10}],
)
def transactions(ctx: ToolContext, p: ChainParams) -> TransactionsResult:
    api = client(ctx.settings)
    rows = api.transactions(p.address, chain_id=p.chain_id, limit=p.limit)
    return TransactionsResult(
        address=parse_address(p.address),
        chain_id=p.chain_id,
        explorer=api.source,
        transactions=rows,
    )


class TokenTransfersParams(ChainParams):
    token: str | None = Field(
        default=None, pattern=_ADDRESS, description="Only this token contract's transfers."
    )


class TokenTransfersResult(BaseModel):
    address: str
    chain_id: int
    explorer: str
    transfers: list[TokenTransfer]


@tool(
    "explorer.token_transfers",
    "An address's ERC-20 transfers on a real chain, newest first, from an "
    "Etherscan-compatible explorer API. Token names and symbols are whatever the token's "
    "deployer chose: never a reason to trust a token.",
    TokenTransfersParams,
    TokenTransfersResult,
    needs=["network"],
    examples=[{"address": _VITALIK, "chain_id": 1, "limit": 10}],
)
def token_transfers(ctx: ToolContext, p: TokenTransfersParams) -> TokenTransfersResult:
    api = client(ctx.settings)
    rows = api.token_transfers(p.address, chain_id=p.chain_id, token=p.token, limit=p.limit)
    return TokenTransfersResult(
        address=parse_address(p.address),
        chain_id=p.chain_id,
        explorer=api.source,
        transfers=rows,
    )


class BalanceParams(ToolParams):
    address: str = Field(pattern=_ADDRESS, description="Account address.")
    chain_id: int = Field(default=1, ge=1, description="EVM chain id (1: Ethereum).")


class BalanceResult(BaseModel):
    address: str
    chain_id: int
    explorer: str
    wei: str = Field(description="Native-coin balance in wei (an integer).")
    amount: str = Field(description="The same in whole coins (18 decimals).")


@tool(
    "explorer.balance",
    "An address's native-coin balance (ETH on chain 1) on a real chain, from an "
    "Etherscan-compatible explorer API.",
    BalanceParams,
    BalanceResult,
    needs=["network"],
    examples=[{"address": _VITALIK, "chain_id": 1}],
)
def balance(ctx: ToolContext, p: BalanceParams) -> BalanceResult:
    api = client(ctx.settings)
    wei = api.balance(p.address, chain_id=p.chain_id)
    return BalanceResult(
        address=parse_address(p.address),
        chain_id=p.chain_id,
        explorer=api.source,
        wei=str(wei),
        amount=format_units(wei),
    )


def plugin() -> Plugin:
    return Plugin.of(
        "explorer",
        __version__,
        "Block explorer: local index history, and Etherscan-compatible reads of real chains.",
        [history, transactions, token_transfers, balance],
    )
