"""Client of a ``ServiceDesk``: a REX-priced on-chain service sold for USD through the
``FeeRouter``.

A payer pays the desk's service with ``payAndCall`` (a stablecoin, REX at the discount, or AI
points) and the desk opens what the payer asked (a DPrompt request, an Agent Market job) in
the same transaction from its REX float, spending at most the payment's value at the TWAP.
What is left, and what the book gives back later, is the payer's voucher: REX that buys
later openings at the same desk (:meth:`DeskClient.serve` with ``"voucher"``) and can never
be withdrawn. :mod:`rexos.dprompt.desk` and :mod:`rexos.market.desk` build on this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from web3 import Web3
from web3.contract import Contract

from rexos.chain.artifacts import load_artifact
from rexos.chain.tx import Receipt, Transactor, reverts_as
from rexos.economy.fees import REX_DRIFT_BPS, FeeClient, PayMethod
from rexos.errors import InsufficientBalance, UsageError
from rexos.types import Address, format_units

__all__ = ["DeskClient", "DeskMethod", "Served"]

DeskMethod = PayMethod | Literal["voucher"]
"""How a desk opening is paid: a ``FeeRouter`` method, or the payer's voucher."""

_ZERO = "0x" + "00" * 20


@dataclass(frozen=True, slots=True)
class Served:
    """What a desk opened: its id, how it was paid (``amount`` in the method's base units:
    stablecoin units, REX wei, points with 18 decimals; for a voucher the REX wei taken from
    it), the REX budget, what the opening took, and the receipt."""

    id: int
    method: DeskMethod
    amount: int
    budget: int
    spent: int
    receipt: Receipt

    @property
    def to_voucher(self) -> int:
        """REX wei of the budget the opening left, now in the payer's voucher."""
        return self.budget - self.spent


def _read(fn: Any, what: str) -> Any:
    with reverts_as(f"read {what}"):
        return fn.call()


class DeskClient:
    """One ``ServiceDesk`` of a deployment (``name``: its manifest key and artifact) and the
    ``FeeRouter`` service it serves."""

    def __init__(self, fees: FeeClient, name: str, service: str, fund_hint: str) -> None:
        if name not in fees.manifest.contracts:
            raise UsageError(
                f"this deployment has no {name} (it is deployed with the FeeRouter): pay "
                "from your credit instead"
            )
        self.fees = fees
        self.name = name
        self.service = service
        self._fund_hint = fund_hint
        self.contract: Contract = fees.web3.eth.contract(
            address=Web3.to_checksum_address(fees.manifest.address(name)),
            abi=load_artifact(name).abi,
        )

    # ------------------------------------------------------------ reads

    def budget(self, units: int = 1, method: PayMethod = "stable") -> int:
        """REX wei the desk spends at most on ``units`` uses paid now by ``method``: the REX
        it receives for a REX payment (the discounted price, less the service's shares: the
        discount does not stretch a REX-priced service), else their USD price at the TWAP."""
        service = self.fees.service(self.service)
        if method == "rex":
            paid = self.fees.quote_units(self.service, "rex", units)
            return paid - paid * service.pool_bps // 10_000 - paid * service.treasury_bps // 10_000
        return self.fees.rex_value(service.price_wad * units)

    def units_for(self, rex_wei: int, method: PayMethod = "stable") -> int:
        """Uses of the service whose budget paid by ``method`` covers ``rex_wei``, with
        :data:`REX_DRIFT_BPS` to spare for the average moving before the payment is mined
        (what is not spent goes to the voucher)."""
        per_unit = self.budget(1, method)
        wanted = rex_wei + rex_wei * REX_DRIFT_BPS // 10_000
        units = max(1, -(-wanted // per_unit))
        while self.budget(units, method) < wanted:  # rounding: the contract converts once
            units += 1
        return units

    def voucher(self, address: Address) -> int:
        """REX wei ``address`` may spend here with ``"voucher"``."""
        return int(_read(self.contract.functions.voucherOf(address), "a voucher"))

    def float(self) -> int:
        """REX wei of the desk's float (its credit at the book)."""
        return int(_read(self.contract.functions.float(), f"the {self.name}'s float"))

    def free_float(self) -> int:
        """The float less what it owes as vouchers: what new paid openings may spend."""
        owed = int(_read(self.contract.functions.vouchersOwed(), "the vouchers owed"))
        return max(0, self.float() - owed)

    def payer_of(self, opened_id: int) -> Address | None:
        """Who paid for ``opened_id`` here (``None``: it was not opened here)."""
        payer = _read(self.contract.functions.payerOf(opened_id), "a payer")
        return None if payer == _ZERO else Address(Web3.to_checksum_address(payer))

    # ------------------------------------------------------------ actions

    def serve(
        self,
        signer: Transactor,
        method: DeskMethod,
        data: bytes,
        *,
        budget: int,
        units: int = 1,
        symbol: str = "USDC",
        ref: bytes = bytes(32),
        action: str,
    ) -> Served:
        """Pay by ``method`` and have the desk open ``data`` with ``budget`` REX wei: through
        the router (``units`` uses of the service) or from the signer's voucher (``budget``
        of it). Refused before anything is sent when the float cannot pay."""
        if method == "voucher":
            call = self.contract.functions.spendVoucher(budget, ref, data)
            receipt = signer.send(call, action=action)
            amount = budget
        else:
            if self.free_float() < budget:
                raise UsageError(
                    f"the {self.name}'s float cannot pay {format_units(budget)} REX now: its "
                    f"operator tops it up with `{self._fund_hint}`"
                )
            amount, receipt = self.fees.pay(
                signer, self.service, method, symbol=symbol, ref=ref, data=data, units=units
            )
        (event,) = receipt.events(self.contract, "Served")
        return Served(
            int(event["id"]), method, amount, int(event["budget"]), int(event["spent"]), receipt
        )

    def voucher_budget(self, address: Address) -> int:
        """All of ``address``'s voucher; an error when there is none."""
        held = self.voucher(address)
        if held == 0:
            raise InsufficientBalance(f"{address} has no voucher at the {self.name} to spend")
        return held

    def fund(self, signer: Transactor, amount: int) -> Receipt:
        """Add ``amount`` REX wei of the signer's to the float (approving the desk first)."""
        rex = self.fees.rex
        held = int(_read(rex.functions.balanceOf(signer.address), "REX balance"))
        if amount > held:
            raise InsufficientBalance(
                f"cannot fund {format_units(amount)} REX: {signer.address} holds "
                f"{format_units(held)} REX"
            )
        desk = self.contract.address
        allowance = int(_read(rex.functions.allowance(signer.address, desk), "allowance"))
        if allowance < amount:
            signer.send(rex.functions.approve(desk, amount), action="approve REX")
        return signer.send(self.contract.functions.fund(amount), action=f"fund the {self.name}")

    def returned(self, receipt: Receipt) -> int:
        """REX wei a transaction gave back to a payer's voucher (its ``Returned`` event)."""
        return sum(int(e["amount"]) for e in receipt.events(self.contract, "Returned"))
