"""Position readers on crafted return data: what counts as a position and what does not."""

from __future__ import annotations

from collections.abc import Sequence

from eth_abi.abi import encode
from web3 import Web3

from rexos.dex.multicall import Call, Multicall, selector
from rexos.dex.v2 import V2Pool
from rexos.lense.model import Asset
from rexos.lense.positions import (
    POINTS_PREFIX,
    Reading,
    pool_probe,
    run_probes,
    staking_probe,
    vesting_probe,
)

OWNER = Web3.to_checksum_address("0x" + "aa" * 20)
STRANGER = Web3.to_checksum_address("0x" + "bb" * 20)
A, B, PAIR, REX, STAKED, VEST = (Web3.to_checksum_address(f"0x{k:040x}") for k in range(1, 7))
ASSETS = {
    t: Asset(1, t, s, s, 18) for t, s in ((A, "AAA"), (B, "BBB"), (REX, "REX"), (STAKED, "sREX"))
}
READING = Reading(1, OWNER, 42, ASSETS)


class Table(Multicall):
    """Answers each (target, selector) from a table; unknown calls revert."""

    def __init__(self, answers: dict[tuple[str, str], int | str]) -> None:
        super().__init__(Web3(), batch=500)
        self.answers = {(t, selector(s)): v for (t, s), v in answers.items()}

    def try_many(self, calls: Sequence[Call], block: int) -> list[bytes | None]:
        self.requests += 1
        assert block == 42
        return [self._answer(c) for c in calls]

    def _answer(self, call: Call) -> bytes | None:
        value = self.answers.get((call.target, call.data[:4]))
        if value is None:
            return None
        return encode(["address" if isinstance(value, str) else "uint256"], [value])


def pair(reserve_a: int, reserve_b: int) -> V2Pool:
    return V2Pool(PAIR, A, B, reserve_a, reserve_b, 30)


def test_an_lp_share_of_the_reserves() -> None:
    table = Table({(PAIR, "balanceOf(address)"): 25, (PAIR, "totalSupply()"): 100})
    probe = pool_probe(READING, {PAIR: pair(1_000, 4_003)}, {PAIR: "unidev"})
    (lp,) = run_probes(table, [probe], 42)
    assert (lp.kind, lp.amount, lp.venue, lp.asset.symbol) == ("lp", 25, PAIR, "AAA/BBB LP")
    assert [(a.symbol, n) for a, n in lp.underlying] == [("AAA", 250), ("BBB", 1_000)]
    assert (
        lp.source
        == f"unidev pool {PAIR} balanceOf, totalSupply(), getReserves() at block 42 on chain 1"
    )
    assert table.requests == 1


def test_no_lp_tokens_or_an_impossible_share_is_no_position() -> None:
    for held, supply in ((0, 100), (101, 100), (5, 0)):
        table = Table({(PAIR, "balanceOf(address)"): held, (PAIR, "totalSupply()"): supply})
        assert run_probes(table, [pool_probe(READING, {PAIR: pair(1, 1)}, {})], 42) == []


def test_stake_rewards_and_points() -> None:
    table = Table(
        {
            (STAKED, "balanceOf(address)"): 7,
            (STAKED, "earned(address)"): 3,
            (STAKED, "points(address)"): 0,
        }
    )
    stake, rewards = run_probes(table, [staking_probe(READING, STAKED, REX)], 42)
    assert (stake.kind, stake.amount, stake.asset.symbol) == ("stake", 7, "sREX")
    assert stake.underlying == ((ASSETS[REX], 7),)
    assert (rewards.kind, rewards.amount, rewards.asset.symbol) == ("rewards", 3, "REX")
    table.answers[(STAKED, selector("points(address)"))] = 9
    points = run_probes(table, [staking_probe(READING, STAKED, REX)], 42)[-1]
    assert points.kind == "points" and points.asset.token == POINTS_PREFIX + STAKED


def test_vesting_counts_only_the_owners_wallets() -> None:
    answers: dict[tuple[str, str], int | str] = {
        (VEST, "owner()"): OWNER,
        (VEST, "releasable(address)"): 40,
        (REX, "balanceOf(address)"): 100,
    }
    unvested, releasable = run_probes(
        Table(answers), [vesting_probe(READING, {"RexVesting:team": VEST}, REX)], 42
    )
    assert (unvested.kind, unvested.amount, unvested.venue) == ("vesting", 60, "RexVesting:team")
    assert (releasable.kind, releasable.amount) == ("rewards", 40)
    answers[(VEST, "owner()")] = STRANGER
    assert (
        run_probes(Table(answers), [vesting_probe(READING, {"RexVesting:team": VEST}, REX)], 42)
        == []
    )
    assert run_probes(Table(answers), [vesting_probe(READING, {"StakedRex": VEST}, REX)], 42) == []
