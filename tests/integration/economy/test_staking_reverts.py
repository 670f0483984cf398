"""Reverts of StakedRex reach the caller as ``TransactionReverted`` with the decoded reason."""

from __future__ import annotations

import pytest
from web3.contract.contract import ContractFunction

from rexos.economy import WAD
from rexos.errors import TransactionReverted
from tests.integration.economy.harness import Deployment


def _reason(economy: Deployment, call: ContractFunction, user: int = 0) -> str:
    """Send ``call`` from user ``user``; it must revert without mining anything."""
    block = economy.web3.eth.block_number
    with pytest.raises(TransactionReverted) as caught:
        economy.send(economy.users[user], call, action="probe")
    assert economy.web3.eth.block_number == block
    return caught.value.reason


def test_unstake_more_than_staked(economy: Deployment) -> None:
    f = economy.staked.functions
    assert _reason(economy, f.unstake(1)) == "StakedRex: INSUFFICIENT_STAKE"
    economy.send(economy.users[0], f.stake(10 * WAD))
    assert _reason(economy, f.unstake(10 * WAD + 1)) == "StakedRex: INSUFFICIENT_STAKE"
    assert f.balanceOf(economy.users[0].address).call() == 10 * WAD


def test_zero_amounts(economy: Deployment) -> None:
    f = economy.staked.functions
    assert _reason(economy, f.stake(0)) == "StakedRex: ZERO_AMOUNT"
    assert _reason(economy, f.unstake(0)) == "StakedRex: ZERO_AMOUNT"
    assert _reason(economy, f.fund(0)) == "StakedRex: ZERO_AMOUNT"


def test_srex_is_not_transferable(economy: Deployment) -> None:
    f = economy.staked.functions
    alice, bob = economy.users[0], economy.users[1]
    economy.send(alice, f.stake(5 * WAD))
    assert _reason(economy, f.transfer(bob.address, WAD)) == "StakedRex: NON_TRANSFERABLE"
    assert _reason(economy, f.approve(bob.address, WAD)) == "StakedRex: NON_TRANSFERABLE"
    assert (
        _reason(economy, f.transferFrom(alice.address, bob.address, WAD), user=1)
        == "StakedRex: NON_TRANSFERABLE"
    )
    assert f.balanceOf(alice.address).call() == 5 * WAD
    assert f.balanceOf(bob.address).call() == 0


def test_start_stream_is_owner_only(economy: Deployment) -> None:
    f = economy.staked.functions
    mallory = economy.users[2]
    reason = _reason(economy, f.startStream(1000 * WAD, 86_400), user=2)
    # The decoder prints the address in lower case.
    assert reason.lower() == f"OwnableUnauthorizedAccount(account={mallory.address})".lower()
    assert reason.startswith("OwnableUnauthorizedAccount(account=0x")


def test_start_stream_while_active(economy: Deployment) -> None:
    f = economy.staked.functions
    with pytest.raises(TransactionReverted) as caught:
        economy.send(economy.deployer, f.startStream(1000 * WAD, 86_400))
    assert caught.value.reason == "StakedRex: STREAM_ACTIVE"
