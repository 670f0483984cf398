"""Transactions a web page showed and that wait for the person's yes to their fingerprint.

A page cannot ask in a terminal, so it signs in two requests: the first plans the exact
transaction (the Wallet agent builds, simulates, values and judges it) and shows it with its
fingerprint; the second, naming that fingerprint, sends it. :class:`Waiting` holds the
planned transactions between the two, per browser session: only the session that planned a
transaction can send it, only once (a second yes, or two at once, finds nothing), and only
within :data:`WAIT_TTL_S`; a session keeps at most :data:`MAX_WAITING`. :meth:`Waiting.send`
sends through :class:`~rexos.agents.wallet.gateway.GatewaySigner` with the fingerprint as the
idempotency key, so the policy is checked again at signing and nothing is sent twice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from rexos.agents.wallet.agent import PolicyDenied, Prepared, WalletAgent
from rexos.agents.wallet.gateway import GatewaySigner
from rexos.chain.tx import Receipt
from rexos.errors import UsageError

__all__ = ["MAX_WAITING", "WAIT_TTL_S", "Held", "Waiting"]

WAIT_TTL_S = 300.0
"""How long a shown transaction waits for its yes (the wallet's confirmations' default)."""
MAX_WAITING = 4
"""Transactions kept per session; a fifth drops the oldest."""

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Held(Generic[T]):
    """A planned transaction, what the page says about it, and when it stops waiting."""

    prepared: Prepared
    about: T
    expires: float

    @property
    def fingerprint(self) -> str:
        return self.prepared.tx.fingerprint


class Waiting(Generic[T]):
    """The transactions waiting for a yes, per session (thread-safe)."""

    def __init__(
        self,
        what: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        ttl: float = WAIT_TTL_S,
    ) -> None:
        self._what = what
        self._clock = clock
        self._ttl = ttl
        self._lock = threading.Lock()
        self._held: dict[str, dict[str, Held[T]]] = {}

    def hold(self, session: str, prepared: Prepared, about: T) -> Held[T]:
        """Keep ``prepared`` (never a policy ``deny``) for ``session``'s yes."""
        decision = prepared.decision
        if decision.verdict == "deny":
            raise PolicyDenied(f"refused by the policy: {decision.reason} ({prepared.tx.summary})")
        held = Held(prepared, about, self._clock() + self._ttl)
        with self._lock:
            self._drop_expired()
            mine = self._held.setdefault(session, {})
            mine.pop(held.fingerprint, None)
            mine[held.fingerprint] = held
            while len(mine) > MAX_WAITING:
                del mine[next(iter(mine))]
        return held

    def get(self, session: str, fingerprint: str) -> Held[T] | None:
        """What ``session`` holds under ``fingerprint``, if it still waits."""
        with self._lock:
            self._drop_expired()
            return self._held.get(session, {}).get(fingerprint.strip().lower())

    def take(self, session: str, fingerprint: str) -> Held[T]:
        """Remove and return what ``session`` holds under ``fingerprint``; one clear error
        when nothing waits (sent, expired, another session's, never planned)."""
        with self._lock:
            self._drop_expired()
            held = self._held.get(session, {}).pop(fingerprint.strip().lower(), None)
        if held is None:
            raise UsageError(
                f"no {self._what} waits for confirmation {fingerprint[:18]}… (it was sent, or "
                f"is older than {int(self._ttl // 60)} minutes): start again"
            )
        return held

    def send(self, agent: WalletAgent, held: Held[T], purpose: str) -> Receipt:
        """Send ``held`` from ``agent``'s wallet through the gateway (the person said yes
        to this fingerprint); the fingerprint keys it, so a retry sends nothing new."""
        signer = GatewaySigner(agent, lambda p: p.tx.fingerprint == held.fingerprint,
                               key_prefix=f"{purpose}:{held.fingerprint}")  # fmt: skip
        return signer.send_prepared(held.prepared)

    def _drop_expired(self) -> None:
        now = self._clock()
        for session in list(self._held):
            mine = self._held[session]
            for fp in [fp for fp, h in mine.items() if h.expires <= now]:
                del mine[fp]
            if not mine:
                del self._held[session]
