"""The one extension point: anything that reports a venue's view of a perp market."""

from __future__ import annotations

from typing import Protocol

from rexos.perps.schema import PerpMarketData

__all__ = ["PerpSource"]


class PerpSource(Protocol):
    """A venue adapter. ``name`` is the id users pass to ``--venues``."""

    @property
    def name(self) -> str:
        """The venue id, e.g. ``"binance"``."""
        ...

    def market_data(self, base: str) -> PerpMarketData:
        """The ``base`` perpetual on this venue.

        Raises :class:`~rexos.perps.errors.MarketNotListed` when the venue has
        no such market and :class:`~rexos.errors.PerpsError` on any other failure.
        """
        ...
