"""The bot on a data directory and a deployment: its store and adding a strategy.

Shared by ``rexos bot`` and the ``bot`` plug-in, so both check a new strategy the same way
(tokens of the deployment, amounts within the sold token's decimals, start at the chain's
time). The bot knows its venue only as the :class:`~rexos.bot.scheduler.Venue` protocol;
the venue that trades through the Wallet agent is wired in :mod:`rexos.plugins.bot_venue`.
"""

from __future__ import annotations

from pathlib import Path

from web3 import Web3

from rexos.bot.store import BotStore, StoredStrategy
from rexos.bot.strategies import Dca, Limit, TakeProfitStopLoss, check_tokens
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.dex import TokenRegistry
from rexos.types import parse_address

__all__ = ["open_bot_store", "schedule"]


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
