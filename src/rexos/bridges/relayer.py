"""The relayer: watch every bridge's ``Sent`` events and deliver each transfer once.

For each chain it scans blocks up to ``head − confirmations`` from a cursor kept in
SQLite, signs every transfer addressed to a chain it serves with each of its
relayer keys (the contract wants ``threshold`` of them) and submits ``deliver`` on
the destination, unless the destination says it was delivered already (another
relayer, or this one before a restart). A transfer that fails to deliver stays
``pending`` and is retried on the next pass; nothing is ever delivered twice
because the contract refuses it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from eth_account.signers.local import LocalAccount

from rexos.bridges.errors import BridgeError
from rexos.bridges.lockmint import BridgeTransfer, RexBridge, sign_transfer_by
from rexos.chain.tx import Transactor, reverts_as
from rexos.errors import ChainError
from rexos.sqlite import open_store

__all__ = ["Relayer", "RelayerStore"]

log = logging.getLogger(__name__)

_LOG_CHUNK = 2_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cursors (chain_id INTEGER PRIMARY KEY, block INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS transfers (
    src_chain_id INTEGER NOT NULL,
    nonce INTEGER NOT NULL,
    dst_chain_id INTEGER NOT NULL,
    home_chain_id INTEGER NOT NULL,
    home_token TEXT NOT NULL,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    amount TEXT NOT NULL,
    state TEXT NOT NULL,
    tx_hash TEXT,
    error TEXT,
    PRIMARY KEY (src_chain_id, nonce)
);
"""


class RelayerStore:
    """Cursors per chain and transfers ``pending`` → ``delivered``, in SQLite (WAL)."""

    def __init__(self, path: Path) -> None:
        self._db = open_store(path, _SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def cursor(self, chain_id: int) -> int | None:
        row = self._db.execute(
            "SELECT block FROM cursors WHERE chain_id = ?", (chain_id,)
        ).fetchone()
        return None if row is None else int(row[0])

    def set_cursor(self, chain_id: int, block: int) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO cursors VALUES (?, ?) "
                "ON CONFLICT(chain_id) DO UPDATE SET block = excluded.block",
                (chain_id, block),
            )

    def see(self, t: BridgeTransfer) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR IGNORE INTO transfers VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', "
                "NULL, NULL)",
                (
                    t.src_chain_id,
                    t.nonce,
                    t.dst_chain_id,
                    t.home_chain_id,
                    t.home_token,
                    t.sender,
                    t.recipient,
                    str(t.amount),
                ),
            )

    def pending(self) -> list[BridgeTransfer]:
        rows = self._db.execute(
            "SELECT src_chain_id, dst_chain_id, nonce, home_chain_id, home_token, sender, "
            "recipient, amount FROM transfers WHERE state = 'pending' "
            "ORDER BY src_chain_id, nonce"
        ).fetchall()
        return [
            BridgeTransfer(int(a), int(b), int(c), int(d), e, f, g, int(h))
            for a, b, c, d, e, f, g, h in rows
        ]

    def mark(self, t: BridgeTransfer, state: str, tx_hash: str | None, error: str | None) -> None:
        with self._lock, self._db:
            self._db.execute(
                "UPDATE transfers SET state = ?, tx_hash = ?, error = ? "
                "WHERE src_chain_id = ? AND nonce = ?",
                (state, tx_hash, error, t.src_chain_id, t.nonce),
            )

    def counts(self) -> dict[str, int]:
        rows = self._db.execute("SELECT state, COUNT(*) FROM transfers GROUP BY state")
        return {str(state): int(n) for state, n in rows}


@dataclass(frozen=True, slots=True)
class Delivery:
    """One transfer this relayer delivered."""

    transfer: BridgeTransfer
    tx_hash: str
    gas_used: int


class Relayer:
    """Deliver transfers between ``bridges`` (one per chain), signing with ``signers`` and
    paying gas from ``submitter`` on every chain."""

    def __init__(
        self,
        bridges: Sequence[RexBridge],
        signers: Sequence[LocalAccount],
        submitter: LocalAccount,
        store: RelayerStore,
        *,
        confirmations: int = 0,
    ) -> None:
        if not signers:
            raise BridgeError("a relayer needs at least one signing key")
        self.bridges = {b.chain_id: b for b in bridges}
        if len(self.bridges) != len(bridges):
            raise BridgeError("two bridges on the same chain id")
        self.signers = list(signers)
        self.store = store
        self.confirmations = confirmations
        self._submitters = {
            cid: Transactor(b.web3, submitter, receipt_timeout_s=60)
            for cid, b in self.bridges.items()
        }

    def scan(self) -> int:
        """Record transfers sent since the last scan on every chain; return how many."""
        found = 0
        for chain_id, bridge in self.bridges.items():
            with reverts_as("read the latest block"):
                safe = int(bridge.web3.eth.block_number) - self.confirmations
            start = (self.store.cursor(chain_id) or -1) + 1
            while start <= safe:
                end = min(safe, start + _LOG_CHUNK - 1)
                for transfer in bridge.sent_between(start, end):
                    if transfer.dst_chain_id in self.bridges:
                        self.store.see(transfer)
                        found += 1
                    else:
                        log.warning(
                            "transfer %s/%s is for chain %s, which this relayer does not serve",
                            chain_id,
                            transfer.nonce,
                            transfer.dst_chain_id,
                        )
                self.store.set_cursor(chain_id, end)
                start = end + 1
        return found

    def deliver_pending(self) -> list[Delivery]:
        """Deliver every pending transfer; failures stay pending with their reason."""
        done: list[Delivery] = []
        for transfer in self.store.pending():
            dst = self.bridges[transfer.dst_chain_id]
            if dst.is_delivered(transfer.src_chain_id, transfer.nonce):
                self.store.mark(transfer, "delivered", None, None)
                continue
            signatures = sign_transfer_by(self.signers, transfer, dst.address)
            try:
                receipt = dst.deliver(self._submitters[dst.chain_id], transfer, signatures)
            except ChainError as exc:
                log.warning("delivery %s/%s failed: %s", transfer.src_chain_id, transfer.nonce, exc)
                self.store.mark(transfer, "pending", None, str(exc))
                continue
            self.store.mark(transfer, "delivered", receipt.tx_hash, None)
            log.info(
                "delivered %s/%s to %s on chain %s",
                transfer.src_chain_id,
                transfer.nonce,
                transfer.recipient,
                transfer.dst_chain_id,
            )
            done.append(Delivery(transfer, receipt.tx_hash, receipt.gas_used))
        return done

    def step(self) -> list[Delivery]:
        """One pass: scan, then deliver."""
        self.scan()
        return self.deliver_pending()

    def run(
        self,
        stop: threading.Event,
        poll_s: float = 0.5,
        on_delivery: Callable[[Delivery], None] | None = None,
    ) -> None:
        """Pass after pass until ``stop`` is set; an unreachable chain is retried."""
        while not stop.is_set():
            try:
                for delivery in self.step():
                    if on_delivery is not None:
                        on_delivery(delivery)
            except ChainError as exc:
                log.warning("relayer pass failed, retrying: %s", exc)
            stop.wait(poll_s)
        time.sleep(0)
