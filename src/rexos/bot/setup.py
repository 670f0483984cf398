"""The bot on a data directory and a deployment: its store, adding a strategy, a scheduler.

Shared by ``rexos bot`` and the ``bot`` plug-in, so both check a new strategy the same way
(tokens of the deployment, amounts within the sold token's decimals, start at the chain's
time) and warn the same way when the wallet policy would stop its trades.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from eth_account.signers.local import LocalAccount
from web3 import Web3

from rexos.agents.wallet import WalletPaths, dex_prices, load_policy, open_engine
from rexos.bot.scheduler import Scheduler
from rexos.bot.store import BotStore, StoredStrategy
from rexos.bot.strategies import Dca, Limit, TakeProfitStopLoss, check_tokens
from rexos.bot.venue import WalletVenue
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.dex import TokenRegistry
from rexos.types import parse_address

__all__ = ["open_bot_store", "open_scheduler", "schedule", "unattended_warning"]


def open_bot_store(home: Path) -> BotStore:
    """The bot's store in data directory ``home`` (created on first use)."""
    return BotStore(BotStore.path_in(home))


def schedule(
    store: BotStore,
    web3: Web3,
    manifest: Manifest,
    owner: str,
    strategy: Dca | Limit | TakeProfitStopLoss,
) -> StoredStrategy:
    """Check ``strategy`` against the deployment and store it for ``owner``, started at the
    latest block's time (a DCA's first trade is due at once)."""
    check_tokens(strategy, TokenRegistry.from_manifest(manifest).symbol)
    with reverts_as("read the latest block"):
        now = int(web3.eth.get_block("latest")["timestamp"])
        chain_id = int(web3.eth.chain_id)
    return store.add(chain_id, parse_address(owner), strategy, now)


def unattended_warning(
    home: Path, web3: Web3, manifest: Manifest, strategy: Dca | Limit | TakeProfitStopLoss
) -> str | None:
    """Why the policy in ``home`` would pause this strategy's trades at today's prices, or
    ``None`` when one trade fits what it allows without a confirmation."""
    policy = load_policy(WalletPaths.of(home).policy)
    sold = TokenRegistry.from_manifest(manifest).symbol(strategy.sold)
    price = dex_prices(web3, manifest)(sold)
    if price is None:
        return f"no pool prices {sold.symbol} in USD: the policy will refuse its trades"
    usd = (strategy.amount * price).quantize(Decimal("0.01"))
    if usd > policy.per_tx_usd_cap:
        return f"one trade (≈ ${usd:,}) is above the per-transaction cap of " + (
            f"${policy.per_tx_usd_cap:,}: the policy will refuse it and the bot will pause"
        )
    if policy.confirm_above_usd == 0 or usd > policy.confirm_above_usd:
        return (
            f"one trade (≈ ${usd:,}) needs a confirmation under your policy (confirm_above_usd: "
            f"{policy.confirm_above_usd}); a bot never confirms, so it will pause instead of "
            "trading: raise confirm_above_usd in policy.yaml"
        )
    return None


def open_scheduler(
    home: Path, web3: Web3, manifest: Manifest, account: LocalAccount
) -> tuple[Scheduler, WalletVenue]:
    """A scheduler for ``account``'s strategies on ``manifest``'s chain, trading through a
    Wallet agent under the policy and ledger of ``home``."""
    venue = WalletVenue(web3, manifest, account, open_engine(home))
    with reverts_as("read the chain id"):
        chain_id = int(web3.eth.chain_id)
    scheduler = Scheduler(open_bot_store(home), venue, venue.agent.address, chain_id)
    return scheduler, venue
