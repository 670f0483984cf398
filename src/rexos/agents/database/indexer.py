"""The indexer: a deployment's events, read in block chunks from a cursor, into DuckDB.

:func:`index_chain` reads every watched contract's logs (see
:class:`~rexos.agents.database.events.EventDecoder`) from the block after the cursor (or
``from_block``) up to the head, ``chunk`` blocks per ``eth_getLogs`` call. Each chunk's rows,
the times of its blocks and the cursor are written in one transaction, so an interrupted run
resumes where it stopped. Rows are keyed by ``(tx_hash, log_index)``: re-indexing a range
(``from_block`` below the cursor) never duplicates one, and the cursor never moves back.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from web3 import Web3

from rexos.agents.database.events import EventDecoder, Row
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as
from rexos.chainindex.store import IndexStore
from rexos.errors import ConfigError

__all__ = ["DEFAULT_CHUNK", "IndexProgress", "IndexReport", "index_chain"]

DEFAULT_CHUNK = 2_000
"""Blocks per ``eth_getLogs`` call."""


@dataclass(frozen=True, slots=True)
class IndexProgress:
    """One chunk written: its block range, the target head and the rows it held."""

    from_block: int
    to_block: int
    head: int
    rows: int


@dataclass(frozen=True, slots=True)
class IndexReport:
    """What one :func:`index_chain` run read: the range (empty when already current) and
    the events seen per table (rows already indexed are counted but not duplicated)."""

    chain_id: int
    path: Path
    from_block: int
    to_block: int
    events: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.events.values())


def _quiet(_: IndexProgress) -> None:
    return None


def index_chain(
    web3: Web3,
    manifest: Manifest,
    path: Path,
    *,
    from_block: int | None = None,
    to_block: int | None = None,
    chunk: int = DEFAULT_CHUNK,
    progress: Callable[[IndexProgress], None] = _quiet,
) -> IndexReport:
    """Index ``manifest``'s events on ``web3`` into the DuckDB file at ``path``.

    ``from_block`` defaults to the block after the cursor (0 on a fresh index); ``to_block``
    to the head. ``progress`` is called after each chunk is committed.
    """
    if chunk < 1:
        raise ConfigError(f"chunk must be ≥ 1 block, got {chunk}")
    decoder = EventDecoder(web3, manifest)
    head = decoder.head if to_block is None else min(to_block, decoder.head)
    events: Counter[str] = Counter()
    with IndexStore(path) as store:
        cursor = store.cursor_block(manifest.chain_id)
        start = (0 if cursor is None else cursor + 1) if from_block is None else from_block
        if from_block is not None and from_block < 0:
            raise ConfigError(f"from_block must be ≥ 0, got {from_block}")
        with store.write() as w:
            tokens = [_token_row(t.address, t.symbol, t.decimals) for t in decoder.tokens]
            w.insert("tokens", tokens)
        first = start
        while start <= head:
            end = min(head, start + chunk - 1)
            tables = _read_chunk(web3, decoder, start, end)
            blocks = _blocks(web3, {int(str(r["block"])) for rows in tables.values() for r in rows})
            with store.write() as w:
                for table, rows in tables.items():
                    w.insert(table, rows)
                    events[table] += len(rows)
                w.insert("blocks", blocks)
                w.set_cursor(manifest.chain_id, max(end, cursor if cursor is not None else -1))
            progress(IndexProgress(start, end, head, sum(len(r) for r in tables.values())))
            start = end + 1
    return IndexReport(manifest.chain_id, path, first, head, dict(events))


def _token_row(address: str, symbol: str, decimals: int) -> Row:
    return {"address": address, "symbol": symbol, "decimals": decimals}


def _read_chunk(web3: Web3, decoder: EventDecoder, start: int, end: int) -> dict[str, list[Row]]:
    with reverts_as(f"read logs of blocks {start}-{end}"):
        logs = web3.eth.get_logs(
            {
                "fromBlock": start,
                "toBlock": end,
                "address": [Web3.to_checksum_address(a) for a in decoder.addresses],
            }
        )
    tables: dict[str, list[Row]] = {}
    for log in logs:
        found = decoder.decode(log)
        if found is not None:
            tables.setdefault(found[0], []).append(found[1])
    return tables


def _blocks(web3: Web3, numbers: set[int]) -> list[Row]:
    rows: list[Row] = []
    for number in sorted(numbers):
        with reverts_as(f"read block {number}"):
            stamp = int(web3.eth.get_block(number)["timestamp"])
        time = dt.datetime.fromtimestamp(stamp, dt.UTC).replace(tzinfo=None)
        rows.append({"number": number, "timestamp": stamp, "time": time})
    return rows
