"""DPrompt requests bought in USD: the ``DPromptDesk`` behind the ``dprompt.request`` service.

A payer pays the service's USD price through the ``FeeRouter`` (a stablecoin, REX at the
discount, or AI points) with ``payAndCall``; in the same transaction the desk posts the
request to the book from its REX float, spending at most the price's value at the router's
TWAP. What the provider's price leaves, and the fee of a request the book refunds
(:meth:`Desk.reclaim`), become the payer's voucher (:mod:`rexos.economy.desk`).
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_abi.abi import encode

from rexos.chain.tx import Transactor, reverts_as
from rexos.dprompt._base import ZERO_ADDRESS, read
from rexos.dprompt.client import Client
from rexos.dprompt.views import RequestView
from rexos.economy.desk import DeskClient, DeskMethod, Served
from rexos.economy.fees import FeeClient
from rexos.errors import UsageError
from rexos.types import Address, format_units

__all__ = ["ASK_TYPES", "SERVICE", "Desk", "DeskAsk", "ask_data"]

SERVICE = "dprompt.request"
"""The ``FeeRouter`` service the desk serves."""

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
    """A request the desk posted, and how it was paid."""

    request: RequestView
    served: Served

    @property
    def fee(self) -> int:
        """REX wei the provider's price took of the budget."""
        return self.served.spent


class Desk(DeskClient):
    """The ``DPromptDesk`` of one deployment, with its book and its router."""

    def __init__(self, client: Client, fees: FeeClient) -> None:
        super().__init__(fees, "DPromptDesk", SERVICE, "rexos dprompt desk-fund")
        self.client = client

    def reclaimed(self, request_id: int) -> bool:
        """Whether request ``request_id``'s refund is a voucher already."""
        return bool(read(self.contract.functions.reclaimed(request_id), "a reclaim"))

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
        voucher = method == "voucher"
        budget = self.voucher_budget(signer.address) if voucher else self.budget()
        cap = budget if max_fee == 0 else min(max_fee, budget)
        try:
            checked = self.client.check_request(
                model_id, prompt, cap, callback_gas, challenge_window
            )
        except UsageError as e:
            if "fee below price" not in str(e) or cap < budget:
                raise
            _, price = self.client.quote(model_id)
            what = "your voucher" if voucher else f"one {SERVICE} at the TWAP"
            raise UsageError(
                f"{model_id}'s drawn provider asks {format_units(price)} REX; {what} is worth "
                f"{format_units(cap)} REX: pay from your credit instead (`rexos ask` without "
                "--pay-with)"
            ) from None
        data = ask_data(
            checked.key,
            prompt.encode("utf-8"),
            cap,
            callback or ZERO_ADDRESS,
            callback_gas,
            checked.window,
        )
        what = "with a DPrompt voucher" if voucher else "bought at the DPrompt desk"
        served = self.serve(
            signer,
            method,
            data,
            budget=budget,
            symbol=symbol,
            ref=ref,
            action=f"ask {model_id} {what}",
        )
        return DeskAsk(self.client.requested(served.receipt), served)

    def reclaim(self, signer: Transactor, view: RequestView) -> int:
        """Turn the refunded fee of desk request ``view`` into its payer's voucher (anyone
        may send it); returns the REX wei added."""
        if self.payer_of(view.id) is None:
            raise UsageError(f"request {view.id} was not bought at the DPrompt desk")
        if self.reclaimed(view.id):
            raise UsageError(f"request {view.id}'s fee is reclaimed already")
        if view.status != "refunded":
            raise UsageError(
                f"request {view.id} is {view.status}: only a refunded fee can be reclaimed"
            )
        call = self.contract.functions.reclaim(view.id, view.as_struct())
        with reverts_as("reclaim a refunded desk request"):
            receipt = signer.send(call, action=f"reclaim request {view.id}'s fee")
        return self.returned(receipt)
