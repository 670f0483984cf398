"""A py-evm devnet with the dev deployment and a known history, indexed for the Database agent.

Shared by the indexer integration tests and the golden SQL suite. The history: REX and WETH
transfers, a V2 swap, a StableSwap exchange, two stakes and an unstake, one DPrompt request
and its answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from web3 import Web3

from rexos.agents.database import index_chain, index_path
from rexos.chain import Manifest, RpcChain, Transactor, dev_account, load_artifact, save_manifest
from rexos.chain.embedded import EmbeddedEvm
from rexos.chain.evm_server import serve
from rexos.dprompt import Client, ProviderClient
from rexos.economy.onchain import Economy
from rexos.llm import DEFAULT_MODEL_ID
from rexos.private_files import write_private_file
from rexos.types import Address
from tests.devchain import served_dev_chain

REX = 10**18
ALICE, BOB, CAROL = 1, 2, 3
QUESTION = "What is the capital of France?"


@dataclass
class Seeded:
    """The chain, its deployment, the data dir and the index file."""

    url: str
    home: Path
    chain: RpcChain
    manifest: Manifest
    path: Path

    @property
    def web3(self) -> Web3:
        return self.chain.web3

    def address(self, who: int) -> Address:
        return Address(dev_account(who).address)

    def tx(self, who: int) -> Transactor:
        return Transactor(self.web3, dev_account(who))

    def contract(self, artifact: str, key: str) -> Any:
        return self.web3.eth.contract(
            address=self.manifest.address(key), abi=load_artifact(artifact).abi
        )

    def token(self, symbol: str) -> Any:
        if symbol == "REX":
            return self.contract("RexToken", "RexToken")
        return self.contract("DevToken", f"DevToken:{symbol}")

    def balance(self, symbol: str, who: str) -> int:
        return int(self.token(symbol).functions.balanceOf(who).call())


def _v2_swap(net: Seeded, who: int, sell: str, buy: str, amount: int) -> None:
    factory = net.contract("RexV2Factory", "RexV2Factory:unidev")
    a, b = net.token(sell).address, net.token(buy).address
    pair = net.web3.eth.contract(
        address=factory.functions.getPair(a, b).call(), abi=load_artifact("RexV2Pair").abi
    )
    r0, r1, _ = pair.functions.getReserves().call()
    fee = int(pair.functions.feeBps().call())
    sell_is_0 = pair.functions.token0().call() == a
    r_in, r_out = (r0, r1) if sell_is_0 else (r1, r0)
    net_in = amount * (10_000 - fee)
    out = net_in * r_out // (r_in * 10_000 + net_in) * 99 // 100
    net.tx(who).send(net.token(sell).functions.transfer(pair.address, amount), action="pay pair")
    outs = (0, out) if sell_is_0 else (out, 0)
    net.tx(who).send(pair.functions.swap(*outs, net.address(who), b""), action="swap")


def _stable_swap(net: Seeded, who: int, dx: int) -> None:
    pool = net.contract("StableSwapPool", "StableSwapPool:curvedev")
    coin = net.web3.eth.contract(
        address=pool.functions.coins(0).call(), abi=load_artifact("DevToken").abi
    )
    net.tx(who).send(coin.functions.approve(pool.address, dx), action="approve")
    net.tx(who).send(pool.functions.exchange(0, 1, dx, 0), action="exchange")


def _history(net: Seeded) -> None:
    rex, weth = net.token("REX").functions, net.token("WETH").functions
    net.tx(ALICE).send(rex.transfer(net.address(BOB), 100 * REX), action="REX to bob")
    net.tx(BOB).send(rex.transfer(net.address(CAROL), 25 * REX), action="REX to carol")
    net.tx(ALICE).send(weth.transfer(net.address(CAROL), REX), action="WETH to carol")
    _v2_swap(net, ALICE, "WETH", "USDC", REX // 2)
    _stable_swap(net, BOB, 1_000 * 10**6)
    economy = Economy(net.web3, net.manifest)
    economy.stake(net.tx(ALICE), 50 * REX)
    economy.stake(net.tx(BOB), 20 * REX)
    economy.unstake(net.tx(ALICE), 10 * REX)
    providers = ProviderClient(net.web3, net.manifest)
    providers.register(net.tx(CAROL), [DEFAULT_MODEL_ID], 2 * REX, 1_000 * REX)
    client = Client(net.web3, net.manifest)
    client.deposit(net.tx(BOB), 10 * REX)
    asked = client.ask(net.tx(BOB), DEFAULT_MODEL_ID, QUESTION, max_fee=2 * REX)
    client.respond(net.tx(CAROL), asked, "Paris", b"\x11" * 32)


_played: list[tuple[EmbeddedEvm, Manifest, bytes]] = []


def _template(home: Path) -> tuple[EmbeddedEvm, Manifest, bytes]:
    """The deployment with the history played and indexed, made once per test process: its
    chain (to fork), manifest and index file."""
    if not _played:
        funded = [Address(dev_account(i).address) for i in (ALICE, BOB, CAROL)]
        with served_dev_chain(funded) as (server, chain, manifest):
            net = Seeded(server.url, home, chain, manifest, index_path(home, manifest.chain_id))
            _history(net)
            index_chain(chain.web3, manifest, net.path, chunk=64)
            _played.append((server.evm, manifest, net.path.read_bytes()))
    return _played[0]


@contextmanager
def seeded_chain(home: Path) -> Iterator[Seeded]:
    """The dev deployment with the history played and indexed, served on loopback from a fork
    of the process's template (:func:`_template`), with a copy of its index in ``home``;
    yield it while the node runs."""
    evm, played, index = _template(home / "template")
    with serve(evm=evm.fork()) as server:
        chain = RpcChain(server.url)
        manifest = replace(played, rpc_url=server.url)
        save_manifest(home / "deployments", manifest)
        path = index_path(home, manifest.chain_id)
        write_private_file(path, index)
        yield Seeded(server.url, home, chain, manifest, path)
