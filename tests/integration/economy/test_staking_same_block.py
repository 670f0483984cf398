"""Staking and unstaking in one block earns nothing and pays the full early deduction."""

from __future__ import annotations

from rexos.economy import WAD
from tests.integration.economy.harness import Deployment, events

AMOUNT = 1_000 * WAD
EARLY_RATE_BPS = 2_000  # holding age under 30 days


def test_stake_and_unstake_in_one_block_earn_nothing(economy: Deployment) -> None:
    f = economy.staked.functions
    alice = economy.users[0]
    before = economy.rex_balance(alice.address)
    assert f.rewardRate().call() > 0  # the foundation stream is running

    stake, unstake = economy.mine_together([(alice, f.stake(AMOUNT)), (alice, f.unstake(AMOUNT))])

    assert stake["status"] == 1 and unstake["status"] == 1
    assert stake["blockNumber"] == unstake["blockNumber"] == economy.web3.eth.block_number
    assert f.earned(alice.address).call() == 0
    assert f.points(alice.address).call() == 0
    balance, _, _, balance_seconds, rewards, _ = f.accountOf(alice.address).call()
    assert (balance, balance_seconds, rewards) == (0, 0, 0)
    [event] = events(economy.staked, "Unstaked", unstake)
    deduction = AMOUNT * EARLY_RATE_BPS // 10_000
    assert event["deduction"] == deduction
    assert event["burned"] == deduction // 2
    assert event["received"] == AMOUNT - deduction
    assert economy.rex_balance(alice.address) == before - deduction


def test_stake_and_unstake_in_two_blocks_earn_a_little(economy: Deployment) -> None:
    """The control: one block apart, the stream pays the staker, so the test above can fail."""
    f = economy.staked.functions
    alice = economy.users[0]
    economy.send(alice, f.stake(AMOUNT))
    economy.send(alice, f.unstake(AMOUNT))
    assert f.earned(alice.address).call() > 0
    assert f.points(alice.address).call() > 0
