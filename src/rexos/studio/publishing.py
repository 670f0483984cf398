"""Publishing a spec to the Agent Market: what is checked before anything is signed, and the
two steps a web page publishes in.

:func:`check_publishable` is the one gate, for ``rexos market publish`` and the Studio page
alike: the spec is valid for publishing against the installed tools, and none of its evals
fails (an eval that needs a run to judge does not block it).

:class:`Publisher` publishes for a page, where no terminal can ask. :meth:`Publisher.prepare`
checks the spec, builds the ``list`` (or ``addVersion``) transaction and has the Wallet agent
plan it — simulated, valued and judged by the wallet's policy — and keeps it, for the
session that asked, under its fingerprint; nothing is signed. The page shows that exact
transaction. :meth:`Publisher.confirm` with the same session and fingerprint sends it through
the Wallet agent's gateway; a fingerprint that is unknown, another session's, already sent
or older than :data:`PENDING_TTL_S` sends nothing (:class:`rexos.agents.wallet.waiting.Waiting`
holds them). The idempotency key is the fingerprint, so a confirmation posted twice sends
once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rexos.agents.wallet import Prepared, WalletAgent
from rexos.agents.wallet.waiting import MAX_WAITING, WAIT_TTL_S, Waiting
from rexos.chain.tx import calldata
from rexos.errors import UsageError
from rexos.market import MarketClient
from rexos.private_files import write_private_file
from rexos.studio.check import validate
from rexos.studio.evals import run_eval
from rexos.studio.identity import spec_hash
from rexos.studio.spec import AgentSpec
from rexos.studio.templates import dump_spec
from rexos.studio.tools import InstalledTool
from rexos.types import Address

__all__ = [
    "MAX_PENDING",
    "PENDING_TTL_S",
    "PendingPublish",
    "Published",
    "Publisher",
    "check_publishable",
    "save_published",
]

PENDING_TTL_S = WAIT_TTL_S
"""How long a prepared publication waits for its yes."""
MAX_PENDING = MAX_WAITING
"""Prepared publications kept per session; a fifth drops the oldest."""


def check_publishable(spec: AgentSpec, installed: Mapping[str, InstalledTool], see: str) -> None:
    """Refuse (:class:`UsageError`) a spec that is not valid for publishing or whose evals
    fail; ``see`` names where the user reads its evals (a command, a button)."""
    validate(spec, installed, publish=True)
    failed = [r for r in map(partial(run_eval, spec), spec.evals) if r.status == "fail"]
    if failed:
        raise UsageError(
            f"{spec.name}: {len(failed)} of its evals fail, so it is not published (see "
            f"{see}); the first, {failed[0].request!r}: {failed[0].detail}"
        )


def save_published(home: Path, spec: AgentSpec) -> Path:
    """Keep a copy of a published spec in ``home/agents`` (private to the user)."""
    copy = home / "agents" / f"{spec.name}-{spec.version}.yaml"
    write_private_file(copy, dump_spec(spec).encode("utf-8"))
    return copy


@dataclass(frozen=True, slots=True)
class PendingPublish:
    """A publication planned and shown, waiting for a yes to its fingerprint."""

    fingerprint: str
    name: str
    version: str
    spec_hash: str
    price: int
    """REX wei a use."""
    listing_id: int | None
    """The listing it adds a version to; ``None``: a new listing."""
    sender: Address
    market: Address
    summary: str
    verdict: str
    """The policy's: ``allow`` or ``confirm`` (a ``deny`` is never kept)."""
    reason: str
    gas: int | None
    spec: AgentSpec
    prepared: Prepared


@dataclass(frozen=True, slots=True)
class Published:
    """What a confirmed publication did."""

    listing_id: int
    version_index: int
    name: str
    version: str
    spec_hash: str
    tx_hash: str
    saved: Path | None
    spec: AgentSpec


class Publisher:
    """Publishes for a web page from one wallet (``wallet`` returns its Wallet agent) to
    ``client``'s market; a copy of each published spec goes to ``home/agents``."""

    def __init__(
        self,
        client: MarketClient,
        wallet: Callable[[], WalletAgent],
        home: Path | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        ttl: float = PENDING_TTL_S,
    ) -> None:
        self.client = client
        self._wallet = wallet
        self._home = home
        self._waiting: Waiting[PendingPublish] = Waiting("publication", clock=clock, ttl=ttl)

    @property
    def address(self) -> Address:
        """The wallet that signs (and owns what it lists)."""
        return self._wallet().address

    def prepare(
        self,
        session: str,
        spec: AgentSpec,
        installed: Mapping[str, InstalledTool],
        listing_id: int | None = None,
    ) -> PendingPublish:
        """Check ``spec`` and plan its publication (a new listing, or a version of
        ``listing_id``) for ``session``; nothing is signed."""
        check_publishable(spec, installed, "Run evals")
        agent = self._wallet()
        digest = spec_hash(spec)
        if listing_id is None:
            call = self.client.list_call(digest, agent.address, spec.price_units)
        else:
            call = self.client.add_version_call(agent.address, listing_id, digest)
        prepared = agent.plan_call(call.address, 0, calldata(call))
        decision, tx = prepared.decision, prepared.tx
        pending = PendingPublish(
            fingerprint=tx.fingerprint, name=spec.name, version=spec.version, spec_hash=digest,
            price=spec.price_units, listing_id=listing_id, sender=tx.sender, market=tx.to,
            summary=tx.summary, verdict=decision.verdict, reason=decision.reason,
            gas=tx.simulated_gas, spec=spec,
            prepared=prepared,
        )  # fmt: skip
        self._waiting.hold(session, prepared, pending)
        return pending

    def waiting(self, session: str, fingerprint: str) -> PendingPublish | None:
        """The publication ``session`` prepared under ``fingerprint``, if it still waits."""
        held = self._waiting.get(session, fingerprint)
        return None if held is None else held.about

    def confirm(self, session: str, fingerprint: str) -> Published:
        """``session``'s yes to the publication it was shown under ``fingerprint``: sent
        through the gateway, once."""
        held = self._waiting.take(session, fingerprint)
        pending = held.about
        receipt = self._waiting.send(self._wallet(), held, "studio-publish")
        if pending.listing_id is None:
            listing_id, index = self.client.listed(receipt), 0
        else:
            listing_id, index = pending.listing_id, self.client.version_added(receipt)
        saved = None if self._home is None else save_published(self._home, pending.spec)
        return Published(listing_id, index, pending.name, pending.version, pending.spec_hash,
                         receipt.tx_hash, saved, pending.spec)  # fmt: skip
