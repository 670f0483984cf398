"""The Wallet agent: build → simulate → value → compliance → policy → (confirm) → send, once.

Callers (CLI, orchestrator, tools) never hand it calldata: they name a token, an amount and a
recipient, and the agent builds the transaction itself. Each plan is simulated against the
chain before anything is signed; the policy engine's verdict decides whether it may be sent,
needs a human confirmation for its exact fingerprint, or is refused. :meth:`execute` takes an
idempotency key: the same key never pays twice, even across a crash between signing and
broadcasting (the signed transaction is recorded first and rebroadcast on retry).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3

from rexos.agents.wallet.classify import Action, classify
from rexos.agents.wallet.engine import Confirmation, Decision, PlannedTx, PolicyEngine
from rexos.agents.wallet.ledger import IntentRecord
from rexos.chain.artifacts import load_artifact
from rexos.chain.manifest import Manifest
from rexos.chain.recorded import RecordedSender
from rexos.chain.tx import Transactor, reverts_as
from rexos.compliance import Gate, service_of
from rexos.dex.execute import SwapQuote
from rexos.dex.onchain import TokenInfo, TokenRegistry
from rexos.errors import ChainError, RexosError, UsageError
from rexos.locks import exclusive
from rexos.types import Address, parse_address, parse_units

__all__ = ["Executed", "PolicyDenied", "Prepared", "WalletAgent"]

ETH = TokenInfo("ETH", Address(Web3.to_checksum_address("0x" + "00" * 20)), 18)

Prices = Callable[[TokenInfo], Decimal | None]
"""USD per whole token (``None``: cannot be valued)."""


class PolicyDenied(UsageError):
    """The wallet policy refused a transaction; the message says which rule."""


@dataclass(frozen=True, slots=True)
class Prepared:
    tx: PlannedTx
    decision: Decision


@dataclass(frozen=True, slots=True)
class Executed:
    tx_hash: str
    block: int
    replayed: bool
    """True when the intent had already been executed: nothing new was sent."""


class WalletAgent:
    def __init__(
        self,
        web3: Web3,
        account: LocalAccount,
        tokens: TokenRegistry,
        prices: Prices,
        engine: PolicyEngine,
        clock: Callable[[], float] = time.time,
        manifest: Manifest | None = None,
        compliance: Gate | None = None,
    ) -> None:
        """``manifest``: the deployment whose service contracts (sREX, RexRouter, DPrompt,
        vesting, RexBridge) the agent recognises; without it only transfers and approvals of
        ``tokens`` are interpreted, and any other call is refused unless allow-listed.
        ``compliance``: the gate every plan passes (default: the gate of the data directory
        the ledger belongs to, ``<home>/wallet/ledger.sqlite`` → ``<home>``)."""
        self.web3 = web3
        self.account = account
        self._registry = tokens
        self._tokens = tokens.symbol
        self._manifest = manifest
        self._prices = prices
        self.engine = engine
        self._clock = clock
        self._sender = RecordedSender(web3, account, timeout_s=60)
        self._erc20 = web3.eth.contract(abi=load_artifact("DevToken").abi)
        ledger_dir = engine.ledger.path.parent
        home = ledger_dir.parent if ledger_dir.name == "wallet" else ledger_dir
        self.compliance = compliance if compliance is not None else Gate(home, clock=clock)

    @property
    def address(self) -> Address:
        return Address(self.account.address)

    def now(self) -> int:
        return int(self._clock())

    # ------------------------------------------------------------------ plans

    def plan_transfer(self, token: str, amount: str | Decimal, recipient: str) -> Prepared:
        """Send ``amount`` whole ``token`` (or ETH) to ``recipient``."""
        info = ETH if token.strip().upper() == "ETH" else self._tokens(token)
        units = parse_units(amount, info.decimals)
        to = parse_address(recipient)
        if info is ETH:
            return self.plan_call(to, units, b"")
        return self.plan_call(info.address, 0, self._erc20_data("transfer", to, units))

    def plan_approve(self, token: str, amount: str | Decimal, spender: str) -> Prepared:
        """Let ``spender`` take up to ``amount`` whole ``token``."""
        info = self._tokens(token)
        return self.plan_raw_approve(token, parse_units(amount, info.decimals), spender)

    def plan_raw_approve(self, token: str, units: int, spender: str) -> Prepared:
        """:meth:`plan_approve` in base units (the policy refuses unlimited amounts)."""
        info = self._tokens(token)
        data = self._erc20_data("approve", parse_address(spender), units)
        return self.plan_call(info.address, 0, data)

    def plan_swap(
        self, quote: SwapQuote, sell: TokenInfo, buy: TokenInfo, router: str, deadline: int
    ) -> Prepared:
        """Swap along ``quote`` through the RexRouter at ``router``; the output comes back here.

        The recipient is always this wallet: no caller can route a swap's output elsewhere
        (and the policy refuses a swap whose calldata names another recipient).
        The router must already be approved for the amount (plan that approval first).
        """
        route = quote.route
        if route.sell.lower() != sell.address.lower() or route.buy.lower() != buy.address.lower():
            raise UsageError("the quote does not trade the tokens named")
        target = parse_address(router)
        contract = self.web3.eth.contract(address=target, abi=load_artifact("RexRouter").abi)
        data = contract.encode_abi(
            "swap",
            [[list(step) for step in quote.steps], route.sell, route.amount_in, route.buy,
             quote.min_out, self.address, deadline],
        )  # fmt: skip
        return self.plan_call(target, 0, _bytes(data))

    def plan_stake(self, rex: TokenInfo, units: int, staked_rex: str) -> Prepared:
        """Stake ``units`` REX base units into sREX (the contract must be approved first)."""
        target = parse_address(staked_rex)
        return self.plan_call(target, 0, _bytes(self._staked(target).encode_abi("stake", [units])))

    def plan_unstake(self, rex: TokenInfo, units: int, staked_rex: str) -> Prepared:
        """Unstake ``units`` sREX (the holding-age deduction applies)."""
        target = parse_address(staked_rex)
        data = self._staked(target).encode_abi("unstake", [units])
        return self.plan_call(target, 0, _bytes(data))

    def plan_claim(self, rex: TokenInfo, earned: int, staked_rex: str) -> Prepared:
        """Claim staking rewards (valued at what the contract reports as earned now)."""
        target = parse_address(staked_rex)
        return self.plan_call(target, 0, _bytes(self._staked(target).encode_abi("claim", [])))

    def plan_call(self, to: str, value: int, data: bytes) -> Prepared:
        """Any exact transaction from this wallet: read, simulated, valued and checked.

        What it does is decided from its bytes (:func:`~rexos.agents.wallet.classify.classify`),
        never from what a caller says it is; the policy decides on that meaning.
        """
        target = parse_address(to)
        action = classify(
            self.web3, self._manifest, self._token_at, ETH, self.address, target, value, data
        )
        return self._prepare(action, target, value, data)

    def _token_at(self, address: str) -> TokenInfo | None:
        try:
            return self._registry.address(address)
        except RexosError:
            return None

    def _erc20_data(self, fn: str, who: Address, units: int) -> bytes:
        return _bytes(self._erc20.encode_abi(fn, [who, units]))

    def _staked(self, address: Address) -> Any:
        return self.web3.eth.contract(address=address, abi=load_artifact("StakedRex").abi)

    def _prepare(self, action: Action, to: Address, value: int, data: bytes) -> Prepared:
        with reverts_as("read the chain id"):
            chain_id = int(self.web3.eth.chain_id)
        gas, error = self._simulate(to, value, data)
        info = action.token
        price = self._prices(info)
        usd = None if price is None else Decimal(action.amount).scaleb(-info.decimals) * price
        summary = action.summary + (f" (≈ ${usd:,.2f})" if usd is not None else "")
        tx = PlannedTx(
            chain_id, self.address, to, value, data, action.kind, info.symbol, info.address,
            action.amount, action.counterparty, usd, gas, summary, error,
        )  # fmt: skip
        return Prepared(tx, self._screen(tx) or self.engine.check(tx, self.now()))

    def _screen(self, tx: PlannedTx) -> Decision | None:
        """The compliance gate's refusal of ``tx`` as a deny naming the rule, else ``None``:
        sender, target and counterparty against the sanctions lists, the action's service
        against the jurisdiction policy."""
        parties = {"sender": tx.sender, "target": tx.to, "counterparty": tx.counterparty}
        verdict = self.compliance.check(
            service_of("action", tx.kind), addresses=parties, entry=f"action:{tx.kind}"
        )
        return None if verdict.allowed else Decision("deny", verdict.message)

    def _simulate(self, to: Address, value: int, data: bytes) -> tuple[int | None, str | None]:
        try:
            gas = Transactor(self.web3, self.account).simulate(
                {"from": self.address, "to": to, "value": value, "data": data}, "simulate"
            )
        except ChainError as exc:
            return None, str(exc)
        return gas, None

    # -------------------------------------------------------------- execution

    def confirm(self, prepared: Prepared) -> Confirmation:
        """A confirmation for this exact plan (the human said yes to its summary)."""
        return self.engine.confirm(prepared.tx, self.now())

    def execute(
        self, prepared: Prepared, intent_key: str, confirmation: Confirmation | None = None
    ) -> Executed:
        """Send ``prepared`` once for ``intent_key``; a retried key returns the first result.

        Only one process signs for this wallet at a time (:class:`~rexos.locks.Locked` at once
        for a second one); the daily cap is re-checked and the spend reserved atomically.
        """
        if not intent_key.strip():
            raise UsageError("an intent needs a non-empty idempotency key")
        with exclusive(self.engine.lock_path(self.address), f"signing for wallet {self.address}"):
            return self._execute(prepared, intent_key, confirmation)

    def _execute(
        self, prepared: Prepared, intent_key: str, confirmation: Confirmation | None
    ) -> Executed:
        tx, ledger = prepared.tx, self.engine.ledger
        previous = ledger.intent(intent_key)
        if previous is not None and previous.state == "signing":
            ledger.forget_unsent(intent_key)  # a crash before signing: nothing reached the chain
        elif previous is not None:
            return self._replay(previous, tx, intent_key)
        now = self.now()
        barred = self._screen(tx)  # again: the lists or the declaration may have moved
        if barred is not None:
            raise PolicyDenied(barred.reason)
        decision = self.engine.check(tx, now)  # again: the policy or the ledger may have moved
        if decision.verdict == "deny":
            raise PolicyDenied(decision.reason)
        if decision.verdict == "confirm":
            why = self.engine.accepts(tx, confirmation, now)
            if why is not None:
                raise PolicyDenied(why)
        assert tx.usd is not None  # the policy refuses what it cannot value
        refused = self.engine.reserve(tx, intent_key, now)
        if refused is not None:
            raise PolicyDenied(refused)
        try:
            receipt = self._sender.send_tx(
                tx.to, tx.data, tx.value, tx.summary,
                lambda tx_hash, raw: ledger.sending(intent_key, tx_hash, raw),
            )  # fmt: skip
        except RexosError as exc:
            record = ledger.intent(intent_key)
            if record is not None and record.state == "signing":
                ledger.forget_unsent(intent_key)
            else:
                ledger.fail(intent_key, str(exc))
            ledger.record_failure(now, self.engine.breaker_threshold())
            raise
        ledger.finish(intent_key, int(receipt["blockNumber"]))
        ledger.reset_breaker()
        return Executed(_hash(receipt), int(receipt["blockNumber"]), replayed=False)

    def recorded(self, intent_key: str) -> Executed | None:
        """What ``intent_key`` already did, finishing a broadcast a crash interrupted.

        ``None``: nothing of it reached the chain, so it may be planned afresh (a plan runner
        resuming after a crash calls this before planning a step's transaction again).
        """
        ledger = self.engine.ledger
        previous = ledger.intent(intent_key)
        if previous is None or previous.state == "signing":
            return None
        if previous.state == "failed":
            raise PolicyDenied(f"intent {intent_key!r} failed: {previous.error}")
        if previous.state == "done":
            assert previous.tx_hash is not None and previous.block is not None
            return Executed(previous.tx_hash, previous.block, replayed=True)
        assert previous.tx_hash is not None and previous.raw_tx is not None
        receipt = self._sender.resume(previous.tx_hash, previous.raw_tx, "resume")
        if receipt is None:
            ledger.fail(intent_key, "the recorded transaction can no longer be mined")
            raise PolicyDenied(f"intent {intent_key!r} was not mined: plan it again")
        ledger.finish(intent_key, int(receipt["blockNumber"]))
        return Executed(previous.tx_hash, int(receipt["blockNumber"]), replayed=True)

    def _replay(self, previous: IntentRecord, tx: PlannedTx, key: str) -> Executed:
        ledger = self.engine.ledger
        if previous.fingerprint != tx.fingerprint:
            raise PolicyDenied(f"intent {key!r} was used for a different transaction")
        if previous.state == "done":
            assert previous.tx_hash is not None and previous.block is not None
            return Executed(previous.tx_hash, previous.block, replayed=True)
        if previous.state == "sending":
            assert previous.tx_hash is not None and previous.raw_tx is not None
            receipt = self._sender.resume(previous.tx_hash, previous.raw_tx, tx.summary)
            if receipt is None:
                ledger.fail(key, "the recorded transaction can no longer be mined")
                raise PolicyDenied(f"intent {key!r} was not sent; plan it again with a new key")
            ledger.finish(key, int(receipt["blockNumber"]))
            return Executed(previous.tx_hash, int(receipt["blockNumber"]), replayed=True)
        raise PolicyDenied(f"intent {key!r} already {previous.state}: use a new key to retry")


def _bytes(data: str) -> bytes:
    return bytes.fromhex(data.removeprefix("0x"))


def _hash(receipt: dict[str, Any]) -> str:
    value = receipt["transactionHash"]
    return value if isinstance(value, str) else "0x" + bytes(value).hex()
