"""Prices on a py-evm devnet: DEX spot, the V3 TWAP and the (replayed) feed agree on calm
pools; one huge swap moves the spot price but not the TWAP, and the asset is disputed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from web3 import Web3

from rexos.lense.model import Asset
from rexos.lense.price_index import IndexTwapSource
from rexos.lense.price_sources import (
    CoinGeckoSource,
    DexSpotSource,
    FixedSource,
    PriceSource,
    deployment_coins,
)
from rexos.lense.price_twap import V3TwapSource
from rexos.lense.prices import DISPUTED_BPS, check_prices, headline_price
from rexos.prices import CoinGeckoClient
from tests.unit.lense.price_chain import MALLORY, Devnet, assert_conforms, devnet
from tests.unit.social.replay import Reply, serve

FEED = Path(__file__).resolve().parents[2] / "fixtures" / "prices" / "coingecko_simple_price.json"
"""Hand-written (see its README): WETH 3011.9, USDC 0.9998."""


@pytest.fixture(scope="module")
def net() -> Iterator[Devnet]:
    with devnet() as chain:
        stable_pool = stable_v3_pool(chain)
        chain.grow_observations(16, skip=stable_pool)
        chain.wait(3600)
        chain.mint("USDC", MALLORY, 100_000 * 10**6)  # a swap that moves the tick (a write)
        chain.router_swap(MALLORY, [p for p in chain.pools("v3") if p.id == stable_pool],
                          "USDC", "USDT", 100_000 * 10**6)  # fmt: skip
        yield chain


def stable_v3_pool(net: Devnet) -> str:
    usdc, usdt = net.token("USDC").address, net.token("USDT").address
    return str(next(p.id for p in net.pools("v3") if {p.token0, p.token1} == {usdc, usdt}))


@pytest.fixture
def snapshot(net: Devnet) -> Iterator[None]:
    at = net.web3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    yield
    net.web3.provider.make_request("evm_revert", [at])  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def feed() -> Iterator[str]:
    with serve() as replay:
        replay.answer("/api/v3/simple/price", Reply(200, FEED.read_bytes()))
        yield replay.url


def assets(net: Devnet) -> list[Asset]:
    native = Asset(net.manifest.chain_id, "native", "ETH", "Ether", 18)
    return [net.asset(s) for s in ("WETH", "USDC", "USDT", "DAI", "REX")] + [native]


def sources(net: Devnet, feed: str) -> list[PriceSource]:
    client = CoinGeckoClient(feed, sleep=lambda _: None)
    clock = lambda: dt.datetime(2026, 12, 7, tzinfo=dt.UTC)  # noqa: E731
    return [
        DexSpotSource(net.web3, net.manifest),
        V3TwapSource(net.web3, net.manifest),
        CoinGeckoSource(client, deployment_coins(net.manifest), clock=clock),
    ]


def test_calm_pools_agree_with_the_feed(net: Devnet, feed: str) -> None:
    wanted = assets(net)
    weth, usdc, usdt, dai, rex, eth = (a.key for a in wanted)
    got = check_prices(wanted, sources(net, feed))
    names = {k: [q.source.split(" ")[0] for q in c.quotes] for k, c in got.items()}
    assert names[weth] == names[eth] == ["DEX", "Uniswap", "CoinGecko-compatible"]
    assert names[rex] == ["DEX", "Uniswap"]  # CoinGecko does not list REX
    assert names[usdc] == ["DEX", "CoinGecko-compatible"]  # the dollar: no TWAP of itself
    twap = got[weth].quotes[1].usd
    assert abs(twap - 3000) / 3000 < Decimal("0.0001")  # seeded at $3,000: within one tick
    assert got[weth].median == twap and got[weth].flag == "ok"  # spot < twap < 3011.9
    assert got[usdc].stable and got[usdc].median == Decimal("0.9999")  # (1 + 0.9998) / 2
    assert got[dai].stable and got[dai].flag == "ok"
    assert all(c.flag == "ok" for c in got.values()), {k: c.flag for k, c in got.items()}
    assert " × " in got[usdt].quotes[1].source  # its own V3 pool has no history: via WETH


def test_a_pool_without_history_gives_no_twap(net: Devnet) -> None:
    source = V3TwapSource(net.web3, net.manifest)
    source.quotes(assets(net))
    assert source.skipped == {stable_v3_pool(net): "observe() reverted: not even 450 s of history"}


def test_a_pool_with_some_history_is_averaged_over_what_it_has(net: Devnet, snapshot: None) -> None:
    net.wait(600)  # the USDC/USDT pool's one observation is now 600 s old
    usdt = net.asset("USDT")
    source = V3TwapSource(net.web3, net.manifest)
    quote = source.quotes([usdt])[usdt.key]
    assert quote.source.startswith("Uniswap V3 TWAP over 450 s (of 1800 s asked: no more")
    assert stable_v3_pool(net) in quote.source and not source.skipped
    assert abs(quote.usd - 1) < Decimal("0.001")


def test_one_huge_swap_moves_spot_not_twap_and_is_disputed(
    net: Devnet, feed: str, snapshot: None
) -> None:
    weth = net.asset("WETH")
    before = V3TwapSource(net.web3, net.manifest).quotes([weth])[weth.key].usd
    usdc, weth_address = net.token("USDC").address, weth.token
    pool = [p for p in net.pools("v3") if p.fee == 500 and set(p.tokens) == {usdc, weth_address}]
    net.mint("USDC", MALLORY, 1_850_000 * 10**6)
    net.router_swap(MALLORY, pool, "USDC", "WETH", 1_850_000 * 10**6)  # one block
    got = check_prices([weth], sources(net, feed))[weth.key]
    spot, twap, fed = (q.usd for q in got.quotes)
    assert twap == before  # the average has not moved
    assert spot > twap * Decimal("1.1")
    assert got.divergence_bps is not None and got.divergence_bps > DISPUTED_BPS
    assert got.flag == "disputed" and headline_price(got) is None
    assert got.median == fed  # the middle one of three: still the honest price


def every_source(net: Devnet, feed: str) -> list[PriceSource]:
    weth = net.asset("WETH")
    return [*sources(net, feed), FixedSource("fixed", {weth.key: Decimal(3000)})]


@pytest.mark.parametrize("which", range(4))
def test_every_source_keeps_the_protocol(net: Devnet, feed: str, which: int) -> None:
    """The conformance suite: each source (and the fake) answers the same way."""
    assert_conforms(every_source(net, feed)[which], assets(net))


def test_a_chain_or_index_that_fails_is_a_failed_source(net: Devnet, tmp_path: Path) -> None:
    weth = net.asset("WETH")
    dead = Web3(Web3.HTTPProvider("http://127.0.0.1:9", request_kwargs={"timeout": 2}))
    broken: list[PriceSource] = [
        DexSpotSource(dead, net.manifest),
        V3TwapSource(dead, net.manifest),
        IndexTwapSource(tmp_path / "none.duckdb", net.manifest.chain_id, now=0),
    ]
    failures: dict[str, str] = {}
    got = check_prices([weth], broken, failures=failures)
    assert set(failures) == {"dex spot", "v3 twap 1800 s", "index twap 1800 s"}
    assert "no index at" in failures["index twap 1800 s"]
    assert got[weth.key].flag == "unpriced"


def test_a_deployment_without_v3_pools_gives_no_twap(net: Devnet) -> None:
    kept = {k: v for k, v in net.manifest.contracts.items() if "UniswapV3" not in k}
    no_v3 = replace(net.manifest, contracts=kept)
    assert V3TwapSource(net.web3, no_v3).quotes(assets(net)) == {}
    assert DexSpotSource(net.web3, no_v3).quotes(assets(net))  # the other pools still price


def test_an_asset_that_is_no_token_is_left_unpriced_not_an_error(net: Devnet, feed: str) -> None:
    staked = net.manifest.address("StakedRex")
    points = Asset(net.manifest.chain_id, f"points:{staked}", "pts", "sREX points", 18)
    got = check_prices([points, *assets(net)[:1]], sources(net, feed))
    assert got[points.key].flag == "unpriced" and got[points.key].quotes == ()
    assert got[assets(net)[0].key].flag == "ok"
