"""``rexos market`` on a py-evm devnet: a developer publishes an agent, a buyer prepays credit
and buys a use, the operator settles it, the buyer rates it, the developer claims the share;
bad input is one line, exit 2, and changes nothing on chain."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from rexos.chain import RpcChain, save_manifest
from rexos.chain.keystore import Keystore
from rexos.cli.main import run
from rexos.market import MarketClient
from rexos.types import Address
from tests.devchain import served_dev_chain
from tests.e2e.conftest import PASS_ENV, PASSPHRASE, CliResult

ROOT = Path(__file__).resolve().parents[2]
DIGEST = ROOT / "examples" / "agents" / "portfolio-digest.yaml"
AUTH = ("--passphrase-env", PASS_ENV, "--yes")
REX = 10**18


@dataclass
class Market:
    url: str
    home: Path
    chain: RpcChain
    client: MarketClient
    alice: Address
    bob: Address


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    home = tmp_path_factory.mktemp("rexos-market")
    keystore = Keystore(home / "keystore", kdf="pbkdf2", work_factor=2)
    alice = keystore.create("alice", PASSPHRASE).address
    bob = keystore.create("bob", PASSPHRASE).address
    with served_dev_chain([alice, bob]) as (server, chain, manifest):
        save_manifest(home / "deployments", manifest)
        yield Market(server.url, home, chain, MarketClient(chain.web3, manifest), alice, bob)


@pytest.fixture
def net(market: Market, monkeypatch: pytest.MonkeyPatch) -> Iterator[Market]:
    monkeypatch.setenv(PASS_ENV, PASSPHRASE)
    snapshot = market.chain.snapshot()
    yield market
    market.chain.revert(snapshot)
    shutil.rmtree(market.home / "wallet", ignore_errors=True)
    shutil.rmtree(market.home / "agents", ignore_errors=True)


@pytest.fixture
def cli(net: Market, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def invoke(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            run(["--home", str(net.home), "--rpc", net.url, *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke


def _job_id(text: str) -> str:
    found = re.search(r"Opened job (\d+)", text)
    assert found, text
    return found.group(1)


def test_publish_buy_settle_rate_claim(cli, net: Market) -> None:  # type: ignore[no-untyped-def]
    empty = cli("market", "list")
    assert empty.code == 0 and "No agent is listed yet" in empty.out

    published = cli("market", "publish", str(DIGEST), "-w", "bob", *AUTH)
    assert published.code == 0, published.err
    assert "Listed portfolio-digest 1.0.0 as listing 1 at 0.1000 REX a use" in published.out
    assert (net.home / "agents" / "portfolio-digest-1.0.0.yaml").is_file()
    listing = net.client.listing(1)
    assert (listing.owner, listing.operator, listing.price) == (net.bob, net.bob, REX // 10)

    assert cli("market", "deposit", "2", "-w", "alice", *AUTH).code == 0
    assert net.client.credit(net.alice) == 2 * REX
    bought = cli("market", "buy", "1", "-w", "alice", "--max-price", "0.5", *AUTH)
    assert bought.code == 0, bought.err
    job = _job_id(bought.out)
    assert net.client.credit(net.alice) == 2 * REX - REX // 2  # the maximum is held

    settled = cli(
        "market", "settle", job, "-w", "bob", "--response", "Your digest.", "--price", "0.1",
        *AUTH,
    )  # fmt: skip
    assert settled.code == 0, settled.err
    assert net.client.job(int(job)).status == "settled"
    assert net.client.credit(net.alice) == 2 * REX - REX // 10  # the rest came back

    rated = cli("market", "rate", job, "5", "-w", "alice", *AUTH)
    assert rated.code == 0, rated.err
    assert "weighted by the 0.1000 REX you paid" in rated.out

    shown = cli("market", "show", "1")
    assert shown.code == 0 and "5.00 (1)" in shown.out
    jobs = json.loads(cli("market", "jobs", "alice", "--json").out)
    assert jobs["units"] == "REX wei"
    assert jobs["jobs"] == [
        {"id": job, "listing": 1, "status": "settled", "amount": str(REX // 10),
         "expiry": net.client.job(int(job)).expiry, "score": 5, "paid": "credit"}
    ]  # fmt: skip

    due = net.client.listing(1).developer_due
    fees = net.client.fees()
    assert due == REX // 10 - REX // 10 * (fees.pool_bps + fees.treasury_bps) // 10_000
    claimed = cli("market", "claim", "1", "-w", "bob", *AUTH)
    assert claimed.code == 0, claimed.err
    assert net.client.listing(1).developer_due == 0
    listed = json.loads(cli("market", "list", "--json").out)["listings"]
    assert [(x["id"], x["settled_value"], x["ratings"]) for x in listed] == [(1, str(REX // 10), 1)]


def _published_and_bought(cli, net: Market) -> str:  # type: ignore[no-untyped-def]
    assert cli("market", "publish", str(DIGEST), "-w", "bob", *AUTH).code == 0
    assert cli("market", "deposit", "1", "-w", "alice", *AUTH).code == 0
    return _job_id(cli("market", "buy", "1", "-w", "alice", *AUTH).out)


BAD = [
    (("rate", "{job}", "5", "-w", "alice"), "only settled jobs are rated"),
    (("settle", "{job}", "-w", "alice", "--response", "x"), "only the listing's operator"),
    (("settle", "{job}", "-w", "bob", "--response", "x", "--price", "7"), "outside [0, 0.1"),
    (("refund", "{job}", "-w", "alice"), "cannot be refunded before"),
    (("buy", "9", "-w", "alice"), "no market listing 9"),
    (("buy", "1", "-w", "alice", "--max-price", "0.01"), "below the price per use"),
    (("withdraw", "5", "-w", "alice"), "cannot withdraw 5 REX"),
    (("claim", "1", "-w", "bob"), "no developer share to claim"),
    (("rate", "not-a-job", "5", "-w", "alice"), "not a job id: 'not-a-job'"),
    (("publish", str(DIGEST), "-w", "bob"), "is already listed"),
]


def test_bad_input_is_one_line_and_changes_nothing(cli, net: Market) -> None:  # type: ignore[no-untyped-def]
    assert cli("market", "publish", str(DIGEST), "-w", "bob", *AUTH).code == 0
    assert cli("market", "deposit", "1", "-w", "alice", *AUTH).code == 0
    job = _job_id(cli("market", "buy", "1", "-w", "alice", *AUTH).out)
    block = int(net.chain.web3.eth.block_number)
    for args, needle in BAD:
        result = cli("market", *(a.format(job=job) for a in args), *AUTH)
        assert result.code == 2, (args, result.out, result.err)
        assert needle in result.err, (args, result.err)
        assert len(result.err.strip().splitlines()) == 1, result.err
        assert int(net.chain.web3.eth.block_number) == block, args


def test_a_spec_that_fails_its_checks_is_not_published(  # type: ignore[no-untyped-def]
    cli, net: Market, tmp_path: Path
) -> None:
    tampered = tmp_path / "digest.yaml"
    text = DIGEST.read_text(encoding="utf-8")
    tampered.write_text(text.replace("name: news.latest", "name: news.everything"), "utf-8")
    failing = tmp_path / "failing.yaml"  # its first eval expects a price, not a portfolio
    failing.write_text(text.replace("expect_intent: portfolio", "expect_intent: price"), "utf-8")
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text("!!python/object/apply:os.system ['touch pwned']\n", "utf-8")
    block = int(net.chain.web3.eth.block_number)
    for spec in (tampered, failing, hostile):
        result = cli("market", "publish", str(spec), "-w", "bob", *AUTH)
        assert result.code == 2, result.out
        assert len(result.err.strip().splitlines()) == 1, result.err
    assert (
        "news.everything is not installed"
        in cli("market", "publish", str(tampered), "-w", "bob", *AUTH).err
    )
    failed = cli("market", "publish", str(failing), "-w", "bob", *AUTH).err
    assert "1 of its evals fail, so it is not published" in failed
    assert "read as portfolio, not price" in failed
    assert int(net.chain.web3.eth.block_number) == block
    assert net.client.listing_count() == 0
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_studio_publishes_and_installs_only_what_the_chain_lists(  # type: ignore[no-untyped-def]
    cli, net: Market, tmp_path: Path
) -> None:
    published = cli("studio", "publish", str(DIGEST), "-w", "bob", *AUTH)
    assert published.code == 0, published.err
    assert "as listing 1" in published.out
    buyer_home = tmp_path / "buyer"  # another user's data dir, same chain and deployment
    shutil.copytree(net.home / "deployments", buyer_home / "deployments")

    def as_buyer(*args: str) -> CliResult:
        return cli("--home", str(buyer_home), *args)

    installed = as_buyer("studio", "install", str(DIGEST), "--listing", "1")
    assert installed.code == 0, installed.err
    copy = buyer_home / "agents" / "portfolio-digest-1.0.0.yaml"
    assert copy.is_file() and "version 0 of listing 1" in installed.out
    again = as_buyer("studio", "install", str(DIGEST), "--listing", "1")
    assert again.code == 2 and "pass --force" in again.err
    # a spec that differs from what was listed (one word of its prompt) is refused
    altered = tmp_path / "altered.yaml"
    altered.write_text(DIGEST.read_text("utf-8").replace("short digest", "long digest"), "utf-8")
    (buyer_home / "agents" / "portfolio-digest-1.0.0.yaml").unlink()
    refused = as_buyer("studio", "install", str(altered), "--listing", "1")
    assert refused.code == 2 and "is not a version of listing 1" in refused.err
    assert len(refused.err.strip().splitlines()) == 1
    assert not (buyer_home / "agents" / "portfolio-digest-1.0.0.yaml").exists()


def test_a_deployment_without_a_market_is_one_line(  # type: ignore[no-untyped-def]
    cli, net: Market, tmp_path: Path
) -> None:
    """An older devnet's manifest (made before the market existed) names no AgentMarket."""
    home = tmp_path / "old"
    shutil.copytree(net.home / "deployments", home / "deployments")
    [manifest] = (home / "deployments").glob("*.json")
    doc = json.loads(manifest.read_text("utf-8"))
    del doc["contracts"]["AgentMarket"]
    manifest.write_text(json.dumps(doc), "utf-8")
    for args in (("market", "list"), ("studio", "install", str(DIGEST), "--listing", "1")):
        result = cli("--home", str(home), *args)
        assert result.code == 2, result.out
        assert result.err.strip() == (
            "error: this deployment has no AgentMarket: restart the devnet "
            "(`rexos devnet down && rexos devnet up`)"
        )


def test_buy_at_the_desk_in_usdc_settle_up_and_rate(cli, net: Market) -> None:  # type: ignore[no-untyped-def]
    assert cli("market", "publish", str(DIGEST), "-w", "bob", *AUTH).code == 0
    net.chain.time_travel(3_600)  # the pools' oracles cover the TWAP window
    shown = cli("market", "desk", "alice")
    assert shown.code == 0, shown.err
    assert "$0.01 a cent" in shown.out and "voucher 0.0000 REX" in shown.out

    bought = cli("market", "buy", "1", "-w", "alice", "--max-price", "0.5",
                 "--pay-with", "USDC", *AUTH)  # fmt: skip
    assert bought.code == 0, bought.err
    assert "cents of budget" in bought.out and "USDC" in bought.out
    job = _job_id(bought.out)
    desk = net.client.manifest.address("MarketDesk")
    assert net.client.job(int(job)).buyer == desk and net.client.credit(net.alice) == 0

    settled = cli("market", "settle", job, "-w", "bob", "--response", "Digest.", "--price", "0.1",
                  *AUTH)  # fmt: skip
    assert settled.code == 0, settled.err
    up = cli("market", "settle-up", job, "-w", "bob", *AUTH)  # anyone may
    assert up.code == 0, up.err
    assert "gave back 0.4000 REX" in up.out
    rated = cli("market", "rate", job, "4", "-w", "alice", *AUTH)
    assert rated.code == 0, rated.err
    assert net.client.job(int(job)).score == 4
    refused = cli("market", "settle-up", job, "-w", "bob", *AUTH)
    assert refused.code == 2 and "settled up already" in refused.err
    listed = json.loads(cli("market", "jobs", "alice", "--json").out)["jobs"]
    assert [(x["id"], x["paid"], x["score"]) for x in listed] == [(job, "desk", 4)]
    funded = cli("market", "desk-fund", "5", "-w", "alice", *AUTH)
    assert funded.code == 0, funded.err
    assert "Funded the MarketDesk with 5.0000 REX" in funded.out
    again = cli("market", "buy", "1", "-w", "alice", "--pay-with", "voucher", *AUTH)
    assert again.code == 0, again.err
    assert "from your voucher" in " ".join(again.out.split())
