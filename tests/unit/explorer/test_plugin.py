"""The explorer plug-in's tools: the local history offline, the API tools on recorded answers."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

import rexos.plugins.builtin.explorer as explorer_plugin
from rexos.chain.client import ChainClient
from rexos.chain.manifest import Manifest
from rexos.config import Settings
from rexos.explorer import EtherscanClient, ExplorerError
from rexos.plugins import discover
from tests.unit.explorer.seed import ALICE, BOB, REX, ZERO, seed

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "explorer"
VITALIK = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"
AGENT = discover()["explorer"].as_agent()


class Context:
    def __init__(self, home: Path) -> None:
        self.settings = Settings(home=home, etherscan_url="https://explorer.test/v2/api")

    def chain(self) -> ChainClient:
        raise AssertionError("the explorer tools never need the chain")

    def manifest(self) -> Manifest:
        raise AssertionError("the explorer tools never need a deployment")


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[httpx.Request]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        name = {"txlist": "txlist", "tokentx": "tokentx", "balance": "balance"}
        body = (FIXTURES / f"{name[request.url.params['action']]}.json").read_bytes()
        return httpx.Response(200, content=body)

    def client(settings: Settings) -> EtherscanClient:
        return EtherscanClient(
            settings.etherscan_url,
            api_key=settings.etherscan_api_key,
            transport=httpx.MockTransport(handler),
        )

    monkeypatch.setattr(explorer_plugin, "client", client)
    return seen


def test_declarations() -> None:
    tools = {t.name: t for t in AGENT.tools}
    assert tools["explorer.history"].offline and not tools["explorer.history"].untrusted
    for name in ("explorer.transactions", "explorer.token_transfers", "explorer.balance"):
        assert tools[name].needs == {"network"} and not tools[name].moves_funds
    assert tools["explorer.transactions"].untrusted and tools["explorer.token_transfers"].untrusted


def test_history_tool_reads_the_seeded_index(tmp_path: Path) -> None:
    seed(tmp_path, 31337, [(1, 0, REX, ZERO, ALICE, 10**30), (2, 0, REX, ALICE, BOB, 3)])
    got = AGENT.tool("explorer.history").call_json(
        Context(tmp_path), {"address": ALICE.lower(), "limit": 10}
    )
    assert got["source"] == "index" and got["address"] == ALICE
    assert got["chains"] == [{"chain_id": 31337, "indexed_to_block": 7}]
    assert [(t["direction"], t["amount"]) for t in got["transfers"]] == [
        ("out", "3"),
        ("in", str(10**30)),
    ]


def test_transactions_tool(tmp_path: Path, recorded: list[httpx.Request]) -> None:
    got = AGENT.tool("explorer.transactions").call_json(
        Context(tmp_path), {"address": VITALIK.lower(), "chain_id": 10, "limit": 2}
    )
    assert recorded[0].url.params["chainid"] == "10"
    assert recorded[0].url.params["offset"] == "2"
    assert got["address"] == VITALIK and got["explorer"] == "explorer explorer.test"
    # the first two rows of the recorded answer: a genesis allocation of 10,000 ETH, then 5 ETH
    assert [t["value"] for t in got["transactions"]] == [str(10_000 * 10**18), str(5 * 10**18)]
    assert got["transactions"][0]["from_address"] == "GENESIS"


def test_token_transfers_and_balance_tools(tmp_path: Path, recorded: list[httpx.Request]) -> None:
    ctx = Context(tmp_path)
    transfers = AGENT.tool("explorer.token_transfers").call_json(ctx, {"address": VITALIK})
    rows = transfers["transfers"]
    assert len(rows) == 9  # the recorded answer's nine rows, in its order
    assert [(t["token_symbol"], t["value"]) for t in rows[6:8]] == [
        ("", "299900000000000000000"),
        ("MKR", "999999999999999999"),
    ]
    balance = AGENT.tool("explorer.balance").call_json(ctx, {"address": VITALIK})
    assert balance["wei"] == "40891631566070000000000"
    assert balance["amount"] == "40891.63156607"
    assert [r.url.params["action"] for r in recorded] == ["tokentx", "balance"]


def test_api_errors_reach_the_caller(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def client(settings: Settings) -> EtherscanClient:
        return EtherscanClient(
            transport=httpx.MockTransport(lambda r: httpx.Response(404)), max_retries=0
        )

    monkeypatch.setattr(explorer_plugin, "client", client)
    with pytest.raises(ExplorerError, match="HTTP 404"):
        AGENT.tool("explorer.balance").call(Context(tmp_path), {"address": VITALIK})
