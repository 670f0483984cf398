"""The built-in venues by id, and a factory for the live sources."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from rexos.bounds import PERP_VENUES
from rexos.errors import UsageError
from rexos.perps.cex import CexVenue
from rexos.perps.dydx import DydxVenue
from rexos.perps.hyperliquid import HyperliquidVenue
from rexos.perps.source import PerpSource

__all__ = ["VENUES", "live_sources", "venue_ids"]

_FACTORIES: Mapping[str, Callable[[], PerpSource]] = {
    "binance": lambda: CexVenue("binance"),
    "bybit": lambda: CexVenue("bybit"),
    "okx": lambda: CexVenue("okx"),
    "hyperliquid": HyperliquidVenue,
    "dydx": DydxVenue,
}

VENUES: tuple[str, ...] = PERP_VENUES
"""Every built-in venue id, centralised first (declared in :mod:`rexos.bounds` for ``--help``)."""


def venue_ids(names: Iterable[str] | None = None) -> list[str]:
    """``names`` checked and without repeats (all built-in venues when None)."""
    wanted = list(dict.fromkeys(VENUES if names is None else names))
    unknown = [n for n in wanted if n not in _FACTORIES]
    if unknown:
        raise UsageError(f"unknown venue {unknown[0]!r}; choose from {', '.join(VENUES)}")
    if not wanted:
        raise UsageError("no venue to compare")
    return wanted


def live_sources(names: Iterable[str] | None = None) -> list[PerpSource]:
    """Live clients for ``names`` (all built-in venues when None); unknown ids are a UsageError."""
    return [_FACTORIES[n]() for n in venue_ids(names)]
