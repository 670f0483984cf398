"""The opML chapter of ``rexos demo``: a cheating provider loses the fraud-proof game on chain.

mallory serves ``opml-sentiment-v1`` (Lense's sentiment classifier as a verifiable
program) and answers a headline with the wrong label; dave's provider node audits it with
the VM, challenges, and plays the game against mallory's made-up trace until the contract
re-executes the one disputed step; mallory is slashed.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table

from rexos.cli.console import out, rex

if TYPE_CHECKING:
    from rexos.chain import EmbeddedChain, Manifest

__all__ = ["opml_chapter"]

REX = 10**18
HEADLINE = "Bridge exploited, $40 million drained; token crashes 60%"


def opml_chapter(chain: EmbeddedChain, manifest: Manifest, carol: int) -> None:
    """mallory lies about a headline's sentiment; dave's node wins the game and she is slashed."""
    from eth_account import Account
    from eth_utils.crypto import keccak

    from rexos.chain import Transactor, dev_account
    from rexos.dprompt import Client, ProviderClient
    from rexos.dprompt.node import NodeConfig, ProviderNode
    from rexos.lense.sentiment_features import features
    from rexos.lense.sentiment_model import load_model
    from rexos.llm import ScriptedModel
    from rexos.opml import (
        ANSWERS,
        MODEL_ID,
        GameContract,
        Player,
        Trace,
        encode_prompt,
        run,
        sentiment_program,
    )

    web3 = chain.web3
    client, registry = Client(web3, manifest), ProviderClient(web3, manifest)
    game = GameContract(web3, manifest.address("OpmlGame"))
    treasury = Transactor(web3, dev_account(0))
    mallory, dave = (Account.from_key(keccak(f"rexos demo {n}".encode())) for n in ("m", "d"))
    for who in (mallory, dave):
        treasury.send_value(who.address, 10**18, action="fund gas")
        treasury.send(client.rex.functions.transfer(who.address, 3_000 * REX), action="fund")
    registry.register(Transactor(web3, mallory), [MODEL_ID], 2 * REX, 2_000 * REX)
    program = sentiment_program()
    out.print(
        f"mallory stakes 2,000 REX and serves {MODEL_ID}: Lense's sentiment classifier as a "
        f"{program.steps:,}-step integer program whose key is registered on chain."
    )
    prompt = encode_prompt(features(HEADLINE, load_model().recipe), HEADLINE)
    client.deposit(Transactor(web3, dev_account(carol)), 10 * REX)
    start = int(web3.eth.block_number)
    asked = client.ask(Transactor(web3, dev_account(carol)), MODEL_ID, prompt.decode(), 2 * REX)
    honest = run(program, prompt)
    last = list(honest.memories[-1])
    last[program.out_start] = ANSWERS["positive"][0]
    lie = Trace(program, prompt, [*honest.memories[:-1], tuple(last)])
    client.respond(Transactor(web3, mallory), asked, lie.output.decode(), lie.receipt_hash())
    out.print(
        f"carol asks the sentiment of {HEADLINE!r}; mallory answers "
        f"{lie.output.decode()!r} (positive). The program says {honest.output.decode()!r}."
    )
    registry.register(Transactor(web3, dave), [MODEL_ID], 2 * REX, 2_000 * REX)
    client.deposit(Transactor(web3, dave), 100 * REX)
    bonded = registry.status(mallory.address).bonded
    with tempfile.TemporaryDirectory() as home:
        config = NodeConfig(
            signer=dave,
            model=ScriptedModel({}),
            manifest=manifest,
            db_path=Path(home) / "node.db",
            web3=web3,
            start_block=start,
            audit_fraction=1.0,
        )
        node = ProviderNode(config)
        cheater = Player(game, Transactor(web3, mallory), lie)
        for _ in range(64):
            asyncio.run(node.run_once())
            cheater.move(asked.id)
            if client.get(asked.id).status in ("refunded", "final"):
                break
    state = game.state(asked.id)
    out.print(
        f"dave's provider node audits the answer with the VM, challenges it and plays the "
        f"game: bisections narrow {program.steps:,} steps to step {state.lo:,}, which the "
        f"contract re-executes. Result: {'mallory' if game.result(asked.id)[1] else 'dave'} "
        "wins."
    )
    after, now_bonded = client.get(asked.id), registry.status(mallory.address).bonded
    table = Table("figure", "before", "after")
    table.add_row("mallory's stake", rex(bonded, 2), rex(now_bonded, 2))
    table.add_row("carol's request", "answered (+)", after.status)
    out.print(
        f"The liar loses the game on chain: request {after.id} is {after.status}, carol's fee "
        f"comes back and mallory is slashed {rex(bonded - now_bonded, 2)}."
    )
    out.print(table)
