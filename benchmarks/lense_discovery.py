"""Lense discovery on anvil: time and RPC requests to discover a wallet holding 5,000 tokens.

Run: ``python benchmarks/lense_discovery.py`` (needs anvil: ``npm install --prefix contracts
--no-save``). Starts anvil, deploys the dev deployment (economy, DEX venues), then 5,000
more ``DevToken`` contracts, each minting some to one wallet (automining off, full blocks:
one block per transaction would make anvil write thousands of states to disk). Then runs
:func:`rexos.lense.discovery.discover` for the wallet three times each way and reports the
median wall time and the RPC requests:

- ``history``: the 5,000 tokens are in no list; the wallet's ``Transfer`` logs find them;
- ``listed``: the same tokens are given as the chain's token list as well.

Writes its figures under the key ``"discovery"`` of ``benchmarks/lense.json``, re-read just
before writing so every other key is kept. Anvil is stopped at the end.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from eth_utils.crypto import keccak
from web3 import Web3

from rexos.chain import AnvilChain, dev_account, load_artifact
from rexos.deployment import deploy_dev
from rexos.lense.discovery import discover
from rexos.lense.discovery_source import DEFAULT_BATCH, ChainSource
from rexos.lense.model import Discovery

OUT = Path(__file__).with_name("lense.json")
TOKENS = 5_000
RUNS = 3
WALLET = 5
"""Dev account index of the wallet (funded by anvil, no role in the deployment)."""
GOAL_S = 5.0


def _rlp_int(value: int) -> bytes:
    if value == 0:
        return b"\x80"
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return raw if len(raw) == 1 and raw[0] < 0x80 else bytes([0x80 + len(raw)]) + raw


def create_address(sender: str, nonce: int) -> str:
    """The address a ``CREATE`` from ``sender`` at ``nonce`` deploys to."""
    body = b"\x94" + bytes.fromhex(sender[2:]) + _rlp_int(nonce)
    return Web3.to_checksum_address(keccak(bytes([0xC0 + len(body)]) + body)[12:])


class Sender:
    """Transactions from an anvil dev account (anvil signs), queued with automining off and
    mined a full block at a time."""

    BLOCK_GAS = 55_000_000  # under the 60M block gas limit AnvilChain starts anvil with

    def __init__(self, web3: Web3, address: str) -> None:
        self.web3, self.address = web3, address
        web3.provider.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]
        self.nonce = web3.eth.get_transaction_count(Web3.to_checksum_address(address))
        self.price = 100 * int(web3.eth.gas_price)
        self.queued = 0
        self.last: Any = None

    def send(self, to: str | None, data: str, gas: int) -> None:
        if self.queued + gas > self.BLOCK_GAS:
            self.mine()
        tx: dict[str, Any] = {
            "from": self.address, "data": data, "gas": gas,
            "gasPrice": self.price, "nonce": self.nonce, "value": 0,
        }  # fmt: skip
        if to is not None:
            tx["to"] = to
        self.last = self.web3.eth.send_transaction(tx)  # type: ignore[arg-type]
        self.nonce += 1
        self.queued += gas

    def mine(self) -> None:
        if self.queued:
            self.web3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
            self.queued = 0

    def settle(self) -> None:
        self.mine()
        receipt = self.web3.eth.wait_for_transaction_receipt(self.last, timeout=300)
        assert receipt["status"] == 1, "the last transaction failed"
        count = self.web3.eth.get_transaction_count(Web3.to_checksum_address(self.address))
        assert count == self.nonce, "a transaction was dropped"
        self.web3.provider.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]


def build(chain: AnvilChain) -> tuple[ChainSource, list[str], str]:
    """The deployment and 5,000 tokens held by the wallet: the source, the tokens, the wallet."""
    manifest = deploy_dev(chain)
    web3, me = chain.web3, dev_account(0).address
    wallet = dev_account(WALLET).address
    artifact = load_artifact("DevToken")
    factory = web3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    erc20 = web3.eth.contract(abi=artifact.abi)
    sender = Sender(web3, me)
    tokens = []
    for k in range(TOKENS):
        data = factory.constructor(f"Bench Token {k}", f"B{k}", 18, me).data_in_transaction
        tokens.append(create_address(me, sender.nonce))
        sender.send(None, data, 1_500_000)
    for k, token in enumerate(tokens):
        sender.send(token, erc20.encode_abi("mint", [wallet, (k + 1) * 10**18]), 80_000)
    sender.settle()
    source = ChainSource(manifest.chain_id, web3, manifest)
    return source, tokens, wallet


def measure(source: ChainSource, tokens: list[str], wallet: str) -> dict[str, Any]:
    """Median time and the requests of ``RUNS`` discoveries; checks what was found."""
    times, cpu, found = [], [], None
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        found = discover([source], wallet)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    assert found is not None
    check(found, tokens)
    return {
        "seconds_median": round(statistics.median(times), 3),
        "seconds_all": [round(t, 3) for t in times],
        "process_cpu_seconds_median": round(statistics.median(cpu), 3),
        "rpc_requests": found.rpc_requests,
        "positions": len(found.positions),
        "found_in_history": len(found.found_in_history),
        "spam_verdicts": len(found.spam),
        "goal_met": statistics.median(times) <= GOAL_S,
    }


def check(found: Discovery, tokens: list[str]) -> None:
    """Every bench token is found with the amount minted."""
    amounts = {p.asset.token: p.amount for p in found.positions if p.kind == "balance"}
    for k, token in enumerate(tokens):
        assert amounts.get(token) == (k + 1) * 10**18, f"token {k} not found right"


def main() -> int:
    chain = AnvilChain()
    try:
        start = time.perf_counter()
        source, tokens, wallet = build(chain)
        built = time.perf_counter() - start
        history = measure(source, tokens, wallet)
        listed_source = ChainSource(source.chain_id, source.web3, source.manifest, tuple(tokens))
        listed = measure(listed_source, tokens, wallet)
        head = int(chain.web3.eth.block_number)
        version = chain.web3.client_version
    finally:
        chain.close()
    figures = {
        "tokens": TOKENS,
        "time_s": history["seconds_median"],
        "rpc_requests": history["rpc_requests"],
        "batch_size": DEFAULT_BATCH,
        "goal_s": GOAL_S,
        "history": history,
        "listed": listed,
        "chain": f"anvil ({version}), chain id {source.chain_id}, {head} blocks, the dev "
        "deployment plus 5,000 DevTokens",
        "build_seconds": round(built, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f} at the end",
        "note": "wall time on loopback including every RPC round trip; time_s and "
        "rpc_requests are the history run's (the tokens found by the wallet's Transfer "
        "logs); requests count eth_blockNumber, eth_getBalance, eth_getLogs and eth_call "
        "(each multicall batch one request)",
    }
    print(json.dumps(figures, indent=2))
    data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    data["discovery"] = figures
    OUT.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
