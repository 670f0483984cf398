"""A token's USD price over time, from the swaps the Database agent indexed.

Each swap between the token and another token ``Q`` is an executed price: ``Q`` paid or
received per token. It is a dollar price when ``Q`` is the dollar (the deployment's USDC,
as for DEX-implied prices), or when ``Q`` itself traded against the dollar earlier in the
window (its last such price converts it). Swaps in one block merge into one point, their
volume-weighted average. Executed prices include the pool's fee and the trade's price
impact; a swap that cannot be converted is skipped, and no point is ever invented.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rexos.agents.chart.errors import NoChartData
from rexos.agents.database import run_query
from rexos.errors import UsageError

__all__ = [
    "DAY_S",
    "DOLLAR",
    "IndexedToken",
    "PriceHistory",
    "PricePoint",
    "Swap",
    "executed_prices",
    "index_tokens",
    "read_price_history",
]

DAY_S = 86_400
DOLLAR = "USDC"
"""The token taken as one US dollar."""

_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")


@dataclass(frozen=True, slots=True)
class PricePoint:
    """The token's USD price at one block: the average over ``swaps`` swaps in it."""

    block: int
    timestamp: int
    usd: Decimal
    swaps: int = 1

    @property
    def time(self) -> str:
        """The block time, ISO 8601 UTC (``2025-01-02T03:04:05Z``)."""
        when = dt.datetime.fromtimestamp(self.timestamp, dt.UTC)
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class PriceHistory:
    """``symbol``'s USD price points between ``since`` and ``until`` (Unix seconds)."""

    symbol: str
    days: int
    since: int
    until: int
    points: tuple[PricePoint, ...]
    quote: str = DOLLAR

    @property
    def swaps(self) -> int:
        return sum(p.swaps for p in self.points)


@dataclass(frozen=True, slots=True)
class Swap:
    """One indexed swap (addresses as in the index; amounts in base units)."""

    block: int
    log_index: int
    timestamp: int
    token_in: str
    token_out: str
    amount_in: int
    amount_out: int


@dataclass(frozen=True, slots=True)
class IndexedToken:
    """A token of the index's ``tokens`` table."""

    symbol: str
    address: str
    decimals: int


def executed_prices(
    swaps: Sequence[Swap], token: str, dollar: str, decimals: Mapping[str, int]
) -> tuple[PricePoint, ...]:
    """USD price points of ``token`` (an address) from ``swaps``, one per block.

    ``dollar`` is the address worth $1; ``decimals`` maps addresses (any case) to decimals.
    """
    token, dollar = token.lower(), dollar.lower()
    places = {a.lower(): d for a, d in decimals.items()}
    usd: dict[str, Decimal] = {dollar: Decimal(1)}
    blocks: dict[int, tuple[int, Decimal, Decimal, int]] = {}
    for s in sorted(swaps, key=lambda s: (s.block, s.log_index)):
        a_in, a_out = s.token_in.lower(), s.token_out.lower()
        if a_in not in places or a_out not in places or s.amount_in <= 0 or s.amount_out <= 0:
            continue
        whole_in = Decimal(s.amount_in).scaleb(-places[a_in])
        whole_out = Decimal(s.amount_out).scaleb(-places[a_out])
        if token in (a_in, a_out) and a_in != a_out:
            amount, other, paid = (
                (whole_in, a_out, whole_out) if a_in == token else (whole_out, a_in, whole_in)
            )
            rate = usd.get(other)
            if rate is not None:
                stamp, value, volume, count = blocks.get(
                    s.block, (s.timestamp, Decimal(0), Decimal(0), 0)
                )
                blocks[s.block] = (stamp, value + paid * rate, volume + amount, count + 1)
        if a_out == dollar and a_in != dollar:
            usd[a_in] = whole_out / whole_in
        elif a_in == dollar and a_out != dollar:
            usd[a_out] = whole_in / whole_out
    return tuple(
        PricePoint(block, stamp, value / volume, count)
        for block, (stamp, value, volume, count) in sorted(blocks.items())
    )


def index_tokens(index: Path) -> dict[str, IndexedToken]:
    """The index's tokens by upper-case symbol."""
    rows = run_query(index, "SELECT symbol, address, decimals FROM tokens").rows
    return {
        str(symbol).upper(): IndexedToken(str(symbol), str(address), int(str(decimals)))
        for symbol, address, decimals in rows
    }


def read_price_history(index: Path, symbol: str, days: int, now: int) -> PriceHistory:
    """``symbol``'s executed USD prices over the ``days`` days before ``now`` (Unix s).

    ``ETH`` reads as WETH. Raises :class:`NoChartData` when the index holds no priced swap
    of the token in the window.
    """
    tokens = index_tokens(index)
    wanted = symbol.strip().lstrip("$").upper()
    if wanted == "ETH" and "ETH" not in tokens:
        wanted = "WETH"
    if wanted not in tokens:
        known = ", ".join(sorted(t.symbol for t in tokens.values())) or "none"
        raise UsageError(f"the index has no token {symbol!r} (known: {known})")
    if DOLLAR not in tokens:
        raise NoChartData(f"the index has no {DOLLAR} to price {symbol} in")
    token, dollar = tokens[wanted], tokens[DOLLAR]
    if token.address == dollar.address:
        raise UsageError(f"{DOLLAR} is the dollar here: its price is 1 by definition")
    since = now - days * DAY_S
    addresses = [token.address, dollar.address]
    if not all(_ADDRESS.match(a) for a in addresses):
        raise UsageError(f"the index holds a malformed token address: {addresses}")
    pair = ", ".join(f"'{a}'" for a in addresses)
    sql = (
        "SELECT s.block, s.log_index, b.timestamp, s.token_in, s.token_out, s.amount_in, "
        "s.amount_out FROM swaps AS s JOIN blocks AS b ON b.number = s.block "
        f"WHERE b.timestamp >= {int(since)} AND b.timestamp <= {int(now)} "
        f"AND (s.token_in IN ({pair}) OR s.token_out IN ({pair})) "
        "ORDER BY s.block, s.log_index"
    )
    swaps = [_swap(row) for row in run_query(index, sql).rows]
    decimals = {t.address: t.decimals for t in tokens.values()}
    points = executed_prices(swaps, token.address, dollar.address, decimals)
    if not points:
        raise NoChartData(
            f"no {token.symbol} swaps priced in {DOLLAR} are indexed in the last {days} days "
            f"(index {index}): nothing to chart"
        )
    return PriceHistory(token.symbol, days, since, now, points)


def _swap(row: Sequence[object]) -> Swap:
    block, log_index, stamp, token_in, token_out, amount_in, amount_out = row
    return Swap(
        int(str(block)), int(str(log_index)), int(str(stamp)), str(token_in), str(token_out),
        int(str(amount_in)), int(str(amount_out)),
    )  # fmt: skip
