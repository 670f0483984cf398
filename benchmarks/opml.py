"""opML figures with the real model, ``opml-sentiment-v1``: accuracy, gas and wall time.

Run: ``python benchmarks/opml.py`` (needs anvil: ``make install-dev``). Scores the program in
the VM on Lense's held-out half (446 texts) against the labels, then deploys the whole system
with ``deploy_dev`` (the default genesis registers the model and its program), and plays two
disputes to the end with honest players: a responder that lied about the label (caught at
the last step) and one that lied at an intermediate step. The wall time of a dispute runs from
computing both traces to the resolving transaction. Prints the figures and writes
``benchmarks/opml.json`` and the key ``"opml"`` of ``benchmarks/dprompt.json``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from rexos.chain import AnvilChain, Transactor, dev_account
from rexos.config import find_anvil
from rexos.deployment import deploy_dev
from rexos.dprompt import Client, ProviderClient
from rexos.lense.sentiment_features import features
from rexos.lense.sentiment_model import load_model
from rexos.lense.sentiment_set import load_set
from rexos.opml import (
    MODEL_ID,
    GameContract,
    Op,
    Player,
    Trace,
    encode_prompt,
    execute,
    label_of,
    play_out,
    run,
    sentiment_program,
    step,
)
from rexos.types import Address

OUT = Path(__file__).with_suffix(".json")
DPROMPT = Path(__file__).with_name("dprompt.json")
REX = 10**18
PRICE = 2 * REX
RESPONDER, REQUESTER, CHALLENGER = 1, 7, 8
TEXT = "ETH soars to a record high as ETF inflows climb"
GOALS = {"dispute_total": 1_200_000, "one_step": 350_000, "move_max": 50_000, "wall_s": 30}


def lie_at(trace: Trace, index: int, delta: int) -> Trace:
    """``trace``'s run with step ``index`` writing ``delta`` too much, honest afterwards."""
    program, prompt = trace.program, trace.prompt
    memories = list(trace.memories[: index + 1])
    wrong = step(program, memories[-1], index, prompt)
    a = program.code[index].a
    memories.append((*wrong[:a], (wrong[a] + delta) % 2**256, *wrong[a + 1 :]))
    for i in range(index + 1, program.steps):
        memories.append(step(program, memories[-1], i, prompt))
    return Trace(program, prompt, memories)


def accuracy() -> dict[str, object]:
    """The program's labels on the held-out half, run in the VM, against the set's labels."""
    lense, program = load_model(), sentiment_program()
    items = load_set("test")
    right = same = 0
    for item in items:
        counts = features(item.text, lense.recipe)
        label = label_of(program.output(execute(program, encode_prompt(counts, item.text))))
        right += label == item.label
        same += label == lense.label(item.text)
    return {
        "held_out_items": len(items),
        "accuracy": round(right / len(items), 4),
        "same_label_as_lense": same,
    }


class Bench:
    """deploy_dev on anvil; one provider serving the genesis' opML model."""

    def __init__(self, chain: AnvilChain) -> None:
        self.chain = chain
        funded = [Address(dev_account(i).address) for i in (RESPONDER, REQUESTER, CHALLENGER)]
        manifest = deploy_dev(chain, funded=funded, dex=False)
        self.game = GameContract(chain.web3, manifest.address("OpmlGame"))
        self.client = Client(chain.web3, manifest)
        ProviderClient(chain.web3, manifest).register(
            self.tx(RESPONDER), [MODEL_ID], PRICE, 2_000 * REX
        )
        for i in (REQUESTER, CHALLENGER):
            self.client.deposit(self.tx(i), 1_000 * REX)

    def tx(self, i: int) -> Transactor:
        return Transactor(self.chain.web3, dev_account(i))

    def last_gas(self) -> int:
        """Gas of the latest block: anvil mines one transaction per block."""
        return int(self.chain.web3.eth.get_block("latest")["gasUsed"])

    def dispute(self, prompt: bytes, lie_step: int, delta: int) -> dict[str, object]:
        """Gas and wall time of one whole dispute over a lying answer."""
        c = self.client
        program = sentiment_program()
        lie = lie_at(run(program, prompt), lie_step, delta)
        asked = c.ask(self.tx(REQUESTER), MODEL_ID, prompt.decode(), max_fee=PRICE)
        answered = c.respond(self.tx(RESPONDER), asked, lie.output.decode(), lie.receipt_hash())
        started = time.perf_counter()
        honest, lie = run(program, prompt), lie_at(run(program, prompt), lie_step, delta)
        challenged = c.challenge(self.tx(CHALLENGER), answered)
        gas: dict[str, object] = {"challenge": self.last_gas()}
        responder = Player(self.game, self.tx(RESPONDER), lie)
        challenger = Player(self.game, self.tx(CHALLENGER), honest)
        moves = play_out(asked.id, responder, challenger)
        resolution = c.resolve(self.tx(CHALLENGER), challenged)
        wall = time.perf_counter() - started
        assert resolution.outcome == "overturned", resolution
        by_name: dict[str, list[int]] = {}
        for move in moves:
            by_name.setdefault(move.name, []).append(move.receipt.gas_used)
        gas["resolve"] = self.last_gas()
        gas["claim"] = by_name["claim"][0]
        gas["bisect_max"] = max(by_name["bisect"])
        gas["pick_max"] = max(by_name["pick"])
        gas["move_max"] = max(by_name["claim"] + by_name["bisect"] + by_name["pick"])
        gas["one_step"] = by_name["prove"][0]
        gas["moves"] = len(moves) - 1
        gas["dispute_total"] = (
            int(gas["challenge"]) + sum(m.receipt.gas_used for m in moves) + int(gas["resolve"])
        )
        gas["wall_s"] = round(wall, 2)
        return gas


def main() -> int:
    anvil = find_anvil()
    if anvil is None:
        print("anvil not found: run `make install-dev` first", file=sys.stderr)
        return 2
    program = sentiment_program()
    prompt = encode_prompt(features(TEXT, load_model().recipe), TEXT)
    macs = [i for i, instr in enumerate(program.code) if instr.op == Op.MAC]
    figures: dict[str, object] = {"model": MODEL_ID, "steps": program.steps, **accuracy()}
    chain = AnvilChain(anvil)
    try:
        bench = Bench(chain)
        figures["arity"] = bench.game.arity
        figures["prompt_bytes"] = len(prompt)
        figures["wrong_output"] = bench.dispute(prompt, program.steps - 1, 2)
        figures["wrong_intermediate_step"] = bench.dispute(prompt, macs[len(macs) // 2], 10**6)
    finally:
        chain.close()
    figures["goals"] = GOALS
    figures["node"] = "anvil 1.7.1, --hardfork prague; gas is total tx gas incl. 21,000"
    print(
        f"{MODEL_ID}: {program.steps} steps, arity {figures['arity']}, prompt "
        f"{figures['prompt_bytes']} bytes; held-out accuracy {figures['accuracy']} "
        f"({figures['same_label_as_lense']}/{figures['held_out_items']} labels equal Lense's)"
    )
    for case in ("wrong_output", "wrong_intermediate_step"):
        print(case)
        gas = figures[case]
        assert isinstance(gas, dict)
        for name, value in gas.items():
            print(f"  {name:<14}{value:>12,}")
    OUT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    dprompt = json.loads(DPROMPT.read_text(encoding="utf-8"))  # re-read right before writing
    dprompt["opml"] = figures
    DPROMPT.write_text(json.dumps(dprompt, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT} and the key 'opml' of {DPROMPT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
