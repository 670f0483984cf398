"""The trading-bot plug-in: schedule, list and remove rule-based strategies.

``bot.add`` stores a strategy (DCA, limit, take-profit/stop-loss) that ``rexos bot run`` will
trade through the Wallet agent: it moves funds, so it is never served over MCP and the
orchestrator asks before calling it. The bot sends only what the wallet policy allows without
a confirmation; a trade that would need one pauses its strategy, with the reason shown by
``bot.list``. ``bot.list`` and ``bot.remove`` read and edit the store in the data directory
and need no chain. ``bot.remove`` sends nothing but stops a strategy the user made, so it is
declared ``changes_state``: a model's call to it after reading untrusted text is refused, and
MCP clients see it marked destructive.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from rexos import __version__
from rexos.agents.tool import ToolContext, ToolParams, tool
from rexos.bot import (
    BotStore,
    StoredStrategy,
    Strategy,
    open_bot_store,
    schedule,
)
from rexos.plugins.bot_venue import unattended_warning
from rexos.plugins.spec import Plugin

__all__ = ["plugin"]

_ADDRESS = r"^0x[0-9a-fA-F]{40}$"
_ID = r"^[0-9a-f]{8}$"


class StrategyOut(BaseModel):
    id: str
    kind: str
    status: str = Field(description="active, paused (see reason), done or removed.")
    reason: str | None
    summary: str
    chain_id: int
    owner: str
    strategy: dict[str, Any]
    fires: int = Field(description="Trades made so far.")
    spent: str = Field(description="Whole tokens sold so far.")
    started_at: int
    last_fire_at: int | None
    next_at: int | None = Field(description="Chain time of a DCA's next trade.")


def _out(stored: StoredStrategy) -> StrategyOut:
    return StrategyOut.model_validate(stored.to_json())


class AddParams(ToolParams):
    wallet: str = Field(pattern=_ADDRESS, description="Address whose strategy this is.")
    strategy: Strategy = Field(description="dca, limit or tpsl; amounts as decimal strings.")


class AddResult(BaseModel):
    added: StrategyOut
    warning: str | None = Field(description="Why the policy would pause its trades, if so.")


@tool(
    "bot.add",
    "Schedule a trading-bot strategy for a wallet: DCA (sell an amount every interval), a "
    "limit order, or take-profit/stop-loss on the DEX-implied price. `rexos bot run` trades it "
    "through the Wallet agent, only within what the wallet policy allows without confirmation.",
    AddParams,
    AddResult,
    moves_funds=True,
    needs=["chain"],
    examples=[
        {"wallet": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
         "strategy": {"kind": "dca", "sell": "USDC", "buy": "WETH", "amount": "50",
                      "interval": "1d", "count": 10}},
        {"wallet": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
         "strategy": {"kind": "tpsl", "token": "WETH", "quote": "USDC", "amount": "0.5",
                      "take_profit": "3600", "stop_loss": "2400"}},
    ],
)  # fmt: skip
def add(ctx: ToolContext, p: AddParams) -> AddResult:
    web3, manifest = ctx.chain().web3, ctx.manifest()
    store = open_bot_store(ctx.settings.home)
    try:
        stored = schedule(store, web3, manifest, p.wallet, p.strategy)
    finally:
        store.close()
    warning = unattended_warning(ctx.settings.home, web3, manifest, p.strategy)
    return AddResult(added=_out(stored), warning=warning)


class ListParams(ToolParams):
    wallet: str | None = Field(default=None, pattern=_ADDRESS, description="Only this owner's.")
    include_removed: bool = Field(default=False, description="Also list removed strategies.")


class ListResult(BaseModel):
    strategies: list[StrategyOut]


@tool(
    "bot.list",
    "The trading bot's strategies in this data directory: status (paused ones with the reason), "
    "trades made, tokens sold, next due time. Reads the local store only.",
    ListParams,
    ListResult,
    trusted="the local bot store: strategies the user scheduled (validated symbols and "
    "amounts) and pause reasons written by our own policy check",
    examples=[{}, {"wallet": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"}],
)
def list_(ctx: ToolContext, p: ListParams) -> ListResult:
    path = BotStore.path_in(ctx.settings.home)
    if not path.is_file():
        return ListResult(strategies=[])
    store = BotStore(path)
    try:
        found = store.strategies(p.wallet, removed=p.include_removed)
    finally:
        store.close()
    return ListResult(strategies=[_out(s) for s in found])


class RemoveParams(ToolParams):
    id: str = Field(pattern=_ID, description="Strategy id, as `bot.list` shows it.")


class RemoveResult(BaseModel):
    id: str
    removed: bool = Field(description="False when no strategy has this id.")


@tool(
    "bot.remove",
    "Stop a trading-bot strategy for good (its past trades stay recorded). Sends nothing.",
    RemoveParams,
    RemoveResult,
    trusted="answers the id it was given and whether the local store removed it",
    changes_state=True,
    examples=[{"id": "0a1b2c3d"}],
)
def remove(ctx: ToolContext, p: RemoveParams) -> RemoveResult:
    path = BotStore.path_in(ctx.settings.home)
    if not path.is_file():
        return RemoveResult(id=p.id, removed=False)
    store = BotStore(path)
    try:
        return RemoveResult(id=p.id, removed=store.remove(p.id) is not None)
    finally:
        store.close()


def plugin() -> Plugin:
    return Plugin.of(
        "bot",
        __version__,
        "Trading bot: DCA, limit and take-profit/stop-loss strategies run through the Wallet "
        "agent's policy.",
        [add, list_, remove],
    )
