"""What the Agent Market's views return, as typed values (amounts in REX wei)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from rexos.types import Address

__all__ = ["FeeView", "JobStatus", "JobView", "ListingView", "VersionView"]

JobStatus = Literal["none", "open", "settled", "refunded"]
_STATUSES: tuple[JobStatus, ...] = ("none", "open", "settled", "refunded")


@dataclass(frozen=True, slots=True)
class ListingView:
    """A listing: who owns and runs it, its price, its versions and its totals."""

    listing_id: int
    owner: Address
    operator: Address
    price: int
    versions: int
    listed: bool
    settled_value: int
    developer_due: int

    @classmethod
    def from_tuple(cls, listing_id: int, raw: Any) -> ListingView:
        owner, operator, price, versions, listed, settled, due = raw
        return cls(
            listing_id,
            Address(owner),
            Address(operator),
            int(price),
            int(versions),
            bool(listed),
            int(settled),
            int(due),
        )


@dataclass(frozen=True, slots=True)
class VersionView:
    """One version's running totals."""

    spec_hash: bytes
    listing_id: int
    index: int
    jobs: int
    settled: int
    settled_value: int
    ratings: int
    rating_weight: int
    weighted_score: int

    @classmethod
    def from_tuple(cls, spec_hash: bytes, raw: Any) -> VersionView:
        return cls(bytes(spec_hash), *(int(v) for v in raw))

    @property
    def average_score(self) -> tuple[int, int]:
        """The price-weighted average score as a fraction ``(numerator, denominator)``
        (``(0, 0)`` with no rating); no float is made here."""
        return self.weighted_score, self.rating_weight


@dataclass(frozen=True, slots=True)
class JobView:
    """One job: its buyer, expiry, held amount (the price paid once settled), status, score."""

    job_id: int
    buyer: Address
    expiry: int
    amount: int
    status: JobStatus
    score: int

    @property
    def listing_id(self) -> int:
        return self.job_id >> 64

    @property
    def version_index(self) -> int:
        return (self.job_id >> 32) & 0xFFFFFFFF

    @classmethod
    def from_tuple(cls, job_id: int, raw: Any) -> JobView:
        buyer, expiry, amount, status, score = raw
        return cls(
            job_id, Address(buyer), int(expiry), int(amount), _STATUSES[int(status)], int(score)
        )


@dataclass(frozen=True, slots=True)
class FeeView:
    """The protocol shares (bps) and what has accrued to them, undistributed."""

    pool_bps: int
    treasury_bps: int
    pool_due: int
    treasury_due: int
