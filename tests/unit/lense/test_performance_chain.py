"""Performance on a py-evm devnet: a history of known swaps and transfers, indexed by the
Database agent's indexer, gives the FIFO cost basis and profits computed here by hand from
the swaps' exact amounts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from rexos.agents.database import index_chain
from rexos.lense.model import Asset, Position
from rexos.lense.perf_index import index_movements, swap_prices
from rexos.lense.performance import performance, portfolio
from rexos.lense.price_index import IndexTwapSource
from rexos.lense.price_sources import DexSpotSource
from rexos.lense.prices import check_prices
from tests.unit.lense.price_chain import ALICE, Devnet, assert_conforms, devnet

OWNER = 5
USDC, WETH = 10**6, 10**18


@dataclass
class History:
    net: Devnet
    index: Path
    out1: int
    out2: int
    sold: int
    got: int
    out3: int


def dec(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    with devnet() as net:
        owner = net.address(OWNER)
        alice = net.tx(ALICE)
        alice.send(net.token("USDC").functions.transfer(owner, 50_000 * USDC), action="usdc")
        uni, cake = net.v2_pool("unidev", "WETH", "USDC"), net.v2_pool("cakedev", "WETH", "USDC")
        out1 = net.router_swap(OWNER, [uni], "USDC", "WETH", 10_000 * USDC)
        out2 = net.router_swap(OWNER, [cake], "USDC", "WETH", 20_000 * USDC)
        sold = out1 + out2 // 2
        got = net.router_swap(OWNER, [uni], "WETH", "USDC", sold)
        alice.send(net.token("WETH").functions.transfer(owner, WETH), action="weth")
        alice.send(net.token("LINK").functions.transfer(owner, 10 * WETH), action="link")
        usdc, weth = net.token("USDC").address, net.token("WETH").address
        v3 = [p for p in net.pools("v3") if p.fee == 3000 and set(p.tokens) == {usdc, weth}]
        out3 = net.router_swap(OWNER, v3, "USDC", "WETH", 1_000 * USDC)  # a V3 swap
        index = tmp_path_factory.mktemp("index") / "chain.duckdb"
        index_chain(net.web3, net.manifest, index, chunk=500)
        yield History(net, index, out1, out2, sold, got, out3)


def holdings(h: History) -> list[Position]:
    owner = h.net.address(OWNER)
    found = []
    for symbol in ("USDC", "WETH", "LINK"):
        asset = h.net.asset(symbol)
        amount = int(h.net.token(symbol).functions.balanceOf(owner).call())
        found.append(Position(asset, amount, "balance", "balanceOf"))
    return found


def test_movements_read_from_the_index(history: History) -> None:
    h, chain = history, history.net.manifest.chain_id
    moves = index_movements(h.index, chain, h.net.address(OWNER), swap_prices(h.index, chain))
    weth = moves[h.net.asset("WETH").key]
    assert [(m.direction, m.amount) for m in weth] == [
        ("in", h.out1), ("in", h.out2), ("out", h.sold), ("in", WETH), ("in", h.out3)
    ]  # fmt: skip
    assert [m.usd for m in weth[:3]] == [10_000, 20_000, Decimal(h.got) / USDC]
    assert weth[4].usd == 1_000
    assert "swap USDC → WETH in tx" in weth[0].source
    assert "transfer in" in weth[3].source
    assert "swap USDC → WETH in tx" in weth[4].source  # a V3 swap: the index lists it too
    usdc = moves[h.net.asset("USDC").key]
    assert [(m.direction, m.amount) for m in usdc] == [
        ("in", 50_000 * USDC), ("out", 10_000 * USDC), ("out", 20_000 * USDC), ("in", h.got),
        ("out", 1_000 * USDC),
    ]  # fmt: skip


def test_fifo_cost_basis_and_profits_by_hand(history: History) -> None:
    h, chain = history, history.net.manifest.chain_id
    points = swap_prices(h.index, chain)
    moves = index_movements(h.index, chain, h.net.address(OWNER), points)
    held = holdings(h)
    assets = [p.asset for p in held]
    prices = check_prices(assets, [DexSpotSource(h.net.web3, h.net.manifest)])
    latest = int(h.net.web3.eth.get_block("latest")["timestamp"])
    got = performance(h.net.address(OWNER), held, moves, prices, points, now=latest)
    weth_key, usdc_key, link_key = (a.key for a in (assets[1], assets[0], assets[2]))

    # WETH: lots of out1 for $10,000 and out2 for $20,000; the sale of out1 + out2 // 2
    # fetched got / 10^6 dollars and used up the first lot and half the second; then 1 WETH
    # came in (valued at the sale's price) and out3 were bought for $1,000 on V3.
    proceeds = Fraction(h.got, USDC)
    half = h.out2 // 2
    realised = proceeds - 10_000 - Fraction(20_000 * half, h.out2)
    sale_price = proceeds / Fraction(h.sold, WETH)  # the transfer in is valued at the last swap
    basis = Fraction(20_000 * (h.out2 - half), h.out2) + sale_price + 1_000
    weth = got[weth_key]
    assert weth.realised_usd == dec(realised)
    assert weth.cost_basis_usd is not None
    assert abs(weth.cost_basis_usd - dec(basis)) < Decimal("1e-18")  # 28-digit rounding
    median = prices[weth_key].median
    assert median is not None
    units = Fraction(h.out2 - half + WETH + h.out3, WETH)
    unrealised = units * Fraction(median) - basis
    assert weth.unrealised_usd is not None
    assert abs(weth.unrealised_usd - dec(unrealised)) < Decimal("1e-18")
    assert realised < 0  # two fees and the price impact, bought and sold at once

    usdc = got[usdc_key]  # the dollar: bought and sold at $1, nothing realised
    assert usdc.realised_usd == 0
    assert usdc.cost_basis_usd == 19_000 + dec(proceeds)  # 1,000 more left the first lot

    link = got[link_key]  # no LINK swap in the index: its cost is unknown, said plainly
    assert link.cost_basis_usd is None and link.unrealised_usd is None
    assert link.realised_usd == 0 and "no price for what came in" in link.source

    total = portfolio(held, got, prices, points, now=latest)
    assert total.cost_basis_usd is None and total.realised_usd == weth.realised_usd
    assert total.value_usd > 0 and "3 assets with a headline price" in total.source


def test_index_twap_weighs_the_swaps_by_time(history: History) -> None:
    h, chain = history, history.net.manifest.chain_id
    weth, usdc = h.net.asset("WETH"), h.net.asset("USDC")
    native = Asset(chain, "native", "ETH", "Ether", 18)
    now = int(h.net.web3.eth.get_block("latest")["timestamp"])
    source = IndexTwapSource(h.index, chain, now=now, native=weth.token)
    got = source.quotes([weth, usdc, native])
    assert set(got) == {weth.key, native.key}  # the dollar side has no price of its own
    sale = Fraction(h.got, USDC) / Fraction(h.sold, WETH)
    bought = [Fraction(10_000, 1) / Fraction(h.out1, WETH),
              Fraction(20_000, 1) / Fraction(h.out2, WETH),
              Fraction(1_000, 1) / Fraction(h.out3, WETH)]  # fmt: skip
    low, high = min(sale, *bought), max(sale, *bought)  # a mean of the four swap prices
    assert dec(low) <= got[weth.key].usd <= dec(high)
    assert got[native.key].usd == got[weth.key].usd
    assert "(4 swaps)" in got[weth.key].source
    assert IndexTwapSource(h.index, chain, now=now + 10**6).quotes([weth]) == {}  # too old
    assert_conforms(source, [weth, usdc, native])
