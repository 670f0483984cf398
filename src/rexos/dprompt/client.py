"""Requester-side client of DPrompt: credit, requests, answers, settlement, disputes.

Every action is pre-checked so the common mistakes (unknown model, prompt too
long, fee below the price, no credit, too early) raise one clear
:mod:`rexos.errors` error before any transaction is built. Each call that
changes a request returns its new :class:`~rexos.dprompt.views.RequestView`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from eth_abi.abi import encode
from eth_utils.crypto import keccak
from web3.contract import Contract
from web3.contract.contract import ContractFunction

from rexos.chain.tx import Receipt, Transactor
from rexos.dprompt._base import ZERO_ADDRESS, BookReader, read
from rexos.dprompt.deploy import model_key
from rexos.dprompt.views import (
    OUTCOMES,
    CallbackMode,
    RequestStatus,
    RequestView,
    Resolution,
    as_bytes32,
    callback_flags,
)
from rexos.errors import InsufficientBalance, UsageError
from rexos.types import Address, format_units

__all__ = ["CheckedRequest", "Client", "commitment", "no_provider_error", "respond_call"]


@dataclass(frozen=True, slots=True)
class CheckedRequest:
    """A request the book would take now: the model's key, the challenge window, and the
    provider the next block would draw with its price (REX wei)."""

    key: bytes
    window: int
    provider: Address
    price: int


def no_provider_error(model_id: str) -> UsageError:
    """The error for a model that no active provider serves, saying how to get one."""
    return UsageError(
        f"no active provider serves {model_id}: on a local devnet `rexos devnet up` starts one; "
        "or serve it yourself with `rexos provider register` then `rexos provider run`"
    )


def commitment(output_hash: str | bytes, salt: bytes, member: Address) -> bytes:
    """A committee vote's commitment: ``keccak256(abi.encode(outputHash, salt, member))``."""
    words = [as_bytes32(output_hash, "output hash"), as_bytes32(salt, "salt"), member]
    return keccak(encode(["bytes32", "bytes32", "address"], words))


def respond_call(
    book: Contract, view: RequestView, output: bytes, receipt_hash: str | bytes, commitment: bytes
) -> ContractFunction:
    """The book call that answers ``view``: ``respondWithCommitment`` when a model commitment
    goes with the answer, plain ``respond`` (nothing more in the event) otherwise."""
    receipt = as_bytes32(receipt_hash, "receipt hash")
    if commitment:
        return book.functions.respondWithCommitment(
            view.id, view.as_struct(), output, receipt, commitment
        )
    return book.functions.respond(view.id, view.as_struct(), output, receipt)


class Client(BookReader):
    """The DPrompt contracts of one deployment, for requesters, responders and challengers."""

    # ------------------------------------------------------------ credit

    def deposit(self, signer: Transactor, amount: int) -> Receipt:
        """Approve (if needed) and move ``amount`` REX wei into the signer's book credit."""
        balance = int(read(self.rex.functions.balanceOf(signer.address), "REX balance"))
        if amount > balance:
            raise InsufficientBalance(
                f"cannot deposit {format_units(amount)} REX: {signer.address} holds "
                f"{format_units(balance)} REX"
            )
        allowance = int(
            read(self.rex.functions.allowance(signer.address, self.book.address), "allowance")
        )
        if allowance < amount:
            signer.send(self.rex.functions.approve(self.book.address, amount), action="approve REX")
        return signer.send(self.book.functions.deposit(amount), action="deposit credit")

    def withdraw_credit(self, signer: Transactor, amount: int) -> Receipt:
        """Take ``amount`` REX wei of credit back to the signer's wallet."""
        self._require_credit(signer.address, amount, "withdraw")
        return signer.send(self.book.functions.withdrawCredit(amount), action="withdraw credit")

    def _require_credit(self, address: Address, amount: int, what: str) -> None:
        credit = self.credit(address)
        if amount > credit:
            raise InsufficientBalance(
                f"cannot {what} {format_units(amount)} REX: {address} has {format_units(credit)} "
                "REX of credit at the RequestBook (deposit first)"
            )

    # ------------------------------------------------------------ requests

    def ask(
        self,
        signer: Transactor,
        model_id: str,
        prompt: str,
        max_fee: int,
        callback: Address | None = None,
        callback_gas: int = 0,
        challenge_window: int | None = None,
        callback_mode: CallbackMode | None = None,
    ) -> RequestView:
        """Request an answer from ``model_id``; escrows the sampled provider's price.

        ``callback`` (an ``IDPromptConsumer`` contract) is called with ``callback_gas`` on
        answer, on finality or both (``callback_mode``; default ``final``, the only answer a
        consumer may act on: see :func:`~rexos.dprompt.views.callback_flags`)."""
        flags = callback_flags(callback, callback_mode)
        checked = self.check_request(model_id, prompt, max_fee, callback_gas, challenge_window)
        self._require_credit(signer.address, checked.price, "pay a fee of")
        data = prompt.encode("utf-8")
        call = self.book.functions.request(
            checked.key,
            keccak(data),
            data,
            max_fee,
            callback or ZERO_ADDRESS,
            callback_gas,
            flags,
            checked.window,
        )
        receipt = signer.send(call, action=f"ask {model_id}")
        return self.requested(receipt)

    def check_request(
        self,
        model_id: str,
        prompt: str,
        max_fee: int,
        callback_gas: int = 0,
        challenge_window: int | None = None,
    ) -> CheckedRequest:
        """What the book would refuse in a request, as one clear error before any
        transaction: an unknown model, a prompt too long, a window or callback gas out of
        bounds, no provider, a price above ``max_fee``."""
        key = model_key(model_id)
        active, max_bytes = read(self.models.functions.requestLimits(key), "model limits")
        if not active:
            raise UsageError(f"unknown model {model_id!r}: not registered or deactivated")
        size = len(prompt.encode("utf-8"))
        if size > max_bytes:
            raise UsageError(f"prompt too long for {model_id}: {size} bytes, at most {max_bytes}")
        p = self.params()
        window = p["minChallengeWindow"] if challenge_window is None else challenge_window
        if not p["minChallengeWindow"] <= window <= p["maxChallengeWindow"]:
            raise UsageError(
                f"challenge window {window}s outside [{p['minChallengeWindow']}, "
                f"{p['maxChallengeWindow']}] seconds"
            )
        if callback_gas > p["maxCallbackGas"]:
            raise UsageError(f"callback gas {callback_gas} above the limit {p['maxCallbackGas']}")
        provider, price = self.quote(model_id)
        if provider == ZERO_ADDRESS:
            raise no_provider_error(model_id)
        if price > max_fee:
            raise UsageError(
                f"fee below price: {provider} asks {format_units(price)} REX for {model_id}, "
                f"max_fee is {format_units(max_fee)} REX"
            )
        return CheckedRequest(key, window, provider, price)

    def requested(self, receipt: Receipt) -> RequestView:
        """The request a transaction posted to the book (its ``Requested`` event)."""
        (event,) = receipt.events(self.book, "Requested")
        return RequestView.from_event(int(event["id"]), event["request"], bytes(event["prompt"]))

    # ------------------------------------------------------------ answers and settlement

    def respond(
        self,
        signer: Transactor,
        view: RequestView,
        output: str,
        receipt_hash: str | bytes,
        commitment: bytes = b"",
    ) -> RequestView:
        """Answer request ``view`` with ``output`` and its receipt hash.

        ``commitment`` (:attr:`~rexos.dprompt.views.Answer.commitment`) is the model
        commitment the receipt binds; it goes with the answer (``respondWithCommitment``)
        for every committee member to check. A model verified by scoring needs it: an answer
        without it is judged invalid."""
        _require_status(view, "open", "answer")
        now = self.now()
        if signer.address != view.provider and now + 1 <= view.deadline:
            raise UsageError(
                f"request {view.id} belongs to its priority provider {view.provider} "
                f"until {view.deadline}"
            )
        data = output.encode("utf-8")
        call = respond_call(self.book, view, data, receipt_hash, commitment)
        receipt = signer.send(call, action=f"respond to request {view.id}")
        (event,) = receipt.events(self.book, "Responded")
        return replace(
            view,
            responder=Address(event["responder"]),
            responded_at=int(event["respondedAt"]),
            status="answered",
            output_hash=keccak(data),
            receipt_hash=bytes(event["receiptHash"]),
            output=output,
            output_bytes=data,
            commitment=bytes(event["commitment"]),
        )

    def finalize(self, signer: Transactor, view: RequestView) -> RequestView:
        """Settle an answered request once its challenge window has closed (anyone may).

        A request whose consumer is called on finality gets the answer as posted (read from
        its ``Responded`` event when ``view`` lacks it), which the book checks and delivers."""
        _require_status(view, "answered", "finalize")
        closes = view.responded_at + view.challenge_window
        if self.now() + 1 <= closes:
            raise UsageError(f"request {view.id}: the challenge window is open until {closes}")
        output = b""
        if view.callback_mode in ("final", "both"):
            if view.output_bytes is None or keccak(view.output_bytes) != view.output_hash:
                view = replace(view, output_bytes=self.get(view.id).output_bytes)
            output = view.output_bytes or b""
        call = self.book.functions.finalize(view.id, view.as_struct(), output)
        signer.send(call, action="finalize")
        return replace(view, status="final")

    def refund(self, signer: Transactor, view: RequestView) -> RequestView:
        """Give an unanswered request's fee back once the take-over grace has passed."""
        _require_status(view, "open", "refund")
        after = view.deadline + self.params()["takeoverGrace"]
        if self.now() + 1 <= after:
            raise UsageError(f"request {view.id} cannot be refunded before {after + 1}")
        signer.send(self.book.functions.refund(view.id, view.as_struct()), action="refund")
        return replace(view, status="refunded")

    # ------------------------------------------------------------ disputes

    def bond(self, view: RequestView) -> int:
        """What challenging ``view`` costs: ``max(minBond, fee × bondMultiplier)``."""
        p = self.params()
        return max(p["minBond"], view.fee * p["bondMultiplier"])

    def challenge(self, signer: Transactor, view: RequestView) -> RequestView:
        """Dispute an answer; the bond comes from the signer's credit. See :meth:`dispute`."""
        _require_status(view, "answered", "challenge")
        closes = view.responded_at + view.challenge_window
        if self.now() + 1 > closes:
            raise UsageError(f"request {view.id}: the challenge window closed at {closes}")
        self._require_credit(signer.address, self.bond(view), "post a bond of")
        call = self.book.functions.challenge(view.id, view.as_struct())
        signer.send(call, action=f"challenge request {view.id}")
        return replace(view, status="challenged")

    def commit(
        self, signer: Transactor, request_id: int, output_hash: str | bytes, salt: bytes
    ) -> Receipt:
        """Commit a committee member's vote (the output hash it re-computed), hidden by ``salt``."""
        dispute = self.dispute(request_id)
        if signer.address not in dispute.committee:
            raise UsageError(f"{signer.address} is not on the committee of request {request_id}")
        c = commitment(output_hash, salt, signer.address)
        return signer.send(self.book.functions.commit(request_id, c), action="commit vote")

    def reveal(
        self, signer: Transactor, request_id: int, output_hash: str | bytes, salt: bytes
    ) -> Receipt:
        """Open a committed vote, after the commit phase and before the reveal phase ends."""
        dispute = self.dispute(request_id)
        if self.now() + 1 <= dispute.commit_end:
            raise UsageError(f"request {request_id}: reveals open after {dispute.commit_end}")
        call = self.book.functions.reveal(
            request_id, as_bytes32(output_hash, "output hash"), as_bytes32(salt, "salt")
        )
        return signer.send(call, action="reveal vote")

    def resolve(self, signer: Transactor, view: RequestView) -> Resolution:
        """Tally a dispute after its reveal phase; slash or keep the responder."""
        _require_status(view, "challenged", "resolve")
        dispute = self.dispute(view.id)
        if self.now() + 1 <= dispute.reveal_end:
            raise UsageError(
                f"request {view.id}: the reveal phase lasts until {dispute.reveal_end}"
            )
        receipt = signer.send(
            self.book.functions.resolve(view.id, view.as_struct()), action="resolve dispute"
        )
        (event,) = receipt.events(self.book, "Resolved")
        outcome = OUTCOMES[int(event["outcome"])]
        status: RequestStatus = "refunded" if outcome == "overturned" else "answered"
        return Resolution(
            request=replace(view, status=status),
            outcome=outcome,
            majority=bytes(event["majority"]),
            slashed=int(event["slashed"]),
        )


def _require_status(view: RequestView, status: RequestStatus, action: str) -> None:
    if view.status != status:
        raise UsageError(f"cannot {action} request {view.id}: it is {view.status}, not {status}")
