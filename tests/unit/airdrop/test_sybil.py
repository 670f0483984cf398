"""Sybil clusters: funding and sweep edges, services that never link, hops, evidence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rexos.airdrop.sybil import clusters, edges, flag
from rexos.airdrop.transfers import ETH, Transfer
from rexos.types import Address, parse_address


def addr(n: int) -> Address:
    return parse_address(f"0x{n:040x}")


ZERO = addr(0)
HOT = addr(0xE0E0)
_counter = iter(range(1, 10**9))


def pay(sender: Address, recipient: Address, value: int, block: int, asset: str = ETH) -> Transfer:
    n = next(_counter)
    return Transfer(asset, sender, recipient, value, block, f"0x{n:064x}", n)


def test_a_common_funder_joins_its_wallets_through_one_hop() -> None:
    funder, a, b, c = addr(1), addr(2), addr(3), addr(4)
    transfers = [pay(funder, a, 10, 1), pay(funder, b, 10, 2), pay(funder, c, 10, 3)]
    [cluster] = clusters(transfers, (), claimants=[a, b, c])
    assert set(cluster.members) == {funder, a, b, c}
    assert cluster.claimants == (a, b, c)
    assert cluster.size == 3
    assert {(e.kind, e.source, e.target) for e in cluster.edges} == {
        ("funding", funder, a),
        ("funding", funder, b),
        ("funding", funder, c),
    }


def test_only_the_first_funding_links() -> None:
    a, first, later = addr(2), addr(5), addr(6)
    found = edges([pay(later, a, 1, 9), pay(first, a, 1, 3)], (), sweep_bps=8_000)
    assert [e.source for e in found if e.kind == "funding"] == [first]


def test_a_known_service_or_a_mint_links_no_one() -> None:
    users = [addr(100 + i) for i in range(50)]
    transfers = [pay(HOT, u, 5, i) for i, u in enumerate(users)]
    transfers += [pay(ZERO, u, 5, 100 + i, asset="0xTOKEN") for i, u in enumerate(users)]
    transfers += [pay(u, HOT, 5, 200 + i) for i, u in enumerate(users)]
    assert clusters(transfers, [HOT], claimants=users) == []
    assert len(clusters(transfers, [], claimants=users)[0].claimants) == 50


def test_a_sweep_links_when_most_of_the_balance_goes_one_way() -> None:
    a, sink, other = addr(2), addr(7), addr(8)
    received = [pay(HOT, a, 100, 1), pay(HOT, sink, 1, 1), pay(HOT, other, 1, 1)]
    most = edges([*received, pay(a, sink, 80, 2), pay(a, other, 20, 3)], [HOT], sweep_bps=8_000)
    assert [(e.kind, e.source, e.target, e.value) for e in most] == [("sweep", a, sink, 80)]
    some = edges([*received, pay(a, sink, 79, 2), pay(a, other, 21, 3)], [HOT], sweep_bps=8_000)
    assert some == []


def test_sweep_evidence_lists_every_transfer_behind_it() -> None:
    a, sink = addr(2), addr(7)
    moves = [pay(HOT, a, 100, 1), pay(a, sink, 50, 4), pay(a, sink, 45, 6), pay(HOT, sink, 1, 0)]
    [edge] = edges(moves, [HOT], sweep_bps=8_000)
    assert edge.txs == ((moves[1].tx_hash, 4), (moves[2].tx_hash, 6))
    assert edge.to_json()["txs"] == [
        {"tx": moves[1].tx_hash, "block": 4},
        {"tx": moves[2].tx_hash, "block": 6},
    ]


def test_a_sweep_into_a_service_makes_no_edge() -> None:
    a, b = addr(2), addr(3)
    assert (
        edges([pay(HOT, a, 10, 1), pay(a, HOT, 10, 2), pay(b, b, 5, 3)], [HOT], sweep_bps=1) == []
    )


def test_flag_cuts_clusters_over_the_size_and_gives_evidence() -> None:
    funder = addr(1)
    farm = [addr(10 + i) for i in range(4)]
    pair = [addr(50), addr(51)]
    transfers = [pay(funder, w, 1, i) for i, w in enumerate(farm)]
    transfers.append(pay(pair[0], pair[1], 1, 20))
    found = clusters(transfers, (), claimants=[*farm, *pair])
    flagged = flag(found, max_cluster_size=3)
    assert set(flagged) == set(farm)
    evidence = flagged[farm[0]]
    assert evidence.cluster_size == 4
    assert evidence.cluster_id == found[0].id
    assert [(e.source, e.target) for e in evidence.edges] == [(funder, farm[0])]
    assert evidence.to_json()["edges"][0]["txs"][0]["tx"] == transfers[0].tx_hash  # type: ignore[index]
    assert flag(found, max_cluster_size=4) == {}


def test_addresses_match_across_cases() -> None:
    funder, a, b = addr(0xABC1), addr(0xABC2), addr(0xABC3)
    lower = [
        Transfer(ETH, Address(funder.lower()), Address(a.lower()), 1, 1, "0x01", 0),
        pay(funder, b, 1, 2),
    ]
    [cluster] = clusters(lower, (), claimants=[a, b])
    assert cluster.size == 2


@st.composite
def _farms(draw: st.DrawFn) -> tuple[list[list[int]], list[Transfer]]:
    sizes = draw(st.lists(st.integers(min_value=1, max_value=8), min_size=1, max_size=6))
    farms: list[list[int]] = []
    transfers: list[Transfer] = []
    next_id = 1000
    block = 1
    for farm_index, size in enumerate(sizes):
        funder = addr(500 + farm_index)
        wallets = list(range(next_id, next_id + size))
        next_id += size
        farms.append(wallets)
        for w in wallets:
            transfers.append(Transfer(ETH, funder, addr(w), 7, block, f"0x{block:064x}", block))
            block += 1
    # Noise: the hot wallet pays every wallet later, and wallets pay it back.
    for wallets in farms:
        for w in wallets:
            transfers.append(Transfer(ETH, HOT, addr(w), 3, block, f"0x{block:064x}", block))
            block += 1
    order = draw(st.permutations(range(len(transfers))))
    return farms, [transfers[i] for i in order]


@settings(max_examples=50, deadline=None)
@given(_farms())
def test_planted_farms_are_found_exactly(case: tuple[list[list[int]], list[Transfer]]) -> None:
    farms, transfers = case
    claimants = [addr(w) for wallets in farms for w in wallets]
    found = clusters(transfers, [HOT], claimants=claimants)
    got = sorted(sorted(c.claimants) for c in found)
    want = sorted(sorted(addr(w) for w in wallets) for wallets in farms)
    assert got == want
    again = clusters(list(reversed(transfers)), [HOT], claimants=claimants)
    assert [c.id for c in again] == [c.id for c in found]


def test_wallets_linked_only_through_hops_share_a_cluster() -> None:
    funder, hop_x, hop_y, a, b = addr(1), addr(2), addr(3), addr(4), addr(5)
    sink = addr(6)
    transfers = [
        pay(funder, hop_x, 10, 1),
        pay(funder, hop_y, 10, 2),
        pay(hop_x, a, 9, 3),
        pay(hop_y, b, 9, 4),
        pay(HOT, sink, 1, 0),
        pay(a, sink, 9, 5),
    ]
    [cluster] = clusters(transfers, [HOT], claimants=[a, b])
    assert cluster.claimants == (a, b)
    assert set(cluster.members) == {funder, hop_x, hop_y, a, b, sink}
    evidence = flag([cluster], 1)
    assert {(e.kind, e.source, e.target) for e in evidence[a].edges} == {
        ("funding", hop_x, a),
        ("sweep", hop_x, a),
        ("sweep", a, sink),
    }
    assert {(e.kind, e.source, e.target) for e in evidence[b].edges} == {
        ("funding", hop_y, b),
        ("sweep", hop_y, b),
    }
