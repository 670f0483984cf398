"""A venue for tests and dry runs: time and prices set by hand, trades kept in memory.

It keeps the real venue's promise that matters to the scheduler: one trade per intent key (a
repeated key returns the first trade, ``replayed``), and a trade it is told to block raises
:class:`~rexos.bot.scheduler.TradeBlocked` having sent nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from rexos.bot.scheduler import Trade, TradeBlocked

__all__ = ["FakeVenue"]


class FakeVenue:
    def __init__(self, now: int = 0, prices: dict[tuple[str, str], Decimal] | None = None) -> None:
        self.time = now
        self.quotes: dict[tuple[str, str], Decimal] = dict(prices or {})
        """Whole quote per whole token, by ``(token, quote)``; the reverse pair is implied."""
        self.block: str | None = None
        """When set, every trade is blocked with this reason."""
        self.trades: dict[str, Trade] = {}
        """Trades made, by intent key."""
        self.price_reads = 0

    def now(self) -> int:
        return self.time

    def prices(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Decimal | None]:
        self.price_reads += 1
        return {pair: self.quotes.get(pair) for pair in pairs}

    def trade(self, intent: str, sell: str, buy: str, amount: Decimal, slippage_bps: int) -> Trade:
        if intent in self.trades:
            return replace(self.trades[intent], replayed=True)
        if self.block is not None:
            raise TradeBlocked(self.block)
        rate, inverse = self.quotes.get((sell, buy)), self.quotes.get((buy, sell))
        bought = amount * rate if rate else amount / inverse if inverse else None
        made = Trade(amount, bought, f"0x{len(self.trades) + 1:064x}", len(self.trades) + 1, False)
        self.trades[intent] = made
        return made
