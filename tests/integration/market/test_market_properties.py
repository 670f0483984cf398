"""The contract against :class:`rexos.market.MarketModel` under random action sequences.

After every step the market's REX balance equals what it owes (credits + held by open
jobs + developer dues + protocol dues), and every credit, job, listing, version total
and fee accrual equals the model's to the wei. A refused step must be refused by the
contract with the model's exact reason. At the end every open job is refunded after
its expiry, whatever the owners did before (delist, new operator, new fees, renounced
ownership), and every buyer gets its held amount back.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from rexos.errors import UsageError
from rexos.market import MarketModel, Split, split
from tests.integration.market.harness import (
    BUYER,
    BUYER2,
    CREDIT,
    DEVELOPER,
    HOUR,
    OPERATOR,
    POOL_BPS,
    PRICE,
    RESPONSE,
    REX,
    SPEC_V1,
    SPEC_V2,
    TREASURY_BPS,
    Market,
    spec,
)

OUTSIDER = 5
ACTORS = (DEVELOPER, OPERATOR, BUYER, BUYER2, OUTSIDER)
WHO = st.sampled_from(ACTORS)
BUYERS = st.sampled_from([BUYER, BUYER2, OUTSIDER, DEVELOPER])
PICK = st.integers(min_value=0, max_value=2**16)
MARGIN = 120  # seconds: steps this close to an expiry are skipped (block time may differ)
STATUS = {"open": 1, "settled": 2, "refunded": 3}

MACHINE_SETTINGS = settings(
    max_examples=8,
    stateful_step_count=35,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class MarketMachine(RuleBasedStateMachine):
    """Drives the deployed market and the model side by side."""

    def __init__(self, mk: Market) -> None:
        super().__init__()
        self.mk = mk
        self.snapshot = mk.chain.snapshot()
        self.f = mk.market.functions
        self.model = MarketModel(POOL_BPS, TREASURY_BPS)
        dev, op = mk.account(DEVELOPER).address, mk.account(OPERATOR).address
        self.model.list(dev, SPEC_V1, op, PRICE)
        self.model.add_version(dev, 1, SPEC_V2)
        for i in (BUYER, BUYER2):
            self.model.deposit(mk.account(i).address, CREDIT)
        self.base = mk.balance(mk.market.address) - self.model.liabilities()
        self.owner_alive = True
        self.specs = 2

    def teardown(self) -> None:
        try:
            self._refund_everything()
        finally:
            self.mk.chain.revert(self.snapshot)

    # ------------------------------------------------------------ plumbing

    def _now(self) -> int:
        return self.mk.now() + 1

    def _step(self, who: int, call: object, model_step: object) -> object | None:
        """Run ``model_step``; if the model refuses, the contract must refuse with the same
        reason; otherwise the transaction must pass. Returns the model's result."""
        account = self.mk.account(who) if who >= 0 else self.mk.deployer
        try:
            result = model_step()  # type: ignore[operator]
        except UsageError as refused:
            assert self.mk.reason(account, call) == str(refused)  # type: ignore[arg-type]
            return None
        self.last = self.mk.execute(account, call)  # type: ignore[arg-type]
        return result

    def _job(self, pick: int, *, open_only: bool = False, state: str = "") -> int | None:
        wanted = "open" if open_only else state
        jobs = sorted(j for j, job in self.model.jobs.items() if not wanted or job.state == wanted)
        return jobs[pick % len(jobs)] if jobs else None

    def _index(self, address: str) -> int:
        return next(i for i in ACTORS if self.mk.account(i).address == address)

    def _near_expiry(self, job_id: int) -> bool:
        return abs(self.model.jobs[job_id].expiry - self._now()) < MARGIN

    def _spec(self, pick: int) -> bytes:
        return sorted(self.model.versions)[pick % len(self.model.versions)]

    # ------------------------------------------------------------ credit

    @rule(who=BUYERS, amount=st.integers(min_value=0, max_value=50 * REX))
    def deposit(self, who: int, amount: int) -> None:
        address = self.mk.account(who).address
        self._step(who, self.f.deposit(amount), lambda: self.model.deposit(address, amount))

    @rule(who=WHO, permille=st.integers(min_value=0, max_value=1_100))
    def withdraw(self, who: int, permille: int) -> None:
        address = self.mk.account(who).address
        amount = self.model.credit.get(address, 0) * permille // 1_000
        self._step(who, self.f.withdrawCredit(amount), lambda: self.model.withdraw(address, amount))

    # ------------------------------------------------------------ listings

    @rule(
        who=WHO,
        operator=WHO,
        price=st.sampled_from([PRICE, 0, PRICE, 10**27, 10**27 + 1]),
        version=st.booleans(),
        reuse=st.booleans(),
        pick=PICK,
    )
    def publish(
        self, who: int, operator: int, price: int, version: bool, reuse: bool, pick: int
    ) -> None:
        """A new listing, or a new version of listing 1 or 2 (sometimes a used spec hash)."""
        self.specs += 1
        s = self._spec(pick) if reuse else spec(f"spec {self.specs}")
        address, op = self.mk.account(who).address, self.mk.account(operator).address
        if version:
            listing = 1 + pick % 3
            self._step(
                who,
                self.f.addVersion(listing, s),
                lambda: self.model.add_version(address, listing, s),
            )
        else:
            self._step(
                who, self.f.list(s, op, price), lambda: self.model.list(address, s, op, price)
            )

    @rule(
        owner=st.booleans(),
        who=WHO,
        listing=st.sampled_from([1, 1, 1, 2]),
        what=st.sampled_from(["delist", "relist", "operator", "price", "transfer"]),
        other=WHO,
        price=st.sampled_from([0, 1, PRICE, 3 * PRICE]),
    )
    def owner_edits(
        self, owner: bool, who: int, listing: int, what: str, other: int, price: int
    ) -> None:
        """Delist or relist, a new operator or price, or a new owner (by the owner or not)."""
        if owner and listing in self.model.listings:
            who = self._index(self.model.listings[listing].owner)
        address, to = self.mk.account(who).address, self.mk.account(other).address
        m, f = self.model, self.f
        steps = {
            "delist": (f.setListed(listing, False), lambda: m.set_listed(address, listing, False)),
            "relist": (f.setListed(listing, True), lambda: m.set_listed(address, listing, True)),
            "operator": (f.setOperator(listing, to), lambda: m.set_operator(address, listing, to)),
            "price": (f.setPrice(listing, price), lambda: m.set_price(address, listing, price)),
            "transfer": (
                f.transferListing(listing, to),
                lambda: m.transfer_listing(address, listing, to),
            ),
        }
        call, model_step = steps[what]
        self._step(who, call, model_step)

    # ------------------------------------------------------------ jobs

    @rule(
        who=st.sampled_from([BUYER, BUYER2, BUYER, BUYER2, DEVELOPER, OPERATOR, OUTSIDER]),
        pick=PICK,
        first=st.integers(min_value=0, max_value=3),
        max_price=st.sampled_from([PRICE, 3 * PRICE, 5 * PRICE, 0, PRICE - 1, 600 * REX]),
        hours=st.sampled_from([1, 2, 5, 1, 0, 24 * 30, 24 * 31]),
    )
    def open_job(self, who: int, pick: int, first: int, max_price: int, hours: int) -> None:
        """Mostly jobs on the first listing; sometimes on any version."""
        s = (SPEC_V1, SPEC_V2)[first % 2] if first < 3 else self._spec(pick)
        address, now = self.mk.account(who).address, self._now()
        expiry = now - 1 + hours * HOUR
        self._step(
            who,
            self.f.openJob(s, max_price, expiry),
            lambda: self.model.open_job(address, s, max_price, expiry, now),
        )

    @rule(
        pick=PICK,
        operator=st.integers(min_value=0, max_value=3),
        other=WHO,
        how=st.sampled_from(["all", "less", "all", "less", "0", "over"]),
    )
    def settle(self, pick: int, operator: int, other: int, how: str) -> None:
        """Mostly the operator settles an open job; sometimes anyone settles any job."""
        job_id = self._job(pick, open_only=operator != 0)
        if job_id is None or self._near_expiry(job_id):
            return
        listing = self.model.listings[job_id >> 64]
        who = self._index(listing.operator) if operator else other
        held = self.model.jobs[job_id].amount
        price = {"all": held, "less": held * 2 // 3, "0": 0, "over": held + 1}[how]
        address, now = self.mk.account(who).address, self._now()
        shares = self._step(
            who,
            self.f.settle(job_id, price, RESPONSE),
            lambda: self.model.settle(address, job_id, price, now),
        )
        if isinstance(shares, Split):
            (event,) = self.mk.market.events.JobSettled().process_receipt(self.last)
            args = event["args"]
            got = (args["developerShare"], args["poolShare"], args["treasuryShare"])
            assert got == (shares.developer, shares.pool, shares.treasury)

    @rule(
        who=st.sampled_from([BUYER, BUYER2, BUYER, DEVELOPER, OPERATOR]),
        second=st.booleans(),
        markup=st.sampled_from([0, 1, 3]),
        cut=st.sampled_from([1, 1, 2, 3, 0]),
        score=st.sampled_from([5, 4, 1, 0]),
    )
    def buy(self, who: int, second: bool, markup: int, cut: int, score: int) -> None:
        """A whole purchase on listing 1: open, the operator settles (for the price per use
        or a part of it), the buyer rates (score 0: no rating)."""
        s = SPEC_V2 if second else SPEC_V1
        listing = self.model.listings[1]
        address, now = self.mk.account(who).address, self._now()
        max_price = listing.price * (1 + markup)
        expiry = now - 1 + 2 * HOUR
        job_id = self._step(
            who,
            self.f.openJob(s, max_price, expiry),
            lambda: self.model.open_job(address, s, max_price, expiry, now),
        )
        if not isinstance(job_id, int):
            return
        price = listing.price // cut if cut else 0
        operator = self._index(listing.operator)
        op_address, now = listing.operator, self._now()
        self._step(
            operator,
            self.f.settle(job_id, price, RESPONSE),
            lambda: self.model.settle(op_address, job_id, price, now),
        )
        if score:
            self._step(
                who, self.f.rate(job_id, score), lambda: self.model.rate(address, job_id, score)
            )

    @rule(pick=PICK, who=WHO)
    def refund(self, pick: int, who: int) -> None:
        job_id = self._job(pick)
        if job_id is None or self._near_expiry(job_id):
            return
        now = self._now()
        self._step(who, self.f.refund(job_id), lambda: self.model.refund(job_id, now))

    @rule(pick=PICK, who=WHO, buyer=st.booleans(), score=st.sampled_from([1, 3, 5, 0, 6]))
    def rate(self, pick: int, who: int, buyer: bool, score: int) -> None:
        """The buyer (or anyone) rates a job (mostly a settled one)."""
        job_id = self._job(pick, state="settled") or self._job(pick)
        if job_id is None:
            return
        if buyer:
            who = self._index(self.model.jobs[job_id].buyer)
        address = self.mk.account(who).address
        self._step(who, self.f.rate(job_id, score), lambda: self.model.rate(address, job_id, score))

    @rule(hours=st.sampled_from([1, 2, 6, 24 * 31]))
    def travel(self, hours: int) -> None:
        self.mk.travel(hours * HOUR + HOUR // 2)

    # ------------------------------------------------------------ payouts and fees

    @rule(who=WHO, listing=st.integers(min_value=0, max_value=3))
    def payout(self, who: int, listing: int) -> None:
        """Claim a listing's developer share (listing 0: distribute the protocol shares)."""
        if listing == 0:
            self._step(who, self.f.distributeFees(), self.model.distribute)
        else:
            self._step(who, self.f.claim(listing), lambda: self.model.claim(listing))

    @rule(
        pool=st.sampled_from([0, 1, 999, 2_000, 2_001]),
        treasury=st.sampled_from([0, 333, 1_000, 1_001]),
        renounce=st.integers(min_value=0, max_value=7),
    )
    def market_owner(self, pool: int, treasury: int, renounce: int) -> None:
        """The market owner moves the shares, or (rarely) renounces ownership for good."""
        if renounce == 0 and self.owner_alive:
            self.mk.execute(self.mk.deployer, self.f.renounceOwnership())
            self.owner_alive = False
            return
        call = self.f.setFees(pool, treasury)
        if not self.owner_alive:
            assert (self.mk.reason(self.mk.deployer, call) or "").startswith("OwnableUnauthorized")
            return
        self._step(-1, call, lambda: self.model.set_fees(pool, treasury))

    # ------------------------------------------------------------ invariants

    @invariant()
    def books_match_the_model(self) -> None:
        mk, model = self.mk, self.model
        assert mk.balance(mk.market.address) == self.base + model.liabilities()
        for i in ACTORS:
            address = mk.account(i).address
            assert mk.credit(address) == model.credit.get(address, 0)
        assert mk.fees() == (model.pool_bps, model.treasury_bps, model.pool_due, model.treasury_due)
        for listing_id, listing in model.listings.items():
            got = mk.listing(listing_id)
            assert (got["owner"], got["operator"], got["price"], got["listed"]) == (
                listing.owner,
                listing.operator,
                listing.price,
                listing.listed,
            )
            assert (got["versions"], got["settledValue"], got["developerDue"]) == (
                len(listing.specs),
                listing.settled_value,
                listing.developer_due,
            )
        for s, v in model.versions.items():
            got = mk.version(s)
            assert tuple(got.values()) == (
                v.listing_id,
                v.index,
                v.jobs,
                v.settled,
                v.settled_value,
                v.ratings,
                v.rating_weight,
                v.weighted_score,
            )
        for job_id, job in model.jobs.items():
            got = mk.job(job_id)
            assert (got["buyer"], got["amount"], got["status"], got["score"]) == (
                job.buyer,
                job.amount,
                STATUS[job.state],
                job.score,
            )

    def _refund_everything(self) -> None:
        """No refund is ever lost: past every expiry anyone refunds every open job."""
        self.mk.travel(31 * 86_400)
        anyone = self.mk.account(OUTSIDER)
        for job_id, job in sorted(self.model.jobs.items()):
            if job.state != "open":
                continue
            before = self.mk.credit(job.buyer)
            self.mk.execute(anyone, self.f.refund(job_id))
            assert self.mk.credit(job.buyer) == before + job.amount
            self.model.refund(job_id, self._now())
        assert self.mk.balance(self.mk.market.address) == self.base + self.model.liabilities()


def test_the_market_matches_its_model(deployment: Market) -> None:
    run_state_machine_as_test(lambda: MarketMachine(deployment), settings=MACHINE_SETTINGS)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    price=st.one_of(
        st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=CREDIT)
    ),
    pool=st.integers(min_value=0, max_value=2_000),
    treasury=st.integers(min_value=0, max_value=1_000),
)
def test_the_split_is_exact_to_the_wei(
    deployment: Market, price: int, pool: int, treasury: int
) -> None:
    mk = deployment
    with mk.rollback():
        mk.execute(mk.deployer, mk.market.functions.setFees(pool, treasury))
        raw = mk.execute(
            mk.account(BUYER),
            mk.market.functions.openJob(SPEC_V2, max(price, PRICE), mk.now() + HOUR),
        )
        (opened,) = mk.market.events.JobOpened().process_receipt(raw)
        raw = mk.execute(
            mk.account(OPERATOR),
            mk.market.functions.settle(opened["args"]["jobId"], price, RESPONSE),
        )
        (event,) = mk.market.events.JobSettled().process_receipt(raw)
        shares = split(price, pool, treasury)
        got = (
            event["args"]["developerShare"],
            event["args"]["poolShare"],
            event["args"]["treasuryShare"],
        )
        assert got == (shares.developer, shares.pool, shares.treasury)
        assert sum(got) == price
        assert mk.listing(1)["developerDue"] == shares.developer
