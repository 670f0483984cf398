"""Client of the Agent Market: credit, listings, jobs, ratings and payouts.

Every action is pre-checked against the chain so the common mistakes (no credit, a
price below the listing's, an expired job, a rating by someone who did not pay) raise
one clear :mod:`rexos.errors` error before any transaction is built; the contract
checks them all again. Amounts are integers in REX wei.
"""

from __future__ import annotations

from typing import Any

from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract

from rexos.chain.artifacts import load_artifact
from rexos.chain.manifest import Manifest
from rexos.chain.tx import Receipt, Transactor, reverts_as
from rexos.errors import InsufficientBalance, UsageError
from rexos.market.model import MAX_JOB_DURATION, MAX_PRICE, MAX_SCORE
from rexos.market.views import FeeView, JobView, ListingView, VersionView
from rexos.types import Address, format_units

__all__ = ["MarketClient", "as_spec_hash"]


def as_spec_hash(value: str | bytes) -> bytes:
    """A spec hash as 32 bytes, from bytes or 0x-hex; anything else is a :class:`UsageError`."""
    raw = value
    if isinstance(value, str):
        try:
            raw = bytes.fromhex(value.removeprefix("0x"))
        except ValueError as exc:
            raise UsageError(f"spec hash is not hex: {value!r}") from exc
    if not isinstance(raw, bytes) or len(raw) != 32:
        raise UsageError("a spec hash is 32 bytes")
    if raw == bytes(32):
        raise UsageError("the zero hash is not a spec hash")
    return raw


def _read(fn: Any, what: str) -> Any:
    with reverts_as(f"read {what}"):
        return fn.call()


class MarketClient:
    """The ``AgentMarket`` of one deployment."""

    def __init__(self, web3: Web3, manifest: Manifest) -> None:
        self.web3 = web3
        self.manifest = manifest
        self.rex = self._bind("RexToken", manifest.address("RexToken"))
        self.market = self._bind("AgentMarket", manifest.address("AgentMarket"))

    def _bind(self, name: str, address: str) -> Contract:
        return self.web3.eth.contract(
            address=Web3.to_checksum_address(address), abi=load_artifact(name).abi
        )

    # ------------------------------------------------------------ reads

    def now(self) -> int:
        """Timestamp of the latest block."""
        with reverts_as("read the latest block"):
            return int(self.web3.eth.get_block("latest")["timestamp"])

    def credit(self, account: Address) -> int:
        """REX wei of ``account``'s credit not held by open jobs."""
        return int(_read(self.market.functions.creditOf(account), "market credit"))

    def listing(self, listing_id: int) -> ListingView:
        """Listing ``listing_id``; a :class:`UsageError` when there is none."""
        raw = _read(self.market.functions.listingOf(listing_id), "listing")
        view = ListingView.from_tuple(listing_id, raw)
        if view.versions == 0:
            raise UsageError(f"no market listing {listing_id}")
        return view

    def listing_count(self) -> int:
        """Number of listings ever made (ids run from 1)."""
        return int(_read(self.market.functions.listingCount(), "listing count"))

    def versions(self, listing_id: int) -> list[bytes]:
        """The spec hashes of ``listing_id``'s versions, oldest first."""
        count = self.listing(listing_id).versions
        return [
            bytes(_read(self.market.functions.specAt(listing_id, i), "version"))
            for i in range(count)
        ]

    def version(self, spec_hash: str | bytes) -> VersionView:
        """Running totals of version ``spec_hash``; a :class:`UsageError` when unknown."""
        spec = as_spec_hash(spec_hash)
        view = VersionView.from_tuple(spec, _read(self.market.functions.versionOf(spec), "version"))
        if view.listing_id == 0:
            raise UsageError(f"no market version with spec hash 0x{spec.hex()}")
        return view

    def job(self, job_id: int) -> JobView:
        """Job ``job_id``; a :class:`UsageError` when there is none."""
        view = JobView.from_tuple(job_id, _read(self.market.functions.jobOf(job_id), "job"))
        if view.status == "none":
            raise UsageError(f"no market job {job_id}")
        return view

    def listings(self) -> list[ListingView]:
        """Every listing, by id (delisted ones included)."""
        return [self.listing(i) for i in range(1, self.listing_count() + 1)]

    def jobs_of(self, buyer: Address, *, from_block: int = 0) -> list[JobView]:
        """The jobs ``buyer`` opened (from the ``JobOpened`` events), as they are now."""
        with reverts_as("read JobOpened events"):
            logs = self.market.events.JobOpened().get_logs(
                from_block=from_block, argument_filters={"buyer": buyer}
            )
        return [self.job(int(e["args"]["jobId"])) for e in logs]

    def fees(self) -> FeeView:
        """The protocol shares and their undistributed accruals."""
        return FeeView(*(int(v) for v in _read(self.market.functions.fees(), "market fees")))

    # ------------------------------------------------------------ credit

    def deposit(self, signer: Transactor, amount: int) -> Receipt:
        """Approve (if needed) and move ``amount`` REX wei into the signer's credit."""
        self._require_balance(signer.address, amount)
        allowance = int(
            _read(self.rex.functions.allowance(signer.address, self.market.address), "allowance")
        )
        if allowance < amount:
            signer.send(
                self.rex.functions.approve(self.market.address, amount), action="approve REX"
            )
        return signer.send(self.market.functions.deposit(amount), action="deposit market credit")

    def deposit_with_permit(
        self, signer: Transactor, owner: LocalAccount, amount: int, deadline: int
    ) -> Receipt:
        """Deposit with an ERC-2612 permit that ``owner`` (the signer's account) signs here."""
        if Address(owner.address) != signer.address:
            raise UsageError("the permit must be signed by the account that deposits")
        self._require_balance(signer.address, amount)
        nonce = int(_read(self.rex.functions.nonces(owner.address), "permit nonce"))
        name = str(_read(self.rex.functions.name(), "token name"))
        typed = {
            "types": {
                "EIP712Domain": [
                    {"name": "name", "type": "string"},
                    {"name": "version", "type": "string"},
                    {"name": "chainId", "type": "uint256"},
                    {"name": "verifyingContract", "type": "address"},
                ],
                "Permit": [
                    {"name": "owner", "type": "address"},
                    {"name": "spender", "type": "address"},
                    {"name": "value", "type": "uint256"},
                    {"name": "nonce", "type": "uint256"},
                    {"name": "deadline", "type": "uint256"},
                ],
            },
            "primaryType": "Permit",
            "domain": {
                "name": name,
                "version": "1",
                "chainId": self.web3.eth.chain_id,
                "verifyingContract": self.rex.address,
            },
            "message": {
                "owner": owner.address,
                "spender": self.market.address,
                "value": amount,
                "nonce": nonce,
                "deadline": deadline,
            },
        }
        sig = owner.sign_message(encode_typed_data(full_message=typed))
        call = self.market.functions.depositWithPermit(
            amount, deadline, sig.v, sig.r.to_bytes(32, "big"), sig.s.to_bytes(32, "big")
        )
        return signer.send(call, action="deposit market credit with a permit")

    def withdraw_credit(self, signer: Transactor, amount: int) -> Receipt:
        """Take ``amount`` REX wei of unused credit back to the signer's wallet."""
        self._require_credit(signer.address, amount, "withdraw")
        return signer.send(self.market.functions.withdrawCredit(amount), action="withdraw credit")

    def _require_balance(self, address: Address, amount: int) -> None:
        if amount <= 0:
            raise UsageError(f"deposit must be positive, got {amount}")
        balance = int(_read(self.rex.functions.balanceOf(address), "REX balance"))
        if amount > balance:
            raise InsufficientBalance(
                f"cannot deposit {format_units(amount)} REX: {address} holds "
                f"{format_units(balance)} REX"
            )

    def _require_credit(self, address: Address, amount: int, what: str) -> None:
        if amount <= 0:
            raise UsageError(f"amount must be positive, got {amount}")
        credit = self.credit(address)
        if amount > credit:
            raise InsufficientBalance(
                f"cannot {what} {format_units(amount)} REX: {address} has "
                f"{format_units(credit)} REX of market credit (deposit first)"
            )

    # ------------------------------------------------------------ listings

    def list_agent(
        self, signer: Transactor, spec_hash: str | bytes, operator: Address, price: int
    ) -> int:
        """List an agent owned by the signer; returns the listing id."""
        receipt = signer.send(self.list_call(spec_hash, operator, price), action="list an agent")
        return self.listed(receipt)

    def list_call(self, spec_hash: str | bytes, operator: Address, price: int) -> Any:
        """The checked ``list`` call (not sent): for a caller that shows the exact
        transaction before a person confirms it (the Studio page)."""
        spec = self._new_spec(spec_hash)
        _check_price(price)
        return self.market.functions.list(spec, operator, price)

    def listed(self, receipt: Receipt) -> int:
        """The id of the listing ``receipt``'s transaction made."""
        (event,) = receipt.events(self.market, "Listed")
        return int(event["listingId"])

    def add_version(self, signer: Transactor, listing_id: int, spec_hash: str | bytes) -> int:
        """Append a version to a listing the signer owns; returns its index."""
        call = self.add_version_call(signer.address, listing_id, spec_hash)
        return self.version_added(signer.send(call, action="add a version"))

    def add_version_call(self, owner: Address, listing_id: int, spec_hash: str | bytes) -> Any:
        """The checked ``addVersion`` call from ``owner`` (not sent)."""
        self._require_owner(owner, listing_id)
        return self.market.functions.addVersion(listing_id, self._new_spec(spec_hash))

    def version_added(self, receipt: Receipt) -> int:
        """The index of the version ``receipt``'s transaction added."""
        (event,) = receipt.events(self.market, "VersionAdded")
        return int(event["index"])

    def set_price(self, signer: Transactor, listing_id: int, price: int) -> Receipt:
        """Set the price per use of a listing the signer owns."""
        self._require_owner(signer, listing_id)
        _check_price(price)
        return signer.send(self.market.functions.setPrice(listing_id, price), action="set price")

    def set_operator(self, signer: Transactor, listing_id: int, operator: Address) -> Receipt:
        """Set the operator of a listing the signer owns."""
        self._require_owner(signer, listing_id)
        call = self.market.functions.setOperator(listing_id, operator)
        return signer.send(call, action="set operator")

    def set_listed(self, signer: Transactor, listing_id: int, listed: bool) -> Receipt:
        """Open (``True``) or close a listing to new jobs; open jobs are not affected."""
        self._require_owner(signer, listing_id)
        call = self.market.functions.setListed(listing_id, listed)
        return signer.send(call, action="relist" if listed else "delist")

    def transfer_listing(self, signer: Transactor, listing_id: int, new_owner: Address) -> Receipt:
        """Hand a listing to ``new_owner``; the unclaimed developer share goes to the
        signer's credit."""
        self._require_owner(signer, listing_id)
        call = self.market.functions.transferListing(listing_id, new_owner)
        return signer.send(call, action="transfer listing")

    def _require_owner(self, owner: Transactor | Address, listing_id: int) -> ListingView:
        who = owner if isinstance(owner, str) else owner.address
        listing = self.listing(listing_id)
        if listing.owner != who:
            raise UsageError(f"listing {listing_id} belongs to {listing.owner}, not {who}")
        return listing

    def _new_spec(self, spec_hash: str | bytes) -> bytes:
        spec = as_spec_hash(spec_hash)
        if int(_read(self.market.functions.versionOf(spec), "version")[0]) != 0:
            raise UsageError(f"spec hash 0x{spec.hex()} is already listed")
        return spec

    # ------------------------------------------------------------ jobs

    def open_job(
        self, signer: Transactor, spec_hash: str | bytes, max_price: int, expiry: int
    ) -> int:
        """Open a job on version ``spec_hash``, holding ``max_price`` of credit until
        ``expiry``; returns the job id."""
        version = self.check_job(spec_hash, max_price, expiry)
        self._require_credit(signer.address, max_price, "hold")
        call = self.market.functions.openJob(version.spec_hash, max_price, expiry)
        receipt = signer.send(call, action="open a job")
        (event,) = receipt.events(self.market, "JobOpened")
        return int(event["jobId"])

    def check_job(self, spec_hash: str | bytes, max_price: int, expiry: int) -> VersionView:
        """What the market would refuse in a new job, as one clear error before any
        transaction (a delisted listing, a maximum below the price, an expiry out of range);
        returns the version."""
        version = self.version(spec_hash)
        listing = self.listing(version.listing_id)
        if not listing.listed:
            raise UsageError(f"listing {listing.listing_id} is delisted: no new jobs")
        if max_price < listing.price:
            raise UsageError(
                f"max price {format_units(max_price)} REX is below the price per use "
                f"{format_units(listing.price)} REX"
            )
        now = self.now()
        if not now + 1 < expiry <= now + MAX_JOB_DURATION:
            raise UsageError(f"expiry {expiry} must lie after the next block and within 30 days")
        return version

    def settle(
        self, signer: Transactor, job_id: int, price: int, response_hash: str | bytes
    ) -> Receipt:
        """The operator settles job ``job_id`` for ``price`` (≤ its maximum)."""
        job = self._require_open(job_id, "settle")
        operator = self.listing(job.listing_id).operator
        if signer.address != operator:
            raise UsageError(f"only the listing's operator {operator} settles job {job_id}")
        if self.now() + 1 > job.expiry:
            raise UsageError(f"job {job_id} expired at {job.expiry}: it can only be refunded")
        if not 0 <= price <= job.amount:
            raise UsageError(
                f"price {format_units(price)} REX outside [0, {format_units(job.amount)}] REX"
            )
        response = as_spec_hash(response_hash)
        call = self.market.functions.settle(job_id, price, response)
        return signer.send(call, action=f"settle job {job_id}")

    def refund(self, signer: Transactor, job_id: int) -> Receipt:
        """Return an expired, unsettled job's held credit to its buyer (anyone may)."""
        job = self._require_open(job_id, "refund")
        if self.now() + 1 <= job.expiry:
            raise UsageError(f"job {job_id} cannot be refunded before {job.expiry + 1}")
        return signer.send(self.market.functions.refund(job_id), action=f"refund job {job_id}")

    def rate(self, signer: Transactor, job_id: int, score: int) -> Receipt:
        """The buyer of a settled, paid job rates it once, ``score`` in 1..5."""
        job = self.job(job_id)
        if job.status != "settled":
            raise UsageError(f"job {job_id} is {job.status}: only settled jobs are rated")
        if signer.address != job.buyer:
            raise UsageError(f"only the buyer {job.buyer} rates job {job_id}")
        listing = self.listing(job.listing_id)
        if signer.address in (listing.owner, listing.operator):
            raise UsageError("a listing's owner or operator cannot rate it")
        if job.score:
            raise UsageError(f"job {job_id} is already rated")
        if not 1 <= score <= MAX_SCORE:
            raise UsageError(f"score must be 1 to {MAX_SCORE}, got {score}")
        if job.amount == 0:
            raise UsageError(f"job {job_id} was settled for nothing: unpaid jobs are not rated")
        return signer.send(self.market.functions.rate(job_id, score), action=f"rate job {job_id}")

    def _require_open(self, job_id: int, what: str) -> JobView:
        job = self.job(job_id)
        if job.status != "open":
            raise UsageError(f"cannot {what} job {job_id}: it is {job.status}")
        return job

    # ------------------------------------------------------------ payouts

    def claim(self, signer: Transactor, listing_id: int) -> int:
        """Pay a listing's developer share to its owner; returns the REX wei paid."""
        listing = self.listing(listing_id)
        if listing.developer_due == 0:
            raise UsageError(f"listing {listing_id} has no developer share to claim")
        receipt = signer.send(self.market.functions.claim(listing_id), action="claim")
        (event,) = receipt.events(self.market, "DeveloperClaimed")
        return int(event["amount"])

    def distribute_fees(self, signer: Transactor) -> Receipt:
        """Send the accrued pool share to sREX and the treasury share to the treasury."""
        f = self.fees()
        if f.pool_due == 0 and f.treasury_due == 0:
            raise UsageError("no protocol share has accrued")
        return signer.send(self.market.functions.distributeFees(), action="distribute fees")


def _check_price(price: int) -> None:
    if not 0 <= price <= MAX_PRICE:
        raise UsageError(f"price per use {price} outside [0, {MAX_PRICE}] wei")
