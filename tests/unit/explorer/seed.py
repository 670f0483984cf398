"""Write a small, known history into index files, as ``rexos index`` would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rexos.agents.database import index_path
from rexos.chainindex.store import IndexStore

ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
CAROL = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
ZERO = "0x0000000000000000000000000000000000000000"
REX = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
USDC = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
T0 = 1_741_000_000
"""Time of block 1 (blocks are 12 s apart)."""


def seed(home: Path, chain_id: int, transfers: list[tuple[int, int, str, str, str, int]]) -> Path:
    """Index ``(block, log_index, token, from, to, amount)`` rows for ``chain_id``."""
    path = index_path(home, chain_id)
    symbols = {REX: ("REX", 18), USDC: ("USDC", 6)}
    blocks = sorted({t[0] for t in transfers})
    with IndexStore(path) as store, store.write() as w:
        w.insert(
            "tokens",
            [{"address": a, "symbol": s, "decimals": d} for a, (s, d) in symbols.items()],
        )
        w.insert(
            "blocks",
            [
                {
                    "number": b,
                    "timestamp": T0 + 12 * (b - 1),
                    "time": dt.datetime.fromtimestamp(T0 + 12 * (b - 1), dt.UTC).replace(
                        tzinfo=None
                    ),
                }
                for b in blocks
            ],
        )
        w.insert(
            "transfers",
            [
                {
                    "block": block,
                    "tx_hash": f"0x{chain_id:04x}{block:060x}",
                    "log_index": log_index,
                    "token": token,
                    "token_symbol": symbols[token][0],
                    "from_address": sender,
                    "to_address": recipient,
                    "amount": amount,
                }
                for block, log_index, token, sender, recipient, amount in transfers
            ],
        )
        w.set_cursor(chain_id, max(blocks) + 5)
    return path
