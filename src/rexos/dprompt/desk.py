"""DPrompt requests bought in USD: the ``DPromptDesk`` behind the ``dprompt.request`` service.

``dprompt.request`` is priced by the cent of budget: a payer pays as many cents as the
request may cost (enough for the dearest active provider of the model, by default) through
the ``FeeRouter`` (a stablecoin, REX at the discount, or AI points) with ``payAndCall``; in
the same transaction the desk posts the request to the book from its REX float, spending at
most the payment's value at the router's TWAP. What the provider's price leaves, and the fee
of a request the book refunds (:meth:`Desk.reclaim`), become the payer's voucher
(:mod:`rexos.economy.desk`).
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_abi.abi import encode

from rexos.chain.tx import Transactor, reverts_as
from rexos.dprompt._base import ZERO_ADDRESS, read
from rexos.dprompt.client import CheckedRequest, Client
from rexos.dprompt.views import CallbackMode, RequestView, callback_flags
from rexos.economy.desk import DeskClient, DeskMethod, Served
from rexos.economy.fees import FeeClient
from rexos.errors import UsageError
from rexos.types import Address, format_units

__all__ = ["ASK_TYPES", "SERVICE", "Desk", "DeskAsk", "DeskPlan", "ask_data"]

SERVICE = "dprompt.request"
"""The ``FeeRouter`` service the desk serves (one use: one cent of the request's budget)."""

ASK_TYPES = "(bytes32,bytes,uint96,address,uint32,uint8,uint32)"
"""ABI type of the desk's ``Ask``: model key, prompt, max fee, callback, callback gas,
callback mode (``IDPromptConsumer`` flags), challenge window."""


def ask_data(
    key: bytes,
    prompt: bytes,
    max_fee: int,
    callback: Address,
    callback_gas: int,
    window: int,
    callback_mode: int = 0,
) -> bytes:
    """The ``data`` of a ``payAndCall`` to the desk: one ABI-encoded ``Ask``
    (``callback_mode``: the flags, see :func:`~rexos.dprompt.views.callback_flags`)."""
    fields = (key, prompt, max_fee, callback, callback_gas, callback_mode, window)
    return encode([ASK_TYPES], [fields])


@dataclass(frozen=True, slots=True)
class DeskPlan:
    """A request to buy: how, the cents of ``dprompt.request`` (0 for a voucher), the REX
    budget they buy at the TWAP (or the voucher spent), the cap on the provider's price, and
    the request as the book would take it."""

    method: DeskMethod
    units: int
    budget: int
    cap: int
    checked: CheckedRequest


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

    def plan(
        self,
        payer: Address,
        model_id: str,
        prompt: str,
        method: DeskMethod,
        max_fee: int = 0,
        callback_gas: int = 0,
        challenge_window: int | None = None,
    ) -> DeskPlan:
        """What a request bought by ``method`` would take, before anything is signed: the
        cents of ``dprompt.request`` (enough for ``max_fee``, or else for the dearest active
        provider of the model, at the TWAP) or the payer's whole voucher, and the cap on the
        provider's price. One clear error for what the book or the desk would refuse."""
        if method == "voucher":
            budget = self.voucher_budget(payer)
            units, cap = 0, budget if max_fee == 0 else min(max_fee, budget)
        else:
            cap = max_fee or max(1, self.client.price_ceiling(model_id))
            units = self.units_for(cap, method)
            budget = self.budget(units, method)
        try:
            checked = self.client.check_request(
                model_id, prompt, cap, callback_gas, challenge_window
            )
        except UsageError as e:
            if "fee below price" not in str(e) or method != "voucher" or cap < budget:
                raise
            _, price = self.client.quote(model_id)
            raise UsageError(
                f"{model_id}'s drawn provider asks {format_units(price)} REX; your voucher holds "
                f"{format_units(budget)} REX: pay in USD or from your credit instead"
            ) from None
        return DeskPlan(method, units, budget, cap, checked)

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
        callback_mode: CallbackMode | None = None,
        challenge_window: int | None = None,
        ref: bytes = bytes(32),
        plan: DeskPlan | None = None,
    ) -> DeskAsk:
        """Post a request bought by ``method`` (:meth:`plan`, unless one made just before
        is given): the cents through the router, or the signer's voucher. ``max_fee`` caps
        the provider's price (0: the dearest active provider's). ``callback`` is called on
        answer, on finality or both (``callback_mode``, default ``final``). Refused before any
        transaction when the float cannot pay."""
        flags = callback_flags(callback, callback_mode)
        if plan is None or plan.method != method:
            plan = self.plan(
                signer.address, model_id, prompt, method, max_fee, callback_gas, challenge_window
            )
        checked = plan.checked
        data = ask_data(
            checked.key,
            prompt.encode("utf-8"),
            plan.cap,
            callback or ZERO_ADDRESS,
            callback_gas,
            checked.window,
            flags,
        )
        what = "with a DPrompt voucher" if method == "voucher" else "bought at the DPrompt desk"
        served = self.serve(
            signer,
            method,
            data,
            budget=plan.budget,
            units=max(plan.units, 1),
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
