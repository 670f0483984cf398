"""The market's pure model: the split, job ids, spec hashes and the credit book's rules."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rexos.market as market
from rexos.errors import ConfigError, UsageError
from rexos.market import (
    MAX_JOB_DURATION,
    MAX_POOL_BPS,
    MAX_PRICE,
    MAX_TREASURY_BPS,
    MarketModel,
    as_spec_hash,
    deploy_market,
    job_id,
    split,
)
from rexos.market.views import JobView, VersionView

REX = 10**18
DEV, OP, BUYER, OTHER = "dev", "op", "buyer", "other"
S1, S2 = b"\x01" * 32, b"\x02" * 32
NOW = 1_000_000


def _model() -> MarketModel:
    m = MarketModel(pool_bps=1_000, treasury_bps=500)
    m.list(DEV, S1, OP, 2 * REX)
    m.add_version(DEV, 1, S2)
    m.deposit(BUYER, 100 * REX)
    return m


def _refused(reason: str, action: Any, *args: Any) -> None:
    with pytest.raises(UsageError) as info:
        action(*args)
    assert str(info.value) == f"AgentMarket: {reason}"


def test_public_names_are_exported() -> None:
    public = {n for n in vars(market) if not n.startswith("_")}
    assert public - set(market.__all__) <= {"client", "deploy", "desk", "model", "views"}
    assert {"MarketClient", "MarketModel", "deploy_market", "split"} <= set(market.__all__)


@given(
    price=st.integers(min_value=0, max_value=MAX_PRICE),
    pool=st.integers(min_value=0, max_value=MAX_POOL_BPS),
    treasury=st.integers(min_value=0, max_value=MAX_TREASURY_BPS),
)
def test_the_split_adds_up_and_the_developer_takes_the_rounding(
    price: int, pool: int, treasury: int
) -> None:
    s = split(price, pool, treasury)
    assert s.developer + s.pool + s.treasury == price
    assert s.pool * 10_000 <= price * pool < (s.pool + 1) * 10_000
    assert s.treasury * 10_000 <= price * treasury < (s.treasury + 1) * 10_000
    assert s.developer >= price * 7_000 // 10_000


def test_split_examples_and_bounds() -> None:
    assert split(2 * REX, 1_000, 500) == market.Split(17 * REX // 10, REX // 5, REX // 10)
    assert split(19, 1_000, 500) == market.Split(18, 1, 0)
    for pool, treasury in ((MAX_POOL_BPS + 1, 0), (0, MAX_TREASURY_BPS + 1), (-1, 0)):
        with pytest.raises(UsageError, match="BAD_FEES"):
            split(1, pool, treasury)
    with pytest.raises(UsageError):
        split(-1, 0, 0)


def test_job_ids_pack_listing_version_and_number() -> None:
    jid = job_id(3, 2, 7)
    assert jid == 3 << 64 | 2 << 32 | 7
    view = JobView(jid, DEV, 0, 0, "open", 0)  # type: ignore[arg-type]
    assert (view.listing_id, view.version_index) == (3, 2)


def test_spec_hashes_are_32_non_zero_bytes() -> None:
    assert as_spec_hash("0x" + "ab" * 32) == b"\xab" * 32
    assert as_spec_hash(S1) == S1
    for bad in ("0x12", "zz" * 32, b"\x00" * 32, b"\x01" * 31):
        with pytest.raises(UsageError):
            as_spec_hash(bad)


def test_version_average_score_is_a_fraction() -> None:
    v = VersionView(S1, 1, 0, 3, 2, 6, 2, 6, 26)
    assert v.average_score == (26, 6)


def test_open_settle_refund_rate_and_claim_follow_the_rules() -> None:
    m = _model()
    jid = m.open_job(BUYER, S2, 6 * REX, NOW + 60, NOW)
    assert jid == job_id(1, 1, 1)
    assert m.credit[BUYER] == 94 * REX and m.held() == 6 * REX
    _refused("NOT_OPERATOR", m.settle, DEV, jid, REX, NOW)
    _refused("ABOVE_MAX", m.settle, OP, jid, 6 * REX + 1, NOW)
    _refused("EXPIRED", m.settle, OP, jid, REX, NOW + 61)
    _refused("NOT_EXPIRED", m.refund, jid, NOW + 60)
    shares = m.settle(OP, jid, 2 * REX, NOW + 60)
    assert m.credit[BUYER] == 98 * REX and m.held() == 0
    assert m.listings[1].developer_due == shares.developer == 17 * REX // 10
    assert (m.pool_due, m.treasury_due) == (REX // 5, REX // 10)
    _refused("NOT_OPEN", m.settle, OP, jid, REX, NOW)
    _refused("NOT_BUYER", m.rate, OTHER, jid, 5)
    _refused("BAD_SCORE", m.rate, BUYER, jid, 6)
    assert m.rate(BUYER, jid, 4) == 2 * REX
    _refused("ALREADY_RATED", m.rate, BUYER, jid, 4)
    assert m.versions[S2].weighted_score == 8 * REX
    assert m.claim(1) == (DEV, 17 * REX // 10)
    _refused("NOTHING_TO_CLAIM", m.claim, 1)
    assert m.distribute() == (REX // 5, REX // 10)
    _refused("NOTHING_TO_DISTRIBUTE", m.distribute)


def test_refunds_survive_delisting_and_owner_changes() -> None:
    m = _model()
    jid = m.open_job(BUYER, S1, 2 * REX, NOW + 60, NOW)
    m.set_listed(DEV, 1, False)
    m.set_operator(DEV, 1, OTHER)
    m.transfer_listing(DEV, 1, OTHER)
    m.set_fees(0, 0)
    _refused("DELISTED", m.open_job, BUYER, S1, 2 * REX, NOW + 60, NOW)
    assert m.refund(jid, NOW + 61) == 2 * REX
    assert m.credit[BUYER] == 100 * REX
    _refused("NOT_OPEN", m.refund, jid, NOW + 61)


def test_opening_rules() -> None:
    m = _model()
    _refused("UNKNOWN_SPEC", m.open_job, BUYER, b"\x09" * 32, 2 * REX, NOW + 60, NOW)
    _refused("BELOW_PRICE", m.open_job, BUYER, S1, 2 * REX - 1, NOW + 60, NOW)
    _refused("BAD_EXPIRY", m.open_job, BUYER, S1, 2 * REX, NOW, NOW)
    _refused("BAD_EXPIRY", m.open_job, BUYER, S1, 2 * REX, NOW + MAX_JOB_DURATION + 1, NOW)
    _refused("INSUFFICIENT_CREDIT", m.open_job, OTHER, S1, 2 * REX, NOW + 60, NOW)
    assert m.credit[BUYER] == 100 * REX and not m.jobs


def test_ratings_need_payment_and_a_stranger() -> None:
    m = _model()
    m.deposit(OP, 10 * REX)
    own = m.open_job(OP, S1, 2 * REX, NOW + 60, NOW)
    m.settle(OP, own, 2 * REX, NOW)
    _refused("SELF_RATING", m.rate, OP, own, 5)
    free = m.open_job(BUYER, S1, 2 * REX, NOW + 60, NOW)
    m.settle(OP, free, 0, NOW)
    _refused("UNPAID", m.rate, BUYER, free, 5)
    open_job = m.open_job(BUYER, S1, 2 * REX, NOW + 60, NOW)
    _refused("NOT_SETTLED", m.rate, BUYER, open_job, 5)


def test_listing_rules_and_transfer_pays_the_old_owner() -> None:
    m = _model()
    _refused("SPEC_EXISTS", m.list, OTHER, S2, OP, 1)
    _refused("ZERO_SPEC", m.add_version, DEV, 1, bytes(32))
    _refused("NOT_OWNER", m.add_version, OTHER, 1, b"\x03" * 32)
    _refused("UNKNOWN_LISTING", m.set_price, DEV, 2, 1)
    _refused("PRICE_TOO_HIGH", m.set_price, DEV, 1, MAX_PRICE + 1)
    m.settle(OP, m.open_job(BUYER, S1, 2 * REX, NOW + 60, NOW), 2 * REX, NOW)
    m.transfer_listing(DEV, 1, OTHER)
    assert m.credit[DEV] == 17 * REX // 10 and m.listings[1].developer_due == 0
    _refused("NOTHING_TO_CLAIM", m.claim, 1)
    assert m.liabilities() == 100 * REX


def test_withdraw_and_deposit_rules() -> None:
    m = _model()
    _refused("ZERO_AMOUNT", m.deposit, BUYER, 0)
    _refused("ZERO_AMOUNT", m.withdraw, BUYER, 0)
    _refused("INSUFFICIENT_CREDIT", m.withdraw, BUYER, 100 * REX + 1)
    m.withdraw(BUYER, 100 * REX)
    assert m.liabilities() == 0


def test_deploy_refuses_shares_beyond_the_bounds_before_touching_the_chain() -> None:
    for pool, treasury in ((MAX_POOL_BPS + 1, 0), (0, MAX_TREASURY_BPS + 1)):
        with pytest.raises(ConfigError):
            deploy_market(
                None,  # type: ignore[arg-type]
                "0x" + "11" * 20,  # type: ignore[arg-type]
                "0x" + "22" * 20,  # type: ignore[arg-type]
                "0x" + "33" * 20,  # type: ignore[arg-type]
                pool_bps=pool,
                treasury_bps=treasury,
            )


def test_a_free_job_opens_for_a_buyer_who_never_deposited() -> None:
    """The contract lets a job of price 0 hold 0 credit of an account it never credited;
    the model once raised KeyError there (found by the stateful property)."""
    m = MarketModel(pool_bps=1_000, treasury_bps=500)
    m.list("0x" + "01" * 20, b"\x07" * 32, "0x" + "01" * 20, 0)
    job = m.open_job("0x" + "02" * 20, b"\x07" * 32, 0, 1_000, 10)
    assert m.jobs[job].amount == 0 and m.credit["0x" + "02" * 20] == 0
