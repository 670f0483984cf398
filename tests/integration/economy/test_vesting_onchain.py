"""RexVesting on chain follows ``vested_amount`` for both cliff readings, to the wei.

The genesis deploys the ``cliff_end`` reading; the module adds one
``oz_cliff`` wallet per vested bucket (holding a second RexToken, so each
wallet holds its full allocation) with the same TGE, so both readings run
side by side on the same clock.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from web3.contract import Contract

from rexos.economy import (
    DAY,
    VestingParams,
    VestingReading,
    schedule_for,
    vested_amount,
    vesting_params,
)
from rexos.economy.deploy import dev_roles
from tests.integration.economy.harness import Deployment, events

VESTED = ("community_staking", "team_advisors", "investors")
LONGEST = (180 + 1460) * DAY


@dataclass(frozen=True)
class Wallet:
    """One deployed vesting wallet, the token it holds and its expected schedule."""

    reading: VestingReading
    contract: Contract
    token: Contract
    params: VestingParams

    def vested(self, t: int) -> int:
        p = self.params
        return vested_amount(p.allocation, p.start, p.duration, p.cliff_seconds, t)

    @property
    def vests_from(self) -> int:
        return self.params.start + self.params.cliff_seconds

    @property
    def end(self) -> int:
        return self.params.start + self.params.duration


@pytest.fixture(scope="module")
def wallets(deployment: Deployment) -> dict[str, tuple[Wallet, Wallet]]:
    """Bucket → (its genesis ``cliff_end`` wallet, an ``oz_cliff`` wallet deployed here)."""
    d = deployment
    tge = d.manifest.tge
    deployer = d.signer(d.deployer)
    token = deployer.deploy("RexToken", d.deployer.address)
    roles = dev_roles()
    pairs = {}
    cliff_end = {p.bucket: p for p in vesting_params(d.genesis, tge, "cliff_end")}
    for p in vesting_params(d.genesis, tge, "oz_cliff"):
        contract = deployer.deploy(
            "RexVesting", p.bucket, roles[p.beneficiary], p.start, p.duration, p.cliff_seconds
        )
        deployer.send(token.functions.transfer(contract.address, p.allocation), action="fund")
        pairs[p.bucket] = (
            Wallet("cliff_end", d.client.vesting[p.bucket], d.rex, cliff_end[p.bucket]),
            Wallet("oz_cliff", contract, token, p),
        )
    return pairs


def test_wallets_are_deployed_as_the_genesis_says(
    economy: Deployment, wallets: dict[str, tuple[Wallet, Wallet]]
) -> None:
    assert sorted(wallets) == sorted(VESTED) == sorted(economy.client.vesting)
    roles = dev_roles()
    for pair in wallets.values():
        for w in pair:
            f = w.contract.functions
            assert f.owner().call() == roles[w.params.beneficiary]
            assert f.bucket().call() == w.params.bucket
            assert (f.start().call(), f.duration().call()) == (w.params.start, w.params.duration)
            assert f.cliff().call() == w.vests_from
            assert w.token.functions.balanceOf(w.contract.address).call() == w.params.allocation
            assert f.released(w.token.address).call() == 0
        assert pair[0].end == pair[1].end  # both readings end together
    for reading, index in (("cliff_end", 0), ("oz_cliff", 1)):
        for schedule in schedule_for(economy.genesis, economy.manifest.tge, reading):
            if schedule.tge_unlock:
                continue
            p = wallets[schedule.name][index].params
            assert (schedule.start, schedule.duration, schedule.cliff_seconds) == (
                p.start,
                p.duration,
                p.cliff_seconds,
            )
            assert schedule.allocation == p.allocation


@pytest.mark.parametrize("bucket", VESTED)
def test_nothing_before_the_cliff_everything_at_the_end(
    economy: Deployment, wallets: dict[str, tuple[Wallet, Wallet]], bucket: str
) -> None:
    for w in wallets[bucket]:
        vested = w.contract.functions.vestedAmount
        token, allocation = w.token.address, w.params.allocation
        assert vested(token, economy.manifest.tge).call() == 0
        assert vested(token, w.vests_from - 1).call() == 0
        assert vested(token, w.vests_from).call() == w.vested(w.vests_from)
        assert vested(token, w.end - 1).call() == w.vested(w.end - 1) < allocation
        assert vested(token, w.end).call() == allocation
        assert vested(token, 2**64 - 1).call() == allocation
    cliff_end, oz_cliff = wallets[bucket]
    at_cliff = cliff_end.vests_from
    assert cliff_end.vested(at_cliff) == 0  # linear from the cliff end, no jump
    p = oz_cliff.params
    assert oz_cliff.vested(at_cliff) == p.allocation * p.cliff_seconds // p.duration  # catch-up
    assert p.cliff_seconds > 0


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    bucket=st.sampled_from(VESTED),
    offsets=st.lists(
        st.one_of(
            st.integers(min_value=0, max_value=LONGEST + 60 * DAY),
            st.sampled_from([180 * DAY - 2, 180 * DAY - 1, 180 * DAY, 910 * DAY, LONGEST]),
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_release_follows_the_schedule(
    deployment: Deployment,
    wallets: dict[str, tuple[Wallet, Wallet]],
    bucket: str,
    offsets: list[int],
) -> None:
    d = deployment
    pair = wallets[bucket]
    beneficiary = pair[0].contract.functions.owner().call()
    caller = d.users[0]  # anyone may release; the tokens go to the owner
    with d.rollback():
        for offset in sorted(offsets):
            t = d.manifest.tge + offset
            if t > d.now():
                d.travel_to(t)
            now = d.now()
            before = {}
            for w in pair:
                f, token = w.contract.functions, w.token.address
                released = f.released(token).call()
                vested_now = f.vestedAmount(token, now).call()
                assert f.vestedAmount(token, t).call() == w.vested(t)
                assert vested_now == w.vested(now)
                assert released <= vested_now <= w.params.allocation
                assert f.releasable(token).call() == vested_now - released
                before[w.reading] = (released, w.token.functions.balanceOf(beneficiary).call())
            receipts = d.mine_together(
                [
                    (caller, w.contract.functions.release(w.token.address))
                    for w in pair
                    for _ in range(2)
                ]
            )
            assert len({r["blockNumber"] for r in receipts}) == 1
            block_time = d.now()
            for i, w in enumerate(pair):
                first, second = receipts[2 * i], receipts[2 * i + 1]
                assert first["status"] == second["status"] == 1
                released, balance = before[w.reading]
                expected = w.vested(block_time) - released
                [paid] = events(w.contract, "ERC20Released", first)
                [again] = events(w.contract, "ERC20Released", second)
                assert paid["amount"] == expected
                assert again["amount"] == 0
                assert w.token.functions.balanceOf(beneficiary).call() == balance + expected
                assert w.contract.functions.released(w.token.address).call() == released + expected
                assert w.contract.functions.releasable(w.token.address).call() == 0
