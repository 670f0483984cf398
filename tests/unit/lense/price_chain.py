"""A py-evm devnet with the dev deployment, for the price and performance tests.

Helpers to move time, grow a V3 pool's observation history, swap directly on a V2 pair or
through RexRouter, and mint dev tokens (the deployer owns them).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from web3 import Web3

from rexos.chain import Manifest, RpcChain, Transactor, dev_account, load_artifact
from rexos.dex import find_route, quote_swap
from rexos.dex.discovery import Discoverer
from rexos.dex.execute import SwapExecutor
from rexos.dex.venues import manifest_venues, multicall_address
from rexos.lense.model import Asset
from rexos.lense.price_sources import PriceSource, require_sane_price
from rexos.types import Address
from tests.devchain import served_dev_chain

ALICE, MALLORY = 1, 4


@dataclass
class Devnet:
    chain: RpcChain
    manifest: Manifest

    @property
    def web3(self) -> Web3:
        web3: Web3 = self.chain.web3
        return web3

    def address(self, who: int) -> str:
        return str(dev_account(who).address)

    def tx(self, who: int) -> Transactor:
        return Transactor(self.web3, dev_account(who))

    def token(self, symbol: str) -> Any:
        key = "RexToken" if symbol == "REX" else f"DevToken:{symbol}"
        abi = load_artifact("RexToken" if symbol == "REX" else "DevToken").abi
        return self.web3.eth.contract(address=self.manifest.address(key), abi=abi)

    def asset(self, symbol: str) -> Asset:
        contract = self.token(symbol)
        decimals = int(contract.functions.decimals().call())
        return Asset(self.manifest.chain_id, contract.address, symbol, symbol, decimals)

    def mint(self, symbol: str, who: int, amount: int) -> None:
        self.tx(0).send(self.token(symbol).functions.mint(self.address(who), amount), action="mint")

    def wait(self, seconds: int) -> None:
        """Move the clock on and mine a block."""
        self.web3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
        self.web3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    def v3_pools(self) -> list[str]:
        return [p for v in manifest_venues(self.manifest) if v.kind == "v3" for p in v.pools]

    def grow_observations(self, cardinality: int, *, skip: str = "") -> None:
        """Let every V3 pool but ``skip`` keep ``cardinality`` observations (anyone may ask)."""
        abi = load_artifact("UniswapV3Pool").abi
        for address in self.v3_pools():
            if address == skip:
                continue
            pool = self.web3.eth.contract(address=Web3.to_checksum_address(address), abi=abi)
            self.tx(ALICE).send(
                pool.functions.increaseObservationCardinalityNext(cardinality), action="grow"
            )

    def pools(self, kind: str) -> list[Any]:
        venues = [v for v in manifest_venues(self.manifest) if v.kind == kind]
        address = multicall_address(self.manifest)
        found = Discoverer(self.web3, venues, multicall=address)
        return list(found.discover().pools.values())

    def router_swap(self, who: int, pools: list[Any], sell: str, buy: str, amount: int) -> int:
        """Sell ``amount`` of ``sell`` for ``buy`` through RexRouter over ``pools`` only."""
        sell_token, buy_token = self.token(sell).address, self.token(buy).address
        route = find_route(pools, sell_token, buy_token, amount, max_hops=1)
        quote = quote_swap(route, pools, slippage_bps=100)
        executor = SwapExecutor(self.tx(who), self.manifest.address("RexRouter"))
        received: int = executor.execute(quote).amount_out
        return received

    def pair(self, venue: str, a: str, b: str) -> Any:
        factory = self.web3.eth.contract(
            address=self.manifest.address(f"RexV2Factory:{venue}"),
            abi=load_artifact("RexV2Factory").abi,
        )
        address = factory.functions.getPair(self.token(a).address, self.token(b).address).call()
        return self.web3.eth.contract(address=address, abi=load_artifact("RexV2Pair").abi)

    def v2_pool(self, venue: str, a: str, b: str) -> Any:
        """The V2 pool of ``venue`` pairing two tokens, read now."""
        address = self.pair(venue, a, b).address
        return next(p for p in self.pools("v2") if p.id == address)


def assert_conforms(source: PriceSource, wanted: list[Asset]) -> None:
    """The conformance suite of a price source (every source and the fake pass it)."""
    assert isinstance(source, PriceSource) and source.name
    got = source.quotes(wanted)
    assert got and set(got) <= {a.key for a in wanted}
    for key, quote in got.items():
        assert require_sane_price(source.name, key, quote.usd) == quote.usd
        assert quote.source and quote.as_of
    assert source.quotes([]) == {}
    elsewhere = [replace(a, chain_id=a.chain_id + 1) for a in wanted]
    assert source.quotes(elsewhere) == {}
    assert source.quotes(wanted) == got  # the same block, the same answer


@contextmanager
def devnet() -> Iterator[Devnet]:
    """The dev deployment on a fresh py-evm node, Alice funded (a fork of the deployment made
    once per process: ``tests/devchain.py``)."""
    with served_dev_chain([Address(dev_account(ALICE).address)]) as (_, chain, manifest):
        yield Devnet(chain, manifest)
