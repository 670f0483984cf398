"""An address's token transfers from the local chain index (no network), as
:class:`~rexos.explorer.records.LocalHistory`.

The index files are ``$REXOS_HOME/index/<chain_id>.duckdb``, written by ``rexos index``;
they are read through :func:`rexos.chainindex.run_query`, a read-only connection with
external access off. The only value put into the SQL is a checksummed address (40 hex
digits) and integers, so nothing a caller types can change the query.
"""

from __future__ import annotations

from pathlib import Path

from rexos import bounds
from rexos.chainindex import Value, index_path, run_query
from rexos.errors import UsageError
from rexos.explorer.errors import ExplorerError
from rexos.explorer.records import Direction, IndexedChain, IndexedTransfer, LocalHistory
from rexos.types import parse_address

__all__ = ["MAX_HISTORY", "local_history"]

MAX_HISTORY = bounds.MAX_HISTORY
"""Most transfers one call returns."""


def _indexed_chains(home: Path) -> list[int]:
    folder = index_path(home, 0).parent
    if not folder.is_dir():
        return []
    return sorted(int(p.stem) for p in folder.glob("*.duckdb") if p.stem.isdigit())


def local_history(
    home: Path, address: str, *, chain_id: int | None = None, limit: int = 25
) -> LocalHistory:
    """The newest ``limit`` transfers from or to ``address``.

    With ``chain_id`` only that chain's index is read (missing: a :class:`UsageError` saying
    to run ``rexos index``); without, every index under ``home`` is, and none is no error.
    """
    who = parse_address(address)
    if not 1 <= limit <= MAX_HISTORY:
        raise UsageError(f"limit must be between 1 and {MAX_HISTORY}, got {limit}")
    if chain_id is not None and not index_path(home, chain_id).is_file():
        raise UsageError(f"no index for chain {chain_id} in {home}: run `rexos index` first")
    chains = [chain_id] if chain_id is not None else _indexed_chains(home)
    found: list[IndexedChain] = []
    transfers: list[IndexedTransfer] = []
    for chain in chains:
        path = index_path(home, chain)
        cursor = run_query(path, f"SELECT block FROM cursor WHERE chain_id = {int(chain)}").rows
        found.append(IndexedChain(chain, _int(cursor[0][0]) if cursor else None))
        transfers += _transfers(path, chain, who, limit)
    transfers.sort(key=lambda t: (t.timestamp or 0, t.chain_id, t.block, t.log_index), reverse=True)
    return LocalHistory(address=who, chains=tuple(found), transfers=tuple(transfers[:limit]))


def _int(value: Value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ExplorerError(f"the index holds {value!r} where an integer belongs")
    return value


def _transfers(path: Path, chain_id: int, who: str, limit: int) -> list[IndexedTransfer]:
    sql = (
        "SELECT t.block, b.timestamp, t.tx_hash, t.log_index, t.token, t.token_symbol, "
        "k.decimals, t.from_address, t.to_address, t.amount "
        "FROM transfers t LEFT JOIN blocks b ON b.number = t.block "
        "LEFT JOIN tokens k ON k.address = t.token "
        f"WHERE t.from_address = '{who}' OR t.to_address = '{who}' "
        f"ORDER BY t.block DESC, t.log_index DESC LIMIT {int(limit)}"
    )
    out: list[IndexedTransfer] = []
    for row in run_query(path, sql).rows:
        block, ts, tx_hash, log_index, token, symbol, decimals, sender, recipient, amount = row
        direction: Direction = (
            "self" if sender == recipient == who else "out" if sender == who else "in"
        )
        out.append(
            IndexedTransfer(
                chain_id=chain_id,
                block=_int(block),
                timestamp=None if ts is None else _int(ts),
                tx_hash=str(tx_hash),
                log_index=_int(log_index),
                token=str(token),
                token_symbol=str(symbol),
                decimals=None if decimals is None else _int(decimals),
                from_address=str(sender),
                to_address=str(recipient),
                amount=_int(amount),
                direction=direction,
            )
        )
    return out
