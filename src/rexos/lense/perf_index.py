"""An address's movements, and past prices, read from the chain index (DuckDB).

:func:`index_movements` reads every ERC-20 transfer to or from the owner (the index's
``transfers``, with each block's time from ``blocks`` and decimals from ``tokens``) and
groups them by transaction. A transaction in which the owner gave exactly one token and got
exactly one other is a **trade** (a swap through any router or pool, V3 included, whose
swaps the index does not list; a stake of REX for sREX): the bought units are a lot that
cost what the sold units were worth, and the sold units fetched the same; its source says
``swap`` when the index holds a pool's swap in that transaction, else ``exchange``. Its
USD value comes from its stablecoin side (at the $1 peg) if it has one, else from the
price history at its block (the sold token first). Every other net flow is a
**transfer** in or out, valued at the price history's price of its block when one is known
(within :data:`LOT_PRICE_MAX_AGE_S`), a stablecoin at $1, and otherwise left unknown.

:func:`swap_prices` turns the index's swaps against a stablecoin into price points: the
execution price of each, at its block's time.

A stablecoin is recognised by its symbol in the index's ``tokens`` table, which lists only
the deployment's own tokens, so a stranger's token calling itself ``USDC`` is never there.

Queries run read-only through :func:`rexos.chainindex.run_query`; the owner's address is
checked to be a checksummed address before it is put in the SQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from web3 import Web3

from rexos.chainindex import run_query
from rexos.errors import InvalidAddress
from rexos.lense.perf_fifo import Direction, Movement
from rexos.lense.price_history import PriceHistory, PricePoint, PricePoints
from rexos.lense.prices import STABLECOIN_SYMBOLS

__all__ = ["LOT_PRICE_MAX_AGE_S", "index_movements", "swap_prices"]

LOT_PRICE_MAX_AGE_S = 3600
"""A transfer is valued at a price recorded at most an hour before its block."""

_TRANSFERS = """
SELECT t.block, t.tx_hash, t.log_index, t.token, k.symbol, k.decimals, t.from_address,
       t.to_address, t.amount, b.timestamp
FROM transfers t JOIN blocks b ON b.number = t.block JOIN tokens k ON k.address = t.token
WHERE t.from_address = '{owner}' OR t.to_address = '{owner}'
ORDER BY t.block, t.log_index
"""
_SWAP_TXS = """
SELECT DISTINCT s.tx_hash FROM swaps s
WHERE s.tx_hash IN (SELECT tx_hash FROM transfers
                    WHERE from_address = '{owner}' OR to_address = '{owner}')
"""
_SWAPS = """
SELECT s.block, s.tx_hash, s.log_index, s.pool, s.token_in, s.token_in_symbol,
       i.decimals, s.token_out, s.token_out_symbol, o.decimals, s.amount_in, s.amount_out,
       b.timestamp
FROM swaps s JOIN blocks b ON b.number = s.block
     JOIN tokens i ON i.address = s.token_in JOIN tokens o ON o.address = s.token_out
ORDER BY s.block, s.log_index
"""


@dataclass
class _Flow:
    """The owner's net flow of one token in one transaction."""

    token: str
    symbol: str
    decimals: int
    net: int = 0
    order: int = 0


@dataclass
class _Tx:
    tx_hash: str
    block: int
    timestamp: int
    flows: dict[str, _Flow]


def _checked_owner(owner: str) -> str:
    if not Web3.is_checksum_address(owner):
        raise InvalidAddress(f"not a checksummed address: {owner!r}")
    return owner


def _transactions(path: Path, owner: str) -> list[_Tx]:
    txs: dict[str, _Tx] = {}
    for row in run_query(path, _TRANSFERS.format(owner=owner)).rows:
        block, tx_hash, log_index, token, symbol, decimals, sender, to, amount, stamp = row
        tx = txs.setdefault(str(tx_hash), _Tx(str(tx_hash), int(str(block)), int(str(stamp)), {}))
        flow = tx.flows.setdefault(
            str(token),
            _Flow(str(token), str(symbol), int(str(decimals)), order=int(str(log_index))),
        )
        moved = int(str(amount))
        flow.net += (moved if to == owner else 0) - (moved if sender == owner else 0)
    return list(txs.values())


def _whole(amount: int, decimals: int) -> Decimal:
    return Decimal(amount).scaleb(-decimals)


def _value(
    flow: _Flow,
    amount: int,
    at: int,
    chain_id: int,
    history: PriceHistory,
    stables: Collection[str],
) -> Decimal | None:
    """What ``amount`` of the flow's token was worth at ``at``: $1 a stablecoin, else the
    price history's price; ``None`` when unknown."""
    if flow.symbol.upper() in stables:
        return _whole(amount, flow.decimals)
    point = history.price_at(f"{chain_id}:{flow.token}", at, max_age_s=LOT_PRICE_MAX_AGE_S)
    return None if point is None else point.usd * _whole(amount, flow.decimals)


def _trade_value(
    sold: _Flow, bought: _Flow, tx: _Tx, chain_id: int, history: PriceHistory,
    stables: Collection[str],
) -> Decimal | None:  # fmt: skip
    for flow in (sold, bought):
        if flow.symbol.upper() in stables:
            return _whole(abs(flow.net), flow.decimals)
    for flow in (sold, bought):
        value = _value(flow, abs(flow.net), tx.timestamp, chain_id, history, stables)
        if value is not None:
            return value
    return None


def _movement(chain_id: int, flow: _Flow, tx: _Tx, usd: Decimal | None, what: str) -> Movement:
    direction: Direction = "in" if flow.net > 0 else "out"
    source = f"{what} in tx {tx.tx_hash} at block {tx.block} (chain index)"
    return Movement(
        f"{chain_id}:{flow.token}", direction, abs(flow.net), tx.block, tx.timestamp, usd,
        source, flow.order,
    )  # fmt: skip


def index_movements(
    path: Path,
    chain_id: int,
    owner: str,
    history: PriceHistory,
    *,
    stablecoins: Collection[str] = STABLECOIN_SYMBOLS,
) -> dict[str, list[Movement]]:
    """The owner's movements by asset key, oldest first (see the module docstring)."""
    owner = _checked_owner(owner)
    swapped = {str(r[0]) for r in run_query(path, _SWAP_TXS.format(owner=owner)).rows}
    out: dict[str, list[Movement]] = defaultdict(list)
    for tx in _transactions(path, owner):
        flows = [f for f in tx.flows.values() if f.net]
        gave = [f for f in flows if f.net < 0]
        got = [f for f in flows if f.net > 0]
        if len(gave) == 1 and len(got) == 1:
            usd = _trade_value(gave[0], got[0], tx, chain_id, history, stablecoins)
            kind = "swap" if tx.tx_hash in swapped else "exchange"
            what = f"{kind} {gave[0].symbol} → {got[0].symbol}"
            for flow in (gave[0], got[0]):
                out[f"{chain_id}:{flow.token}"].append(_movement(chain_id, flow, tx, usd, what))
            continue
        for flow in flows:
            usd = _value(flow, abs(flow.net), tx.timestamp, chain_id, history, stablecoins)
            what = "transfer in" if flow.net > 0 else "transfer out"
            out[f"{chain_id}:{flow.token}"].append(_movement(chain_id, flow, tx, usd, what))
    return dict(out)


def swap_prices(
    path: Path, chain_id: int, *, stablecoins: Collection[str] = STABLECOIN_SYMBOLS
) -> PricePoints:
    """Each indexed swap of a token against a stablecoin as a price point of the token:
    stablecoin paid or got per whole token, at the swap's block time."""
    points = []
    for row in run_query(path, _SWAPS).rows:
        block, tx_hash, log_index, pool, t_in, s_in, d_in, t_out, s_out, d_out, a_in, a_out, at = (
            row
        )
        amounts = {
            str(t_in): (int(str(a_in)), int(str(d_in))),
            str(t_out): (int(str(a_out)), int(str(d_out))),
        }
        stable_in, stable_out = str(s_in).upper() in stablecoins, str(s_out).upper() in stablecoins
        if stable_in == stable_out:
            continue
        token = str(t_out) if stable_in else str(t_in)
        dollar = str(t_in) if stable_in else str(t_out)
        if not amounts[token][0] or not amounts[dollar][0]:
            continue
        usd = _whole(*amounts[dollar]) / _whole(*amounts[token])
        source = f"swap {tx_hash}#{log_index} on pool {pool} at block {block} (chain index)"
        points.append(PricePoint(f"{chain_id}:{token}", int(str(at)), usd, source))
    return PricePoints(points)
