"""The Wallet agent: transfers, approvals, swaps and stakes behind a deterministic policy engine.

:class:`WalletAgent` builds and simulates each transaction itself, values it in USD, asks
:class:`PolicyEngine` for a verdict (caps, allow-lists, confirmation threshold, circuit
breaker) and sends it once per idempotency key. The policy is a YAML file the user edits
(:func:`load_policy`).
"""

from rexos.agents.wallet.actions import Move, balance_of, stake_moves, swap_moves, unstake_moves
from rexos.agents.wallet.agent import ETH, Executed, PolicyDenied, Prepared, Prices, WalletAgent
from rexos.agents.wallet.engine import Confirmation, Decision, PlannedTx, PolicyEngine, fingerprint
from rexos.agents.wallet.holdings import Holding, holdings
from rexos.agents.wallet.ledger import WalletLedger
from rexos.agents.wallet.policy import DEFAULT_POLICY_YAML, Policy, load_policy
from rexos.agents.wallet.pricing import dex_prices
from rexos.agents.wallet.setup import WalletPaths, open_agent, open_engine

__all__ = [
    "DEFAULT_POLICY_YAML",
    "ETH",
    "Confirmation",
    "Decision",
    "Executed",
    "Holding",
    "Move",
    "PlannedTx",
    "Policy",
    "PolicyDenied",
    "PolicyEngine",
    "Prepared",
    "Prices",
    "WalletAgent",
    "WalletLedger",
    "WalletPaths",
    "balance_of",
    "dex_prices",
    "fingerprint",
    "holdings",
    "load_policy",
    "open_agent",
    "open_engine",
    "stake_moves",
    "swap_moves",
    "unstake_moves",
]
