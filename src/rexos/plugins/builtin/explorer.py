"""The block-explorer plug-in: an address's history from the local index (offline), and a
real chain's transactions, token transfers and balance from an Etherscan-compatible API."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from rexos import __version__
from rexos.agents.tool import ToolContext, ToolParams, tool
from rexos.config import Settings
from rexos.explorer import MAX_HISTORY, EtherscanClient, local_history
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


class IndexedTransferRow(BaseModel):
    chain_id: int
    block: int
    timestamp: int | None
    tx_hash: str
    log_index: int
    token: str
    token_symbol: str
    decimals: int | None
    from_address: str
    to_address: str
    amount: str = Field(description="Base units of the token (an integer).")
    direction: Literal["in", "out", "self"]


class IndexedChainRow(BaseModel):
    chain_id: int
    indexed_to_block: int | None


class HistoryResult(BaseModel):
    address: str
    source: Literal["index"]
    chains: list[IndexedChainRow]
    transfers: list[IndexedTransferRow]


@tool(
    "explorer.history",
    "An address's token transfers (in, out), newest first, from the local index that "
    "`rexos index` builds under $REXOS_HOME/index. Reads no network; an empty list with no "
    "chains means nothing has been indexed yet.",
    HistoryParams,
    HistoryResult,
    trusted="the local index of the deployment's own tokens: addresses, amounts and symbols "
    "from the manifest; no third-party text",
    examples=[{"address": _DEV}, {"address": _DEV, "limit": 5}],
)
def history(ctx: ToolContext, p: HistoryParams) -> HistoryResult:
    found = local_history(ctx.settings.home, p.address, chain_id=p.chain_id, limit=p.limit)
    return HistoryResult.model_validate(found.to_json())


class ChainParams(ToolParams):
    address: str = Field(pattern=_ADDRESS, description="Account address.")
    chain_id: int = Field(default=1, ge=1, description="EVM chain id (1: Ethereum).")
    limit: int = Field(default=25, ge=1, le=1000, description="Most rows returned.")


class TxRow(BaseModel):
    block: int
    timestamp: int
    hash: str
    from_address: str
    to_address: str | None
    value: str = Field(description="Wei (an integer).")
    gas_used: str
    gas_price: str
    failed: bool
    method: str = Field(description="Method signature the explorer shows (third-party text).")
    contract_address: str | None


class TransactionsResult(BaseModel):
    address: str
    chain_id: int
    explorer: str
    transactions: list[TxRow]


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
        transactions=[TxRow.model_validate(r.to_json()) for r in rows],
    )


class TokenTransfersParams(ChainParams):
    token: str | None = Field(
        default=None, pattern=_ADDRESS, description="Only this token contract's transfers."
    )


class TokenTransferRow(BaseModel):
    block: int
    timestamp: int
    hash: str
    token: str
    token_symbol: str = Field(description="Chosen by the token's deployer (third-party text).")
    token_name: str = Field(description="Chosen by the token's deployer (third-party text).")
    decimals: int | None
    from_address: str
    to_address: str
    value: str = Field(description="Base units of the token (an integer).")


class TokenTransfersResult(BaseModel):
    address: str
    chain_id: int
    explorer: str
    transfers: list[TokenTransferRow]


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
        transfers=[TokenTransferRow.model_validate(r.to_json()) for r in rows],
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
