"""Listings: spec hashes, append-only versions, the owner's functions and their reverts."""

from __future__ import annotations

from rexos.chain import dev_account
from tests.integration.market.harness import (
    DEVELOPER,
    OPERATOR,
    OUTSIDER,
    PRICE,
    SPEC_V1,
    SPEC_V2,
    Market,
    spec,
)

ZERO = "0x" + "00" * 20
MAX_PRICE = 10**27


def test_a_listing_records_owner_operator_price_and_its_first_version(mk: Market) -> None:
    listing = mk.listing(1)
    assert listing["owner"] == mk.account(DEVELOPER).address
    assert listing["operator"] == mk.account(OPERATOR).address
    assert listing["price"] == PRICE
    assert listing["versions"] == 2
    assert listing["listed"] is True
    assert mk.market.functions.listingCount().call() == 1
    assert mk.market.functions.specAt(1, 0).call() == SPEC_V1
    assert mk.version(SPEC_V1)["listingId"] == 1 and mk.version(SPEC_V1)["index"] == 0


def test_versions_are_append_only_and_old_ones_stay_readable_and_usable(mk: Market) -> None:
    v3 = spec("v3")
    receipt = mk.send(mk.account(DEVELOPER), mk.market.functions.addVersion(1, v3))
    (event,) = receipt.events(mk.market, "VersionAdded")
    assert (event["listingId"], event["index"], event["specHash"]) == (1, 2, v3)
    specs = [mk.market.functions.specAt(1, i).call() for i in range(3)]
    assert specs == [SPEC_V1, SPEC_V2, v3]
    assert mk.market.functions.specAt(1, 3).call() == bytes(32)
    assert mk.market.functions.specAt(2**64, 0).call() == bytes(32)
    job = mk.open(spec_hash=SPEC_V1)
    mk.settle(job)
    assert mk.version(SPEC_V1)["settled"] == 1 and mk.version(v3)["jobs"] == 0
    assert job == 1 << 64 | 0 << 32 | 1


def test_a_spec_hash_is_listed_once_and_never_zero(mk: Market) -> None:
    fn, dev = mk.market.functions, mk.account(DEVELOPER)
    op = mk.account(OPERATOR).address
    mk.reverts(dev, fn.list(SPEC_V1, op, PRICE), "AgentMarket: SPEC_EXISTS")
    mk.reverts(mk.account(OUTSIDER), fn.list(SPEC_V2, op, PRICE), "AgentMarket: SPEC_EXISTS")
    mk.reverts(dev, fn.addVersion(1, SPEC_V2), "AgentMarket: SPEC_EXISTS")
    mk.reverts(dev, fn.list(bytes(32), op, PRICE), "AgentMarket: ZERO_SPEC")
    mk.reverts(dev, fn.addVersion(1, bytes(32)), "AgentMarket: ZERO_SPEC")
    mk.reverts(dev, fn.list(spec("x"), ZERO, PRICE), "AgentMarket: ZERO_ADDRESS")
    mk.reverts(dev, fn.list(spec("x"), op, MAX_PRICE + 1), "AgentMarket: PRICE_TOO_HIGH")
    mk.send(dev, fn.list(spec("x"), op, MAX_PRICE))
    assert mk.listing(2)["price"] == MAX_PRICE


def test_only_the_owner_edits_a_listing(mk: Market) -> None:
    fn, op = mk.market.functions, mk.account(OPERATOR)
    for who in (op, mk.account(OUTSIDER), mk.deployer):
        mk.reverts(who, fn.addVersion(1, spec("y")), "AgentMarket: NOT_OWNER")
        mk.reverts(who, fn.setPrice(1, 1), "AgentMarket: NOT_OWNER")
        mk.reverts(who, fn.setOperator(1, who.address), "AgentMarket: NOT_OWNER")
        mk.reverts(who, fn.setListed(1, False), "AgentMarket: NOT_OWNER")
        mk.reverts(who, fn.transferListing(1, who.address), "AgentMarket: NOT_OWNER")
    dev = mk.account(DEVELOPER)
    mk.reverts(dev, fn.setPrice(7, 1), "AgentMarket: UNKNOWN_LISTING")
    mk.reverts(dev, fn.addVersion(0, spec("y")), "AgentMarket: UNKNOWN_LISTING")
    mk.reverts(dev, fn.setOperator(1, ZERO), "AgentMarket: ZERO_ADDRESS")
    mk.reverts(dev, fn.transferListing(1, ZERO), "AgentMarket: ZERO_ADDRESS")
    mk.reverts(dev, fn.setPrice(1, MAX_PRICE + 1), "AgentMarket: PRICE_TOO_HIGH")


def test_owner_sets_price_operator_and_listed_with_events(mk: Market) -> None:
    fn, dev = mk.market.functions, mk.account(DEVELOPER)
    new_op = mk.account(OUTSIDER).address
    (e,) = mk.send(dev, fn.setPrice(1, 3 * PRICE)).events(mk.market, "PriceSet")
    assert (e["listingId"], e["price"]) == (1, 3 * PRICE)
    (e,) = mk.send(dev, fn.setOperator(1, new_op)).events(mk.market, "OperatorSet")
    assert e["operator"] == new_op
    (e,) = mk.send(dev, fn.setListed(1, False)).events(mk.market, "ListedSet")
    assert e["listed"] is False
    listing = mk.listing(1)
    assert (listing["price"], listing["operator"], listing["listed"]) == (3 * PRICE, new_op, False)


def test_transfer_pays_the_unclaimed_developer_share_to_the_old_owner(mk: Market) -> None:
    mk.settle(mk.open())
    due = mk.listing(1)["developerDue"]
    assert due == PRICE - PRICE // 10 - PRICE // 20
    dev, new_owner = mk.account(DEVELOPER), mk.account(OUTSIDER)
    receipt = mk.send(dev, mk.market.functions.transferListing(1, new_owner.address))
    (event,) = receipt.events(mk.market, "ListingTransferred")
    assert event["paidOut"] == due and event["newOwner"] == new_owner.address
    assert mk.credit(dev.address) == due
    assert mk.listing(1)["developerDue"] == 0 and mk.listing(1)["owner"] == new_owner.address
    mk.reverts(dev, mk.market.functions.setPrice(1, 1), "AgentMarket: NOT_OWNER")
    mk.send(new_owner, mk.market.functions.setPrice(1, 1))


def test_the_client_lists_and_reads_typed_views(mk: Market) -> None:
    dev = mk.signer(dev_account(DEVELOPER))
    listing_id = mk.client.list_agent(dev, "0x" + spec("c1").hex(), mk.account(OPERATOR).address, 5)
    assert listing_id == 2 and mk.client.listing_count() == 2
    assert mk.client.add_version(dev, listing_id, spec("c2")) == 1
    assert mk.client.versions(listing_id) == [spec("c1"), spec("c2")]
    view = mk.client.listing(listing_id)
    assert (view.owner, view.price, view.versions, view.listed) == (dev.address, 5, 2, True)
    version = mk.client.version(spec("c2"))
    assert (version.listing_id, version.index, version.jobs) == (2, 1, 0)
    mk.client.set_listed(dev, listing_id, False)
    assert not mk.client.listing(listing_id).listed
