"""The gateway as a sender: service clients sign through the Wallet agent, never around it.

Service clients (economy, DPrompt, bridges, the swap executor) are written against
:class:`~rexos.chain.tx.Transactor`'s ``send``. :class:`GatewaySigner` is that interface for a
user's wallet: each ``send`` hands the exact transaction to :meth:`WalletAgent.plan_call`
(read from its bytes, simulated, valued, checked against the policy as it is now), asks the
human-facing layer for a yes bound to its fingerprint when the policy wants one, and sends it
once under an idempotency key. Nothing it is given can skip a step, and it cannot deploy.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from web3.contract.contract import ContractFunction

from rexos.agents.wallet.agent import PolicyDenied, Prepared, WalletAgent
from rexos.chain.tx import Receipt, Transactor, receipt_of
from rexos.errors import UsageError
from rexos.types import Address

__all__ = ["Approver", "GatewaySigner"]

Approver = Callable[[Prepared], bool]
"""Shown a transaction the policy wants confirmed; ``True`` is the human's yes to it."""


class GatewaySigner(Transactor):
    """Sends for a user's wallet through the Wallet agent's gateway, one checked tx at a time."""

    def __init__(self, agent: WalletAgent, approve: Approver, key_prefix: str | None = None):
        super().__init__(agent.web3, agent.account)
        self.agent = agent
        self._approve = approve
        self._prefix = key_prefix or f"gateway-{uuid.uuid4()}"
        self._count = 0
        self.sent: list[Prepared] = []
        """What this signer sent, in order (for the caller's report)."""

    def __repr__(self) -> str:
        return f"GatewaySigner({self.address})"

    def send(self, call: ContractFunction, *, action: str, value: int = 0) -> Receipt:
        data = bytes.fromhex(call._encode_transaction_data().removeprefix("0x"))
        return self.send_prepared(self.agent.plan_call(call.address, value, data))

    def send_value(self, to: Address, value: int, *, action: str = "send ETH") -> Receipt:
        return self.send_prepared(self.agent.plan_call(to, value, b""))

    def deploy(self, contract_name: str, *args: Any) -> Any:
        raise UsageError(f"deploying {contract_name} is not a wallet action the gateway signs")

    def send_prepared(self, prepared: Prepared) -> Receipt:
        """Confirm (if the policy asks) and send ``prepared``; its receipt."""
        decision = prepared.decision
        if decision.verdict == "deny":
            raise PolicyDenied(f"refused by the policy: {decision.reason}")
        confirmation = None
        if decision.verdict == "confirm":
            if not self._approve(prepared):
                raise UsageError(f"not confirmed, nothing was sent: {prepared.tx.summary}")
            confirmation = self.agent.confirm(prepared)
        self._count += 1
        done = self.agent.execute(prepared, f"{self._prefix}:{self._count}", confirmation)
        self.sent.append(prepared)
        return receipt_of(self.web3, done.tx_hash, prepared.tx.summary)
