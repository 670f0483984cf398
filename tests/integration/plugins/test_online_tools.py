"""The built-in plug-ins' chain tools on a real anvil devnet with everything deployed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rexos.chain import AnvilChain, dev_account
from rexos.chain.client import ChainClient
from rexos.chain.manifest import Manifest
from rexos.config import Settings
from rexos.deployment import deploy_dev
from rexos.plugins import discover
from rexos.types import Address

pytestmark = pytest.mark.anvil


class DevnetContext:
    def __init__(self, chain: ChainClient, manifest: Manifest) -> None:
        self._chain, self._manifest = chain, manifest

    @property
    def settings(self) -> Settings:
        return Settings()

    def chain(self) -> ChainClient:
        return self._chain

    def manifest(self) -> Manifest:
        return self._manifest


@pytest.fixture(scope="module")
def context(anvil: AnvilChain) -> DevnetContext:
    return DevnetContext(anvil, deploy_dev(anvil, funded=[Address(dev_account(1).address)]))


def test_every_online_example_runs_on_the_devnet(context: DevnetContext) -> None:
    ran = 0
    for plugin in discover().values():
        for tool in plugin.tools:
            if tool.needs != {"chain"}:
                continue  # offline tools run in the unit suite; network ones on recordings
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
