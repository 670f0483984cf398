"""The draft list, exact amounts, the sybil filter's reach, the appeal window and the final list."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rexos.airdrop.eligibility import Appeal, Draft, allocate, draft, finalize
from rexos.airdrop.published import appeals_to_json, load_appeals, load_draft
from rexos.airdrop.rules import Rules, Tier, load_rules
from rexos.airdrop.snapshot import Snapshot
from rexos.airdrop.transfers import ETH, Transfer
from rexos.errors import ConfigError, UsageError
from rexos.types import Address, parse_address

RULES = load_rules()
SMALL = replace(RULES, sybil=replace(RULES.sybil, max_cluster_size=2))
NOW = 1_800_000_000
FUNDER = parse_address("0x" + "f0" * 20)


def addr(n: int) -> Address:
    return parse_address(f"0x{n:040x}")


def snapshot(facts: dict[Address, dict[str, int]], rules: Rules = RULES) -> Snapshot:
    return Snapshot(NOW - 10, 1234, NOW - 8, rules.sha256, "archive", facts, ())


def funded(*wallets: Address) -> list[Transfer]:
    return [
        Transfer(ETH, FUNDER, w, 10**16, 100 + i, f"0x{i + 1:064x}", 0)
        for i, w in enumerate(wallets)
    ]


def test_the_seeds_rules_pick_tiers_and_split_the_pool_exactly() -> None:
    facts = {
        addr(1): {"kyc": 1},
        addr(2): {"catto_tier_4": 1, "loyalty_points": 600},
        addr(3): {"loyalty_points": 500},
        addr(4): {"loyalty_points": 499},
        addr(5): {"dao_points": 100, "sbt_level": 3},
    }
    result = draft(snapshot(facts), RULES, [], now=NOW)
    got = {e.address: (e.tier, e.criteria) for e in result.entries}
    assert got == {
        addr(1): ("kyc", ("kyc",)),
        addr(2): ("enhanced", ("catto_4star", "loyalty")),
        addr(3): ("basic", ("loyalty",)),
        addr(5): ("enhanced", ("dao",)),
    }
    amounts = {e.address: e.amount for e in result.entries}
    assert sum(amounts.values()) == RULES.pool == result.total
    unit = RULES.pool // 9
    assert amounts[addr(3)] in (unit, unit + 1)
    assert amounts[addr(2)] in (3 * unit, 3 * unit + 1)
    assert result.appeal_deadline == NOW + 14 * 24 * 3600


def test_a_farm_over_the_cut_loses_its_non_kyc_criteria_with_evidence() -> None:
    farm = [addr(10), addr(11), addr(12)]
    facts = {w: {"loyalty_points": 900} for w in farm}
    facts[addr(12)]["kyc"] = 1
    facts[addr(20)] = {"ai_points": 1}
    result = draft(snapshot(facts, SMALL), SMALL, funded(*farm), now=NOW)
    assert [x.address for x in result.excluded] == [addr(10), addr(11)]
    assert all(x.lost == ("loyalty",) for x in result.excluded)
    kyc = next(e for e in result.entries if e.address == addr(12))
    assert (kyc.tier, kyc.criteria, kyc.filtered) == ("kyc", ("kyc",), ("loyalty",))
    assert kyc.evidence is not None and kyc.evidence.cluster_size == 3
    evidence = result.excluded[0].evidence
    assert [(e.kind, e.source, e.target) for e in evidence.edges] == [("funding", FUNDER, addr(10))]
    assert evidence.edges[0].txs == ((f"0x{1:064x}", 100),)
    assert [c.id for c in result.clusters] == [evidence.cluster_id]
    assert sum(e.amount for e in result.entries) == SMALL.pool


def test_a_cluster_at_the_cut_is_kept() -> None:
    farm = [addr(10), addr(11)]
    result = draft(
        snapshot({w: {"ai_points": 1} for w in farm}, SMALL), SMALL, funded(*farm), now=NOW
    )
    assert result.excluded == () and len(result.entries) == 2 and result.clusters == ()


def test_the_draft_publishes_as_json_with_the_evidence() -> None:
    farm = [addr(10), addr(11), addr(12)]
    result = draft(
        snapshot({w: {"ai_points": 1} for w in farm}, SMALL), SMALL, funded(*farm), now=NOW
    )
    published = json.loads(json.dumps(result.to_json()))
    assert published["eligible"] == []
    assert [x["address"] for x in published["excluded"]] == farm
    assert published["excluded"][0]["evidence"]["edges"][0]["txs"][0]["block"] == 100
    assert published["appeal_deadline"] == NOW + SMALL.sybil.appeal_window
    assert published["rules_sha256"] == SMALL.sha256
    assert published["clusters"][0]["size"] == 3


def test_finalize_waits_for_the_window_and_restores_upheld_appeals() -> None:
    farm = [addr(10), addr(11), addr(12)]
    facts: dict[Address, dict[str, int]] = {w: {"ai_points": 1} for w in farm}
    facts[addr(30)] = {"catto_tier_4": 1}
    result = draft(snapshot(facts, SMALL), SMALL, funded(*farm), now=NOW)
    with pytest.raises(UsageError, match="the appeal window is open until"):
        finalize(result, [], result.appeal_deadline - 1)
    appeals = [
        Appeal(addr(10), NOW + 60, upheld=True, note="a family's wallets"),
        Appeal(addr(11), NOW + 60, upheld=False),
    ]
    final = finalize(result, appeals, result.appeal_deadline)
    assert [a for a, _ in final] == [addr(10), addr(30)]
    assert sum(v for _, v in final) == SMALL.pool
    assert dict(final)[addr(30)] == 3 * dict(final)[addr(10)]
    assert finalize(result, [], result.appeal_deadline) == [(addr(30), SMALL.pool)]


@pytest.mark.parametrize(
    ("appeal", "message"),
    [
        (Appeal(addr(30), NOW, upheld=True), "the draft did not flag it"),
        (Appeal(addr(10), NOW + 15 * 24 * 3600, upheld=True), "after the deadline"),
    ],
)
def test_bad_appeals_are_refused(appeal: Appeal, message: str) -> None:
    farm = [addr(10), addr(11), addr(12)]
    facts: dict[Address, dict[str, int]] = {w: {"ai_points": 1} for w in farm}
    facts[addr(30)] = {"ai_points": 1}
    result = draft(snapshot(facts, SMALL), SMALL, funded(*farm), now=NOW)
    with pytest.raises(UsageError, match=message):
        finalize(result, [appeal], result.appeal_deadline + 1)
    with pytest.raises(UsageError, match="appealed twice"):
        twice = Appeal(addr(10), NOW, upheld=False)
        finalize(result, [twice, twice], result.appeal_deadline + 1)


def test_a_snapshot_under_other_rules_is_refused() -> None:
    with pytest.raises(UsageError, match="taken under other rules"):
        draft(snapshot({}, RULES), replace(RULES, sha256="0" * 64), [], now=NOW)


def test_the_same_address_twice_in_a_snapshot_is_refused() -> None:
    a = addr(0xABCDEF)
    facts = {a: {"ai_points": 1}, Address(a.lower()): {"ai_points": 1}}
    with pytest.raises(UsageError, match="twice"):
        draft(snapshot(facts), RULES, [], now=NOW)


def test_a_fixed_pool_pays_per_tier_and_refuses_to_overspend() -> None:
    tiers = {
        t.name: replace(t, weight=0, amount=(i + 1) * 10**18) for i, t in enumerate(RULES.tiers)
    }
    fixed = replace(RULES, mode="fixed", tiers=tuple(tiers.values()), pool=5 * 10**18)
    assert allocate({addr(1): tiers["kyc"], addr(2): tiers["basic"]}, fixed) == {
        addr(1): 2 * 10**18,
        addr(2): 3 * 10**18,
    }
    with pytest.raises(UsageError, match="over the pool"):
        allocate({addr(1): tiers["basic"], addr(2): tiers["basic"]}, fixed)


@given(
    st.lists(st.sampled_from(RULES.tiers), min_size=1, max_size=40),
    st.integers(min_value=0, max_value=10**30),
)
def test_a_split_pool_is_allocated_exactly(tiers: list[Tier], pool: int) -> None:
    rules = replace(RULES, pool=pool)
    by_address = {addr(i + 1): t for i, t in enumerate(tiers)}
    amounts = allocate(by_address, rules)
    assert sum(amounts.values()) == pool
    whole = sum(t.weight for t in tiers)
    for address, tier in by_address.items():
        exact = pool * tier.weight // whole
        assert exact <= amounts[address] <= exact + 1


_FACTS = st.fixed_dictionaries(
    {},
    optional={
        "kyc": st.just(1),
        "loyalty_points": st.integers(0, 1000),
        "ai_points": st.integers(0, 2),
        "catto_tier_4": st.integers(0, 1),
    },
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(_FACTS, min_size=1, max_size=25),
    st.lists(st.tuples(st.integers(0, 24), st.integers(0, 3)), max_size=30),
    st.lists(st.tuples(st.integers(0, 24), st.booleans()), max_size=10),
)
def test_draft_and_final_lists_keep_their_invariants(
    facts: list[dict[str, int]],
    links: list[tuple[int, int]],
    appeals: list[tuple[int, bool]],
) -> None:
    wallets = [addr(100 + i) for i in range(len(facts))]
    funders = [addr(900 + j) for j in range(4)]
    transfers = [
        Transfer(ETH, funders[j], wallets[i], 1, n, f"0x{n:064x}", 0)
        for n, (i, j) in enumerate(links)
        if i < len(wallets)
    ]
    snap = snapshot(dict(zip(wallets, facts, strict=True)), SMALL)
    result = draft(snap, SMALL, transfers, now=NOW)
    allocated = {e.address for e in result.entries}
    excluded = {x.address for x in result.excluded}
    assert not allocated & excluded
    for wallet, fact in zip(wallets, facts, strict=True):
        if fact.get("kyc"):
            assert wallet in allocated and wallet not in excluded
    if allocated:
        assert result.total == SMALL.pool
    flagged = excluded | {e.address for e in result.entries if e.filtered}
    filed = {}
    for i, upheld in appeals:
        if i < len(wallets) and wallets[i] in flagged:
            filed[wallets[i]] = Appeal(wallets[i], NOW, upheld)
    final = finalize(result, filed.values(), result.appeal_deadline)
    assert [a for a, _ in final] == sorted((a for a, _ in final), key=str.lower)
    assert len({a for a, _ in final}) == len(final)
    if final:
        assert sum(v for _, v in final) == SMALL.pool
    restored = {a for a, appeal in filed.items() if appeal.upheld}
    assert {a for a, _ in final} <= allocated | restored


def _published_case() -> tuple[Draft, list[Appeal]]:
    farm = [addr(10), addr(11), addr(12)]
    facts: dict[Address, dict[str, int]] = {w: {"ai_points": 1} for w in farm}
    facts[addr(12)]["kyc"] = 1
    facts[addr(30)] = {"catto_tier_4": 1}
    made = draft(snapshot(facts, SMALL), SMALL, funded(*farm), now=NOW)
    return made, [Appeal(addr(10), NOW + 5, upheld=True, note="ours"), Appeal(addr(12), NOW, False)]


def test_a_published_draft_and_its_appeals_read_back_to_the_same_final_list() -> None:
    made, appeals = _published_case()
    published = json.loads(json.dumps(made.to_json()))
    again = load_draft(published, SMALL)
    assert again.entries == made.entries
    assert again.excluded == made.excluded
    assert again.clusters == made.clusters
    assert again.snapshot.block == made.snapshot.block
    filed = load_appeals(json.loads(json.dumps(appeals_to_json(appeals))))
    assert filed == appeals
    deadline = made.appeal_deadline
    assert finalize(again, filed, deadline) == finalize(made, appeals, deadline)


def test_a_tampered_or_foreign_draft_is_refused() -> None:
    made, _ = _published_case()
    published = made.to_json()
    with pytest.raises(ConfigError, match="made under other rules"):
        load_draft(published, replace(SMALL, sha256="0" * 64))
    eligible = cast(list[dict[str, object]], published["eligible"])
    eligible[0]["amount"] = str(int(cast(str, eligible[0]["amount"])) + 1)
    with pytest.raises(ConfigError, match="not the total published"):
        load_draft(published, SMALL)
    eligible[0]["tier"] = "gold"
    with pytest.raises(ConfigError, match=r"eligible\[0\]\.tier: no tier named 'gold'"):
        load_draft(published, SMALL)
    with pytest.raises(ConfigError, match=r"\[0\]\.upheld: must be true or false"):
        load_appeals([{"address": str(addr(1)), "filed_at": 1, "upheld": "yes"}])
