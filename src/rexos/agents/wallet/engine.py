"""The policy engine: a deterministic verdict on one simulated transaction.

The policy is read from its file at every decision (an edit takes effect at once, even under
a running server or bot), and a policy that cannot be read, is invalid or repeats a key denies
everything with one line saying why: the engine fails closed. The daily cap is checked again
and the spend reserved in one SQLite ``BEGIN IMMEDIATE`` transaction just before signing, so
two processes cannot both pass it.

Nothing here trusts where a transaction came from (a user command, a plan, an LLM's tool
call): the verdict depends only on the transaction itself, its simulation, its USD value, the
policy and the ledger. A transaction above the confirmation threshold needs a
:class:`Confirmation` minted by :meth:`PolicyEngine.confirm` for its exact fingerprint
(chain, sender, target, value, calldata): change any byte and the confirmation no longer
fits. Confirmations are MACed with a key only this data directory holds, expire, and are used
once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from eth_utils.crypto import keccak

from rexos.agents.wallet.classify import ActionKind
from rexos.agents.wallet.ledger import WalletLedger
from rexos.agents.wallet.policy import Policy, load_policy
from rexos.errors import ConfigError
from rexos.private_files import read_secret_key
from rexos.types import Address

__all__ = ["Confirmation", "Decision", "PlannedTx", "PolicyEngine", "fingerprint"]

UNLIMITED = 2**255
"""Approvals at or above this are 'unlimited' and always refused."""


@dataclass(frozen=True, slots=True)
class PlannedTx:
    """A transaction the Wallet agent built and simulated, with what it means."""

    chain_id: int
    sender: Address
    to: Address
    value: int
    data: bytes
    kind: ActionKind
    token_symbol: str
    token_address: str
    amount: int
    counterparty: Address
    """Recipient of a transfer, spender of an approval, target of a call."""
    usd: Decimal | None
    simulated_gas: int | None
    summary: str
    simulation_error: str | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.chain_id, self.sender, self.to, self.value, self.data)


def fingerprint(chain_id: int, sender: str, to: str, value: int, data: bytes) -> str:
    """keccak256 over the transaction's chain, sender, target, value and calldata."""
    packed = b"".join(
        [
            chain_id.to_bytes(32, "big"),
            bytes.fromhex(sender[2:].lower()),
            bytes.fromhex(to[2:].lower()),
            value.to_bytes(32, "big"),
            data,
        ]
    )
    return "0x" + keccak(packed).hex()


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Literal["allow", "confirm", "deny"]
    reason: str


@dataclass(frozen=True, slots=True)
class Confirmation:
    """A human's yes to one exact transaction."""

    fingerprint: str
    expires_at: int
    nonce: str
    mac: str


class PolicyEngine:
    def __init__(self, policy: Policy | Path, ledger: WalletLedger, key_file: Path) -> None:
        self._policy = policy
        self.ledger = ledger
        self._key = _load_key(key_file)

    @property
    def policy(self) -> Policy:
        """The policy as it is now: re-read from its file (:class:`ConfigError` if broken)."""
        if isinstance(self._policy, Policy):
            return self._policy
        return load_policy(self._policy)

    def check(self, tx: PlannedTx, now: int) -> Decision:
        """The verdict on ``tx`` at time ``now`` (seconds)."""
        try:
            p = self.policy
        except ConfigError as exc:
            return _deny(f"the policy is unusable, so nothing is signed: {exc}")
        failures, opened = self.ledger.breaker()
        cooldown = p.circuit_breaker.cooldown_minutes * 60
        if opened is not None and now < opened + cooldown:
            return _deny(
                f"circuit breaker open after {failures} failed transactions in a row, until "
                f"{cooldown - (now - opened)} s from now (or `rexos policy reset-breaker`)"
            )
        if not p.allows_chain(tx.chain_id):
            return _deny(f"chain {tx.chain_id} is not in the policy's allow-list")
        if not p.allows_token(tx.token_symbol, tx.token_address):
            return _deny(f"token {tx.token_symbol} is not in the policy's allow-list")
        if not p.allows_action(tx.kind):
            return _deny(f"{tx.kind} is not among the actions the policy allows")
        refused = _target_problem(p, tx)
        if refused is not None:
            return _deny(refused)
        if tx.kind == "approve" and tx.amount >= UNLIMITED:
            return _deny("unlimited approvals are refused: approve the exact amount")
        if tx.simulated_gas is None:
            return _deny(
                f"the simulation failed: {tx.simulation_error}"
                if tx.simulation_error
                else "the transaction was not simulated (simulation is mandatory)"
            )
        if tx.usd is None:
            return _deny(f"cannot value {tx.token_symbol} in USD, so the caps cannot be checked")
        if tx.usd > p.per_tx_usd_cap:
            return _deny(
                f"${tx.usd:,.2f} is above the per-transaction cap of ${p.per_tx_usd_cap:,}"
            )
        spent = self.ledger.spent_last_day(now)
        if spent + tx.usd > p.daily_usd_cap:
            return _deny(
                f"${tx.usd:,.2f} would bring the last 24 hours to ${spent + tx.usd:,.2f}, "
                f"above the daily cap of ${p.daily_usd_cap:,}"
            )
        if tx.usd > p.confirm_above_usd or p.confirm_above_usd == 0:
            return Decision("confirm", f"${tx.usd:,.2f} needs your confirmation")
        return Decision("allow", "within the policy")

    def reserve(self, tx: PlannedTx, intent_key: str, now: int) -> str | None:
        """Reserve ``tx``'s value of the daily cap for ``intent_key``; why not, or ``None``.

        The check and the write are one ``BEGIN IMMEDIATE`` transaction: of two processes
        racing for the rest of the cap, the second is refused here, before it signs.
        """
        assert tx.usd is not None
        try:
            cap = self.policy.daily_usd_cap
        except ConfigError as exc:
            return f"the policy is unusable, so nothing is signed: {exc}"
        spent = self.ledger.reserve(intent_key, tx.fingerprint, tx.usd, now, cap)
        if spent is None:
            return None
        return (
            f"${tx.usd:,.2f} would bring the last 24 hours to ${spent + tx.usd:,.2f}, "
            f"above the daily cap of ${cap:,}"
        )

    def breaker_threshold(self) -> int:
        """Failures in a row that open the circuit breaker (the default if the policy is broken)."""
        try:
            return self.policy.circuit_breaker.failures
        except ConfigError:
            return Policy().circuit_breaker.failures

    def lock_path(self, wallet: str) -> Path:
        """The lock file that lets one process at a time sign for ``wallet``."""
        return self.ledger.path.parent / f"signer-{wallet.lower()}.lock"

    def confirm(self, tx: PlannedTx, now: int) -> Confirmation:
        """A confirmation for exactly ``tx``; only the human-facing layer calls this."""
        expires = now + self.policy.confirmation_ttl_s
        nonce = secrets.token_hex(16)
        return Confirmation(
            tx.fingerprint, expires, nonce, self._mac(tx.fingerprint, expires, nonce)
        )

    def accepts(self, tx: PlannedTx, confirmation: Confirmation | None, now: int) -> str | None:
        """``None`` if ``confirmation`` authorises ``tx`` now, else why not. Uses it up."""
        if confirmation is None:
            return "this transaction needs a confirmation"
        expected = self._mac(confirmation.fingerprint, confirmation.expires_at, confirmation.nonce)
        if not hmac.compare_digest(expected, confirmation.mac):
            return "the confirmation was not issued by this wallet"
        if confirmation.fingerprint != tx.fingerprint:
            return "the confirmation is for a different transaction: confirm this one"
        if now > confirmation.expires_at:
            return "the confirmation expired: confirm again"
        if not self.ledger.use_confirmation(confirmation.nonce):
            return "the confirmation was already used"
        return None

    def _mac(self, fp: str, expires: int, nonce: str) -> str:
        message = f"{fp}|{expires}|{nonce}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()


def _target_problem(p: Policy, tx: PlannedTx) -> str | None:
    """Why ``tx``'s recipient, spender or contract is refused, or ``None``."""
    if tx.kind == "call":
        if p.lists_contract(tx.to):
            return None
        return (
            f"a call to {tx.to} that the Wallet agent cannot interpret is refused unless that "
            "contract is listed in the policy's allow.contracts"
        )
    if tx.kind == "swap" and tx.counterparty.lower() != tx.sender.lower():
        return f"a swap's output must come back to this wallet, not go to {tx.counterparty}"
    elsewhere = tx.counterparty.lower() != tx.sender.lower()
    sends = tx.kind in ("transfer", "bridge")
    if sends and elsewhere and not p.allows_address("recipients", tx.counterparty):
        return f"recipient {tx.counterparty} is not in the policy's allow-list"
    if tx.kind == "approve" and not p.allows_address("contracts", tx.counterparty):
        return f"spender {tx.counterparty} is not in the policy's allow-list of contracts"
    if tx.kind not in ("transfer", "approve") and not p.allows_address("contracts", tx.to):
        return f"contract {tx.to} is not in the policy's allow-list"
    return None


def _deny(reason: str) -> Decision:
    return Decision("deny", reason)


def _load_key(path: Path) -> bytes:
    """The data dir's confirmation MAC key: 32 random bytes, 0600; an empty or short file is
    refused with one line, never used (a known key would let anyone mint confirmations)."""
    return read_secret_key(path, 32)
