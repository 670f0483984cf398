"""``rexos dprompt challenge`` on an opML request: check the answer, open the game, play it.

For a request to an opML model RexOS runs (:data:`rexos.opml.PROGRAMS`), the answer is
checked locally first: the program is run on the prompt's exact bytes and a challenge of an
answer equal to its output is refused (it could only lose the bond). Otherwise the request
is challenged, which opens the bisection game, and this command plays the challenger's side
from the honest trace (pick the first disputed sub-interval, prove the one step), waiting up
to :data:`WAIT_S` seconds for the responder's moves, then resolves the request. Rerun on a
request whose game is still on to go on playing.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rexos.cli.console import out, rex
from rexos.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from rexos.cli.context import CliContext
    from rexos.dprompt import Client, RequestView
    from rexos.opml import Trace

__all__ = ["WAIT_S", "challenge_opml"]

WAIT_S = 120.0
POLL_S = 1.0


def _trace(view: RequestView) -> Trace | None:
    """The honest run of ``view``'s opML model on its prompt; ``None`` for another model."""
    from eth_utils.crypto import keccak

    from rexos.dprompt import model_key
    from rexos.opml import PROGRAMS, run

    known = {model_key(m): m for m in PROGRAMS}
    if view.model_id not in known:
        return None
    prompt = view.prompt.encode("utf-8")
    if keccak(prompt) != view.prompt_hash:
        raise UsageError(f"request {view.id}: its prompt is not UTF-8 text; challenge refused")
    return run(PROGRAMS[known[view.model_id]](), prompt)


def challenge_opml(
    c: CliContext,
    client: Client,
    view: RequestView,
    wallet: str,
    yes: bool,
    passphrase_file: Path | None,
    passphrase_env: str | None,
) -> bool:
    """Challenge and play ``view`` if it is an opML request (``True``), else ``False``."""
    from eth_utils.crypto import keccak

    from rexos.opml import GameContract, Player

    trace = _trace(view)
    if trace is None:
        return False
    if view.status == "answered":
        if keccak(trace.output) == view.output_hash:
            raise UsageError(
                f"request {view.id}: the answer is what the program computes "
                f"({trace.output.decode('latin-1')!r}); a challenge would lose the bond"
            )
        bond = client.bond(view)
        signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
        view = client.challenge(signer, view)
        out.print(
            f"Challenged request {view.id} with a bond of {rex(bond)}: the answer "
            f"{view.output!r} is not the program's {trace.output.decode('latin-1')!r}. "
            "The opML game is open."
        )
    elif view.status == "challenged":
        signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    else:
        raise UsageError(f"request {view.id} is {view.status}: nothing to challenge")
    game = GameContract(client.web3, client.manifest.address("OpmlGame"))
    if client.dispute(view.id).challenger != signer.address:
        raise UsageError(f"request {view.id} is challenged by another account")
    player = Player(game, signer, trace)
    end = time.monotonic() + WAIT_S
    while not game.result(view.id)[0]:
        move = player.move(view.id)
        if move is not None:
            out.print(f"  {move.name} (gas {move.receipt.gas_used:,})")
        elif time.monotonic() > end:
            state = game.state(view.id)
            out.print(
                f"Game on: waiting for the responder ({state.turn}, steps {state.lo}–"
                f"{state.hi}). Rerun `rexos dprompt challenge {view.id}` to go on."
            )
            return True
        else:
            time.sleep(POLL_S)
    result = client.resolve(signer, view)
    won = result.outcome == "overturned"
    out.print(
        f"Game over: the {'challenger' if won else 'responder'} won; request {view.id} "
        f"{result.outcome}"
        + (f", responder slashed {rex(result.slashed)}." if won else ", bond lost.")
    )
    return True
