"""The FeeRouter on the devnet deployment: payments in a stablecoin, in REX at the discount
(TWAP-priced, and a one-block manipulation changes nothing), with points (never negative,
never spent twice), exact splits, and the bounds the contract fixes."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rexos.economy.tick_math import rex_for_usd
from rexos.errors import InsufficientBalance, UsageError
from tests.integration.economy.fee_harness import WAD, Fees, sid
from tests.integration.economy.harness import events

BPS = 10_000
REF = b"\x11" * 32
NOBODY = "0x" + "00" * 20
DUMP = 2_000_000 * WAD
"""REX sold into the REX/WETH pool ($200k a side) to push its price: about 95 % of its WETH."""


@pytest.fixture(scope="module")
def deployment() -> Fees:
    """The devnet deployment with approvals, past the first TWAP window."""
    return Fees.create()


@pytest.fixture
def fees(deployment: Fees) -> Iterator[Fees]:
    with deployment.d.rollback():
        yield deployment


def _split(amount: int, pool_bps: int, treasury_bps: int) -> tuple[int, int, int]:
    pool, treasury = amount * pool_bps // BPS, amount * treasury_bps // BPS
    return pool, treasury, amount - pool - treasury


# ------------------------------------------------------------ payments


def test_stable_payment_splits_to_keeper_treasury_and_provider(fees: Fees) -> None:
    alice, provider = fees.users[0], fees.provider()
    # the pool keeper is the treasury at first; a keeper apart shows the three legs
    keeper = fees.users[2].address
    fees.d.send(fees.deployer, fees.fn.setPoolKeeper(keeper))
    before = {a: fees.balance("USDC", a) for a in (alice.address, keeper, fees.treasury, provider)}

    receipt = fees.d.send(
        alice,
        fees.fn.payStable(
            sid("studio.agent_run"), fees.tokens["USDC"].address, 2 * 10**5, provider, REF
        ),
    )

    amount = 200_000  # $0.20 in 6-decimal USDC
    pool, treasury, payee = _split(amount, 1_000, 500)
    assert fees.balance("USDC", alice.address) == before[alice.address] - amount
    assert fees.balance("USDC", keeper) - before[keeper] == pool == 20_000
    assert fees.balance("USDC", fees.treasury) - before[fees.treasury] == treasury == 10_000
    assert fees.balance("USDC", provider) - before[provider] == payee == 170_000
    [event] = fees.paid_events(receipt.raw)
    assert event["serviceId"] == sid("studio.agent_run")
    assert (event["payer"], event["method"], event["usd"]) == (alice.address, 0, WAD // 5)
    assert (event["amount"], event["payee"], event["ref"]) == (amount, provider, REF)


def test_stable_payment_rounds_up_in_an_18_decimal_coin(fees: Fees) -> None:
    assert fees.fn.quoteStable(sid("lense.report"), fees.tokens["DAI"].address).call() == WAD // 2
    fees.d.send(
        fees.deployer, fees.fn.setService(sid("odd"), fees.treasury, 10**12 + 1, 0, 0, False)
    )
    assert fees.fn.quoteStable(sid("odd"), fees.tokens["USDC"].address).call() == 2


def test_rex_payment_is_discounted_and_priced_at_the_twap(fees: Fees) -> None:
    alice, provider = fees.users[0], fees.provider()
    twap = fees.client.twap()
    charged = fees.client.quote("studio.agent_run", "rex")
    # $0.20 less 20 % at about $0.10 a REX: about 1.6 REX
    assert abs(Decimal(charged) / WAD - Decimal("1.6")) < Decimal("0.002")
    assert charged == fees.fn.rexForUsd(WAD // 5 * 8 // 10).call()
    # the same integers computed off chain from the mean ticks
    assert charged == fees.client.rex_for_usd_offchain(WAD // 5 * 8 // 10, twap)
    pending, treasury_before = fees.reward_pool(), fees.balance("REX", fees.treasury)
    provider_before = fees.balance("REX", provider)

    amount, receipt = fees.client.pay(
        fees.d.signer(alice), "studio.agent_run", "rex", payee=provider
    )

    pool, treasury, payee = _split(charged, 1_000, 500)
    assert amount == charged
    assert fees.reward_pool() - pending == pool  # the pool share went into sREX
    [funded] = events(fees.d.staked, "RewardFunded", receipt.raw)
    assert (funded["from"], funded["amount"]) == (fees.router.address, pool)
    assert fees.balance("REX", fees.treasury) - treasury_before == treasury
    assert fees.balance("REX", provider) - provider_before == payee
    assert fees.balance("REX", fees.router.address) == 0
    [event] = fees.paid_events(receipt.raw)
    assert (event["method"], event["amount"], event["token"]) == (1, charged, fees.d.rex.address)


def test_points_payment_records_the_spend(fees: Fees) -> None:
    alice = fees.users[0]
    fees.d.send(alice, fees.d.staked.functions.stake(1_000 * WAD))
    fees.d.travel(86_400)
    earned = int(fees.d.staked.functions.points(alice.address).call())
    assert earned >= 1_000 * WAD  # 1,000 sREX for a day
    cost = fees.client.quote("lense.report", "points")
    assert cost == 500 * WAD  # $0.50 at 1,000 points per USD

    _, receipt = fees.client.pay(fees.d.signer(alice), "lense.report", "points", ref=REF)

    assert fees.fn.pointsSpent(alice.address).call() == cost
    available = int(fees.fn.pointsAvailable(alice.address).call())
    assert available == int(fees.d.staked.functions.points(alice.address).call()) - cost
    [event] = fees.paid_events(receipt.raw)
    assert (event["method"], event["amount"], event["token"]) == (2, cost, NOBODY)
    # a second report costs what is left, and a third is refused in one clear line
    fees.client.pay(fees.d.signer(alice), "lense.report", "points")
    with pytest.raises(InsufficientBalance, match="available"):
        fees.client.pay(fees.d.signer(alice), "lense.report", "points")
    fees.reverts(
        alice,
        fees.fn.payPoints(sid("lense.report"), cost, NOBODY, REF),
        "FeeRouter: INSUFFICIENT_POINTS",
    )


def test_a_service_without_points_refuses_them(fees: Fees) -> None:
    call = fees.fn.payPoints(sid("smartwallet.swap_fee"), 10**30, NOBODY, REF)
    assert fees.reason(fees.users[0], call) == "FeeRouter: NO_POINTS"
    with pytest.raises(UsageError, match="do not pay"):
        fees.client.quote("smartwallet.swap_fee", "points")


# ------------------------------------------------------------ manipulation


def _spot_rex_for_usd(fees: Fees, usd: int) -> int:
    """What a router reading the spot price would charge (the control)."""
    rex_tick, usd_tick = fees.spot_ticks()
    weth, rex, usdc = (fees.tokens[s].address for s in ("WETH", "REX", "USDC"))
    return rex_for_usd(
        usd,
        usd_tick=usd_tick,
        rex_tick=rex_tick,
        usd_decimals=6,
        bridge_is_token0=int(weth, 16) < int(usdc, 16),
        rex_is_token0=int(rex, 16) < int(weth, 16),
    )


def test_a_one_block_price_push_does_not_change_what_rex_costs(fees: Fees) -> None:
    alice, provider = fees.users[0], fees.provider()
    usd = WAD // 5 * 8 // 10
    quoted = fees.client.quote("studio.agent_run", "rex")
    spot_before = _spot_rex_for_usd(fees, usd)
    dump = fees.swap_call("REX", "WETH", DUMP)
    pay = fees.fn.payRex(sid("studio.agent_run"), quoted, provider, REF)

    swapped, paid = fees.d.mine_together([(fees.deployer, dump), (alice, pay)])

    assert swapped["status"] == 1 and paid["status"] == 1
    assert swapped["blockNumber"] == paid["blockNumber"]
    [event] = fees.paid_events(paid)
    assert event["amount"] == quoted  # the TWAP did not see the push
    spot_after = _spot_rex_for_usd(fees, usd)
    assert spot_after > spot_before * 5 // 4  # a spot reading would have charged >25 % more


def test_a_push_one_block_before_weighs_only_its_seconds_in_the_window(fees: Fees) -> None:
    """A swap one block before the payment moves the mean tick by the pushed ticks times the
    seconds they were held over the window, no more: here well under 1 % of the charge."""
    before_ticks = fees.fn.twapTicks().call()
    quoted = fees.client.quote("studio.agent_run", "rex")
    pushed_from = fees.spot_ticks()[0]
    swap = fees.d.execute(fees.deployer, fees.swap_call("REX", "WETH", DUMP))
    pushed = pushed_from - fees.spot_ticks()[0]
    pay = fees.fn.payRex(sid("studio.agent_run"), 2 * quoted, fees.provider(), REF)
    paid = fees.d.execute(fees.users[0], pay)
    held = fees.d.web3.eth.get_block(paid.block_number)["timestamp"] - swap.timestamp
    after_ticks = fees.fn.twapTicks().call(block_identifier=paid.block_number)
    assert 0 < held < 60 and pushed > 2_000
    moved = before_ticks[0] - after_ticks[0]
    assert 0 <= moved <= pushed * held // 600 + 2
    [event] = fees.paid_events(paid.raw)
    assert quoted <= event["amount"] < quoted * 101 // 100


def test_a_price_held_for_the_window_does_move_the_charge(fees: Fees) -> None:
    """The control of the test above: the TWAP follows a price that stays."""
    quoted = fees.client.quote("studio.agent_run", "rex")
    fees.d.execute(fees.deployer, fees.swap_call("REX", "WETH", DUMP))
    fees.d.travel(60)
    moved_a_little = fees.client.quote("studio.agent_run", "rex")
    fees.d.travel(700)
    held = fees.client.quote("studio.agent_run", "rex")
    assert quoted < moved_a_little < held
    assert held > quoted * 5 // 4
    assert held == pytest.approx(_spot_rex_for_usd(fees, WAD // 5 * 8 // 10), rel=1e-3)


def test_an_oracle_younger_than_the_window_is_one_clear_error(fees: Fees) -> None:
    fees.d.send(fees.deployer, fees.fn.setTerms(2_000, 86_400, 1_000 * WAD))
    call = fees.fn.quoteRex(sid("studio.agent_run"))
    assert fees.reason(fees.users[0], call) == "FeeRouter: ORACLE_TOO_YOUNG"
    with pytest.raises(UsageError, match="does not cover the 86400 s TWAP window"):
        fees.client.pay(
            fees.d.signer(fees.users[0]), "studio.agent_run", "rex", payee=fees.provider()
        )
    # a stablecoin still pays
    fees.client.pay(
        fees.d.signer(fees.users[0]), "studio.agent_run", "stable", payee=fees.provider()
    )


def test_rex_slippage_guard(fees: Fees) -> None:
    quoted = fees.client.quote("studio.agent_run", "rex")
    call = fees.fn.payRex(sid("studio.agent_run"), quoted - 1, fees.provider(), REF)
    assert fees.reason(fees.users[0], call) == "FeeRouter: SLIPPAGE"


# ------------------------------------------------------------ bounds and rules


def test_bounds_on_shares_discount_window_and_rate(fees: Fees) -> None:
    fn, owner, t = fees.fn, fees.deployer, fees.treasury
    for call, reason in [
        (fn.setService(sid("x"), t, WAD, 3_001, 0, True), "FeeRouter: BAD_SHARES"),
        (fn.setService(sid("x"), t, WAD, 0, 2_001, True), "FeeRouter: BAD_SHARES"),
        (fn.setService(sid("x"), t, 0, 0, 0, True), "FeeRouter: BAD_PRICE"),
        (fn.setService(sid("x"), t, 10**24 + 1, 0, 0, True), "FeeRouter: BAD_PRICE"),
        (fn.setTerms(5_001, 600, WAD), "FeeRouter: BAD_DISCOUNT"),
        (fn.setTerms(0, 599, WAD), "FeeRouter: BAD_WINDOW"),
        (fn.setTerms(0, 86_401, WAD), "FeeRouter: BAD_WINDOW"),
        (fn.setTerms(0, 600, 0), "FeeRouter: BAD_RATE"),
        (fn.setTerms(0, 600, 10**24 + 1), "FeeRouter: BAD_RATE"),
        (fn.setPoolKeeper(fees.router.address), "FeeRouter: BAD_KEEPER"),
        (fn.removeService(sid("x")), "FeeRouter: UNKNOWN_SERVICE"),
    ]:
        assert fees.reason(owner, call) == reason, call.fn_name
    # the bounds themselves are accepted
    assert fees.reason(owner, fn.setService(sid("x"), t, 10**24, 3_000, 2_000, True)) is None
    assert fees.reason(owner, fn.setTerms(5_000, 86_400, 10**24)) is None
    stranger = fees.users[1]
    for call in (fn.setService(sid("x"), t, WAD, 0, 0, True), fn.setTerms(0, 600, WAD)):
        assert (fees.reason(stranger, call) or "").startswith("OwnableUnauthorizedAccount")


def test_payee_rules(fees: Fees) -> None:
    alice, usdc = fees.users[0], fees.tokens["USDC"].address
    no_payee = fees.fn.payStable(sid("studio.agent_run"), usdc, WAD, NOBODY, REF)
    assert fees.reason(alice, no_payee) == "FeeRouter: NO_PAYEE"
    other = fees.fn.payStable(sid("lense.report"), usdc, WAD, fees.provider(), REF)
    assert fees.reason(alice, other) == "FeeRouter: PAYEE_FIXED"
    weth = fees.fn.payStable(sid("lense.report"), fees.tokens["WETH"].address, WAD, NOBODY, REF)
    assert fees.reason(alice, weth) == "FeeRouter: NOT_STABLECOIN"
    unknown = fees.fn.payStable(sid("nope"), usdc, WAD, NOBODY, REF)
    assert fees.reason(alice, unknown) == "FeeRouter: UNKNOWN_SERVICE"
    with pytest.raises(UsageError, match="give the payee"):
        fees.client.pay_call("studio.agent_run", "stable", WAD)
    with pytest.raises(UsageError, match="no service 'nope'"):
        fees.client.quote("nope", "stable")


# ------------------------------------------------------------ properties


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    price=st.integers(1, 10**22),
    pool_bps=st.integers(0, 3_000),
    treasury_bps=st.integers(0, 2_000),
    method=st.sampled_from(["USDC", "DAI", "REX"]),
)
def test_splits_are_exact(
    deployment: Fees, price: int, pool_bps: int, treasury_bps: int, method: str
) -> None:
    """Pool, treasury and payee receive the floor shares and the rest: they sum to the
    amount paid, which left the payer, and the router keeps nothing."""
    f = deployment
    with f.d.rollback():
        alice, provider, keeper = f.users[0], f.provider(), f.users[2].address
        f.d.execute(f.deployer, f.fn.setPoolKeeper(keeper))
        f.d.execute(
            f.deployer, f.fn.setService(sid("p"), NOBODY, price, pool_bps, treasury_bps, True)
        )
        if method == "REX":
            call = f.fn.payRex(sid("p"), 2**255, provider, REF)
            pool_at, read_pool = None, f.reward_pool
        else:
            call = f.fn.payStable(sid("p"), f.tokens[method].address, 2**255, provider, REF)
            pool_at = keeper
        payer_before = f.balance(method, alice.address)
        treasury_before, provider_before = (
            f.balance(method, f.treasury),
            f.balance(method, provider),
        )
        pool_before = f.balance(method, pool_at) if pool_at else read_pool()

        raw = f.d.execute(alice, call)

        [event] = f.paid_events(raw.raw)
        amount = int(event["amount"])
        pool, treasury, payee = _split(amount, pool_bps, treasury_bps)
        assert pool + treasury + payee == amount
        assert payer_before - f.balance(method, alice.address) == amount
        assert f.balance(method, f.treasury) - treasury_before == treasury
        assert f.balance(method, provider) - provider_before == payee
        pool_after = f.balance(method, pool_at) if pool_at else read_pool()
        assert pool_after - pool_before == pool
        assert f.balance(method, f.router.address) == 0
        if method != "REX":
            decimals = 6 if method == "USDC" else 18
            assert amount == -(-price * 10**decimals // WAD)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["spend", "wait", "unstake"]), st.integers(1, 40)),
        min_size=3,
        max_size=10,
    ),
    stake=st.integers(100, 5_000),
)
def test_points_never_negative_or_spent_twice(
    deployment: Fees, steps: list[tuple[str, int]], stake: int
) -> None:
    """Against a reference: every spend that passes raises ``pointsSpent`` by its cost and
    fits in what was earned; one beyond the available points reverts and changes nothing;
    ``available == earned - spent`` always."""
    f = deployment
    with f.d.rollback():
        bob = f.users[1]
        f.d.execute(bob, f.d.staked.functions.stake(stake * WAD))
        spent = 0
        for action, size in steps:
            if action == "wait":
                f.d.travel(size * 3_600)
            elif action == "unstake":
                balance = int(f.d.staked.functions.balanceOf(bob.address).call())
                if balance > 1:
                    f.d.execute(bob, f.d.staked.functions.unstake(balance // 2))
            else:
                f.d.execute(
                    f.deployer,
                    f.fn.setService(sid("p"), f.treasury, size * WAD // 10, 0, 0, True),
                )
                cost = int(f.fn.quotePoints(sid("p")).call())
                available = int(f.fn.pointsAvailable(bob.address).call())
                call = f.fn.payPoints(sid("p"), cost, NOBODY, REF)
                reason = f.reason(bob, call)
                # the call is judged at the next block, whose points are a little higher
                if cost <= available:
                    assert reason is None
                if reason is None:
                    f.d.execute(bob, call)
                    spent += cost
                else:
                    assert reason == "FeeRouter: INSUFFICIENT_POINTS"
            earned = int(f.d.staked.functions.points(bob.address).call())
            assert int(f.fn.pointsSpent(bob.address).call()) == spent
            assert spent <= earned
            assert int(f.fn.pointsAvailable(bob.address).call()) == earned - spent


# ------------------------------------------------------------ the Wallet agent's reading


def test_the_wallet_agent_reads_fee_payments_and_points_spends(fees: Fees) -> None:
    from rexos.agents.wallet import ETH, classify
    from rexos.dex.onchain import TokenInfo

    manifest, me = fees.d.manifest, fees.users[0].address
    known = {
        c.address.lower(): TokenInfo(s, c.address, 6 if s == "USDC" else 18)
        for s, c in fees.tokens.items()
        if s in ("USDC", "REX")
    }

    def read(call: object) -> tuple[str, str, int, str]:
        data = bytes.fromhex(call._encode_transaction_data().removeprefix("0x"))  # type: ignore[attr-defined]
        action = classify(
            fees.d.web3,
            manifest,
            lambda a: known.get(a.lower()),
            ETH,
            me,
            fees.router.address,
            0,
            data,
        )
        return action.kind, action.token.symbol, action.amount, action.summary

    stable = fees.client.pay_call("lense.report", "stable", 500_000)
    assert read(stable)[:3] == ("fee_payment", "USDC", 500_000)
    rex = fees.client.pay_call("studio.agent_run", "rex", 8 * WAD, payee=fees.provider())
    assert read(rex)[:3] == ("fee_payment", "REX", 8 * WAD)
    kind, _, amount, summary = read(fees.client.pay_call("lense.report", "points", 500 * WAD))
    assert (kind, amount) == ("points_spend", 0)
    assert "500 AI points" in summary and "no tokens move" in summary
    owner_call = fees.fn.setTerms(0, 600, WAD)
    assert read(owner_call)[0] == "call"  # the owner's setters are not a user's action
    # payAndCall reads as the payment it makes, whichever method
    served = {m: fees.client.pay_call("dprompt.request", m, 3 * WAD, data=b"ask") for m in
              ("stable", "rex", "points")}  # fmt: skip
    kind, symbol, amount, summary = read(served["stable"])
    assert (kind, symbol, amount) == ("fee_payment", "USDC", 3 * WAD)
    assert "serve it" in summary
    assert read(served["rex"])[:3] == ("fee_payment", "REX", 3 * WAD)
    assert read(served["points"])[:3] == ("points_spend", "REX", 0)
