"""The DPrompt provider node: answer, take over, finalize and sit on committees.

:class:`ProviderNode` polls the ``RequestBook``: each :meth:`~ProviderNode.run_once`
reads new ``Requested`` / ``Challenged`` events up to ``latest - confirmations``,
answers the requests it is the priority provider for, takes over requests whose
deadline has passed, finalizes its own answers once their window closes,
sits on committees and audits a configurable fraction of other providers' answers.
Both judge an answer with :func:`~rexos.dprompt.verdict.judge_answer`: a model that can
score (the local GGUF model, with its registration's verification policy) checks the
receipt against the model commitment the answer carried, then the answer and the
commitment in one teacher-forced pass within that tolerance; any other model re-executes
it and compares output hashes. The node posts its own answers with their commitment.
On a dispute the node commits then reveals its verdict as a vote
(:func:`~rexos.dprompt.verdict.vote_for`: the answer's output hash when valid, the
invalid sentinel otherwise); as an auditor it challenges (then resolves) every answer
judged invalid.
Progress lives in a :class:`~rexos.dprompt.node_store.NodeStore`; the on-chain
status is checked before every answer, so a restart never answers twice.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak
from web3 import Web3

from rexos.chain.backends import RpcChain
from rexos.chain.manifest import Manifest
from rexos.chain.recorded import RecordedSender
from rexos.chain.tx import reverts_as
from rexos.dprompt.client import Client, commitment, respond_call
from rexos.dprompt.deploy import model_key
from rexos.dprompt.metrics import NodeMetrics
from rexos.dprompt.node_opml import OpmlDuties
from rexos.dprompt.node_store import AnswerRecord, AuditRecord, NodeStore, VoteRecord
from rexos.dprompt.verdict import judge_answer, vote_for
from rexos.dprompt.views import RequestView, answer, as_bytes32
from rexos.errors import ConfigError, RexosError, RpcUnavailable, UsageError
from rexos.llm import DEFAULT_MODEL_ID, DecodingParams, Model, greedy
from rexos.types import Address

__all__ = ["NodeConfig", "ProviderNode"]

log = logging.getLogger(__name__)
_LOG_CHUNK = 2_000
_AUDIT_SCALE = 1_000_000


@dataclass(frozen=True, slots=True)
class NodeConfig:
    """A node's chain (``web3`` or ``rpc_url``), deployment, key, model and loop settings."""

    signer: LocalAccount = field(repr=False)
    model: Model
    manifest: Manifest
    db_path: Path
    web3: Web3 | None = field(default=None, repr=False)
    rpc_url: str | None = None
    model_id: str = DEFAULT_MODEL_ID
    params: DecodingParams = field(default_factory=greedy)
    confirmations: int = 0
    concurrency: int = 4
    poll_interval_s: float = 2.0
    max_backoff_s: float = 60.0
    metrics_port: int | None = None
    start_block: int | None = None
    """First block to read events from on a fresh store; ``None``: the block at first start."""
    audit_fraction: float = 0.0
    """Share of other providers' answers (for this model) re-executed, in ``[0, 1]``."""

    def audits(self, request_id: int) -> bool:
        """Whether this node audits ``request_id``: a fixed draw from the signer and the id.

        The draw is ``keccak(signer ‖ id) mod 10⁶ < fraction × 10⁶``; it does not
        change across restarts, and other providers cannot predict which answers a
        node will audit without its address list.
        """
        threshold = round(self.audit_fraction * _AUDIT_SCALE)
        seed = bytes.fromhex(self.signer.address[2:]) + request_id.to_bytes(32, "big")
        return int.from_bytes(keccak(seed), "big") % _AUDIT_SCALE < threshold


class ProviderNode:
    """One provider's serving loop (asyncio; blocking chain and model calls run in threads)."""

    def __init__(self, config: NodeConfig, store: NodeStore | None = None) -> None:
        if config.concurrency < 1 or config.confirmations < 0:
            raise ConfigError("concurrency must be ≥ 1 and confirmations ≥ 0")
        if not 0.0 <= config.audit_fraction <= 1.0:
            raise ConfigError(f"audit fraction must be in [0, 1], got {config.audit_fraction}")
        if config.web3 is not None:
            web3 = config.web3
        elif config.rpc_url:
            web3 = RpcChain(config.rpc_url).web3
        else:
            raise ConfigError("a provider node needs web3 or an RPC URL")
        self.config = config
        self.client = Client(web3, config.manifest)
        self.store = store or NodeStore(config.db_path)
        self.metrics = NodeMetrics()
        self.address = Address(config.signer.address)
        self._sender = RecordedSender(web3, config.signer)
        self._key = model_key(config.model_id)
        self._opml = OpmlDuties(self)

    # ------------------------------------------------------------ loop

    async def run_once(self) -> None:
        """One polling step: read new events, then serve every due duty (bounded concurrency)."""
        await asyncio.to_thread(self._scan)
        now = await asyncio.to_thread(self.client.now)
        sem = asyncio.Semaphore(self.config.concurrency)
        jobs: list[Callable[[], None]] = [
            partial(self._answer, r) for r in self.store.pending_answers() if self._due(r, now)
        ]
        jobs += [partial(self._vote, v) for v in self.store.pending_votes()]
        jobs += [partial(self._audit, a) for a in self.store.pending_audits()]

        async def guarded(job: Callable[[], None]) -> None:
            async with sem:
                try:
                    await asyncio.to_thread(job)
                except RpcUnavailable:
                    raise
                except RexosError as exc:
                    self.metrics.inc("errors_total")
                    log.warning("%s", exc)

        await asyncio.gather(*(guarded(j) for j in jobs))

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set; RPC failures back off exponentially."""
        if self.config.metrics_port is not None:
            port = self.metrics.serve(self.config.metrics_port)
            log.info("metrics on http://127.0.0.1:%d/metrics", port)
        delay = self.config.poll_interval_s
        log.info("provider %s serving %s", self.address, self.config.model_id)
        try:
            while not stop.is_set():
                try:
                    await self.run_once()
                    delay = self.config.poll_interval_s
                except RexosError as exc:
                    self.metrics.inc("errors_total")
                    delay = min(max(delay, 0.5) * 2, self.config.max_backoff_s)
                    log.warning("%s; retrying in %.1f s", exc, delay)
                await _sleep_unless(stop, delay)
        finally:
            self.metrics.stop()

    # ------------------------------------------------------------ events

    def _scan(self) -> None:
        with reverts_as("read the latest block"):
            safe = int(self.client.web3.eth.block_number) - self.config.confirmations
        if self.store.last_block() < 0:
            first = self.config.start_block
            self.store.set_last_block((safe if first is None else first) - 1)
        start = self.store.last_block() + 1
        while start <= safe:
            end = min(safe, start + _LOG_CHUNK - 1)
            for args in self._logs("Requested", start, end):
                r = args["request"]
                if bytes(r["modelId"]) == self._key or self._opml.serves(bytes(r["modelId"])):
                    rid, block = int(args["id"]), int(args["blockNumber"])
                    self.store.see_request(rid, str(r["provider"]), int(r["deadline"]), block)
            for args in self._logs("Responded", start, end):
                rid = int(args["id"])
                theirs = Address(args["responder"]) != self.address
                if theirs and self.store.answer(rid) is not None and self.config.audits(rid):
                    self.store.see_audit(rid)
            for args in self._logs("Challenged", start, end):
                if self.address in [Address(a) for a in args["committee"]]:
                    self.store.see_dispute(int(args["id"]))
            self.store.set_last_block(end)
            start = end + 1

    def _logs(self, event: str, start: int, end: int, **flt: Any) -> list[dict[str, Any]]:
        with reverts_as(f"read {event} events"):
            logs = self.client.book.events[event]().get_logs(
                from_block=start, to_block=end, argument_filters=flt or None
            )
        return [
            {**e["args"], "blockNumber": e["blockNumber"], "logIndex": e["logIndex"]} for e in logs
        ]

    def _mine(self, event: str, request_id: int) -> bool:
        """Whether this node's ``event`` (``Committed`` / ``Revealed``) exists for the request."""
        start = self.store.request_block(request_id)
        logs = self._logs(event, start, int(self.client.web3.eth.block_number), id=request_id)
        return any(Address(a["member"]) == self.address for a in logs)

    def _view(self, request_id: int) -> RequestView:
        """``Client.get`` reading events from the request's block on, not from genesis (events
        and stored hash read at one block: an answer mined in between cannot split them)."""
        start = self.store.request_block(request_id)
        if start > 0:
            try:
                return self.client.get(request_id, from_block=start)
            except UsageError:  # no Requested event from that block on: read from genesis
                pass
        return self.client.get(request_id)

    def _due(self, record: AnswerRecord, now: int) -> bool:
        return record.state != "seen" or record.provider == self.address or now >= record.deadline

    # ------------------------------------------------------------ answers

    def _answer(self, record: AnswerRecord) -> None:
        rid = record.id
        if record.state == "answering" and record.tx_hash and record.raw_tx:
            self._sender.resume(record.tx_hash, record.raw_tx, f"respond to request {rid}")
        view = self._view(rid)
        if record.state in ("answering", "answered") and view.responder == self.address:
            if record.state == "answering":
                self.store.set_answer(rid, "answered")
                log.info("request %d: answer confirmed after restart", rid)
            if view.status == "answered" and self.client.now() >= (
                view.responded_at + view.challenge_window
            ):
                self.client.finalize(self._sender.transactor, view)
                self.store.set_answer(rid, "done")
                log.info("request %d: finalized, fee credited", rid)
            elif view.status in ("final", "refunded"):
                self.store.set_answer(rid, "done")
            elif view.status == "challenged" and self._opml.serves(view.model_id):
                self._opml.defend(view)
            return
        if view.status != "open":
            self.store.set_answer(rid, "done")
            log.info("request %d: %s by %s, nothing to do", rid, view.status, view.responder)
            return
        takeover = view.provider != self.address
        if takeover and self.client.now() < view.deadline:
            return
        cfg = self.config
        if self._opml.serves(view.model_id):
            result = self._opml.answer(view)
        else:
            result = answer(cfg.model, view.prompt, cfg.params)
        data = result.text.encode("utf-8")
        call = respond_call(self.client.book, view, data, result.receipt_hash, result.commitment)
        receipt = self._sender.send(
            call,
            f"respond to request {rid}",
            lambda h, raw: self.store.set_answer(rid, "answering", h, raw),
        )
        self.store.set_answer(rid, "answered")
        self.metrics.inc("requests_answered_total")
        if takeover:
            self.metrics.inc("takeovers_total")
        how = f"took over from {view.provider}" if takeover else "answered"
        log.info("request %d: %s in block %s", rid, how, receipt["blockNumber"])

    # ------------------------------------------------------------ committee duty

    def _vote(self, record: VoteRecord) -> None:
        rid = record.id
        dispute = self.client.dispute(rid)
        now = self.client.now()
        state, oh, salt = record.state, record.output_hash, record.salt
        if state in ("committing", "revealing") and record.tx_hash and record.raw_tx:
            self._sender.resume(record.tx_hash, record.raw_tx, f"vote on request {rid}")
            if state == "committing":
                state = "committed" if self._mine("Committed", rid) else "seen"
            else:
                state = "revealed" if self._mine("Revealed", rid) else "committed"
            self.store.set_vote(rid, state)
        if state == "seen":
            if now >= dispute.commit_end:
                self.store.set_vote(rid, "done")
                log.warning("dispute %d: commit phase over before this node could vote", rid)
                return
            if oh is None or salt is None:
                view = self._view(rid)
                verdict = judge_answer(self.config.model, view, self.config.params)
                oh = "0x" + vote_for(verdict, view.output_hash).hex()
                salt = secrets.token_bytes(32)
                self.store.set_vote(rid, "seen", output_hash=oh, salt=salt)
            call = self.client.book.functions.commit(rid, commitment(oh, salt, self.address))
            self._sender.send(
                call,
                f"commit vote on request {rid}",
                lambda h, raw: self.store.set_vote(rid, "committing", tx_hash=h, raw_tx=raw),
            )
            self.store.set_vote(rid, "committed")
            log.info("dispute %d: committed vote %s", rid, oh)
        elif state == "committed" and oh is not None and salt is not None:
            if now < dispute.commit_end:
                return
            if now >= dispute.reveal_end:
                self.store.set_vote(rid, "done")
                log.warning("dispute %d: reveal phase over before this node revealed", rid)
                return
            call = self.client.book.functions.reveal(rid, as_bytes32(oh), salt)
            self._sender.send(
                call,
                f"reveal vote on request {rid}",
                lambda h, raw: self.store.set_vote(rid, "revealing", tx_hash=h, raw_tx=raw),
            )
            self.store.set_vote(rid, "revealed")
            self.metrics.inc("committee_votes_total")
            log.info("dispute %d: revealed vote %s", rid, oh)

    # ------------------------------------------------------------ audits

    def _audit(self, record: AuditRecord) -> None:
        """Verify another provider's answer; challenge it if it fails, then resolve."""
        rid = record.id
        state = record.state
        if state == "challenging" and record.tx_hash and record.raw_tx:
            self._sender.resume(record.tx_hash, record.raw_tx, f"challenge request {rid}")
        view = self._view(rid)
        if self._opml.serves(view.model_id):
            self._opml.audit(record, view)
            return
        if state in ("challenging", "challenged"):
            if view.status != "challenged":
                self.store.set_audit(rid, "done")
                log.info("request %d: dispute settled (%s)", rid, view.status)
                return
            dispute = self.client.dispute(rid)
            if dispute.challenger != self.address:
                self.store.set_audit(rid, "done")
                return
            self.store.set_audit(rid, "challenged")
            if self.client.now() + 1 <= dispute.reveal_end:
                return
            result = self.client.resolve(self._sender.transactor, view)
            self.store.set_audit(rid, "done")
            log.info("request %d: dispute resolved, %s", rid, result.outcome.replace("_", " "))
            return
        closes = view.responded_at + view.challenge_window
        if view.status != "answered" or self.client.now() + 1 > closes:
            self.store.set_audit(rid, "done")
            return
        verdict = judge_answer(self.config.model, view, self.config.params)
        self.metrics.inc("audits_total")
        if verdict.valid:
            self.store.set_audit(rid, "checked")
            log.info("request %d: audit of %s matches", rid, view.responder)
            return
        self.challenge(view, f"fails verification ({verdict.reason})")

    def challenge(self, view: RequestView, wrong: str) -> bool:
        """Challenge ``view``'s answer (``wrong``: what is wrong with it, for the log) when this
        node's DPrompt credit covers the bond; record the audit either way. Whether it did."""
        rid = view.id
        bond = self.client.bond(view)
        if self.client.credit(self.address) < bond:
            self.store.set_audit(rid, "done")
            self.metrics.inc("errors_total")
            log.warning(
                "request %d: answer of %s %s, but the bond of %d wei exceeds this node's "
                "credit; not challenged",
                rid,
                view.responder,
                wrong,
                bond,
            )
            return False
        call = self.client.book.functions.challenge(rid, view.as_struct())
        self._sender.send(
            call,
            f"challenge request {rid}",
            lambda h, raw: self.store.set_audit(rid, "challenging", h, raw),
        )
        self.store.set_audit(rid, "challenged")
        self.metrics.inc("challenges_total")
        log.info("request %d: answer of %s %s; challenged", rid, view.responder, wrong)
        return True


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    waiter: Awaitable[bool] = stop.wait()
    try:
        await asyncio.wait_for(waiter, timeout=seconds)
    except TimeoutError:
        return
