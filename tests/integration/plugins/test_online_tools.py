"""The built-in plug-ins' chain tools on a real anvil devnet with everything deployed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from rexos.chain import AnvilChain, Transactor, dev_account
from rexos.chain.client import ChainClient
from rexos.chain.manifest import Manifest
from rexos.config import Settings
from rexos.deployment import deploy_dev
from rexos.market import MarketClient
from rexos.plugins import discover
from rexos.types import Address

pytestmark = pytest.mark.anvil


class DevnetContext:
    def __init__(self, chain: ChainClient, manifest: Manifest, home: Path) -> None:
        self._chain, self._manifest, self._home = chain, manifest, home

    @property
    def settings(self) -> Settings:
        return Settings(home=self._home)  # tools that keep files keep them here

    def chain(self) -> ChainClient:
        return self._chain

    def manifest(self) -> Manifest:
        return self._manifest


@pytest.fixture(scope="module")
def context(anvil: AnvilChain, tmp_path_factory: pytest.TempPathFactory) -> DevnetContext:
    alice = Address(dev_account(1).address)
    manifest = deploy_dev(anvil, funded=[alice])
    # one listing on the market, so that the market tools' examples have one to read
    MarketClient(anvil.web3, manifest).list_agent(
        Transactor(anvil.web3, dev_account(1)), "0x" + "11" * 32, alice, 10**17
    )
    return DevnetContext(anvil, manifest, tmp_path_factory.mktemp("rexos-tools"))


def test_every_online_example_runs_on_the_devnet(context: DevnetContext) -> None:
    ran = 0
    for plugin in discover().values():
        for tool in plugin.tools:
            if tool.needs != {"chain"} or tool.moves_funds:
                continue  # offline tools run in the unit suite, network ones on recordings,
                # and those that sign (no wallet here) in their plug-in's tests
            for example in tool.examples:
                tool.result.model_validate(tool.call_json(context, example))
                ran += 1
    assert ran >= 3


def test_balance_and_quote_tools_read_the_chain(context: DevnetContext) -> None:
    plugins = discover()
    balance = plugins["chain"].as_agent().tool("chain.balance")
    alice = dev_account(1).address
    rex = balance.call_json(context, {"address": alice, "token": "REX"})
    assert rex["symbol"] == "REX" and Decimal(rex["amount"]) > 0
    quote = (
        plugins["dex"]
        .as_agent()
        .tool("dex.quote")
        .call_json(context, {"sell": "WETH", "buy": "USDC", "amount": "10"})
    )
    assert Decimal(quote["min_out"]) < Decimal(quote["amount_out"])
    assert 25_000 < Decimal(quote["amount_out"]) < 30_000  # 10 WETH at about $3,000
    assert quote["venues"]


def test_price_tool_compares_the_pools_with_the_feed(
    context: DevnetContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx

    import rexos.plugins.builtin.prices as prices_plugin
    from rexos.prices import CoinGeckoClient

    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "prices"
    body = (fixture / "coingecko_simple_price.json").read_bytes()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    monkeypatch.setattr(
        prices_plugin,
        "feed",
        lambda settings: CoinGeckoClient("https://cg.test", transport=transport),
    )
    tool = discover()["prices"].as_agent().tool("prices.usd")
    rows = {r["symbol"]: r for r in tool.call_json(context, {"symbols": ["WETH", "REX"]})["prices"]}
    weth = rows["WETH"]
    assert 2_900 < Decimal(weth["dex_usd"]) < 3_100  # pools seeded at $3,000
    assert weth["feed_usd"] == "3011.9" and weth["diverges"] is False
    assert rows["REX"]["feed_usd"] is None and Decimal(rows["REX"]["dex_usd"]) > 0
    tight = tool.call_json(context, {"symbols": ["WETH"], "divergence_bps": "0.5"})
    assert tight["prices"][0]["diverges"] is True
