"""The seed's rules on a synthetic snapshot of 10,000 addresses with known answers.

Nine thousand users withdraw from an exchange hot wallet (a known service) and use a dapp;
some families fund each other (clusters of three, under the cut). About a thousand farm
wallets in 20-odd farms are funded through hops by one funder each and sweep to one
collector; a few farm wallets hold KYC. Each user's tier is worked out here by hand from its
facts, independently of the rules engine, and compared with the draft and the final list.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

import pytest

from rexos.airdrop.eligibility import Draft, draft, finalize
from rexos.airdrop.rules import Rules, load_rules
from rexos.airdrop.snapshot import Snapshot
from rexos.airdrop.transfers import ETH, Transfer
from rexos.types import Address, parse_address


def addr(n: int) -> Address:
    return parse_address(f"0x{n:040x}")


HOT = addr(0xE0E0E0)
DAPP = addr(0xDA99)


@dataclass
class World:
    facts: dict[Address, dict[str, int]]
    transfers: list[Transfer]
    farms: list[list[Address]]


def _world(seed: int) -> World:
    rng = random.Random(seed)
    world = World({}, [], [])

    def pay(sender: Address, recipient: Address, value: int, block: int) -> None:
        n = len(world.transfers) + 1
        world.transfers.append(Transfer(ETH, sender, recipient, value, block, f"0x{n:064x}", n))

    users = [addr(10_000 + i) for i in range(9_000)]
    for i, user in enumerate(users):
        world.facts[user] = {
            "loyalty_points": rng.randint(0, 1000),
            "ai_points": rng.choice([0, 0, 1, 5]),
            **({"kyc": 1} if rng.random() < 0.2 else {}),
            **({"catto_tier_4": 1} if rng.random() < 0.1 else {}),
        }
        pay(HOT, user, 10**17, 1 + i // 100)
        pay(user, DAPP, 10**16, 200 + i // 100)
    for i in range(0, 600, 3):
        pay(users[i], users[i + 1], 10**16, 400)
        pay(users[i], users[i + 2], 10**16, 401)
    next_id = 50_000
    while sum(len(f) for f in world.farms) < 1_000:
        size = rng.randint(25, 60)
        funder, collector = addr(next_id), addr(next_id + 1)
        next_id += 2
        wallets: list[Address] = []
        for _ in range(0, size, 5):
            hop = addr(next_id)
            next_id += 1
            pay(funder, hop, 10**18, 500)
            for _ in range(min(5, size - len(wallets))):
                wallet = addr(next_id)
                next_id += 1
                wallets.append(wallet)
                pay(hop, wallet, 10**17, 501)
                pay(wallet, collector, 9 * 10**16, 600)
                world.facts[wallet] = {
                    "loyalty_points": 500 + rng.randint(0, 50),
                    **({"kyc": 1} if rng.random() < 0.05 else {}),
                }
        world.farms.append(wallets)
    return world


def _expected_tier(facts: dict[str, int], farmed: bool) -> str | None:
    """The seed's rules worked by hand: 4-star first, then KYC, then loyalty > 499 or AI."""
    if not farmed and facts.get("catto_tier_4", 0) > 0:
        return "enhanced"
    if facts.get("kyc", 0) > 0:
        return "kyc"
    if not farmed and (facts["loyalty_points"] > 499 or facts.get("ai_points", 0) > 0):
        return "basic"
    return None


@pytest.fixture(scope="module")
def case() -> tuple[World, Rules, Draft]:
    world = _world(17)
    base = load_rules()
    rules = replace(base, sybil=replace(base.sybil, known_services=frozenset({HOT, DAPP})))
    snap = Snapshot(0, 1, 1, rules.sha256, "archive", world.facts, ())
    return world, rules, draft(snap, rules, world.transfers, now=1_000)


def test_planted_farms_are_found_with_full_precision_and_recall(
    case: tuple[World, Rules, Draft],
) -> None:
    world, _, made = case
    farmed = {w for farm in world.farms for w in farm}
    flagged = {x.address for x in made.excluded} | {e.address for e in made.entries if e.filtered}
    assert len(world.facts) > 10_000 and len(farmed) > 1_000
    assert flagged == farmed  # precision 1.0, recall 1.0
    assert len(made.clusters) == len(world.farms)


def test_every_tier_and_the_totals_are_the_known_answers(case: tuple[World, Rules, Draft]) -> None:
    world, rules, made = case
    farmed = {w for farm in world.farms for w in farm}
    want = {
        a: tier
        for a, facts in world.facts.items()
        if (tier := _expected_tier(facts, a in farmed)) is not None
    }
    assert {e.address: e.tier for e in made.entries} == want
    assert made.total == rules.pool
    final = finalize(made, [], made.appeal_deadline)
    assert len(final) == len(want)
    assert sum(v for _, v in final) == rules.pool
    weights = {t.name: t.weight for t in rules.tiers}
    whole = sum(weights[t] for t in want.values())
    for address, amount in final:
        exact = rules.pool * weights[want[address]] // whole
        assert exact <= amount <= exact + 1


def test_an_unlisted_hot_wallet_would_flag_its_users(case: tuple[World, Rules, Draft]) -> None:
    world, rules, _ = case
    unlisted = replace(rules, sybil=replace(rules.sybil, known_services=frozenset({DAPP})))
    snap = Snapshot(0, 1, 1, unlisted.sha256, "archive", world.facts, ())
    made = draft(snap, unlisted, world.transfers, now=1_000)
    farmed = {w for farm in world.farms for w in farm}
    flagged = {x.address for x in made.excluded} | {e.address for e in made.entries if e.filtered}
    assert farmed < flagged and len(flagged) > 7 * len(farmed)  # precision below 0.15
    kyc = {a for a, facts in world.facts.items() if facts.get("kyc")}
    assert not kyc & {x.address for x in made.excluded}
