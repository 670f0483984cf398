"""A pure-Python model of the Agent Market's money: the fee split and the credit book.

It follows ``contracts/src/market/AgentMarket.sol`` rule for rule and is the reference
the tests compare the contract with, to the wei. A refused action raises
:class:`~rexos.errors.UsageError` whose message is the contract's revert string
(``"AgentMarket: NOT_OPEN"``), and changes nothing.

The invariant the contract keeps, and :meth:`MarketModel.liabilities` sums::

    REX held by the market == credits + held by open jobs + developer dues + pool due + treasury due
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rexos.errors import UsageError

__all__ = [
    "BPS",
    "MAX_JOB_DURATION",
    "MAX_POOL_BPS",
    "MAX_PRICE",
    "MAX_SCORE",
    "MAX_TREASURY_BPS",
    "JobState",
    "MarketModel",
    "Split",
    "job_id",
    "split",
]

BPS = 10_000
"""Basis-point denominator of the shares."""
MAX_POOL_BPS = 2_000
"""Most the sREX reward pool may take of a settled price (fixed in the contract)."""
MAX_TREASURY_BPS = 1_000
"""Most the treasury may take of a settled price (fixed in the contract)."""
MAX_JOB_DURATION = 30 * 86_400
"""Longest a job may hold a buyer's credit, seconds."""
MAX_PRICE = 10**27
"""Highest price per use: one billion REX, in wei."""
MAX_SCORE = 5
"""Highest rating score; the lowest is 1."""

JobState = Literal["open", "settled", "refunded"]


@dataclass(frozen=True, slots=True)
class Split:
    """How a settled price is shared, REX wei; the three add up to the price."""

    developer: int
    pool: int
    treasury: int


def split(price: int, pool_bps: int, treasury_bps: int) -> Split:
    """Split ``price`` as the contract does: each protocol share rounded down, the
    developer taking the rest (so the rounding)."""
    if price < 0:
        raise UsageError(f"price must not be negative, got {price}")
    if not (0 <= pool_bps <= MAX_POOL_BPS and 0 <= treasury_bps <= MAX_TREASURY_BPS):
        raise UsageError("AgentMarket: BAD_FEES")
    pool = price * pool_bps // BPS
    treasury = price * treasury_bps // BPS
    return Split(developer=price - pool - treasury, pool=pool, treasury=treasury)


def job_id(listing_id: int, index: int, number: int) -> int:
    """The contract's job id: ``listingId << 64 | versionIndex << 32 | jobNumber``."""
    return listing_id << 64 | index << 32 | number


@dataclass(slots=True)
class _Listing:
    owner: str
    operator: str
    price: int
    specs: list[bytes] = field(default_factory=list)
    listed: bool = True
    settled_value: int = 0
    developer_due: int = 0


@dataclass(slots=True)
class _Version:
    listing_id: int
    index: int
    jobs: int = 0
    settled: int = 0
    settled_value: int = 0
    ratings: int = 0
    rating_weight: int = 0
    weighted_score: int = 0


@dataclass(slots=True)
class _Job:
    buyer: str
    expiry: int
    amount: int
    state: JobState = "open"
    score: int = 0


def _require(condition: bool, reason: str) -> None:
    if not condition:
        raise UsageError(f"AgentMarket: {reason}")


@dataclass
class MarketModel:
    """The market's books, action by action; addresses are plain strings."""

    pool_bps: int
    treasury_bps: int
    credit: dict[str, int] = field(default_factory=dict)
    listings: dict[int, _Listing] = field(default_factory=dict)
    versions: dict[bytes, _Version] = field(default_factory=dict)
    jobs: dict[int, _Job] = field(default_factory=dict)
    pool_due: int = 0
    treasury_due: int = 0

    def __post_init__(self) -> None:
        split(0, self.pool_bps, self.treasury_bps)

    # ------------------------------------------------------------ credit

    def deposit(self, account: str, amount: int) -> None:
        """``amount`` REX moves into ``account``'s credit."""
        _require(amount > 0, "ZERO_AMOUNT")
        self.credit[account] = self.credit.get(account, 0) + amount

    def withdraw(self, account: str, amount: int) -> None:
        """``amount`` of ``account``'s credit leaves the market."""
        _require(amount > 0, "ZERO_AMOUNT")
        self._debit(account, amount)

    def _debit(self, account: str, amount: int) -> None:
        held = self.credit.get(account, 0)
        _require(amount <= held, "INSUFFICIENT_CREDIT")
        self.credit[account] = held - amount  # (a zero debit of an account never credited)

    # ------------------------------------------------------------ listings

    def list(self, owner: str, spec: bytes, operator: str, price: int) -> int:
        """A new listing; returns its id (from 1)."""
        _require(price <= MAX_PRICE, "PRICE_TOO_HIGH")
        self._check_spec(spec)
        listing_id = len(self.listings) + 1
        self.listings[listing_id] = _Listing(owner, operator, price)
        self._append(listing_id, spec)
        return listing_id

    def add_version(self, caller: str, listing_id: int, spec: bytes) -> int:
        """Append ``spec`` to ``listing_id``; returns its index."""
        self._owned(caller, listing_id)
        self._check_spec(spec)
        return self._append(listing_id, spec)

    def set_listed(self, caller: str, listing_id: int, listed: bool) -> None:
        """Open or close a listing to new jobs."""
        self._owned(caller, listing_id).listed = listed

    def set_price(self, caller: str, listing_id: int, price: int) -> None:
        """Set the price per use."""
        _require(price <= MAX_PRICE, "PRICE_TOO_HIGH")
        self._owned(caller, listing_id).price = price

    def set_operator(self, caller: str, listing_id: int, operator: str) -> None:
        """Set the operator."""
        self._owned(caller, listing_id).operator = operator

    def transfer_listing(self, caller: str, listing_id: int, new_owner: str) -> None:
        """Hand the listing over; the unclaimed developer share goes to the caller's credit."""
        listing = self._owned(caller, listing_id)
        self.credit[caller] = self.credit.get(caller, 0) + listing.developer_due
        listing.developer_due = 0
        listing.owner = new_owner

    def _owned(self, caller: str, listing_id: int) -> _Listing:
        listing = self.listings.get(listing_id)
        _require(listing is not None, "UNKNOWN_LISTING")
        assert listing is not None
        _require(listing.owner == caller, "NOT_OWNER")
        return listing

    def _check_spec(self, spec: bytes) -> None:
        _require(spec != bytes(32), "ZERO_SPEC")
        _require(spec not in self.versions, "SPEC_EXISTS")

    def _append(self, listing_id: int, spec: bytes) -> int:
        listing = self.listings[listing_id]
        index = len(listing.specs)
        listing.specs.append(spec)
        self.versions[spec] = _Version(listing_id, index)
        return index

    # ------------------------------------------------------------ jobs

    def open_job(self, buyer: str, spec: bytes, max_price: int, expiry: int, now: int) -> int:
        """Hold ``max_price`` of ``buyer``'s credit for a job on ``spec``; returns its id.
        ``now`` is the block timestamp."""
        version = self.versions.get(spec)
        _require(version is not None, "UNKNOWN_SPEC")
        assert version is not None
        listing = self.listings[version.listing_id]
        _require(listing.listed, "DELISTED")
        _require(max_price >= listing.price, "BELOW_PRICE")
        _require(now < expiry <= now + MAX_JOB_DURATION, "BAD_EXPIRY")
        self._debit(buyer, max_price)
        version.jobs += 1
        jid = job_id(version.listing_id, version.index, version.jobs)
        self.jobs[jid] = _Job(buyer, expiry, max_price)
        return jid

    def settle(self, caller: str, jid: int, price: int, now: int) -> Split:
        """The operator settles job ``jid`` for ``price``; returns the split."""
        job = self.jobs.get(jid)
        _require(job is not None and job.state == "open", "NOT_OPEN")
        assert job is not None
        listing = self.listings[jid >> 64]
        _require(caller == listing.operator, "NOT_OPERATOR")
        _require(now <= job.expiry, "EXPIRED")
        _require(price <= job.amount, "ABOVE_MAX")
        self.credit[job.buyer] = self.credit.get(job.buyer, 0) + job.amount - price
        job.amount, job.state = price, "settled"
        version = self.versions[listing.specs[(jid >> 32) & 0xFFFFFFFF]]
        version.settled += 1
        version.settled_value += price
        shares = split(price, self.pool_bps, self.treasury_bps)
        listing.settled_value += price
        listing.developer_due += shares.developer
        self.pool_due += shares.pool
        self.treasury_due += shares.treasury
        return shares

    def refund(self, jid: int, now: int) -> int:
        """Anyone refunds an expired open job; returns the amount back in credit."""
        job = self.jobs.get(jid)
        _require(job is not None and job.state == "open", "NOT_OPEN")
        assert job is not None
        _require(now > job.expiry, "NOT_EXPIRED")
        job.state = "refunded"
        self.credit[job.buyer] = self.credit.get(job.buyer, 0) + job.amount
        return job.amount

    def rate(self, caller: str, jid: int, score: int) -> int:
        """The buyer rates a settled job; returns the rating's weight (the price paid)."""
        job = self.jobs.get(jid)
        _require(job is not None and job.state == "settled", "NOT_SETTLED")
        assert job is not None
        _require(caller == job.buyer, "NOT_BUYER")
        listing = self.listings[jid >> 64]
        _require(caller not in (listing.owner, listing.operator), "SELF_RATING")
        _require(job.score == 0, "ALREADY_RATED")
        _require(1 <= score <= MAX_SCORE, "BAD_SCORE")
        _require(job.amount > 0, "UNPAID")
        job.score = score
        version = self.versions[listing.specs[(jid >> 32) & 0xFFFFFFFF]]
        version.ratings += 1
        version.rating_weight += job.amount
        version.weighted_score += job.amount * score
        return job.amount

    # ------------------------------------------------------------ payouts

    def claim(self, listing_id: int) -> tuple[str, int]:
        """Pay the listing's owner its developer share; returns (owner, amount)."""
        listing = self.listings.get(listing_id)
        _require(listing is not None, "UNKNOWN_LISTING")
        assert listing is not None
        _require(listing.developer_due != 0, "NOTHING_TO_CLAIM")
        amount, listing.developer_due = listing.developer_due, 0
        return listing.owner, amount

    def distribute(self) -> tuple[int, int]:
        """Send the protocol shares out; returns (pool, treasury)."""
        _require(self.pool_due != 0 or self.treasury_due != 0, "NOTHING_TO_DISTRIBUTE")
        paid = (self.pool_due, self.treasury_due)
        self.pool_due = self.treasury_due = 0
        return paid

    def set_fees(self, pool_bps: int, treasury_bps: int) -> None:
        """Move the protocol shares within the fixed bounds."""
        split(0, pool_bps, treasury_bps)
        self.pool_bps, self.treasury_bps = pool_bps, treasury_bps

    # ------------------------------------------------------------ sums

    def held(self) -> int:
        """REX held by open jobs."""
        return sum(j.amount for j in self.jobs.values() if j.state == "open")

    def liabilities(self) -> int:
        """Everything the market owes: its REX balance must equal this."""
        dues = sum(listing.developer_due for listing in self.listings.values())
        return sum(self.credit.values()) + self.held() + dues + self.pool_due + self.treasury_due
