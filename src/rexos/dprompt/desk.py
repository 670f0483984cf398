"""DPrompt requests bought in USD: the ``DPromptDesk`` behind the ``dprompt.request`` service.

A payer pays the service's USD price through the ``FeeRouter`` (a stablecoin, REX at the
discount, or AI points) with ``payAndCall``; in the same transaction the desk posts the
request to the book from its REX float, spending at most the price's value at the router's
TWAP. What the provider's price leaves, and the fee of a request the book refunds
(:meth:`Desk.reclaim`), become the payer's voucher: REX spendable on later requests here
(:meth:`Desk.ask` with ``"voucher"``), never withdrawable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from eth_abi.abi import encode
from web3.contract import Contract

from rexos.chain.tx import Receipt, Transactor, reverts_as
from rexos.dprompt._base import ZERO_ADDRESS, bind, read
from rexos.dprompt.client import Client
from rexos.dprompt.views import RequestView
from rexos.economy.fees import FeeClient, PayMethod
from rexos.errors import InsufficientBalance, UsageError
from rexos.types import Address, format_units

__all__ = ["ASK_TYPES", "SERVICE", "Desk", "DeskAsk", "DeskMethod", "ask_data"]

SERVICE = "dprompt.request"
"""The ``FeeRouter`` service the desk serves."""

DeskMethod = PayMethod | Literal["voucher"]
"""How a desk request is paid: a ``FeeRouter`` method, or the payer's voucher."""

ASK_TYPES = "(bytes32,bytes,uint96,address,uint32,uint32)"
"""ABI type of the desk's ``Ask``: model key, prompt, max fee, callback, callback gas,
challenge window."""


def ask_data(
    key: bytes, prompt: bytes, max_fee: int, callback: Address, callback_gas: int, window: int
) -> bytes:
    """The ``data`` of a ``payAndCall`` to the desk: one ABI-encoded ``Ask``."""
    return encode([ASK_TYPES], [(key, prompt, max_fee, callback, callback_gas, window)])


@dataclass(frozen=True, slots=True)
class DeskAsk:
    """A request the desk posted: the request, how it was paid (``amount`` in the method's
    base units: stablecoin units, REX wei, points with 18 decimals; for a voucher the REX
    wei taken from it), the REX budget, the provider's fee, and what went to the voucher."""

    request: RequestView
    method: DeskMethod
    amount: int
    budget: int
    fee: int

    @property
    def to_voucher(self) -> int:
        """REX wei of the budget the fee left, now in the payer's voucher."""
        return self.budget - self.fee


class Desk:
    """The ``DPromptDesk`` of one deployment, with its book and its router."""

    def __init__(self, client: Client, fees: FeeClient) -> None:
        self.client = client
        self.fees = fees
        self.contract: Contract = bind(
            client.web3, "DPromptDesk", client.manifest.address("DPromptDesk")
        )

    # ------------------------------------------------------------ reads

    def budget(self) -> int:
        """REX wei the desk spends at most on one paid request: the service's USD price at
        the TWAP, without the REX discount."""
        return self.fees.rex_value(self.fees.service(SERVICE).price_wad)

    def voucher(self, address: Address) -> int:
        """REX wei ``address`` may spend here with ``"voucher"``."""
        return int(read(self.contract.functions.voucherOf(address), "a voucher"))

    def float(self) -> int:
        """REX wei of the desk's float (its credit at the book)."""
        return int(read(self.contract.functions.float(), "the desk's float"))

    def free_float(self) -> int:
        """The float less what it owes as vouchers: what new paid requests may spend."""
        owed = int(read(self.contract.functions.vouchersOwed(), "the vouchers owed"))
        return max(0, self.float() - owed)

    def payer_of(self, request_id: int) -> Address | None:
        """Who paid for request ``request_id`` here (``None``: not a desk request, or its
        refund is reclaimed)."""
        payer = Address(read(self.contract.functions.payerOf(request_id), "a request's payer"))
        return None if payer == ZERO_ADDRESS else payer

    # ------------------------------------------------------------ requests

    def ask(
        self,
        signer: Transactor,
        model_id: str,
        prompt: str,
        method: DeskMethod,
        *,
        symbol: str = "USDC",
        max_fee: int = 0,
        callback: Address | None = None,
        callback_gas: int = 0,
        challenge_window: int | None = None,
        ref: bytes = bytes(32),
    ) -> DeskAsk:
        """Post a request paid by ``method``: the service's price through the router, or
        the signer's voucher (all of it, at most). ``max_fee`` caps the provider's price
        further (0: the whole budget). Refused before any transaction when the drawn
        provider's price exceeds the budget or the float cannot pay it."""
        budget = self.voucher(signer.address) if method == "voucher" else self.budget()
        if method == "voucher" and budget == 0:
            raise InsufficientBalance(f"{signer.address} has no DPrompt voucher to spend")
        cap = budget if max_fee == 0 else min(max_fee, budget)
        try:
            checked = self.client.check_request(
                model_id, prompt, cap, callback_gas, challenge_window
            )
        except UsageError as e:
            if "fee below price" not in str(e) or cap < budget:
                raise
            _, price = self.client.quote(model_id)
            what = "your voucher" if method == "voucher" else f"one {SERVICE} at the TWAP"
            raise UsageError(
                f"{model_id}'s drawn provider asks {format_units(price)} REX; {what} is worth "
                f"{format_units(cap)} REX: pay from your credit instead (`rexos ask` without "
                "--pay-with)"
            ) from None
        if method != "voucher" and self.free_float() < budget:
            raise UsageError(
                "the DPrompt desk's float cannot pay another request now: its operator "
                "tops it up with `rexos dprompt desk-fund`"
            )
        data = ask_data(
            checked.key,
            prompt.encode("utf-8"),
            cap,
            callback or ZERO_ADDRESS,
            callback_gas,
            checked.window,
        )
        if method == "voucher":
            call = self.contract.functions.askWithVoucher(budget, ref, data)
            receipt = signer.send(call, action=f"ask {model_id} with a DPrompt voucher")
            amount = budget
        else:
            amount, receipt = self.fees.pay(
                signer, SERVICE, method, symbol=symbol, ref=ref, data=data
            )
        return self._asked(receipt, method, amount)

    def _asked(self, receipt: Receipt, method: DeskMethod, amount: int) -> DeskAsk:
        (event,) = receipt.events(self.contract, "Asked")
        return DeskAsk(
            request=self.client.requested(receipt),
            method=method,
            amount=amount,
            budget=int(event["budget"]),
            fee=int(event["fee"]),
        )

    def reclaim(self, signer: Transactor, view: RequestView) -> int:
        """Turn the refunded fee of desk request ``view`` into its payer's voucher (anyone
        may send it); returns the REX wei added."""
        payer = self.payer_of(view.id)
        if payer is None:
            raise UsageError(
                f"request {view.id} was not bought at the DPrompt desk, or is reclaimed already"
            )
        if view.status != "refunded":
            raise UsageError(
                f"request {view.id} is {view.status}: only a refunded fee can be reclaimed"
            )
        call = self.contract.functions.reclaim(view.id, view.as_struct())
        with reverts_as("reclaim a refunded desk request"):
            receipt = signer.send(call, action=f"reclaim request {view.id}'s fee")
        (event,) = receipt.events(self.contract, "Reclaimed")
        return int(event["fee"])

    def fund(self, signer: Transactor, amount: int) -> Receipt:
        """Add ``amount`` REX wei of the signer's to the float (approving the desk first)."""
        rex = self.client.rex
        held = int(read(rex.functions.balanceOf(signer.address), "REX balance"))
        if amount > held:
            raise InsufficientBalance(
                f"cannot fund {format_units(amount)} REX: {signer.address} holds "
                f"{format_units(held)} REX"
            )
        desk = self.contract.address
        allowance = int(read(rex.functions.allowance(signer.address, desk), "allowance"))
        if allowance < amount:
            signer.send(rex.functions.approve(desk, amount), action="approve REX")
        return signer.send(self.contract.functions.fund(amount), action="fund the DPrompt desk")
