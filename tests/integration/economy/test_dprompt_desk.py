"""DPrompt requests paid through the FeeRouter: the ``DPromptDesk`` on the devnet deployment.

A payer pays ``dprompt.request`` (USD) in a stablecoin, in REX at the discount, or with AI
points, and the desk posts the request in the same transaction, spending at most the price's
value at the TWAP from its float. The leftover and refunds become a voucher that buys later
requests and is never withdrawable; the float always covers the vouchers; only the router can
tell the desk a payment was made.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eth_abi.abi import encode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rexos.deployment import DEV_PROVIDER_PRICE_WEI, dev_provider, register_dev_provider
from rexos.dprompt import Client, model_key
from rexos.dprompt.desk import SERVICE, Desk, ask_data
from rexos.errors import InsufficientBalance, TransactionReverted, UsageError
from tests.integration.economy.fee_harness import WAD, Fees, sid

MODEL = "gemma-3-270m"
PROMPT = "What is the capital of France?"
REF = b"\x22" * 32
NOBODY = "0x" + "00" * 20
STAKE = 1_000 * WAD


@pytest.fixture(scope="module")
def deployment() -> Fees:
    fees = Fees.create()
    register_dev_provider(
        fees.d.chain, fees.d.manifest, fees.deployer, dev_provider(), MODEL, STAKE
    )
    return fees


@pytest.fixture
def fees(deployment: Fees) -> Iterator[Fees]:
    with deployment.d.rollback():
        yield deployment


def _desk(fees: Fees) -> Desk:
    return Desk(Client(fees.d.web3, fees.d.manifest), fees.client)


def _owed(desk: Desk) -> int:
    return int(desk.contract.functions.vouchersOwed().call())


def _data(max_fee: int = 0) -> bytes:
    prompt = PROMPT.encode()
    return ask_data(model_key(MODEL), prompt, max_fee, NOBODY, 0, 60)


def _expire(fees: Fees, desk: Desk, request_id: int) -> None:
    """Let request ``request_id`` time out and refund it to the desk."""
    fees.d.travel(60 + 120 + 5)
    view = desk.client.get(request_id)
    desk.client.refund(fees.d.signer(fees.users[2]), view)


def test_a_usdc_payment_posts_the_request_in_the_same_transaction(fees: Fees) -> None:
    desk, alice = _desk(fees), fees.users[0]
    plan = desk.plan(alice.address, MODEL, PROMPT, "stable")
    # enough cents for the provider's 1 REX and 0.5 % more, at about $0.10 a REX: 11 cents
    assert (plan.units, plan.cap) == (11, DEV_PROVIDER_PRICE_WEI)
    budget = desk.budget(plan.units)
    assert budget == fees.fn.rexForUsd(11 * WAD // 100).call()  # no discount
    float_before, usdc_before = desk.float(), fees.balance("USDC", desk.contract.address)

    asked = desk.ask(fees.d.signer(alice), MODEL, PROMPT, "stable", ref=REF)

    view, served = asked.request, asked.served
    assert view.requester == desk.contract.address and view.prompt == PROMPT
    assert view.status == "open" and view.fee == DEV_PROVIDER_PRICE_WEI == asked.fee
    assert served.amount == 110_000  # $0.11 in 6-decimal USDC, all of it to the desk
    assert fees.balance("USDC", desk.contract.address) - usdc_before == 110_000
    assert desk.payer_of(view.id) == alice.address and served.id == view.id
    assert float_before - desk.float() == asked.fee
    assert served.budget == budget and desk.voucher(alice.address) == budget - asked.fee
    assert desk.float() >= _owed(desk)


def test_rex_paid_goes_into_the_float_as_the_budget_without_the_discount(fees: Fees) -> None:
    """REX-priced work bought in REX gets no discount: a provider buying its own requests at
    80 % and paid 85 % by the book would drain the float (the attack this test pins)."""
    desk, alice = _desk(fees), fees.users[0]
    rex_before, float_before = fees.balance("REX", alice.address), desk.float()
    plan = desk.plan(alice.address, MODEL, PROMPT, "rex")
    # the discounted cents buy 20 % less REX, so it takes more of them: 13 instead of 11
    assert plan.units == 13 and plan.budget >= DEV_PROVIDER_PRICE_WEI

    asked = desk.ask(fees.d.signer(alice), MODEL, PROMPT, "rex")

    paid = rex_before - fees.balance("REX", alice.address)
    assert paid == asked.served.amount == fees.client.quote_units(SERVICE, "rex", 13)
    assert asked.served.budget == paid  # the REX paid, no more
    assert desk.float() == float_before + paid - asked.fee  # the float paid nothing
    assert asked.request.fee == DEV_PROVIDER_PRICE_WEI
    assert desk.voucher(alice.address) == paid - asked.fee


def test_points_buy_a_request_and_are_spent_once(fees: Fees) -> None:
    desk, alice = _desk(fees), fees.users[0]
    fees.d.send(alice, fees.d.staked.functions.stake(100 * WAD))
    fees.d.travel(86_400)  # 100 sREX for a day: about 100 points, an $0.11 request costs 110
    with pytest.raises(InsufficientBalance, match="available"):
        desk.ask(fees.d.signer(alice), MODEL, PROMPT, "points")
    fees.d.send(alice, fees.d.staked.functions.stake(1_000 * WAD))
    fees.d.travel(86_400)

    asked = desk.ask(fees.d.signer(alice), MODEL, PROMPT, "points")

    assert asked.served.amount == 110 * WAD == fees.fn.pointsSpent(alice.address).call()
    assert asked.request.status == "open" and desk.payer_of(asked.request.id) == alice.address


def test_a_refund_becomes_a_voucher_that_buys_the_next_request_and_never_leaves(
    fees: Fees,
) -> None:
    desk, alice, bob = _desk(fees), fees.users[0], fees.users[1]
    first = desk.ask(fees.d.signer(alice), MODEL, PROMPT, "stable")
    left = desk.voucher(alice.address)
    _expire(fees, desk, first.request.id)
    with pytest.raises(UsageError, match="refunded"):  # not the payer's to reclaim yet: open
        desk.reclaim(fees.d.signer(bob), first.request)

    added = desk.reclaim(fees.d.signer(bob), desk.client.get(first.request.id))  # anyone may

    assert added == first.fee and desk.voucher(alice.address) == left + first.fee
    assert desk.reclaimed(first.request.id)
    with pytest.raises(UsageError, match="reclaimed already"):
        desk.reclaim(fees.d.signer(bob), desk.client.get(first.request.id))
    raw = desk.contract.functions.reclaim(
        first.request.id, desk.client.get(first.request.id).as_struct()
    )
    fees.reverts(bob, raw, "DPromptDesk: NOT_OURS")

    usdc_before = fees.balance("USDC", alice.address)
    second = desk.ask(fees.d.signer(alice), MODEL, PROMPT, "voucher")
    assert second.served.method == "voucher" and second.request.fee == DEV_PROVIDER_PRICE_WEI
    assert fees.balance("USDC", alice.address) == usdc_before  # nothing paid anew
    assert desk.voucher(alice.address) == left + first.fee - second.fee
    # bob holds no voucher, and nothing lets alice take hers out as REX
    with pytest.raises(InsufficientBalance, match="no voucher"):
        desk.ask(fees.d.signer(bob), MODEL, PROMPT, "voucher")
    fees.reverts(
        bob,
        desk.contract.functions.spendVoucher(1, REF, _data()),
        "ServiceDesk: INSUFFICIENT_VOUCHER",
    )
    names = {f["name"] for f in desk.contract.abi if f["type"] == "function"}
    assert names & {"withdrawVoucher", "redeem", "withdraw"} == set()
    assert desk.float() >= _owed(desk)


def test_only_the_router_can_say_a_payment_was_made(fees: Fees) -> None:
    desk, mallory = _desk(fees), fees.users[2]
    # a plain payment to a desk service would buy nothing: the client refuses to build it
    for method in ("stable", "rex", "points"):
        with pytest.raises(UsageError, match="bought through its desk"):
            fees.client.pay_call(SERVICE, method, 10**6)
    forged = desk.contract.functions.onFeePaid(
        sid(SERVICE), mallory.address, 0, 10**24, 0, REF, _data()
    )
    fees.reverts(mallory, forged, "ServiceDesk: ONLY_ROUTER")
    # a service whose payee is named at payment serves no call, and one paying an
    # account with no code (the treasury) cannot be called: the payment is undone
    usdc = fees.tokens["USDC"].address
    open_payee = fees.fn.payAndCall(sid("studio.agent_run"), 0, usdc, 1, 10**6, REF, _data())
    assert fees.reason(mallory, open_payee) == "FeeRouter: NO_PAYEE"
    before = fees.balance("USDC", mallory.address)
    with pytest.raises(TransactionReverted):
        fees.d.send(mallory, fees.fn.payAndCall(sid("lense.report"), 0, usdc, 1, 10**6, REF, b""))
    assert fees.balance("USDC", mallory.address) == before


def test_a_price_above_the_budget_is_refused_before_and_on_chain(fees: Fees) -> None:
    desk, alice = _desk(fees), fees.users[0]
    with pytest.raises(UsageError, match="fee below price"):
        desk.ask(fees.d.signer(alice), MODEL, PROMPT, "stable", max_fee=WAD // 2)
    usdc = fees.tokens["USDC"].address
    one_cent = fees.fn.payAndCall(sid(SERVICE), 0, usdc, 1, 10**6, REF, _data())
    assert fees.reason(alice, one_cent) == "RequestBook: FEE_BELOW_PRICE"  # 0.1 REX < 1 REX
    garbage = fees.fn.payAndCall(sid(SERVICE), 0, usdc, 11, 10**6, REF, b"\x01" * 7)
    assert fees.reason(alice, garbage) is not None  # undecodable: reverts, nothing paid
    # a voucher too small for the provider is refused in one line that says so
    first = desk.ask(fees.d.signer(alice), MODEL, PROMPT, "stable")
    assert 0 < desk.voucher(alice.address) < first.fee
    with pytest.raises(UsageError, match="your voucher holds"):
        desk.ask(fees.d.signer(alice), MODEL, PROMPT, "voucher")


def test_the_owner_cannot_take_the_vouchers(fees: Fees) -> None:
    desk, alice, owner = _desk(fees), fees.users[0], fees.deployer
    desk.ask(fees.d.signer(alice), MODEL, PROMPT, "stable")
    owed = _owed(desk)
    assert owed > 0
    spare = desk.float() - owed
    fees.reverts(
        owner,
        desk.contract.functions.withdrawFloat(owner.address, spare + 1),
        "ServiceDesk: FLOAT_LOW",
    )
    fees.d.send(owner, desk.contract.functions.withdrawFloat(owner.address, spare))
    assert desk.float() == owed == desk.voucher(alice.address)
    # with no free float a paid request is refused in one line, and on chain too
    with pytest.raises(UsageError, match="float cannot pay"):
        desk.ask(fees.d.signer(alice), MODEL, PROMPT, "stable")
    usdc = fees.tokens["USDC"].address
    call = fees.fn.payAndCall(sid(SERVICE), 0, usdc, 11, 10**6, REF, _data())
    assert fees.reason(alice, call) in {
        "ServiceDesk: FLOAT_LOW",
        "RequestBook: INSUFFICIENT_CREDIT",
    }
    # the owner collects what payers paid; nobody else can
    collect = desk.contract.functions.collect(usdc, alice.address, 1)
    assert fees.reason(alice, collect) is not None
    fees.d.send(owner, desk.contract.functions.collect(usdc, owner.address, 110_000))


def test_funding_the_float(fees: Fees) -> None:
    desk, alice = _desk(fees), fees.users[0]
    before = desk.float()
    desk.fund(fees.d.signer(alice), 5 * WAD)
    assert desk.float() == before + 5 * WAD
    with pytest.raises(InsufficientBalance, match="cannot fund"):
        desk.fund(fees.d.signer(alice), 10**30)


def test_the_ask_encoding_matches_the_contracts_struct() -> None:
    data = ask_data(b"\x01" * 32, b"hi", 7, "0x" + "ab" * 20, 9, 60, callback_mode=2)
    # a dynamic tuple: one head word pointing at it, then its seven fields
    assert data[:32] == encode(["uint256"], [32])
    assert len(data) == 32 + 7 * 32 + 32 + 32
    words = [int.from_bytes(data[32 + 32 * i : 64 + 32 * i]) for i in range(7)]
    assert words[2:] == [7, 0xAB * sum(256**i for i in range(20)), 9, 2, 60]


STEPS = st.lists(
    st.tuples(
        st.sampled_from(["stable", "rex", "voucher", "expire", "withdraw"]),
        st.integers(0, 1),
        st.integers(1, 100),
    ),
    min_size=1,
    max_size=5,
)
UNITS = {"stable": 11, "rex": 13}
"""Cents that cover the devnet provider's 1 REX by each method (see the plan tests above)."""


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_vouchers_match_a_reference_and_the_float_always_covers_them(
    deployment: Fees, steps: list[tuple[str, int, int]]
) -> None:
    """Random payments, voucher spends, refunds and owner withdrawals, sent as raw calls: each
    payer's voucher is what a reference computes (the budget's rest, less what a voucher spend
    took, plus each reclaimed fee), their sum is ``vouchersOwed``, and the float never falls
    below it (a call that would break it reverts)."""
    with deployment.d.rollback():
        fees, desk = deployment, _desk(deployment)
        fn, usdc = desk.contract.functions, fees.tokens["USDC"].address
        expected = {u.address: 0 for u in fees.users[:2]}
        posted: list[tuple[int, str]] = []
        for action, who, share in steps:
            payer = fees.users[who]
            if action in UNITS:
                call = fees.fn.payAndCall(
                    sid(SERVICE), 0 if action == "stable" else 1, usdc, UNITS[action], 10**30,
                    REF, _data(),
                )  # fmt: skip
                if fees.reason(payer, call) is not None:  # the float ran low: refused
                    continue
                receipt = fees.d.execute(payer, call)
                (served,) = receipt.events(desk.contract, "Served")
                expected[payer.address] += served["budget"] - served["spent"]
                posted.append((int(served["id"]), payer.address))
            elif action == "voucher" and expected[payer.address] >= DEV_PROVIDER_PRICE_WEI:
                budget = expected[payer.address]
                receipt = fees.d.execute(payer, fn.spendVoucher(budget, REF, _data()))
                (served,) = receipt.events(desk.contract, "Served")
                expected[payer.address] -= served["spent"]
                posted.append((int(served["id"]), payer.address))
            elif action == "expire" and posted:
                fees.d.travel(60 + 120 + 5)
                for request_id, owner in posted:
                    view = desk.client.get(request_id)
                    fees.d.execute(
                        payer, desk.client.book.functions.refund(view.id, view.as_struct())
                    )
                    view = desk.client.get(request_id)
                    fees.d.execute(payer, fn.reclaim(view.id, view.as_struct()))
                    expected[owner] += view.fee
                posted.clear()
            elif action == "withdraw":
                amount = (desk.float() - _owed(desk)) * share // 100
                if amount:
                    fees.d.execute(fees.deployer, fn.withdrawFloat(fees.deployer.address, amount))
            for address, held in expected.items():
                assert desk.voucher(address) == held
            assert _owed(desk) == sum(expected.values())
            assert desk.float() >= _owed(desk)
