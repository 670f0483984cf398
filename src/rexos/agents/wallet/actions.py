"""Multi-transaction actions of the Wallet agent: a swap or a stake is "approve, then act".

Each action is a list of :class:`Move` — one transaction each, planned only when its turn
comes (a swap cannot be simulated before its approval is mined), each with its own policy
check and confirmation. The plan runner and the trading bot drive them the same way:
``for move in action.moves(): prepared = move.plan(); … agent.execute(prepared, key)``.
Nothing here takes calldata from a caller: tokens are resolved from the deployment, amounts
are base units, the swap's recipient is the wallet itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rexos.agents.wallet.agent import Prepared, WalletAgent
from rexos.chain.artifacts import load_artifact
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.dex import PoolWatcher, TokenRegistry, find_route, quote_swap
from rexos.dex.gas import fill_gas_cost
from rexos.dex.onchain import TokenInfo
from rexos.errors import DexError, InsufficientBalance, UsageError
from rexos.types import Address, display_units

__all__ = ["Move", "balance_of", "stake_moves", "swap_moves", "unstake_moves"]

DEADLINE_S = 600
"""A planned swap stays valid this many seconds after the latest block."""


@dataclass(frozen=True, slots=True)
class Move:
    """One transaction of an action: ``plan`` builds and simulates it when it is its turn."""

    name: str
    """Stable within the action (``approve``, ``swap``, ``stake``): part of the intent key."""
    plan: Callable[[], Prepared | None]
    """``None``: nothing to send (e.g. the allowance is already enough)."""


def balance_of(agent: WalletAgent, token: TokenInfo) -> int:
    """The wallet's balance of ``token`` in base units (native ETH for the zero address)."""
    with reverts_as(f"read the {token.symbol} balance"):
        if int(token.address, 16) == 0:
            return int(agent.web3.eth.get_balance(agent.address))
        contract = agent.web3.eth.contract(address=token.address, abi=load_artifact("DevToken").abi)
        return int(contract.functions.balanceOf(agent.address).call())


def _allowance(agent: WalletAgent, token: TokenInfo, spender: Address) -> int:
    contract = agent.web3.eth.contract(address=token.address, abi=load_artifact("DevToken").abi)
    with reverts_as(f"read the {token.symbol} allowance"):
        return int(contract.functions.allowance(agent.address, spender).call())


def _approval(
    agent: WalletAgent, token: TokenInfo, units: int, spender: Address, what: str
) -> Move:
    def plan() -> Prepared | None:
        _require(agent, token, units, what)
        if _allowance(agent, token, spender) >= units:
            return None
        return agent.plan_raw_approve(token.symbol, units, spender)

    return Move("approve", plan)


def _require(agent: WalletAgent, token: TokenInfo, units: int, what: str) -> None:
    held = balance_of(agent, token)
    if units > held:
        raise InsufficientBalance(
            f"cannot {what} {display_units(units, token.decimals)} {token.symbol}: the wallet "
            f"holds {display_units(held, token.decimals)}"
        )


def _fill_gas_cost(
    agent: WalletAgent, manifest: Manifest, watcher: PoolWatcher, buy: TokenInfo
) -> int:
    """What one more fill of the route costs in gas, in ``buy`` base units, as ``rexos swap``
    prices it (0 on a deployment without WETH to price gas in)."""
    try:
        weth = TokenRegistry.from_manifest(manifest).symbol("WETH").address
    except DexError:
        return 0
    with reverts_as("read the gas price"):
        gas_price = int(agent.web3.eth.gas_price)
    return fill_gas_cost(watcher.pools, gas_price, weth, buy.address)


def swap_moves(
    agent: WalletAgent,
    manifest: Manifest,
    sell: TokenInfo,
    buy: TokenInfo,
    units: int,
    slippage_bps: int = 50,
) -> list[Move]:
    """Approve the router for exactly ``units`` (if needed), then swap at the best split
    after gas: a fill (split leg, hop, loop step) that gains less than its gas is left out.

    The balance is checked when the first move is planned (a resumed action whose approval was
    already sent does not check it again: the swap's simulation does).
    """
    if sell.address == buy.address:
        raise UsageError(f"cannot swap {sell.symbol} for itself")
    if units <= 0:
        raise UsageError(f"nothing to swap: the amount of {sell.symbol} is 0")
    router = manifest.address("RexRouter")

    def swap() -> Prepared:
        watcher = PoolWatcher(agent.web3, manifest)
        gas_cost = _fill_gas_cost(agent, manifest, watcher, buy)
        route = find_route(
            watcher.pools, sell.address, buy.address, units, gas_cost_per_fill=gas_cost
        )
        quote = quote_swap(route, watcher.pools, slippage_bps=slippage_bps, block=watcher.block)
        with reverts_as("read the latest block"):
            head = int(agent.web3.eth.get_block("latest")["timestamp"])
        return agent.plan_swap(quote, sell, buy, router, head + DEADLINE_S)

    return [_approval(agent, sell, units, router, "swap"), Move("swap", swap)]


def stake_moves(agent: WalletAgent, manifest: Manifest, units: int) -> list[Move]:
    """Approve StakedRex for exactly ``units`` REX (if needed), then stake them."""
    rex = TokenRegistry.from_manifest(manifest).symbol("REX")
    if units <= 0:
        raise UsageError("nothing to stake: the amount of REX is 0")
    staked = manifest.address("StakedRex")
    return [
        _approval(agent, rex, units, staked, "stake"),
        Move("stake", lambda: agent.plan_stake(rex, units, staked)),
    ]


def unstake_moves(agent: WalletAgent, manifest: Manifest, units: int) -> list[Move]:
    """Unstake ``units`` sREX (one transaction)."""
    rex = TokenRegistry.from_manifest(manifest).symbol("REX")
    if units <= 0:
        raise UsageError("nothing to unstake: the amount is 0")
    staked = manifest.address("StakedRex")
    return [Move("unstake", lambda: agent.plan_unstake(rex, units, staked))]
