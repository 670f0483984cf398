"""Publishing for a web page (:class:`rexos.studio.publishing.Publisher`) on a real dev
deployment: planning signs nothing, only the session that planned a publication can send it,
once, within its time; a spec whose evals fail, a listing of someone else and a policy that
forbids listing are refused before anything is signed."""

from __future__ import annotations

import threading

import pytest

from rexos.agents.wallet import PolicyDenied
from rexos.chain import Transactor
from rexos.errors import UsageError
from rexos.market import MarketClient
from rexos.studio import AgentSpec, installed_tools, spec_hash
from rexos.studio.publishing import MAX_PENDING, Publisher
from rexos.types import Address
from tests.integration.studio.conftest import ALICE, BOB, Net, spec, spec_doc
from tests.unit.studio.specs import DIGEST

SESSION, OTHER = "session-a", "session-b"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def _publisher(net: Net, clock: Clock | None = None) -> Publisher:
    ws = net.workspace()
    client = MarketClient(net.chain.web3, net.manifest)
    return Publisher(client, ws.wallet, net.home, clock=clock or Clock())


def _digest(name: str = "page-digest", version: str = "1.0.0") -> AgentSpec:
    document = spec_doc(DIGEST)
    document["name"], document["version"] = name, version
    return spec(document)


def test_planning_signs_nothing_and_only_the_planning_session_sends_it_once(net: Net) -> None:
    publisher = _publisher(net)
    agent = _digest()
    before = net.nonce()
    pending = publisher.prepare(SESSION, agent, installed_tools())
    assert net.nonce() == before
    assert pending.spec_hash == spec_hash(agent)
    assert pending.sender == ALICE.address
    assert pending.market == net.manifest.address("AgentMarket")
    assert pending.verdict in ("allow", "confirm")
    assert pending.fingerprint == pending.prepared.tx.fingerprint

    with pytest.raises(UsageError, match="no publication waits"):
        publisher.confirm(OTHER, pending.fingerprint)
    assert net.nonce() == before

    done = publisher.confirm(SESSION, pending.fingerprint.upper().replace("0X", "0x"))
    assert net.nonce() == before + 1
    listing = publisher.client.listing(done.listing_id)
    assert (listing.owner, listing.operator, listing.price) == (
        ALICE.address, ALICE.address, pending.price)  # fmt: skip
    assert publisher.client.version(done.spec_hash).listing_id == done.listing_id
    assert done.saved is not None and done.saved.read_text(encoding="utf-8").startswith("api")

    with pytest.raises(UsageError, match="no publication waits"):
        publisher.confirm(SESSION, pending.fingerprint)
    assert net.nonce() == before + 1
    with pytest.raises(UsageError, match="already listed"):
        publisher.prepare(SESSION, agent, installed_tools())


def test_a_new_version_goes_to_the_wallets_own_listing_only(net: Net) -> None:
    publisher = _publisher(net)
    first = publisher.prepare(SESSION, _digest(), installed_tools())
    listed = publisher.confirm(SESSION, first.fingerprint)
    second = _digest(version="1.1.0")
    pending = publisher.prepare(SESSION, second, installed_tools(), listed.listing_id)
    added = publisher.confirm(SESSION, pending.fingerprint)
    assert (added.listing_id, added.version_index) == (listed.listing_id, 1)

    client = publisher.client
    theirs = client.list_agent(Transactor(net.chain.web3, BOB), "0x" + "ab" * 32,
                               Address(BOB.address), 10**17)  # fmt: skip
    before = net.nonce()
    with pytest.raises(UsageError, match="belongs to"):
        publisher.prepare(SESSION, _digest(version="2.0.0"), installed_tools(), theirs)
    with pytest.raises(UsageError, match="no market listing 999"):
        publisher.prepare(SESSION, _digest(version="2.0.0"), installed_tools(), 999)
    assert net.nonce() == before


def test_a_publication_waits_five_minutes_and_a_session_keeps_a_few(net: Net) -> None:
    clock = Clock()
    publisher = _publisher(net, clock)
    old = publisher.prepare(SESSION, _digest("late"), installed_tools())
    clock.now += 301
    assert publisher.waiting(SESSION, old.fingerprint) is None
    before = net.nonce()
    with pytest.raises(UsageError, match="older than 5 minutes"):
        publisher.confirm(SESSION, old.fingerprint)

    planned = [publisher.prepare(SESSION, _digest(f"agent-{i}"), installed_tools())
               for i in range(MAX_PENDING + 1)]  # fmt: skip
    assert publisher.waiting(SESSION, planned[0].fingerprint) is None
    assert all(publisher.waiting(SESSION, p.fingerprint) for p in planned[1:])
    assert publisher.waiting(OTHER, planned[1].fingerprint) is None
    assert net.nonce() == before


def test_a_spec_whose_evals_fail_is_refused_before_anything_is_planned(net: Net) -> None:
    publisher = _publisher(net)
    document = spec_doc(DIGEST)
    document["evals"][0]["expect_intent"] = "price"  # "show my portfolio" is not a price
    before = net.nonce()
    with pytest.raises(UsageError, match="1 of its evals fail, so it is not published"):
        publisher.prepare(SESSION, spec(document), installed_tools())
    assert net.nonce() == before


def test_a_policy_that_forbids_listing_refuses_it_at_planning(net: Net) -> None:
    net.home.mkdir(parents=True, exist_ok=True)
    (net.home / "policy.yaml").write_text("allow:\n  actions: [swap, approve]\n")
    publisher = _publisher(net)
    before = net.nonce()
    with pytest.raises(PolicyDenied, match="refused by the policy"):
        publisher.prepare(SESSION, _digest(), installed_tools())
    assert net.nonce() == before


def test_two_yeses_posted_at_once_send_one_transaction(net: Net) -> None:
    publisher = _publisher(net)
    pending = publisher.prepare(SESSION, _digest(), installed_tools())
    before = net.nonce()
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def confirm() -> None:
        start.wait()
        try:
            outcomes.append(publisher.confirm(SESSION, pending.fingerprint))
        except UsageError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(type(o).__name__ for o in outcomes) == ["Published", "UsageError"]
    assert net.nonce() == before + 1
