"""Credit, jobs, settlement, refunds, ratings, payouts: every rule and every revert."""

from __future__ import annotations

import pytest

from rexos.errors import InsufficientBalance, UsageError
from rexos.market import split
from tests.integration.market.harness import (
    BUYER,
    BUYER2,
    CREDIT,
    DEVELOPER,
    HOUR,
    OPERATOR,
    OUTSIDER,
    POOL_BPS,
    PRICE,
    RESPONSE,
    REX,
    SPEC_V1,
    SPEC_V2,
    TREASURY,
    TREASURY_BPS,
    Market,
    spec,
)

MAX_JOB_DURATION = 30 * 86_400
OPEN, SETTLED, REFUNDED = 1, 2, 3


# ---------------------------------------------------------------- credit


def test_deposit_and_withdraw_move_rex_and_credit(mk: Market) -> None:
    buyer = mk.account(OUTSIDER)
    before = mk.balance(buyer.address)
    receipt = mk.send(buyer, mk.market.functions.deposit(7 * REX))
    assert receipt.events(mk.market, "Deposited")[0]["amount"] == 7 * REX
    assert mk.credit(buyer.address) == 7 * REX
    assert mk.balance(buyer.address) == before - 7 * REX
    receipt = mk.send(buyer, mk.market.functions.withdrawCredit(3 * REX))
    assert receipt.events(mk.market, "CreditWithdrawn")[0]["amount"] == 3 * REX
    assert mk.credit(buyer.address) == 4 * REX
    assert mk.balance(buyer.address) == before - 4 * REX


def test_credit_reverts(mk: Market) -> None:
    fn, buyer = mk.market.functions, mk.account(BUYER)
    mk.reverts(buyer, fn.deposit(0), "AgentMarket: ZERO_AMOUNT")
    mk.reverts(buyer, fn.withdrawCredit(0), "AgentMarket: ZERO_AMOUNT")
    mk.reverts(buyer, fn.withdrawCredit(CREDIT + 1), "AgentMarket: INSUFFICIENT_CREDIT")
    expired = fn.depositWithPermit(REX, 0, 27, b"\0" * 32, b"\0" * 32)
    mk.reverts(buyer, expired, "ERC2612ExpiredSignature(deadline=0)")


def test_deposit_with_permit_needs_no_approval(mk: Market) -> None:
    owner = mk.account(TREASURY)  # funded by genesis, never approved the market
    assert mk.rex.functions.allowance(owner.address, mk.market.address).call() == 0
    mk.send(mk.deployer, mk.rex.functions.transfer(owner.address, 10 * REX))
    receipt = mk.client.deposit_with_permit(mk.signer(owner), owner, 10 * REX, mk.now() + HOUR)
    assert receipt.events(mk.market, "Deposited")[0]["amount"] == 10 * REX
    assert mk.credit(owner.address) == 10 * REX
    with pytest.raises(UsageError):
        mk.client.deposit_with_permit(mk.signer(owner), mk.account(BUYER), REX, mk.now() + HOUR)
    with pytest.raises(InsufficientBalance):
        mk.client.deposit_with_permit(mk.signer(owner), owner, 10**30, mk.now() + HOUR)


def test_client_deposit_approves_then_deposits(mk: Market) -> None:
    dev = mk.signer(mk.account(DEVELOPER))
    mk.send(mk.account(DEVELOPER), mk.rex.functions.approve(mk.market.address, 0))
    mk.client.deposit(dev, 5 * REX)
    assert mk.client.credit(dev.address) == 5 * REX
    mk.client.withdraw_credit(dev, 5 * REX)
    with pytest.raises(InsufficientBalance):
        mk.client.withdraw_credit(dev, 1)


# ---------------------------------------------------------------- opening


def test_open_holds_the_maximum_from_credit(mk: Market) -> None:
    buyer = mk.account(BUYER)
    expiry = mk.now() + HOUR
    receipt = mk.send(buyer, mk.market.functions.openJob(SPEC_V2, 3 * PRICE, expiry))
    (event,) = receipt.events(mk.market, "JobOpened")
    job_id = int(event["jobId"])
    assert job_id == 1 << 64 | 1 << 32 | 1
    assert (event["buyer"], event["specHash"], event["maxPrice"], event["expiry"]) == (
        buyer.address,
        SPEC_V2,
        3 * PRICE,
        expiry,
    )
    assert mk.credit(buyer.address) == CREDIT - 3 * PRICE
    assert mk.job(job_id) == {
        "buyer": buyer.address,
        "expiry": expiry,
        "amount": 3 * PRICE,
        "status": OPEN,
        "score": 0,
    }
    assert mk.version(SPEC_V2)["jobs"] == 1
    assert mk.open() == job_id + 1


def test_open_reverts(mk: Market) -> None:
    fn, buyer = mk.market.functions, mk.account(BUYER)
    now = mk.now()
    mk.reverts(buyer, fn.openJob(spec("nope"), PRICE, now + HOUR), "AgentMarket: UNKNOWN_SPEC")
    mk.reverts(buyer, fn.openJob(SPEC_V2, PRICE - 1, now + HOUR), "AgentMarket: BELOW_PRICE")
    mk.reverts(buyer, fn.openJob(SPEC_V2, PRICE, now), "AgentMarket: BAD_EXPIRY")
    too_far = now + MAX_JOB_DURATION + 600
    mk.reverts(buyer, fn.openJob(SPEC_V2, PRICE, too_far), "AgentMarket: BAD_EXPIRY")
    mk.reverts(
        mk.account(OUTSIDER),
        fn.openJob(SPEC_V2, PRICE, now + HOUR),
        "AgentMarket: INSUFFICIENT_CREDIT",
    )
    mk.send(mk.account(DEVELOPER), fn.setListed(1, False))
    mk.reverts(buyer, fn.openJob(SPEC_V1, PRICE, now + HOUR), "AgentMarket: DELISTED")
    mk.send(mk.account(DEVELOPER), fn.setListed(1, True))
    mk.open(spec_hash=SPEC_V1)


def test_client_open_prechecks(mk: Market) -> None:
    b = mk.signer(mk.account(BUYER))
    later = mk.now() + HOUR
    with pytest.raises(UsageError, match="below the price"):
        mk.client.open_job(b, SPEC_V2, PRICE - 1, later)
    with pytest.raises(UsageError, match="no market version"):
        mk.client.open_job(b, spec("nope"), PRICE, later)
    with pytest.raises(UsageError, match="expiry"):
        mk.client.open_job(b, SPEC_V2, PRICE, mk.now())
    with pytest.raises(InsufficientBalance):
        mk.client.open_job(b, SPEC_V2, CREDIT + 1, later)
    job_id = mk.client.open_job(b, SPEC_V2, PRICE, later)
    view = mk.client.job(job_id)
    assert (view.status, view.amount, view.listing_id, view.version_index) == ("open", PRICE, 1, 1)
    other = mk.open(account=mk.account(BUYER2))
    assert mk.client.jobs_of(b.address) == [view]
    assert [j.job_id for j in mk.client.jobs_of(mk.account(BUYER2).address)] == [other]
    assert [item.listing_id for item in mk.client.listings()] == [1]


# ---------------------------------------------------------------- settling


@pytest.mark.parametrize("price", [PRICE, PRICE - 1, 1, 0])
def test_settle_pays_the_price_splits_it_and_returns_the_rest(mk: Market, price: int) -> None:
    buyer = mk.account(BUYER)
    job_id = mk.open(max_price=3 * PRICE)
    receipt = mk.settle(job_id, price)
    (event,) = receipt.events(mk.market, "JobSettled")
    shares = split(price, POOL_BPS, TREASURY_BPS)
    assert (event["jobId"], event["listingId"], event["price"], event["responseHash"]) == (
        job_id,
        1,
        price,
        RESPONSE,
    )
    assert (event["developerShare"], event["poolShare"], event["treasuryShare"]) == (
        shares.developer,
        shares.pool,
        shares.treasury,
    )
    assert mk.credit(buyer.address) == CREDIT - price
    assert mk.job(job_id)["status"] == SETTLED and mk.job(job_id)["amount"] == price
    v = mk.version(SPEC_V2)
    assert (v["jobs"], v["settled"], v["settledValue"]) == (1, 1, price)
    listing = mk.listing(1)
    assert (listing["settledValue"], listing["developerDue"]) == (price, shares.developer)
    assert mk.fees() == (POOL_BPS, TREASURY_BPS, shares.pool, shares.treasury)


def test_settle_reverts(mk: Market) -> None:
    fn, op = mk.market.functions, mk.account(OPERATOR)
    job_id = mk.open(max_price=PRICE)
    for who in (mk.account(DEVELOPER), mk.account(BUYER), mk.deployer):
        mk.reverts(who, fn.settle(job_id, PRICE, RESPONSE), "AgentMarket: NOT_OPERATOR")
    mk.reverts(op, fn.settle(job_id, PRICE + 1, RESPONSE), "AgentMarket: ABOVE_MAX")
    mk.reverts(op, fn.settle(job_id + 1, PRICE, RESPONSE), "AgentMarket: NOT_OPEN")
    mk.settle(job_id)
    mk.reverts(op, fn.settle(job_id, PRICE, RESPONSE), "AgentMarket: NOT_OPEN")
    late = mk.open(expiry=mk.now() + 60)
    mk.travel(120)
    mk.reverts(op, fn.settle(late, PRICE, RESPONSE), "AgentMarket: EXPIRED")


def test_a_new_operator_settles_open_jobs_and_delisting_does_not_stop_them(mk: Market) -> None:
    fn, dev, new_op = mk.market.functions, mk.account(DEVELOPER), mk.account(OUTSIDER)
    job_id = mk.open()
    mk.send(dev, fn.setListed(1, False))
    mk.send(dev, fn.setOperator(1, new_op.address))
    mk.reverts(
        mk.account(OPERATOR), fn.settle(job_id, PRICE, RESPONSE), "AgentMarket: NOT_OPERATOR"
    )
    mk.send(new_op, fn.settle(job_id, PRICE, RESPONSE))
    assert mk.job(job_id)["status"] == SETTLED


def test_client_settle_prechecks(mk: Market) -> None:
    job_id = mk.open()
    with pytest.raises(UsageError, match="operator"):
        mk.client.settle(mk.signer(mk.account(BUYER)), job_id, PRICE, RESPONSE)
    op = mk.signer(mk.account(OPERATOR))
    with pytest.raises(UsageError, match="outside"):
        mk.client.settle(op, job_id, PRICE + 1, RESPONSE)
    mk.client.settle(op, job_id, PRICE, "0x" + RESPONSE.hex())
    with pytest.raises(UsageError, match="settled"):
        mk.client.settle(op, job_id, PRICE, RESPONSE)
    with pytest.raises(UsageError, match="no market job"):
        mk.client.job(job_id + 7)


# ---------------------------------------------------------------- refunds


def test_refund_after_expiry_by_anyone_returns_the_held_amount(mk: Market) -> None:
    fn, buyer = mk.market.functions, mk.account(BUYER)
    job_id = mk.open(max_price=5 * PRICE, expiry=mk.now() + 60)
    mk.reverts(mk.account(OUTSIDER), fn.refund(job_id), "AgentMarket: NOT_EXPIRED")
    mk.travel(120)
    receipt = mk.send(mk.account(OUTSIDER), fn.refund(job_id))
    (event,) = receipt.events(mk.market, "JobRefunded")
    assert (event["jobId"], event["buyer"], event["amount"]) == (job_id, buyer.address, 5 * PRICE)
    assert mk.credit(buyer.address) == CREDIT
    assert mk.job(job_id)["status"] == REFUNDED
    mk.reverts(buyer, fn.refund(job_id), "AgentMarket: NOT_OPEN")
    mk.reverts(buyer, fn.refund(job_id + 1), "AgentMarket: NOT_OPEN")
    settled = mk.open()
    mk.settle(settled)
    mk.travel(2 * HOUR)
    mk.reverts(buyer, fn.refund(settled), "AgentMarket: NOT_OPEN")


def test_nothing_the_owners_do_blocks_a_refund(mk: Market) -> None:
    fn, dev = mk.market.functions, mk.account(DEVELOPER)
    job_id = mk.open(account=mk.account(BUYER2), max_price=4 * PRICE, expiry=mk.now() + 60)
    mk.send(dev, fn.setListed(1, False))
    mk.send(dev, fn.setOperator(1, mk.account(OUTSIDER).address))
    mk.send(dev, fn.setPrice(1, 0))
    mk.send(dev, fn.transferListing(1, mk.account(OUTSIDER).address))
    mk.send(mk.deployer, fn.setFees(2_000, 1_000))
    mk.send(mk.deployer, mk.market.functions.renounceOwnership())
    mk.travel(120)
    mk.send(mk.account(OPERATOR), fn.refund(job_id))
    assert mk.credit(mk.account(BUYER2).address) == CREDIT
    assert mk.balance(mk.market.address) >= CREDIT


def test_client_refund_prechecks(mk: Market) -> None:
    job_id = mk.open(expiry=mk.now() + 60)
    anyone = mk.signer(mk.account(OUTSIDER))
    with pytest.raises(UsageError, match="before"):
        mk.client.refund(anyone, job_id)
    mk.travel(120)
    mk.client.refund(anyone, job_id)
    assert mk.client.job(job_id).status == "refunded"


# ---------------------------------------------------------------- ratings


def test_the_buyer_rates_a_settled_job_once_weighted_by_the_price(mk: Market) -> None:
    fn, buyer = mk.market.functions, mk.account(BUYER)
    first, second = mk.open(max_price=3 * PRICE), mk.open(account=mk.account(BUYER2))
    mk.settle(first, 3 * PRICE)
    mk.settle(second, PRICE)
    receipt = mk.send(buyer, fn.rate(first, 4))
    (event,) = receipt.events(mk.market, "Rated")
    assert (event["jobId"], event["specHash"], event["score"], event["weight"]) == (
        first,
        SPEC_V2,
        4,
        3 * PRICE,
    )
    mk.send(mk.account(BUYER2), fn.rate(second, 1))
    v = mk.version(SPEC_V2)
    assert (v["ratings"], v["ratingWeight"], v["weightedScore"]) == (2, 4 * PRICE, 13 * PRICE)
    assert mk.job(first)["score"] == 4
    mk.reverts(buyer, fn.rate(first, 5), "AgentMarket: ALREADY_RATED")
    assert mk.client.version(SPEC_V2).average_score == (13 * PRICE, 4 * PRICE)


def test_rating_reverts(mk: Market) -> None:
    fn, buyer = mk.market.functions, mk.account(BUYER)
    job_id = mk.open()
    mk.reverts(buyer, fn.rate(job_id, 5), "AgentMarket: NOT_SETTLED")
    mk.settle(job_id)
    for who in (mk.account(DEVELOPER), mk.account(OPERATOR), mk.account(BUYER2)):
        mk.reverts(who, fn.rate(job_id, 5), "AgentMarket: NOT_BUYER")
    mk.reverts(buyer, fn.rate(job_id, 0), "AgentMarket: BAD_SCORE")
    mk.reverts(buyer, fn.rate(job_id, 6), "AgentMarket: BAD_SCORE")
    free = mk.open()
    mk.settle(free, 0)
    mk.reverts(buyer, fn.rate(free, 5), "AgentMarket: UNPAID")
    expired = mk.open(expiry=mk.now() + 60)
    mk.travel(120)
    mk.send(buyer, fn.refund(expired))
    mk.reverts(buyer, fn.rate(expired, 5), "AgentMarket: NOT_SETTLED")


def test_the_owner_and_operator_cannot_rate_their_own_listing(mk: Market) -> None:
    fn = mk.market.functions
    for index in (DEVELOPER, OPERATOR):
        who = mk.account(index)
        mk.send(who, fn.deposit(10 * REX))
        job_id = mk.open(account=who)
        mk.settle(job_id)
        mk.reverts(who, fn.rate(job_id, 5), "AgentMarket: SELF_RATING")
        with pytest.raises(UsageError, match="owner or operator"):
            mk.client.rate(mk.signer(who), job_id, 5)
    assert mk.version(SPEC_V2)["ratings"] == 0


def test_client_rate_prechecks(mk: Market) -> None:
    job_id = mk.open()
    b = mk.signer(mk.account(BUYER))
    with pytest.raises(UsageError, match="only settled"):
        mk.client.rate(b, job_id, 5)
    mk.settle(job_id)
    with pytest.raises(UsageError, match="only the buyer"):
        mk.client.rate(mk.signer(mk.account(BUYER2)), job_id, 5)
    with pytest.raises(UsageError, match="score"):
        mk.client.rate(b, job_id, 9)
    mk.client.rate(b, job_id, 5)
    with pytest.raises(UsageError, match="already rated"):
        mk.client.rate(b, job_id, 5)


# ---------------------------------------------------------------- payouts


def test_the_developer_claims_its_share_in_rex(mk: Market) -> None:
    fn, dev = mk.market.functions, mk.account(DEVELOPER)
    for _ in range(3):
        mk.settle(mk.open(), PRICE - 1)
    due = 3 * split(PRICE - 1, POOL_BPS, TREASURY_BPS).developer
    assert mk.listing(1)["developerDue"] == due
    before = mk.balance(dev.address)
    receipt = mk.send(mk.account(OUTSIDER), fn.claim(1))  # anyone triggers; the owner is paid
    (event,) = receipt.events(mk.market, "DeveloperClaimed")
    assert (event["listingId"], event["owner"], event["amount"]) == (1, dev.address, due)
    assert mk.balance(dev.address) == before + due
    mk.reverts(dev, fn.claim(1), "AgentMarket: NOTHING_TO_CLAIM")
    mk.reverts(dev, fn.claim(9), "AgentMarket: UNKNOWN_LISTING")
    with pytest.raises(UsageError, match="no developer share"):
        mk.client.claim(mk.signer(dev), 1)


def test_distribute_funds_the_srex_pool_and_pays_the_treasury(mk: Market) -> None:
    fn = mk.market.functions
    treasury = mk.account(TREASURY).address
    mk.reverts(mk.account(OUTSIDER), fn.distributeFees(), "AgentMarket: NOTHING_TO_DISTRIBUTE")
    mk.settle(mk.open(max_price=10 * PRICE), 10 * PRICE)
    shares = split(10 * PRICE, POOL_BPS, TREASURY_BPS)
    staked_before = mk.balance(mk.staked.address)
    treasury_before = mk.balance(treasury)
    receipt = mk.client.distribute_fees(mk.signer(mk.account(OUTSIDER)))
    (event,) = receipt.events(mk.market, "FeesDistributed")
    assert (event["poolShare"], event["treasuryShare"]) == (shares.pool, shares.treasury)
    (funded,) = receipt.events(mk.staked, "RewardFunded")
    assert (funded["from"], funded["amount"]) == (mk.market.address, shares.pool)
    assert mk.balance(mk.staked.address) == staked_before + shares.pool
    assert mk.balance(treasury) == treasury_before + shares.treasury
    assert mk.fees() == (POOL_BPS, TREASURY_BPS, 0, 0)
    with pytest.raises(UsageError, match="no protocol share"):
        mk.client.distribute_fees(mk.signer(mk.account(OUTSIDER)))


def test_fees_move_only_within_the_fixed_bounds_and_only_by_the_owner(mk: Market) -> None:
    fn = mk.market.functions
    assert fn.MAX_POOL_BPS().call() == 2_000 and fn.MAX_TREASURY_BPS().call() == 1_000
    mk.reverts(mk.deployer, fn.setFees(2_001, 0), "AgentMarket: BAD_FEES")
    mk.reverts(mk.deployer, fn.setFees(0, 1_001), "AgentMarket: BAD_FEES")
    dev = mk.account(DEVELOPER)
    mk.reverts(dev, fn.setFees(0, 0), f"OwnableUnauthorizedAccount(account={dev.address})")
    receipt = mk.send(mk.deployer, fn.setFees(2_000, 1_000))
    assert receipt.events(mk.market, "FeesSet")[0]["poolBps"] == 2_000
    mk.settle(mk.open(max_price=PRICE), PRICE)
    assert mk.listing(1)["developerDue"] == PRICE - PRICE // 5 - PRICE // 10
    mk.send(mk.deployer, fn.setFees(0, 0))
    mk.settle(mk.open(max_price=PRICE), PRICE)
    assert mk.listing(1)["developerDue"] == 2 * PRICE - PRICE // 5 - PRICE // 10


def test_the_constructor_refuses_bad_shares_and_zero_addresses(mk: Market) -> None:
    rex, staked = mk.rex.address, mk.staked.address
    zero = "0x" + "00" * 20
    deployer = mk.signer(mk.deployer)
    for args, reason in (
        (
            (rex, staked, mk.deployer.address, mk.deployer.address, 2_001, 0),
            "AgentMarket: BAD_FEES",
        ),
        (
            (rex, staked, mk.deployer.address, mk.deployer.address, 0, 1_001),
            "AgentMarket: BAD_FEES",
        ),
        (
            (zero, staked, mk.deployer.address, mk.deployer.address, 0, 0),
            "AgentMarket: ZERO_ADDRESS",
        ),
        ((rex, zero, mk.deployer.address, mk.deployer.address, 0, 0), "AgentMarket: ZERO_ADDRESS"),
        ((rex, staked, zero, mk.deployer.address, 0, 0), "AgentMarket: ZERO_ADDRESS"),
    ):
        with pytest.raises(Exception) as info:
            deployer.deploy("AgentMarket", *args)
        assert getattr(info.value, "reason", None) == reason
