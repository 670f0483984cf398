"""Agent Market jobs bought in USD: the ``MarketDesk`` behind the ``market.job`` service.

``market.job`` is priced by the cent of budget: a payer pays as many cents as the job may
hold (in a stablecoin, REX at the discount, or AI points) through the ``FeeRouter``'s
``payAndCall``, and the desk opens the job in the same transaction from its REX float. When
the operator settles (or the job expires and is refunded), :meth:`MarketDesk.settle_up`
turns what the market gave back into the payer's voucher (:mod:`rexos.economy.desk`); the
payer rates the job through the desk.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_abi.abi import encode

from rexos.chain.tx import Receipt, Transactor, reverts_as
from rexos.economy.desk import DeskClient, DeskMethod, Served
from rexos.economy.fees import FeeClient
from rexos.errors import UsageError
from rexos.market.client import MarketClient
from rexos.market.views import JobView
from rexos.types import Address, format_units

__all__ = ["BUY_TYPES", "SERVICE", "DeskJob", "MarketDesk", "buy_data"]

SERVICE = "market.job"
"""The ``FeeRouter`` service the desk serves (one use: one cent of budget)."""

BUY_TYPES = "(bytes32,uint96,uint40)"
"""ABI type of the desk's ``Buy``: spec hash, max price, expiry."""


def buy_data(spec_hash: bytes, max_price: int, expiry: int) -> bytes:
    """The ``data`` of a ``payAndCall`` to the desk: one ABI-encoded ``Buy``."""
    return encode([BUY_TYPES], [(spec_hash, max_price, expiry)])


@dataclass(frozen=True, slots=True)
class DeskJob:
    """A job the desk opened, how many cents of budget paid for it, and how."""

    job_id: int
    units: int
    served: Served


class MarketDesk(DeskClient):
    """The ``MarketDesk`` of one deployment, with its market and its router."""

    def __init__(self, market: MarketClient, fees: FeeClient) -> None:
        super().__init__(fees, "MarketDesk", SERVICE, "rexos market desk-fund")
        self.market = market

    def jobs_of(self, payer: Address) -> list[JobView]:
        """The jobs ``payer`` bought here (from the desk's ``Served`` events), as they are now
        (the market names the desk as their buyer)."""
        with reverts_as("read the market desk's Served events"):
            logs = self.contract.events.Served().get_logs(
                from_block=0, argument_filters={"payer": payer}
            )
        return [self.market.job(int(e["args"]["id"])) for e in logs]

    def held_for(self, job_id: int) -> int:
        """REX wei job ``job_id`` holds for the desk until it is settled up (0: none)."""
        return int(self.contract.functions.heldFor(job_id).call())

    def buy(
        self,
        signer: Transactor,
        spec_hash: bytes,
        max_price: int,
        expiry: int,
        method: DeskMethod,
        *,
        symbol: str = "USDC",
        ref: bytes = bytes(32),
    ) -> DeskJob:
        """Open a job on version ``spec_hash`` holding ``max_price`` until ``expiry``, paid by
        ``method``: its cents through the router, or ``max_price`` of the signer's voucher.
        The market's own checks (listed, price, expiry) are made first."""
        version = self.market.check_job(spec_hash, max_price, expiry)
        listing_id = version.listing_id
        data = buy_data(version.spec_hash, max_price, expiry)
        if method == "voucher":
            held = self.voucher_budget(signer.address)
            if held < max_price:
                raise UsageError(
                    f"your voucher holds {format_units(held)} REX; the job may hold "
                    f"{format_units(max_price)} REX"
                )
            units, budget = 0, max_price
        else:
            units = self.units_for(max_price, method)
            budget = self.budget(units, method)
        served = self.serve(
            signer,
            method,
            data,
            budget=budget,
            units=max(units, 1),
            symbol=symbol,
            ref=ref,
            action=f"buy a job on listing {listing_id} at the market desk",
        )
        return DeskJob(served.id, units, served)

    def settle_up(self, signer: Transactor, job_id: int) -> int:
        """Turn what the market gave back of a settled or refunded desk job into its payer's
        voucher (anyone may send it); returns the REX wei added."""
        if self.payer_of(job_id) is None:
            raise UsageError(f"job {job_id} was not bought at the market desk")
        if self.held_for(job_id) == 0:
            raise UsageError(f"job {job_id} is settled up already")
        job = self.market.job(job_id)
        if job.status == "open":
            raise UsageError(
                f"job {job_id} is still open: its operator settles it, or after {job.expiry} "
                "anyone may refund it (`rexos market refund`)"
            )
        receipt = signer.send(
            self.contract.functions.settleUp(job_id), action=f"settle up job {job_id}"
        )
        return self.returned(receipt)

    def rate(self, signer: Transactor, job_id: int, score: int) -> Receipt:
        """The payer of a settled desk job rates it once, ``score`` in 1..5."""
        payer = self.payer_of(job_id)
        if payer != signer.address:
            raise UsageError(f"only the payer {payer} rates desk job {job_id}")
        job = self.market.job(job_id)
        if job.status != "settled":
            raise UsageError(f"job {job_id} is {job.status}: only settled jobs are rated")
        listing = self.market.listing(job.listing_id)
        if signer.address in (listing.owner, listing.operator):
            raise UsageError("a listing's owner or operator cannot rate it")
        if job.score:
            raise UsageError(f"job {job_id} is already rated")
        if not 1 <= score <= 5:
            raise UsageError(f"score must be 1 to 5, got {score}")
        if job.amount == 0:
            raise UsageError(f"job {job_id} was settled for nothing: unpaid jobs are not rated")
        call = self.contract.functions.rate(job_id, score)
        return signer.send(call, action=f"rate desk job {job_id}")
