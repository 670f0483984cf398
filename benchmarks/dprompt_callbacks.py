"""Gas of DPrompt's finality-aware callbacks on anvil, with the plain calls for comparison.

Run: ``python benchmarks/dprompt_callbacks.py`` (needs anvil: ``make install-dev``). Deploys
the default DPrompt (``deploy_dev``) and measures, from receipts (total transaction gas,
21,000 included): request, respond, finalize and refund without a callback; the same with
``ExampleConsumer`` called on answer and on finality (it stores the answer); and with a
callback that does nothing (code ``STOP``), the book's own cost of a finality callback.
Prints the figures and writes them under the key ``"callbacks"`` of ``benchmarks/dprompt.json``,
keeping the file's other keys.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rexos.chain import AnvilChain, Transactor, dev_account
from rexos.config import find_anvil
from rexos.deployment import deploy_dev
from rexos.dprompt import Client, ProviderClient
from rexos.dprompt.deploy import model_key
from rexos.dprompt.views import RequestView
from rexos.llm import DEFAULT_MODEL_ID
from rexos.types import Address

OUT = Path(__file__).with_name("dprompt.json")
REX = 10**18
PRICE = 2 * REX
PROVIDERS = (1, 2, 3)
REQUESTER, OTHER = 7, 8
QUESTION = "Q: What is the capital of France?\nA:"
ANSWER = " Paris"
RECEIPT = b"\x11" * 32
CALLBACK_GAS = 150_000
STOP = bytes.fromhex("6001600c60003960016000f300")  # deploys the one-byte code STOP


class Bench:
    """deploy_dev on anvil, three providers, a funded requester and an ExampleConsumer."""

    def __init__(self, chain: AnvilChain) -> None:
        self.chain, web3 = chain, chain.web3
        funded = [Address(dev_account(i).address) for i in (*PROVIDERS, REQUESTER, OTHER)]
        self.manifest = deploy_dev(chain, funded=funded, dex=False)
        self.client = c = Client(web3, self.manifest)
        registry = ProviderClient(web3, self.manifest)
        for i in PROVIDERS:
            registry.register(self.tx(i), [DEFAULT_MODEL_ID], PRICE, 2_000 * REX)
        c.deposit(self.tx(REQUESTER), 100 * REX)
        requester = self.tx(REQUESTER)
        self.consumer = requester.deploy("ExampleConsumer", c.book.address)
        requester.send(c.rex.functions.approve(self.consumer.address, 100 * REX), action="approve")
        requester.send(self.consumer.functions.fund(100 * REX), action="fund the consumer")
        tx = {"from": requester.address, "data": STOP}
        mined = web3.eth.wait_for_transaction_receipt(web3.eth.send_transaction(tx))  # type: ignore[arg-type]
        self.noop = Address(mined["contractAddress"])

    def tx(self, i: int) -> Transactor:
        return Transactor(self.chain.web3, dev_account(i))

    def tx_of(self, address: str) -> Transactor:
        return next(self.tx(i) for i in range(10) if dev_account(i).address == address)

    def last_gas(self) -> int:
        """Gas of the latest block: anvil mines one transaction per block."""
        return int(self.chain.web3.eth.get_block("latest")["gasUsed"])

    def travel_past(self, timestamp: int) -> None:
        now = self.client.now()
        if now <= timestamp:
            self.chain.time_travel(timestamp - now + 1)

    def consumer_ask(self) -> RequestView:
        """A request the ExampleConsumer makes (called on answer and on finality)."""
        window = self.client.params()["minChallengeWindow"]
        call = self.consumer.functions.ask(
            model_key(DEFAULT_MODEL_ID), QUESTION, PRICE, CALLBACK_GAS, window
        )
        return self.client.requested(self.tx(REQUESTER).send(call, action="consumer asks"))

    def settle(self, view: RequestView) -> tuple[int, int]:
        """Respond to ``view`` then finalize it: the gas of each."""
        c = self.client
        answered = c.respond(self.tx_of(view.provider), view, ANSWER, RECEIPT)
        respond = self.last_gas()
        self.travel_past(answered.responded_at + answered.challenge_window)
        c.finalize(self.tx(OTHER), answered)
        return respond, self.last_gas()

    def refund(self, view: RequestView) -> int:
        """Let ``view`` expire unanswered and refund it: the gas."""
        self.travel_past(view.deadline + self.client.params()["takeoverGrace"])
        self.client.refund(self.tx(OTHER), view)
        return self.last_gas()


def measure(b: Bench) -> dict[str, Any]:
    c, requester, gas = b.client, b.tx(REQUESTER), {}
    plain = c.ask(requester, DEFAULT_MODEL_ID, QUESTION, max_fee=PRICE)
    gas["request"] = b.last_gas()
    gas["respond"], gas["finalize"] = b.settle(plain)
    gas["refund"] = b.refund(c.ask(requester, DEFAULT_MODEL_ID, QUESTION, max_fee=PRICE))

    noop = c.ask(requester, DEFAULT_MODEL_ID, QUESTION, PRICE, b.noop, CALLBACK_GAS)
    gas["request_on_final"] = b.last_gas()
    _, gas["finalize_on_final_noop"] = b.settle(noop)

    asked = b.consumer_ask()
    gas["consumer_ask_both"] = b.last_gas()
    gas["respond_on_answer_example"], gas["finalize_on_final_example"] = b.settle(asked)
    assert b.consumer.functions.answers(asked.id).call() == ANSWER
    gas["refund_on_final_example"] = b.refund(b.consumer_ask())
    gas["on_answer_callback_example"] = gas["respond_on_answer_example"] - gas["respond"]
    gas["on_final_overhead_noop"] = gas["finalize_on_final_noop"] - gas["finalize"]
    gas["on_final_callback_example"] = gas["finalize_on_final_example"] - gas["finalize"]
    return gas


def main() -> int:
    anvil = find_anvil()
    if anvil is None:
        print("anvil not found: run `make install-dev` first", file=sys.stderr)
        return 2
    chain = AnvilChain(anvil)
    try:
        gas = measure(Bench(chain))
    finally:
        chain.close()
    for name, value in gas.items():
        print(f"gas {name:<28}{value:>10,}")
    figures = {
        "gas": gas,
        "answer_bytes": len(ANSWER.encode()),
        "callback_gas_limit": CALLBACK_GAS,
        "node": "anvil 1.7.1, --hardfork prague; gas is total tx gas incl. 21,000; the "
        "*_callback_* and *_overhead_* figures are differences from the call without one",
    }
    data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    data["callbacks"] = figures
    OUT.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote the key 'callbacks' of {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
