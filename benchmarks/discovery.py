"""Pool discovery on anvil: time and RPC requests to find and read 1,000 pools.

Run: ``python benchmarks/discovery.py`` (needs anvil: ``npm install --prefix contracts
--no-save``). Builds 1,000 pools on a fresh anvil chain (600 RexV2 pairs over two
factories, every tenth seeded; 400 real Uniswap V3 pools over three fee tiers, each with
one to three positions), then runs :class:`~rexos.dex.discovery.Discoverer` over the factories three
times and reports the median wall time, the RPC requests it made and how many single
reads those requests carried (what unbatched ``eth_call`` reads would have cost). Writes
its figures under the top-level key ``"discovery"`` of ``benchmarks/routing.json``, keeping
every other key (read, modify, write).
"""

from __future__ import annotations

import json
import platform
import random
import statistics
import sys
import time
from itertools import combinations
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3

from rexos.chain import AnvilChain, dev_account, load_artifact
from rexos.dex.deploy import pair_address
from rexos.dex.deploy_v3 import V3_FEE_TIERS, v3_pool_address
from rexos.dex.discovery import Discoverer
from rexos.dex.v3.sqrt_price_math import Q96
from rexos.dex.venues import Venue

OUT = Path(__file__).with_name("routing.json")
V2_PAIRS, V3_POOLS, TOKENS = 600, 400, 40
RUNS = 3


class _Sender:
    """Transactions from an anvil dev account (anvil signs them), queued with automining off
    and mined a full block at a time (one block per transaction would make anvil write
    thousands of states to disk); :meth:`settle` mines the rest and checks the last one and
    that none was dropped."""

    _BLOCK_GAS = 55_000_000  # under the 60M block gas limit AnvilChain starts anvil with

    def __init__(self, web3: Web3, account: LocalAccount) -> None:
        self.web3, self.account = web3, account
        web3.provider.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]
        self.nonce = web3.eth.get_transaction_count(account.address)
        # far above the base fee: full blocks raise it
        self.price = 100 * int(web3.eth.gas_price)
        self.last: Any = None
        self._queued_gas = 0

    def mine(self) -> None:
        if self._queued_gas:
            self.web3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
            self._queued_gas = 0

    def send(self, to: str | None, data: str, gas: int = 1_000_000) -> None:
        if self._queued_gas + gas > self._BLOCK_GAS:
            self.mine()
        tx: dict[str, Any] = {
            "from": self.account.address, "data": data, "gas": gas,
            "gasPrice": self.price, "nonce": self.nonce, "value": 0,
        }  # fmt: skip
        if to is not None:
            tx["to"] = to
        self.last = self.web3.eth.send_transaction(tx)  # type: ignore[arg-type]
        self.nonce += 1
        self._queued_gas += gas

    def deploy(self, name: str, *args: Any) -> str:
        artifact = load_artifact(name)
        factory = self.web3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        self.send(None, factory.constructor(*args).data_in_transaction, 8_000_000)
        self.mine()
        receipt = self.web3.eth.wait_for_transaction_receipt(self.last)
        assert receipt["status"] == 1, f"deploying {name} failed"
        return str(receipt["contractAddress"])

    def settle(self) -> None:
        self.mine()
        receipt = self.web3.eth.wait_for_transaction_receipt(self.last, timeout=300)
        assert receipt["status"] == 1, "the last transaction failed"
        assert self.web3.eth.get_transaction_count(self.account.address) == self.nonce


def build(chain: AnvilChain) -> list[Venue]:
    """The 1,000 pools; the venues that hold them."""
    web3, me = chain.web3, dev_account(0)
    tx = _Sender(web3, me)
    rng = random.Random(1000)
    tokens = [tx.deploy("DevToken", f"T{k}", f"T{k}", 18, me.address) for k in range(TOKENS)]
    erc20 = web3.eth.contract(abi=load_artifact("DevToken").abi)
    factories = [tx.deploy("RexV2Factory", fee) for fee in (30, 25)]
    v3 = tx.deploy("UniswapV3Factory")
    helper = tx.deploy("DevV3Liquidity", me.address)
    v2f = web3.eth.contract(abi=load_artifact("RexV2Factory").abi)
    pair_abi = web3.eth.contract(abi=load_artifact("RexV2Pair").abi)
    pairs = list(combinations(tokens, 2))
    rng.shuffle(pairs)

    def mint(token: str, to: str, amount: int) -> None:
        tx.send(token, erc20.encode_abi("mint", [to, amount]), 100_000)

    for n, (a, b) in enumerate(pairs[:V2_PAIRS]):
        factory = factories[n % 2]
        tx.send(factory, v2f.encode_abi("createPair", [a, b]), 2_500_000)
        if n % 10 == 0:  # every tenth pair seeded (reads cost the same either way)
            pair = pair_address(factory, a, b)
            mint(a, pair, rng.randint(10**20, 10**24))
            mint(b, pair, rng.randint(10**20, 10**24))
            tx.send(pair, pair_abi.encode_abi("mint", [me.address]), 300_000)
    for token in tokens:  # the liquidity helper pays every V3 position from its balance
        mint(token, helper, 10**40)
    v3f = web3.eth.contract(abi=load_artifact("UniswapV3Factory").abi)
    pool_abi = web3.eth.contract(abi=load_artifact("UniswapV3Pool").abi)
    mint_abi = web3.eth.contract(abi=load_artifact("DevV3Liquidity").abi)
    fees = list(V3_FEE_TIERS.items())[1:]  # the factory's own tiers: 500, 3000, 10000
    for n in range(V3_POOLS):
        a, b = sorted(pairs[n // len(fees)], key=lambda t: int(t, 16))
        fee, spacing = fees[n % len(fees)]
        tx.send(v3, v3f.encode_abi("createPool", [a, b, fee]), 5_500_000)
        pool = v3_pool_address(v3, a, b, fee)
        tx.send(pool, pool_abi.encode_abi("initialize", [Q96]), 150_000)
        for _ in range(rng.randint(1, 3)):
            width = rng.randint(1, 600) * spacing
            liquidity = rng.randint(10**18, 10**22)
            call = mint_abi.encode_abi("mint", [pool, -width, width, liquidity])
            tx.send(helper, call, 700_000)
    tx.settle()
    return [
        Venue("rexv2-30", "v2", factory=factories[0]),
        Venue("rexv2-25", "v2", factory=factories[1]),
        Venue("univ3", "v3", factory=v3),
    ]


def measure(chain: AnvilChain, venues: list[Venue], multicall: str) -> dict[str, Any]:
    times, found = [], None
    for _ in range(RUNS):
        discoverer = Discoverer(chain.web3, venues, multicall=multicall)
        start = time.perf_counter()
        found = discoverer.discover()
        times.append(time.perf_counter() - start)
    assert found is not None
    pools = len(found.pools)
    assert pools == V2_PAIRS + V3_POOLS and not found.skipped, (pools, found.skipped)
    return {
        "pools": pools,
        "v2_pairs": V2_PAIRS,
        "v3_pools": V3_POOLS,
        "runs": RUNS,
        "seconds_median": round(statistics.median(times), 3),
        "seconds_all": [round(t, 3) for t in times],
        "rpc_requests": found.requests,
        "reads_batched": discoverer.multicall.calls,
        "batch_size": discoverer.multicall.batch,
        "tick_words_each_side": discoverer.tick_words,
        "ticks_read": sum(len(getattr(p, "ticks", ())) for p in found.pools.values()),
    }


def main() -> int:
    chain = AnvilChain()
    try:
        start = time.perf_counter()
        venues = build(chain)
        built = time.perf_counter() - start
        multicall = _Sender(chain.web3, dev_account(1)).deploy("RexMulticall")
        figures = measure(chain, venues, multicall)
        version = chain.web3.client_version
    finally:
        chain.close()
    figures |= {
        "node": version,
        "build_seconds": round(built, 1),
        "machine": f"{platform.machine()}, Python {sys.version.split()[0]}",
        "note": "anvil on loopback; the time includes every RPC round trip; requests are "
        "eth_blockNumber, eth_getLogs and eth_call (each multicall batch one request)",
    }
    data = json.loads(OUT.read_text()) if OUT.exists() else {}
    data["discovery"] = figures
    OUT.write_text(json.dumps(data, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
