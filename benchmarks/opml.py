"""opML dispute figures on anvil: gas of the challenge, each move, the one step, settlement.

Run: ``python benchmarks/opml.py`` (needs anvil: ``make install-dev``). Deploys the
whole system with ``deploy_all``, registers the built-in MLP program as an OPML
model, and plays two disputes to the end with honest players: a responder that
lied about the output (caught at the last step) and one that lied at an
intermediate step. Prints the figures and writes ``benchmarks/opml.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rexos.chain import AnvilChain, Transactor, dev_account
from rexos.config import find_anvil
from rexos.deployment import deploy_dev
from rexos.dprompt import Client, ProviderClient, model_key
from rexos.opml import MODEL_ID, GameContract, Op, Player, Trace, mlp_program, play_out, run, step
from rexos.types import Address

OUT = Path(__file__).with_suffix(".json")
REX = 10**18
PRICE = 2 * REX
RESPONDER, REQUESTER, CHALLENGER = 1, 7, 8
PROMPT = "Is this sentence positive?"
GOALS = {"dispute_total": 1_200_000, "one_step": 350_000, "move_max": 50_000}


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


class Bench:
    """deploy_all on anvil, the MLP registered as an OPML model with one provider."""

    def __init__(self, chain: AnvilChain) -> None:
        self.chain = chain
        funded = [Address(dev_account(i).address) for i in (RESPONDER, REQUESTER, CHALLENGER)]
        manifest = deploy_dev(
            chain,
            funded=funded,
            dex=False,
        )
        deployer = self.tx(0)
        program = mlp_program()
        self.game = GameContract(chain.web3, manifest.address("OpmlGame"))
        self.game.register(deployer, program)
        self.client = Client(chain.web3, manifest)
        deployer.send(
            self.client.models.functions.addModel(model_key(MODEL_ID), program.key(), 1, 256),
            action="add the opML model",
        )
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

    def dispute(self, lie: Trace, honest: Trace) -> dict[str, int]:
        """Gas of one whole dispute over an answer taken from ``lie``."""
        c = self.client
        asked = c.ask(self.tx(REQUESTER), MODEL_ID, PROMPT, max_fee=PRICE)
        answered = c.respond(self.tx(RESPONDER), asked, lie.output.decode(), lie.receipt_hash())
        challenged = c.challenge(self.tx(CHALLENGER), answered)
        gas = {"challenge": self.last_gas()}
        responder = Player(self.game, self.tx(RESPONDER), lie)
        challenger = Player(self.game, self.tx(CHALLENGER), honest)
        moves = play_out(asked.id, responder, challenger)
        by_name: dict[str, list[int]] = {}
        for move in moves:
            by_name.setdefault(move.name, []).append(move.receipt.gas_used)
        resolution = c.resolve(self.tx(CHALLENGER), challenged)
        assert resolution.outcome == "overturned", resolution
        gas["resolve"] = self.last_gas()
        gas["claim"] = by_name["claim"][0]
        gas["bisect_max"] = max(by_name["bisect"])
        gas["pick_max"] = max(by_name["pick"])
        gas["move_max"] = max(gas["claim"], gas["bisect_max"], gas["pick_max"])
        gas["one_step"] = by_name["prove"][0]
        gas["moves"] = len(moves) - 1
        gas["dispute_total"] = (
            gas["challenge"] + sum(m.receipt.gas_used for m in moves) + gas["resolve"]
        )
        return gas


def main() -> int:
    anvil = find_anvil()
    if anvil is None:
        print("anvil not found: run `make install-dev` first", file=sys.stderr)
        return 2
    chain = AnvilChain(anvil)
    program = mlp_program()
    honest = run(program, PROMPT.encode())
    relu = [i for i, instr in enumerate(program.code) if instr.op == Op.RELU]
    try:
        bench = Bench(chain)
        figures: dict[str, object] = {
            "steps": program.steps,
            "arity": bench.game.arity,
            "wrong_output": bench.dispute(lie_at(honest, program.steps - 1, 1), honest),
            "wrong_intermediate_step": bench.dispute(lie_at(honest, relu[2], 10**9), honest),
        }
    finally:
        chain.close()
    figures["goals"] = GOALS
    figures["node"] = "anvil 1.7.1, --hardfork prague; gas is total tx gas incl. 21,000"
    print(f"program steps {program.steps}, arity {figures['arity']}")
    for case in ("wrong_output", "wrong_intermediate_step"):
        print(case)
        gas = figures[case]
        assert isinstance(gas, dict)
        for name, value in gas.items():
            print(f"  gas {name:<14}{value:>10,}")
    OUT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
