"""The provider node's opML duties: answer with the VM, defend its answers, challenge wrong ones.

:class:`OpmlDuties` serves the opML models the node is registered for in the
``ProviderRegistry`` whose program it knows (:data:`rexos.opml.PROGRAMS`). For those:

* **answer**: run the program on the prompt's exact bytes (never the LLM) and post the
  output byte with the trace's receipt hash;
* **defend**: when its answer is challenged, make the responder's moves of the game (claim
  the final root, post the roots at each dissection) from the honest trace, and resolve the
  request once the game is over;
* **audit**: re-run another provider's answer; when the output differs, challenge it (the
  bond from the node's credit), play the challenger's side (pick the first disputed
  sub-interval, prove the one step) and resolve once the game is over.

The node calls these from its answer and audit duties, so their progress lives in the same
:class:`~rexos.dprompt.node_store.NodeStore` records and survives a restart (each move
reads the game's state on chain first). Traces are recomputed per move (a fraction of a
second for ``opml-sentiment-v1``) and a few are kept in memory.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import TYPE_CHECKING

from eth_utils.crypto import keccak

from rexos.chain.tx import reverts_as
from rexos.dprompt._base import read
from rexos.dprompt.deploy import model_key
from rexos.dprompt.node_store import AuditRecord
from rexos.dprompt.views import Answer, RequestView
from rexos.errors import ChainError
from rexos.opml import PROGRAMS, GameContract, Player, Trace, run
from rexos.opml.program import Program

if TYPE_CHECKING:
    from rexos.dprompt.node import ProviderNode

__all__ = ["OpmlDuties"]

log = logging.getLogger(__name__)
_KEEP = 8


class OpmlDuties:
    """The opML side of one :class:`~rexos.dprompt.node.ProviderNode`."""

    def __init__(self, node: ProviderNode) -> None:
        self.node = node
        self._programs: dict[bytes, Program] | None = None
        self._game: GameContract | None = None
        self._traces: OrderedDict[tuple[bytes, bytes], Trace] = OrderedDict()

    # ------------------------------------------------------------ what it serves

    def programs(self) -> dict[bytes, Program]:
        """Model key → program of the opML models this node is registered for (read once)."""
        if self._programs is None:
            client = self.node.client
            models = read(client.registry.functions.modelsOf(self.node.address), "models")
            mine = {bytes(m) for m in models}
            self._programs = {
                key: program()
                for model_id, program in PROGRAMS.items()
                if (key := model_key(model_id)) in mine
            }
        return self._programs

    def serves(self, model: bytes) -> bool:
        """Whether requests for ``model`` are this node's opML duty."""
        return model in self.programs()

    @property
    def game(self) -> GameContract:
        if self._game is None:
            client = self.node.client
            self._game = GameContract(client.web3, client.manifest.address("OpmlGame"))
        return self._game

    def trace(self, view: RequestView) -> Trace:
        """The honest run of the model of ``view`` on its prompt's exact bytes."""
        prompt = self._prompt_bytes(view)
        key = (view.model_id, keccak(prompt))
        if key not in self._traces:
            self._traces[key] = run(self.programs()[view.model_id], prompt)
            while len(self._traces) > _KEEP:
                self._traces.popitem(last=False)
        self._traces.move_to_end(key)
        return self._traces[key]

    def _prompt_bytes(self, view: RequestView) -> bytes:
        """The prompt as posted: the view's text when it re-encodes to the hashed bytes, else
        the bytes of the ``Requested`` event (a prompt that is not valid UTF-8)."""
        data = view.prompt.encode("utf-8")
        if keccak(data) == view.prompt_hash:
            return data
        with reverts_as("read the Requested event"):
            logs = self.node.client.book.events.Requested().get_logs(
                from_block=0, argument_filters={"id": view.id}
            )
        for event in logs:
            raw = bytes(event["args"]["prompt"])
            if keccak(raw) == view.prompt_hash:
                return raw
        raise ChainError(f"request {view.id}: no posted prompt matches its prompt hash")

    # ------------------------------------------------------------ duties

    def answer(self, view: RequestView) -> Answer:
        """The VM's answer to ``view`` (output bytes as text, the trace's receipt hash)."""
        trace = self.trace(view)
        return Answer(
            text=trace.output.decode("latin-1"),
            output_hash="0x" + keccak(trace.output).hex(),
            receipt_hash="0x" + trace.receipt_hash().hex(),
        )

    def defend(self, view: RequestView) -> None:
        """Make the responder's due move in the game of this node's challenged answer, or
        resolve the request once the game is over."""
        self._play(view, "defend")

    def audit(self, record: AuditRecord, view: RequestView) -> None:
        """Check another provider's answer with the VM; challenge and play it out if wrong."""
        node, rid = self.node, record.id
        if record.state in ("challenging", "challenged"):
            if view.status != "challenged":
                node.store.set_audit(rid, "done")
                log.info("request %d: opML dispute settled (%s)", rid, view.status)
                return
            if node.client.dispute(rid).challenger != node.address:
                node.store.set_audit(rid, "done")
                return
            node.store.set_audit(rid, "challenged")
            if self._play(view, "challenge"):
                node.store.set_audit(rid, "done")
            return
        closes = view.responded_at + view.challenge_window
        if view.status != "answered" or node.client.now() + 1 > closes:
            node.store.set_audit(rid, "done")
            return
        mine = keccak(self.trace(view).output)
        node.metrics.inc("audits_total")
        if mine == view.output_hash:
            node.store.set_audit(rid, "checked")
            log.info("request %d: opML audit of %s matches", rid, view.responder)
            return
        node.challenge(view, "is wrong by the opML program (game opened)")

    def _play(self, view: RequestView, side: str) -> bool:
        """Make this node's due move, or resolve a finished game; ``True`` once resolved."""
        node = self.node
        signer = node._sender.transactor
        over, responder_won = self.game.result(view.id)
        if over:
            result = node.client.resolve(signer, view)
            log.info(
                "request %d: opML game over (%s), request resolved: %s",
                view.id,
                "responder won" if responder_won else "challenger won",
                result.outcome.replace("_", " "),
            )
            return True
        move = Player(self.game, signer, self.trace(view)).move(view.id)
        if move is not None:
            log.info("request %d: opML %s (%s) made", view.id, move.name, side)
        return False
