"""Errors of the perps package.

:class:`~rexos.errors.PerpsError` is the one runtime error every venue raises;
:class:`MarketNotListed` is the case "this venue has no perpetual on that
asset", which the comparison needs to tell apart from an outage so that a
market no venue lists becomes a usage error.
"""

from __future__ import annotations

from rexos.errors import PerpsError

__all__ = ["MarketNotListed", "PerpsError"]


class MarketNotListed(PerpsError):
    """The venue lists no perpetual on the asset asked for."""

    def __init__(self, venue: str, base: str) -> None:
        self.venue = venue
        self.base = base
        super().__init__(f"{venue}: no {base} perpetual listed")
