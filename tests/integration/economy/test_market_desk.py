"""Agent Market jobs paid through the FeeRouter: the ``MarketDesk`` on the devnet deployment.

A payer buys as many cents of ``market.job`` as the job may hold (USDC, REX at the discount,
or points); the desk opens the job in the same transaction from its float. What the job does
not spend comes back as a voucher once it is settled or refunded (``settleUp``), the payer
alone rates it through the desk, and the owner can never take a voucher.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rexos.errors import InsufficientBalance, UsageError
from rexos.market import MarketClient
from rexos.market.desk import SERVICE, MarketDesk, buy_data
from tests.integration.economy.fee_harness import WAD, Fees, sid

SPEC = b"\x5a" * 32
PRICE = 3 * WAD
REF = b"\x33" * 32


@pytest.fixture(scope="module")
def deployment() -> Fees:
    fees = Fees.create()
    market = MarketClient(fees.d.web3, fees.d.manifest)
    developer = fees.d.signer(fees.users[2])
    market.list_agent(developer, SPEC, developer.address, PRICE)
    return fees


@pytest.fixture
def fees(deployment: Fees) -> Iterator[Fees]:
    with deployment.d.rollback():
        yield deployment


def _desk(fees: Fees) -> MarketDesk:
    return MarketDesk(MarketClient(fees.d.web3, fees.d.manifest), fees.client)


def _expiry(desk: MarketDesk) -> int:
    return desk.market.now() + 3_600


def test_usdc_buys_the_cents_a_job_holds_and_the_rest_comes_back(fees: Fees) -> None:
    desk, alice = _desk(fees), fees.users[0]
    operator = fees.d.signer(fees.users[2])
    max_price = 4 * WAD
    usdc_before = fees.balance("USDC", alice.address)

    bought = desk.buy(fees.d.signer(alice), SPEC, max_price, _expiry(desk), "stable", ref=REF)

    job = desk.market.job(bought.job_id)
    assert job.buyer == desk.contract.address and job.status == "open"
    assert job.amount == max_price == desk.held_for(bought.job_id) == bought.served.spent
    # about $0.40 at ~$0.10 a REX, by the cent, with the drift margin
    assert 40 <= bought.units <= 42
    assert fees.balance("USDC", alice.address) == usdc_before - bought.units * 10_000
    assert [j.job_id for j in desk.jobs_of(alice.address)] == [bought.job_id]
    assert desk.jobs_of(fees.users[1].address) == []
    first_voucher = desk.voucher(alice.address)
    assert first_voucher == bought.served.budget - max_price

    desk.market.settle(operator, bought.job_id, PRICE, b"\x01" * 32)
    added = desk.settle_up(fees.d.signer(fees.users[1]), bought.job_id)  # anyone may

    assert added == max_price - PRICE
    assert desk.voucher(alice.address) == first_voucher + added
    with pytest.raises(UsageError, match="settled up already"):
        desk.settle_up(fees.d.signer(alice), bought.job_id)
    fees.reverts(alice, desk.contract.functions.settleUp(bought.job_id), "MarketDesk: NOT_OURS")
    # the payer rates through the desk; nobody else can, and the market counts it once
    with pytest.raises(UsageError, match="only the payer"):
        desk.rate(fees.d.signer(fees.users[1]), bought.job_id, 5)
    fees.reverts(
        fees.users[1], desk.contract.functions.rate(bought.job_id, 1), "MarketDesk: NOT_PAYER"
    )
    desk.rate(fees.d.signer(alice), bought.job_id, 4)
    assert desk.market.job(bought.job_id).score == 4
    version = desk.market.version(SPEC)
    assert (version.ratings, version.rating_weight) == (1, PRICE)


def test_a_refunded_job_comes_back_whole_and_the_voucher_buys_the_next(fees: Fees) -> None:
    desk, alice = _desk(fees), fees.users[0]
    bought = desk.buy(fees.d.signer(alice), SPEC, PRICE, _expiry(desk), "rex")
    assert bought.served.amount == bought.served.budget  # REX buys the REX it pays
    with pytest.raises(UsageError, match="still open"):
        desk.settle_up(fees.d.signer(alice), bought.job_id)
    fees.d.travel(3_700)
    desk.market.refund(fees.d.signer(fees.users[1]), bought.job_id)

    assert desk.settle_up(fees.d.signer(alice), bought.job_id) == PRICE
    held = desk.voucher(alice.address)
    assert held >= PRICE

    again = desk.buy(fees.d.signer(alice), SPEC, PRICE, _expiry(desk), "voucher")
    assert again.served.method == "voucher" and desk.voucher(alice.address) == held - PRICE
    assert desk.market.job(again.job_id).amount == PRICE
    with pytest.raises(UsageError, match="the job may hold"):
        desk.buy(fees.d.signer(alice), SPEC, 10 * PRICE, _expiry(desk), "voucher")
    with pytest.raises(InsufficientBalance, match="no voucher"):
        desk.buy(fees.d.signer(fees.users[1]), SPEC, PRICE, _expiry(desk), "voucher")


def test_points_buy_a_job(fees: Fees) -> None:
    desk, alice = _desk(fees), fees.users[0]
    fees.d.send(alice, fees.d.staked.functions.stake(2_000 * WAD))
    fees.d.travel(86_400)
    spent_before = int(fees.fn.pointsSpent(alice.address).call())

    bought = desk.buy(fees.d.signer(alice), SPEC, PRICE, _expiry(desk), "points")

    spent = int(fees.fn.pointsSpent(alice.address).call()) - spent_before
    assert spent == bought.served.amount == bought.units * 10 * WAD  # 1,000 points a USD
    assert desk.market.job(bought.job_id).amount == PRICE


def test_the_owner_and_operator_cannot_rate_their_own_listing_through_the_desk(
    fees: Fees,
) -> None:
    desk, developer = _desk(fees), fees.users[2]
    bought = desk.buy(fees.d.signer(developer), SPEC, PRICE, _expiry(desk), "stable")
    desk.market.settle(fees.d.signer(developer), bought.job_id, PRICE, b"\x02" * 32)
    with pytest.raises(UsageError, match="cannot rate"):
        desk.rate(fees.d.signer(developer), bought.job_id, 5)
    call = desk.contract.functions.rate(bought.job_id, 5)
    fees.reverts(developer, call, "MarketDesk: SELF_RATING")


def test_a_budget_below_the_price_and_bad_units_are_refused(fees: Fees) -> None:
    desk, alice = _desk(fees), fees.users[0]
    with pytest.raises(UsageError, match="below the price per use"):
        desk.buy(fees.d.signer(alice), SPEC, WAD, _expiry(desk), "stable")
    usdc = fees.tokens["USDC"].address
    data = buy_data(SPEC, 0, _expiry(desk))
    one_cent = fees.fn.payAndCall(sid(SERVICE), 0, usdc, 1, 10**6, REF, data)
    assert fees.reason(alice, one_cent) == "AgentMarket: BELOW_PRICE"
    for units in (0, 10**6 + 1):
        call = fees.fn.payAndCall(sid(SERVICE), 0, usdc, units, 10**30, REF, data)
        assert fees.reason(alice, call) == "FeeRouter: BAD_UNITS"
    # a DPrompt payment cannot be handed to the market desk, nor the reverse
    forged = desk.contract.functions.onFeePaid(
        sid("dprompt.request"), alice.address, 0, WAD, 0, REF, data
    )
    assert fees.reason(alice, forged) == "ServiceDesk: ONLY_ROUTER"


def test_a_developer_buying_its_own_jobs_in_rex_cannot_drain_the_float(fees: Fees) -> None:
    """The attack a REX discount would open: list an agent, buy its jobs at the desk with
    discounted REX, settle them at full price, claim the share. REX buys only the REX it
    pays, so each round loses the market's pool and treasury shares, and the float is
    untouched."""
    desk, developer = _desk(fees), fees.users[2]
    signer = fees.d.signer(developer)
    start, float_before = fees.balance("REX", developer.address), desk.float()
    for _ in range(3):
        bought = desk.buy(signer, SPEC, PRICE, _expiry(desk), "rex")
        held = desk.market.job(bought.job_id).amount
        desk.market.settle(signer, bought.job_id, held, b"\x03" * 32)
        desk.settle_up(signer, bought.job_id)
    desk.market.claim(signer, 1)
    assert fees.balance("REX", developer.address) < start
    owed = int(desk.contract.functions.vouchersOwed().call())
    assert desk.float() - owed >= float_before  # every REX the jobs took was paid in
