"""Lense price and performance figures: checking prices on a py-evm devnet, and FIFO speed.

Run: ``python benchmarks/lense_prices.py``. Prints the figures and writes
``benchmarks/lense_prices.json``. The devnet is the dev deployment on the embedded py-evm
node (its V3 pools given 16 observations and an hour of history); nine assets (the
deployment's tokens and the native coin) are priced by the DEX spot, the V3 TWAP, the index
TWAP and the CoinGecko-compatible feed (a local server replaying the hand-written fixture).
RPC requests are counted at the HTTP provider (a batch counts once). FIFO replays random
buy/sell histories.
"""

from __future__ import annotations

import json
import platform
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from web3 import Web3
from web3.providers.rpc import HTTPProvider
from web3.types import RPCEndpoint

from rexos.agents.database import index_chain
from rexos.lense.model import Asset
from rexos.lense.perf_fifo import Movement, fifo
from rexos.lense.price_index import IndexTwapSource
from rexos.lense.price_sources import CoinGeckoSource, DexSpotSource, deployment_coins
from rexos.lense.price_twap import V3TwapSource
from rexos.lense.prices import check_prices
from rexos.prices import CoinGeckoClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the devnet helpers and the replay server live in tests/
from tests.unit.lense.price_chain import ALICE, Devnet, devnet  # noqa: E402
from tests.unit.social.replay import Reply, serve  # noqa: E402

OUT = Path(__file__).with_suffix(".json")
FEED = ROOT / "tests" / "fixtures" / "prices" / "coingecko_simple_price.json"
SYMBOLS = ("WETH", "USDC", "USDT", "DAI", "WBTC", "LINK", "UNI", "REX")
FIFO_MOVES = 100_000


class CountingProvider(HTTPProvider):
    """An HTTP provider that counts the requests it sends (a batch counts once)."""

    requests = 0

    def make_request(self, method: Any, params: Any) -> Any:
        CountingProvider.requests += 1
        return super().make_request(method, params)

    def make_batch_request(self, requests: Any) -> Any:
        CountingProvider.requests += 1
        return super().make_batch_request(requests)


def _timed(source: Any, assets: list[Asset]) -> dict[str, Any]:
    CountingProvider.requests = 0
    start = time.perf_counter()
    got = source.quotes(assets)
    return {
        "seconds": round(time.perf_counter() - start, 3),
        "rpc_requests": CountingProvider.requests,
        "assets_priced": len(got),
    }


def _history(net: Devnet) -> None:
    pools = net.pools("v2")
    for amount in (5_000, 7_000, 3_000):
        net.router_swap(ALICE, pools, "USDC", "WETH", amount * 10**6)
        net.wait(300)


def prices() -> dict[str, Any]:
    with devnet() as net, serve() as replay, tempfile.TemporaryDirectory() as tmp:
        replay.answer("/api/v3/simple/price", Reply(200, FEED.read_bytes()))
        net.grow_observations(16)
        net.wait(3600)
        _history(net)
        index = Path(tmp) / "index.duckdb"
        index_chain(net.web3, net.manifest, index)
        web3 = Web3(
            CountingProvider(
                net.chain.url,
                cache_allowed_requests=True,
                cacheable_requests={RPCEndpoint("eth_chainId")},
            )
        )
        chain = net.manifest.chain_id
        assets = [net.asset(s) for s in SYMBOLS] + [Asset(chain, "native", "ETH", "Ether", 18)]
        now = int(web3.eth.get_block("latest")["timestamp"])
        weth = net.asset("WETH").token
        sources: dict[str, Any] = {
            "dex_spot": DexSpotSource(web3, net.manifest),
            "v3_twap": V3TwapSource(web3, net.manifest),
            "index_twap": IndexTwapSource(index, chain, now=now, native=weth),
            "coingecko": CoinGeckoSource(
                CoinGeckoClient(replay.url, sleep=lambda _: None), deployment_coins(net.manifest)
            ),
        }
        per_source = {name: _timed(s, assets) for name, s in sources.items()}
        CountingProvider.requests = 0
        start = time.perf_counter()
        checked = check_prices(assets, list(sources.values()))
        total = time.perf_counter() - start
        symbol = {a.key: a.symbol for a in assets}
        return {
            "assets": len(assets),
            "per_source": per_source,
            "check_prices_seconds": round(total, 3),
            "check_prices_rpc_requests": CountingProvider.requests,
            "assets_checked": {
                symbol[c.asset_key]: {
                    "flag": c.flag,
                    "sources": len(c.quotes),
                    "median_usd": str(c.median),
                    "divergence_bps": str(c.divergence_bps),
                }
                for c in checked.values()
            },
        }


def fifo_speed() -> dict[str, Any]:
    rnd = random.Random(15)
    moves, held = [], 0
    for block in range(FIFO_MOVES):
        buy = held == 0 or rnd.random() < 0.6
        amount = rnd.randint(1, 10**21) if buy else rnd.randint(1, held)
        held += amount if buy else -amount
        usd = Decimal(rnd.randint(1, 10**7)) / 100
        moves.append(Movement("1:x", "in" if buy else "out", amount, block, block, usd, "b"))
    start = time.perf_counter()
    replay = fifo(moves)
    seconds = time.perf_counter() - start
    return {
        "movements": FIFO_MOVES,
        "seconds": round(seconds, 3),
        "movements_per_second": round(FIFO_MOVES / seconds),
        "open_lots": len(replay.lots),
    }


def main() -> None:
    figures = {
        "machine": {"python": platform.python_version(), "cpu": platform.processor() or "?"},
        "prices_on_pyevm_devnet": prices(),
        "fifo": fifo_speed(),
    }
    OUT.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
