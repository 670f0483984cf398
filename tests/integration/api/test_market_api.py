"""The read-only Agent Market routes on a py-evm fork of the dev deployment: behind the bearer
token, amounts in REX wei as strings, what the chain holds, and bad ids refused clearly."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web3 import Web3

from rexos.api.app import create_app
from rexos.api.guard import GuardPolicy
from rexos.chain import EmbeddedChain, Transactor, dev_account
from rexos.chain.manifest import Manifest
from rexos.config import Settings
from rexos.market import MarketClient
from rexos.types import Address
from tests.devchain import dev_chain

TOKEN = "m" * 43
PORT = 8787
AUTH = {"Authorization": f"Bearer {TOKEN}"}
REX = 10**18
PRICE = REX // 2
HOUR = 3_600
DEVELOPER, OPERATOR, BUYER = (dev_account(i) for i in (1, 2, 3))
ROUTES = ("/v1/market/listings", "/v1/market/listings/1", f"/v1/market/jobs/{BUYER.address}")


@dataclass
class Devnet:
    chain: EmbeddedChain
    manifest: Manifest
    client: MarketClient
    settled: int
    open: int


class ServerContext:
    """The server's chain and deployment, as ``rexos serve``'s workspace gives them."""

    def __init__(self, net: Devnet, home: Path) -> None:
        self._net, self._home = net, home

    @property
    def settings(self) -> Settings:
        return Settings(home=self._home)

    def chain(self) -> EmbeddedChain:
        return self._net.chain

    def manifest(self) -> Manifest:
        return self._net.manifest


@pytest.fixture(scope="module")
def net() -> Devnet:
    """One listing at 0.5 REX a use; the buyer has a job settled for 0.25 REX and rated 4,
    and an open job holding 2 REX."""
    chain, manifest = dev_chain([Address(a.address) for a in (DEVELOPER, OPERATOR, BUYER)])
    client = MarketClient(chain.web3, manifest)
    developer, buyer = Transactor(chain.web3, DEVELOPER), Transactor(chain.web3, BUYER)
    spec = bytes(Web3.keccak(text="portfolio digest"))
    listing = client.list_agent(developer, spec, Address(OPERATOR.address), PRICE)
    assert listing == 1
    client.deposit(buyer, 5 * REX)
    settled = client.open_job(buyer, spec, REX, client.now() + HOUR)
    client.settle(Transactor(chain.web3, OPERATOR), settled, REX // 4, bytes(32 * [7]))
    client.rate(buyer, settled, 4)
    opened = client.open_job(buyer, spec, 2 * REX, client.now() + HOUR)
    return Devnet(chain, manifest, client, settled, opened)


@pytest.fixture(scope="module")
def api(net: Devnet, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    context = ServerContext(net, tmp_path_factory.mktemp("rexos-api"))
    app = create_app(None, GuardPolicy.build(TOKEN, PORT), market=context)
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}", follow_redirects=False) as c:
        yield c


@pytest.mark.parametrize("route", ROUTES)
def test_every_market_route_needs_the_token(api: TestClient, route: str) -> None:
    assert api.get(route).status_code == 401
    wrong = api.get(route, headers={"Authorization": "Bearer " + "x" * 43})
    assert wrong.status_code == 401
    assert api.get(route, headers=AUTH).status_code == 200


def test_listings_are_what_the_chain_holds_in_rex_wei(api: TestClient, net: Devnet) -> None:
    got = api.get("/v1/market/listings", headers=AUTH).json()
    assert got["units"] == "REX wei"
    (row,) = got["listings"]
    chain = net.client.listing(1)
    assert row["id"] == 1 and (row["owner"], row["operator"]) == (chain.owner, chain.operator)
    assert (row["price"], row["settled_value"]) == (str(PRICE), str(REX // 4))
    latest = row["latest"]
    assert latest["spec_hash"] == "0x" + net.client.versions(1)[-1].hex()
    assert (latest["jobs"], latest["settled"], latest["ratings"]) == (2, 1, 1)
    assert (latest["rating_weight"], latest["rating"]) == (str(REX // 4), "4.00")


def test_one_listing_has_its_versions_and_developer_share(api: TestClient, net: Devnet) -> None:
    got = api.get("/v1/market/listings/1", headers=AUTH).json()
    assert got["units"] == "REX wei"
    assert got["developer_due"] == str(net.client.listing(1).developer_due)
    assert int(got["developer_due"]) > 0
    (version,) = got["versions"]
    assert version["settled_value"] == str(REX // 4) and version["index"] == 0


def test_a_buyers_jobs_are_listed_with_amounts_as_strings(api: TestClient, net: Devnet) -> None:
    got = api.get(f"/v1/market/jobs/{BUYER.address.lower()}", headers=AUTH).json()
    assert got["units"] == "REX wei" and got["buyer"] == BUYER.address
    by_id = {job["id"]: job for job in got["jobs"]}
    assert set(by_id) == {str(net.settled), str(net.open)}
    settled, opened = by_id[str(net.settled)], by_id[str(net.open)]
    assert (settled["status"], settled["amount"], settled["score"]) == ("settled", str(REX // 4), 4)
    assert (opened["status"], opened["amount"], opened["score"]) == ("open", str(2 * REX), None)
    assert opened["expiry"] == net.client.job(net.open).expiry
    nobody = api.get(f"/v1/market/jobs/{OPERATOR.address}", headers=AUTH).json()
    assert nobody["jobs"] == []


def test_an_unknown_listing_is_404(api: TestClient) -> None:
    got = api.get("/v1/market/listings/2", headers=AUTH)
    assert got.status_code == 404
    assert got.json() == {"error": "no market listing 2 (listings run from 1 to 1)"}


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "1.5", "0x1", "1" * 21, "１"])
def test_a_bad_listing_id_is_422(api: TestClient, bad: str) -> None:
    got = api.get(f"/v1/market/listings/{bad}", headers=AUTH)
    assert got.status_code == 422
    assert got.json() == {"error": f"not a listing id: {bad!r} (a positive integer)"}


@pytest.mark.parametrize("bad", ["0x1234", "alice", "0x" + "g" * 40])
def test_a_bad_buyer_address_is_422(api: TestClient, bad: str) -> None:
    got = api.get(f"/v1/market/jobs/{bad}", headers=AUTH)
    assert got.status_code == 422
    assert list(got.json()) == ["error"] and "not an address" in got.json()["error"]


def test_the_routes_only_read(api: TestClient, net: Devnet) -> None:
    before = net.chain.web3.eth.block_number
    for route in ROUTES:
        assert api.post(route, headers=AUTH, json={}).status_code == 405
    assert net.chain.web3.eth.block_number == before


def test_without_a_market_context_there_are_no_market_routes() -> None:
    app = create_app(None, GuardPolicy.build(TOKEN, PORT))
    with TestClient(app, base_url=f"http://127.0.0.1:{PORT}") as c:
        assert c.get("/v1/market/listings", headers=AUTH).status_code == 404
