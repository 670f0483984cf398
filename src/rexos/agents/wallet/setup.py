"""Where a data directory keeps the Wallet agent's state, and an agent opened on it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from eth_account.signers.local import LocalAccount
from web3 import Web3

from rexos.agents.wallet.agent import WalletAgent
from rexos.agents.wallet.engine import PolicyEngine
from rexos.agents.wallet.ledger import WalletLedger
from rexos.agents.wallet.pricing import dex_prices
from rexos.chain.manifest import Manifest
from rexos.dex import TokenRegistry
from rexos.dex.onchain import TokenInfo

__all__ = ["WalletPaths", "open_agent", "open_engine"]

_BRIDGED = "BridgedToken:"


@dataclass(frozen=True, slots=True)
class WalletPaths:
    policy: Path
    """``policy.yaml``, the file the user edits."""
    ledger: Path
    """SQLite: spends, intents, used confirmations, the circuit breaker."""
    confirm_key: Path
    """The MAC key of confirmations (never leaves the data directory)."""

    @classmethod
    def of(cls, home: Path) -> WalletPaths:
        wallet = home / "wallet"
        return cls(home / "policy.yaml", wallet / "ledger.sqlite", wallet / "confirm.key")


def open_engine(home: Path) -> PolicyEngine:
    """The policy engine of data directory ``home`` (ledger, confirmation key, and the policy
    file, read afresh at every decision)."""
    paths = WalletPaths.of(home)
    return PolicyEngine(paths.policy, WalletLedger(paths.ledger), paths.confirm_key)


def open_agent(
    web3: Web3,
    manifest: Manifest,
    account: LocalAccount,
    home: Path,
    *,
    home_chain: tuple[Web3, Manifest] | None = None,
) -> WalletAgent:
    """A Wallet agent for ``account`` on ``manifest``'s deployment, priced from its pools.

    ``home_chain``: for a chain whose tokens are bridged copies (the devnet's ``devnet-b``),
    the chain and deployment they come from; they are valued as their home tokens there.
    """
    if home_chain is not None:
        return _bridged_agent(web3, manifest, account, home, *home_chain)
    tokens = TokenRegistry.from_manifest(manifest)
    return WalletAgent(
        web3, account, tokens, dex_prices(web3, manifest), open_engine(home), manifest=manifest
    )


def _bridged_agent(
    web3: Web3,
    manifest: Manifest,
    account: LocalAccount,
    home: Path,
    home_web3: Web3,
    home_manifest: Manifest,
) -> WalletAgent:
    home_tokens = TokenRegistry.from_manifest(home_manifest)
    bridged = [
        TokenInfo(info.symbol, manifest.contracts[_BRIDGED + info.symbol], info.decimals)
        for info in home_tokens
        if _BRIDGED + info.symbol in manifest.contracts
    ]
    home_prices = dex_prices(home_web3, home_manifest)

    def prices(info: TokenInfo) -> Decimal | None:
        if info.symbol == "ETH":
            return home_prices(info)
        return home_prices(home_tokens.symbol(info.symbol))

    return WalletAgent(
        web3, account, TokenRegistry(bridged), prices, open_engine(home), manifest=manifest
    )
