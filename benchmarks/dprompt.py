"""DPrompt figures on anvil: gas per call, request→answer latency, local model speed.

Run: ``python benchmarks/dprompt.py`` (needs anvil: ``make install-dev``; the GGUF figures need
the ``llm`` extra). Prints the figures and writes its keys of ``benchmarks/dprompt.json``
(:data:`KEYS`); the keys other benchmarks write there (``callbacks``, ``opml``,
``verification``) are kept: the file is re-read right before it is written.
``python benchmarks/dprompt.py --gas-only`` measures and writes the gas figures alone
(``gas``, ``goals``, ``node``): gas does not depend on the machine's load, the timings do, so
a contract change can be re-measured without re-timing on a busy machine.

``gas.respond_with_commitment`` is a real 32-token answer of the default model posted with
its model commitment (what a scoring committee checks), beside ``respond_32_tokens``, the same
answer and receipt without it.

The committee of the measured dispute votes as provider nodes do since verification by
scoring: each member finds the posted answer invalid and commits and reveals
:data:`~rexos.dprompt.verdict.INVALID_VOTE`.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from rexos.chain import AnvilChain, Transactor, dev_account
from rexos.config import Settings, find_anvil
from rexos.deployment import deploy_dev
from rexos.dprompt import (
    Client,
    NodeConfig,
    ProviderClient,
    ProviderNode,
    answer,
)
from rexos.dprompt.verdict import INVALID_VOTE
from rexos.errors import RexosError
from rexos.llm import (
    DEFAULT_MODEL_ID,
    Model,
    ScriptedModel,
    greedy,
    load_model,
)
from rexos.types import Address

OUT = Path(__file__).with_suffix(".json")
REX = 10**18
PRICE = 2 * REX
PROVIDERS = (1, 2, 3, 4, 5, 6)
REQUESTER, CHALLENGER = 7, 8
QUESTION = "Q: What is the capital of France?\nA:"
LATENCY_RUNS = 5
COMMITTED_TOKENS = 32
KEYS = (
    "gas",
    "latency_s_scripted",
    "latency_s_gguf",
    "gguf_tokens_per_s",
    "node_answers_per_min_scripted",
    "goals",
    "node",
)
"""The keys of ``dprompt.json`` this script owns; it replaces these and keeps the rest."""
TIMED = (
    "latency_s_scripted",
    "latency_s_gguf",
    "gguf_tokens_per_s",
    "node_answers_per_min_scripted",
)


class Bench:
    """deploy_all on anvil with six providers and two funded requesters."""

    def __init__(self, chain: AnvilChain) -> None:
        self.chain = chain
        funded = [Address(dev_account(i).address) for i in (*PROVIDERS, REQUESTER, CHALLENGER)]
        self.manifest = deploy_dev(
            chain,
            funded=funded,
            dex=False,
        )
        self.client = Client(chain.web3, self.manifest)
        registry = ProviderClient(chain.web3, self.manifest)
        for i in PROVIDERS:
            registry.register(self.tx(i), [DEFAULT_MODEL_ID], PRICE, 2_000 * REX)
        for i in (REQUESTER, CHALLENGER):
            self.client.deposit(self.tx(i), 1_000 * REX)

    def tx(self, i: int) -> Transactor:
        return Transactor(self.chain.web3, dev_account(i))

    def tx_of(self, address: str) -> Transactor:
        return next(self.tx(i) for i in range(10) if dev_account(i).address == address)

    def travel_past(self, timestamp: int) -> None:
        now = self.client.now()
        if now <= timestamp:
            self.chain.time_travel(timestamp - now + 1)

    def last_gas(self) -> int:
        """Gas of the latest block: anvil mines one transaction per block."""
        return int(self.chain.web3.eth.get_block("latest")["gasUsed"])


def _answer(model: Model, question: str) -> tuple[str, str]:
    result = answer(model, question, greedy(seed=7, max_tokens=16))
    return result.text, result.receipt_hash


def measure_gas(b: Bench) -> dict[str, int]:
    """Gas of each call, and of a whole committee dispute, from anvil receipts."""
    c, gas = b.client, {}
    honest = ScriptedModel({QUESTION: " Paris"})
    asked = c.ask(b.tx(REQUESTER), DEFAULT_MODEL_ID, QUESTION, max_fee=PRICE)
    gas["request"] = b.last_gas()
    text, rh = _answer(honest, QUESTION)
    answered = c.respond(b.tx_of(asked.provider), asked, text, rh)
    gas["respond"] = b.last_gas()
    b.travel_past(answered.responded_at + answered.challenge_window)
    c.finalize(b.tx(CHALLENGER), answered)
    gas["finalize"] = b.last_gas()

    asked = c.ask(b.tx(REQUESTER), DEFAULT_MODEL_ID, QUESTION, max_fee=PRICE)
    wrong = c.respond(b.tx_of(asked.provider), asked, " Lyon", b"\x11" * 32)
    challenged = c.challenge(b.tx(CHALLENGER), wrong)
    dispute_gas = gas["challenge"] = b.last_gas()
    dispute = c.dispute(asked.id)
    for n, member in enumerate(dispute.committee):
        c.commit(b.tx_of(member), asked.id, INVALID_VOTE, bytes([n + 1]) * 32)
        dispute_gas += b.last_gas()
    b.travel_past(dispute.commit_end)
    for n, member in enumerate(dispute.committee):
        c.reveal(b.tx_of(member), asked.id, INVALID_VOTE, bytes([n + 1]) * 32)
        dispute_gas += b.last_gas()
    b.travel_past(dispute.reveal_end)
    resolved = c.resolve(b.tx(CHALLENGER), challenged)
    if resolved.outcome != "overturned":
        raise RuntimeError(f"the measured dispute ended {resolved.outcome}, not overturned")
    gas["resolve"] = b.last_gas()
    gas["dispute_total"] = dispute_gas + gas["resolve"]
    return gas


def measure_commitment_gas(b: Bench) -> dict[str, int]:
    """Gas of a real 32-token answer of the default model posted with its model commitment
    (``respondWithCommitment``: the bytes travel in calldata and the ``Responded`` event, not
    in storage) and the same answer and receipt posted without it (``respond``); empty when
    the ``llm`` extra is missing."""
    try:
        with TemporaryDirectory() as home:
            gguf = load_model(DEFAULT_MODEL_ID, Settings(home=Path(home)))
            result = answer(gguf, QUESTION, greedy(seed=7, max_tokens=COMMITTED_TOKENS))
    except RexosError as exc:
        print(f"commitment gas skipped: {exc}", file=sys.stderr)
        return {}
    c, gas = b.client, {}
    for key, carried in (
        ("respond_32_tokens", b""),
        ("respond_with_commitment", result.commitment),
    ):
        asked = c.ask(b.tx(REQUESTER), DEFAULT_MODEL_ID, QUESTION, max_fee=PRICE)
        c.respond(b.tx_of(asked.provider), asked, result.text, result.receipt_hash, carried)
        gas[key] = b.last_gas()
    gas["commitment_bytes"] = len(result.commitment)
    return gas


def measure_latency(b: Bench, model: Model) -> float:
    """Median seconds from sending a request to the answer's receipt."""
    c, runs = b.client, []
    for _ in range(LATENCY_RUNS):
        start = time.perf_counter()
        asked = c.ask(b.tx(REQUESTER), DEFAULT_MODEL_ID, QUESTION, max_fee=PRICE)
        text, rh = _answer(model, QUESTION)
        c.respond(b.tx_of(asked.provider), asked, text, rh)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def node_throughput(chain: AnvilChain, concurrency: int, requests: int = 24) -> float:
    """Answers per minute of one provider node (scripted model) draining a backlog."""
    funded = [Address(dev_account(i).address) for i in (1, REQUESTER)]
    manifest = deploy_dev(
        chain,
        funded=funded,
        dex=False,
    )
    client = Client(chain.web3, manifest)
    provider = Transactor(chain.web3, dev_account(1))
    ProviderClient(chain.web3, manifest).register(provider, [DEFAULT_MODEL_ID], PRICE, 2_000 * REX)
    requester = Transactor(chain.web3, dev_account(REQUESTER))
    client.deposit(requester, requests * PRICE)
    start_block = int(chain.web3.eth.block_number)
    for n in range(requests):
        client.ask(requester, DEFAULT_MODEL_ID, f"{QUESTION} #{n}", max_fee=PRICE)
    with TemporaryDirectory() as tmp:
        node = ProviderNode(
            NodeConfig(
                signer=dev_account(1),
                model=ScriptedModel(default=" Paris"),
                manifest=manifest,
                db_path=Path(tmp) / "node.sqlite",
                web3=chain.web3,
                concurrency=concurrency,
                start_block=start_block,
            )
        )
        began = time.perf_counter()
        asyncio.run(node.run_once())
        elapsed = time.perf_counter() - began
    return requests * 60 / elapsed


def tokens_per_second(model: Model) -> float:
    params = greedy(seed=7, max_tokens=64)
    start = time.perf_counter()
    done = model.complete("Once upon a time, in a small village by the sea,", params)
    return done.completion_tokens / (time.perf_counter() - start)


def main(argv: list[str]) -> int:
    gas_only = argv == ["--gas-only"]
    if argv and not gas_only:
        print("usage: python benchmarks/dprompt.py [--gas-only]", file=sys.stderr)
        return 2
    anvil = find_anvil()
    if anvil is None:
        print("anvil not found: run `make install-dev` first", file=sys.stderr)
        return 2
    chain = AnvilChain(anvil)
    try:
        bench = Bench(chain)
        gas = measure_gas(bench)
        gas.update(measure_commitment_gas(bench))
        figures: dict[str, object] = {"gas": gas}
        if not gas_only:
            figures.update(measure_times(bench, chain))
    finally:
        chain.close()
    figures["goals"] = {"request": 90_000, "respond": 80_000, "respond_with_commitment": 80_000}
    figures["node"] = "anvil 1.7.1, --hardfork prague; gas is total tx gas incl. 21,000"
    for name, value in gas.items():
        print(f"gas {name:<14}{value:>10,}")
    for key in TIMED:
        if key in figures:
            print(f"{key:<20}{figures[key]}")
    written = write_keys(figures)
    print(f"wrote the keys {', '.join(written)} of {OUT}")
    return 0


def measure_times(bench: Bench, chain: AnvilChain) -> dict[str, object]:
    """The timed figures (they depend on the machine and its load)."""
    figures: dict[str, object] = {
        "latency_s_scripted": round(measure_latency(bench, ScriptedModel(default=" Paris")), 3)
    }
    with TemporaryDirectory() as home:
        gguf = load_model(DEFAULT_MODEL_ID, Settings(home=Path(home)))
        figures["latency_s_gguf"] = round(measure_latency(bench, gguf), 3)
        figures["gguf_tokens_per_s"] = round(tokens_per_second(gguf), 1)
    figures["node_answers_per_min_scripted"] = {
        str(c): round(node_throughput(chain, c)) for c in (1, 4, 16)
    }
    return figures


def write_keys(figures: dict[str, object]) -> list[str]:
    """Replace this script's keys of ``dprompt.json`` that ``figures`` holds, keeping every
    other key as it is; the keys written."""
    data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    written = [key for key in KEYS if key in figures]
    data.update({key: figures[key] for key in written})
    OUT.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return written


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
