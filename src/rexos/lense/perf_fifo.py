"""First in, first out: what the units still held cost, and the profit on those that left.

A :class:`Movement` is one change of an address's holding of one asset: units in (a buy lot
at what it cost, or a transfer in, valued at the price of its block when one is known) or
units out (a sale for what it fetched, or a transfer out, valued the same way). :func:`fifo`
replays them in order: every ``in`` opens a lot; every ``out`` consumes the oldest lots
first, and the profit it realises is what left was worth less what the consumed part of
those lots cost. Arithmetic is exact (:class:`~fractions.Fraction`): no rounding builds up
over a long history; callers turn results into :class:`~decimal.Decimal` at the end.

A lot of unknown cost makes the cost basis unknown while any of it is held, and a sale
that consumes it (or whose proceeds are unknown) makes the realised profit unknown: an
unknown is never read as zero. Units going out beyond what the history brought in are
counted in :attr:`Fifo.unmatched` (the history is incomplete) and also make the realised
profit unknown.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

__all__ = ["Direction", "Fifo", "Lot", "Movement", "fifo", "to_decimal"]

Direction = Literal["in", "out"]


@dataclass(frozen=True, slots=True)
class Movement:
    """``amount`` base units of ``asset_key`` in or out of the address at ``block``.

    ``usd``: what the whole movement was worth in USD at the time (a buy's cost, a sale's
    proceeds); ``None`` when no price is known. ``source`` says where it was read.
    """

    asset_key: str
    direction: Direction
    amount: int
    block: int
    timestamp: int
    usd: Decimal | None
    source: str
    order: int = 0
    """Position within the block (the log index), for a stable order."""

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise ValueError(f"a movement moves a positive amount, got {self.amount}")


@dataclass(frozen=True, slots=True)
class Lot:
    """Units still held from one ``in`` movement, and what they cost (``None``: unknown)."""

    amount: int
    cost: Fraction | None
    timestamp: int
    source: str


@dataclass(frozen=True, slots=True)
class Fifo:
    """What a replay leaves: the open lots, their cost and the profit already taken."""

    lots: tuple[Lot, ...]
    realised: Fraction | None
    unmatched: int
    """Base units that went out beyond what came in."""
    unknowns: tuple[str, ...] = ()
    """Why the cost basis or the realised profit is unknown, one line per cause."""

    @property
    def held(self) -> int:
        return sum(lot.amount for lot in self.lots)

    @property
    def cost_basis(self) -> Fraction | None:
        """What the open lots cost; ``None`` when any of them has an unknown cost."""
        costs = [lot.cost for lot in self.lots]
        if any(c is None for c in costs):
            return None
        return sum((c for c in costs if c is not None), Fraction(0))


def _lot(movement: Movement) -> Lot:
    cost = None if movement.usd is None else Fraction(movement.usd)
    return Lot(movement.amount, cost, movement.timestamp, movement.source)


def _consume(lots: deque[Lot], amount: int) -> tuple[Fraction | None, int]:
    """Take ``amount`` units off the oldest lots; their cost (``None`` if any is unknown)
    and how many units there were no lots for."""
    cost: Fraction | None = Fraction(0)
    while amount and lots:
        first = lots[0]
        take = min(amount, first.amount)
        part = None if first.cost is None else first.cost * take / first.amount
        cost = None if cost is None or part is None else cost + part
        if take == first.amount:
            lots.popleft()
        else:
            left = None if first.cost is None or part is None else first.cost - part
            lots[0] = Lot(first.amount - take, left, first.timestamp, first.source)
        amount -= take
    return cost, amount


def fifo(movements: Iterable[Movement]) -> Fifo:
    """Replay one asset's ``movements`` (sorted here by block, then order) first in, first out."""
    lots: deque[Lot] = deque()
    realised: Fraction | None = Fraction(0)
    unmatched = 0
    unknowns: list[str] = []
    for move in sorted(movements, key=lambda m: (m.block, m.order)):
        if move.direction == "in":
            lots.append(_lot(move))
            if move.usd is None:
                unknowns.append(f"no price for what came in: {move.source}")
            continue
        cost, short = _consume(lots, move.amount)
        unmatched += short
        if short:
            unknowns.append(f"{short} base units left beyond the history: {move.source}")
        if move.usd is None:
            unknowns.append(f"no price for what went out: {move.source}")
        if realised is None or cost is None or move.usd is None or short:
            realised = None
        else:
            realised += Fraction(move.usd) - cost
    return Fifo(tuple(lots), realised, unmatched, tuple(unknowns))


def to_decimal(value: Fraction | None) -> Decimal | None:
    """An exact fraction as a :class:`Decimal` (28 significant digits); ``None`` stays."""
    if value is None:
        return None
    return Decimal(value.numerator) / Decimal(value.denominator)
