"""The bot's scheduler: one :meth:`Scheduler.tick` evaluates every active strategy of one
wallet on one chain, at the chain's time, and makes the trades that are due.

Prices are read once per tick (:meth:`Venue.prices`), before any trade of that tick. Trades go
through a :class:`Venue` — in RexOS the Wallet agent (:class:`~rexos.bot.venue.WalletVenue`),
in unit tests a fake — under intent keys fixed by (strategy, trade number, attempt), so a tick
re-run after a crash finishes or replays the same trade instead of making a second one.

A trade the venue cannot make unattended (the policy wants a human's confirmation, or refuses
it; the balance is short; a transaction failed) pauses its strategy with the reason. Nothing
is retried on its own: the user looks, fixes, and runs ``rexos bot resume ID``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol

from rexos.bot.store import BotStore, Fire, StoredStrategy
from rexos.errors import UsageError

__all__ = ["Event", "Scheduler", "Trade", "TradeBlocked", "Venue", "intent_key"]


class TradeBlocked(UsageError):
    """A trade the bot may not or cannot make unattended; the message says why."""


@dataclass(frozen=True, slots=True)
class Trade:
    """A swap made (or found already made, ``replayed``) for one intent."""

    sold: Decimal
    bought: Decimal | None
    tx_hash: str
    block: int
    replayed: bool


class Venue(Protocol):
    """Where the bot reads the chain's time and prices and trades."""

    def now(self) -> int:
        """The latest block's timestamp (seconds)."""
        ...

    def prices(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Decimal | None]:
        """Whole ``quote`` per whole ``token`` for each ``(token, quote)``, read at one moment
        (``None``: no pool route prices it)."""
        ...

    def trade(self, intent: str, sell: str, buy: str, amount: Decimal, slippage_bps: int) -> Trade:
        """Sell exactly ``amount`` whole ``sell`` for ``buy``, once per ``intent``.

        Raises :class:`TradeBlocked` for anything that stops the trade (policy verdict other
        than allow, short balance, failed transaction).
        """
        ...


def intent_key(strategy: StoredStrategy) -> str:
    """The intent-key prefix of the strategy's next trade: ``bot:ID:TRADE:ATTEMPT``."""
    return f"bot:{strategy.id}:{strategy.progress.fires}:{strategy.attempt}"


@dataclass(frozen=True, slots=True)
class Event:
    """What one tick did to one strategy."""

    strategy_id: str
    kind: Literal["fired", "paused"]
    message: str
    trade: Trade | None = None
    done: bool = False
    """The trade was the strategy's last."""


class Scheduler:
    """Runs ``owner``'s active strategies on ``chain_id`` against ``venue``."""

    def __init__(self, store: BotStore, venue: Venue, owner: str, chain_id: int) -> None:
        self.store = store
        self.venue = venue
        self.owner = owner
        self.chain_id = chain_id

    def tick(self, now: int | None = None) -> list[Event]:
        """Evaluate every active strategy at ``now`` (default: the chain's latest block time)
        against prices read once, and make the trades that are due; one event per trade or
        pause."""
        active = self.store.active(self.owner, self.chain_id)
        if not active:
            return []
        when = self.venue.now() if now is None else now
        pairs = sorted({p for s in active if (p := s.strategy.pair) is not None})
        prices = self.venue.prices(pairs)
        events = []
        for s in active:
            current = self.store.get(s.id)
            if current is None or current.status != "active":
                continue  # removed or paused while this tick ran
            pair = current.strategy.pair
            due = current.strategy.trigger(
                current.progress, when, None if pair is None else prices.get(pair)
            )
            if due is not None:
                events.append(self._fire(current, when, due.amount, due.why))
        return events

    def _fire(self, s: StoredStrategy, now: int, amount: Decimal, why: str) -> Event:
        spec = s.strategy
        try:
            trade = self.venue.trade(intent_key(s), spec.sold, spec.bought, amount,
                                     spec.slippage_bps)  # fmt: skip
        except TradeBlocked as exc:
            self.store.pause(s.id, str(exc))
            return Event(s.id, "paused", str(exc))
        after = self.store.record_fire(
            s.id,
            Fire(s.progress.fires, now, why, trade.sold, trade.bought, trade.tx_hash, trade.block),
        )
        got = "" if trade.bought is None else f" for {_plain(trade.bought)} {spec.bought}"
        message = (
            f"{why}: sold {_plain(trade.sold)} {spec.sold}{got} (tx {trade.tx_hash}, block "
            f"{trade.block}{', already sent before a restart' if trade.replayed else ''})"
        )
        return Event(s.id, "fired", message, trade, done=after.status == "done")


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
