"""``deploy_all`` deploys the DEX fixtures; the registry and the watcher read them back.

:func:`dex_net` (one ``deploy_all`` per test process, on an embedded py-evm chain) is shared
by the other ``test_onchain_*`` modules; each test runs inside :meth:`DexNet.rollback`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from web3.contract import Contract

from rexos.chain import Transactor, dev_account, load_artifact
from rexos.dex import StablePool, V2Pool, V3Pool
from rexos.dex.deploy import DEV_TOKENS, FUNDED_USD, REX, STABLE_VENUES, V2_VENUES, pair_address
from rexos.dex.execute import SwapExecutor
from rexos.dex.onchain import PoolWatcher, TokenRegistry
from rexos.errors import DexError
from rexos.types import Address
from tests.devchain import dev_chain

USER, OTHER = 1, 2
"""Funded development accounts: the swapper and a second trader (the 'front-runner')."""


class DexNet:
    """``deploy_all`` on an embedded chain, with two funded traders."""

    def __init__(self) -> None:
        funded = [Address(dev_account(i).address) for i in (USER, OTHER)]
        self.chain, self.manifest = dev_chain(funded)
        self.tokens = TokenRegistry.from_manifest(self.manifest)
        self.router = self.manifest.address("RexRouter")

    @property
    def web3(self) -> Any:
        return self.chain.web3

    def tx(self, account: int) -> Transactor:
        return Transactor(self.web3, dev_account(account))

    def address(self, account: int) -> Address:
        return Address(dev_account(account).address)

    def token(self, symbol: str) -> Contract:
        address = self.tokens.symbol(symbol).address
        return self.web3.eth.contract(address=address, abi=load_artifact("DevToken").abi)

    def balance(self, symbol: str, holder: str) -> int:
        return int(self.token(symbol).functions.balanceOf(holder).call())

    def mint(self, symbol: str, account: int, amount: int) -> None:
        """The deployer mints ``amount`` of a dev token for ``account`` (sends it REX)."""
        token, to = self.token(symbol), self.address(account)
        rex = symbol == "REX"
        call = token.functions.transfer(to, amount) if rex else token.functions.mint(to, amount)
        self.tx(0).send(call, action=f"mint {symbol}")

    def watcher(self) -> PoolWatcher:
        return PoolWatcher(self.web3, self.manifest)

    def executor(self, account: int = USER) -> SwapExecutor:
        return SwapExecutor(self.tx(account), self.router)

    @contextmanager
    def rollback(self) -> Iterator[DexNet]:
        snapshot = self.chain.snapshot()
        try:
            yield self
        finally:
            self.chain.revert(snapshot)


@cache
def dex_net() -> DexNet:
    return DexNet()


@pytest.fixture
def net() -> Iterator[DexNet]:
    with dex_net().rollback() as built:
        yield built


def test_the_manifest_lists_every_dex_contract_and_its_facts(net: DexNet) -> None:
    contracts = net.manifest.contracts
    for t in DEV_TOKENS:
        assert f"DevToken:{t.symbol}" in contracts
    for venue in V2_VENUES:
        factory = net.web3.eth.contract(
            address=contracts[f"RexV2Factory:{venue.name}"], abi=load_artifact("RexV2Factory").abi
        )
        assert factory.functions.defaultFeeBps().call() == venue.fee_bps
        assert factory.functions.allPairsLength().call() == len(venue.pairs)
    assert len({v.fee_bps for v in V2_VENUES}) == 3
    assert {f"StableSwapPool:{s.name}" for s in STABLE_VENUES} <= set(contracts)
    assert net.web3.eth.get_code(net.router) != b""
    dex = net.manifest.genesis["dex"]
    assert dex["tokens"]["USDC"] == 6 and dex["tokens"]["WBTC"] == 8
    assert dex["venues"]["cakedev"] == {"kind": "v2", "fee_bps": 25}


def test_the_registry_matches_the_tokens_on_chain(net: DexNet) -> None:
    assert len(net.tokens) == len(DEV_TOKENS) + 1
    for info in net.tokens:
        token = net.web3.eth.contract(address=info.address, abi=load_artifact("DevToken").abi)
        assert token.functions.decimals().call() == info.decimals
        assert token.functions.symbol().call() == info.symbol
        assert net.tokens.address(info.address.lower()) == info
    assert net.tokens.symbol("$weth") == net.tokens.symbol("WETH")
    assert net.tokens.symbol("REX").address == net.manifest.address("RexToken")
    with pytest.raises(DexError, match=r"unknown token 'DOGE' \(known: DAI, LINK"):
        net.tokens.symbol("DOGE")
    with pytest.raises(DexError, match="no known token"):
        net.tokens.address(net.router)


def test_every_pool_is_seeded_at_the_same_usd_prices(net: DexNet) -> None:
    watcher = net.watcher()
    prices = {t.symbol: t.usd for t in (*DEV_TOKENS, REX)}
    symbol = {info.address: info for info in net.tokens}
    v2 = [p for p in watcher.pools if isinstance(p, V2Pool)]
    assert len(v2) == sum(len(v.pairs) for v in V2_VENUES)
    for pool in v2:
        a, b = symbol[Address(pool.token0)], symbol[Address(pool.token1)]
        usd_a = Decimal(pool.reserve0) / 10**a.decimals * prices[a.symbol]
        usd_b = Decimal(pool.reserve1) / 10**b.decimals * prices[b.symbol]
        assert abs(usd_a / usd_b - 1) < Decimal("1e-9"), (a.symbol, b.symbol)
    weth_usdc = sorted(
        p.reserve0 + p.reserve1
        for p in v2
        if {symbol[Address(p.token0)].symbol, symbol[Address(p.token1)].symbol} == {"WETH", "USDC"}
    )
    assert len(weth_usdc) == 3 and len(set(weth_usdc)) == 3, "three venues, three depths"
    assert {p.fee_bps for p in v2} == {5, 25, 30, 100}
    (stable,) = [p for p in watcher.pools if isinstance(p, StablePool)]
    assert stable.normalised() == (10**25, 10**25, 10**25)


def test_pair_addresses_are_computed_as_the_factory_creates_them(net: DexNet) -> None:
    factory_address = net.manifest.address("RexV2Factory:unidev")
    factory = net.web3.eth.contract(address=factory_address, abi=load_artifact("RexV2Factory").abi)
    weth, usdc = net.tokens.symbol("WETH").address, net.tokens.symbol("USDC").address
    on_chain = factory.functions.getPair(usdc, weth).call()
    assert pair_address(factory_address, weth, usdc) == on_chain
    assert pair_address(factory_address, usdc, weth) == on_chain


def test_funded_accounts_hold_every_dev_token(net: DexNet) -> None:
    for t in DEV_TOKENS:
        assert net.balance(t.symbol, net.address(USER)) == t.units(FUNDED_USD)
        assert net.balance(t.symbol, net.address(OTHER)) == t.units(FUNDED_USD)
    assert net.balance("WETH", net.address(3)) == 0


def test_the_watcher_reads_what_the_contracts_report(net: DexNet) -> None:
    watcher = net.watcher()
    assert watcher.block == net.web3.eth.block_number
    venues = {watcher.venue[p.id] for p in watcher.pools}
    assert venues == {"unidev", "cakedev", "lowdev", "curvedev", "univ3dev"}
    quoter = net.web3.eth.contract(
        address=net.manifest.address("QuoterV2"), abi=load_artifact("QuoterV2").abi
    )
    for pool in watcher.pools:
        assert pool.block == watcher.block  # type: ignore[attr-defined]
        if isinstance(pool, V3Pool):
            for token_in, token_out in (pool.tokens, pool.tokens[::-1]):
                amount = 10 ** (15 if token_in == net.tokens.symbol("REX").address else 8)
                params = (token_in, token_out, amount, pool.fee, 0)
                on_chain = quoter.functions.quoteExactInputSingle(params).call()[0]
                assert pool.swap(token_in, token_out, amount)[0] == on_chain
        elif isinstance(pool, V2Pool):
            pair = net.web3.eth.contract(address=pool.id, abi=load_artifact("RexV2Pair").abi)
            reserves = pair.functions.getReserves().call()[:2]
            assert (pool.reserve0, pool.reserve1) == tuple(reserves)
            assert pool.fee_bps == pair.functions.feeBps().call()
        else:
            assert isinstance(pool, StablePool)
            contract = net.web3.eth.contract(
                address=pool.id, abi=load_artifact("StableSwapPool").abi
            )
            dx = 123_456 * 10**6
            on_chain = contract.functions.get_dy(0, 2, dx).call()
            assert pool.amount_out(pool.tokens[0], pool.tokens[2], dx) == on_chain
    with pytest.raises(DexError, match="no watched pool"):
        watcher.pool(net.router)
