"""The Wallet agent: the one gateway through which any user wallet signs, behind a policy engine.

:class:`WalletAgent` builds and simulates each transaction itself, values it in USD, asks
:class:`PolicyEngine` for a verdict (caps, allow-lists, confirmation threshold, circuit
breaker) and sends it once per idempotency key. The policy is a YAML file the user edits
(:func:`load_policy`), read afresh at every decision. :class:`GatewaySigner` lets the service
clients (staking, DPrompt, bridges, swaps) send through the same path: every transaction is
classified from its bytes (:func:`classify`) before the policy sees it.
"""

from rexos.agents.wallet.actions import Move, balance_of, stake_moves, swap_moves, unstake_moves
from rexos.agents.wallet.agent import ETH, Executed, PolicyDenied, Prepared, Prices, WalletAgent
from rexos.agents.wallet.classify import ACTION_KINDS, Action, ActionKind, classify
from rexos.agents.wallet.engine import Confirmation, Decision, PlannedTx, PolicyEngine, fingerprint
from rexos.agents.wallet.gateway import Approver, GatewaySigner
from rexos.agents.wallet.holdings import Holding, holdings
from rexos.agents.wallet.ledger import WalletLedger
from rexos.agents.wallet.policy import DEFAULT_POLICY_YAML, Policy, load_policy
from rexos.agents.wallet.pricing import dex_prices
from rexos.agents.wallet.setup import WalletPaths, open_agent, open_engine

__all__ = [
    "ACTION_KINDS",
    "DEFAULT_POLICY_YAML",
    "ETH",
    "Action",
    "ActionKind",
    "Approver",
    "Confirmation",
    "Decision",
    "Executed",
    "GatewaySigner",
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
    "classify",
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
