"""Perpetual-venue comparison: fees, funding and depth-based slippage for one size.

Venue adapters (:class:`CexVenue` through ccxt for Binance, Bybit and OKX;
:class:`HyperliquidVenue` and :class:`DydxVenue` over HTTP) return one
:class:`PerpMarketData` each; :func:`cost_of` prices a position on it and
:func:`compare` ranks the venues best first with the full breakdown and a
paragraph explaining the winner. See ``docs/explanation/perps.md``.
"""

from rexos.perps.cex import CEX_VENUES, CexSpec, CexVenue
from rexos.perps.compare import Comparison, Unavailable, compare, rank
from rexos.perps.cost import InsufficientDepth, LegCost, VenueCost, cost_of, walk_book
from rexos.perps.dydx import DydxVenue, parse_dydx
from rexos.perps.errors import MarketNotListed, PerpsError
from rexos.perps.explain import dominant_term, explain
from rexos.perps.hyperliquid import HyperliquidVenue, parse_hyperliquid
from rexos.perps.request import PerpRequest, parse_market, parse_size
from rexos.perps.schema import Level, PerpMarketData, Side, VenueKind
from rexos.perps.source import PerpSource
from rexos.perps.venues import VENUES, live_sources, venue_ids

__all__ = [
    "CEX_VENUES",
    "VENUES",
    "CexSpec",
    "CexVenue",
    "Comparison",
    "DydxVenue",
    "HyperliquidVenue",
    "InsufficientDepth",
    "LegCost",
    "Level",
    "MarketNotListed",
    "PerpMarketData",
    "PerpRequest",
    "PerpSource",
    "PerpsError",
    "Side",
    "Unavailable",
    "VenueCost",
    "VenueKind",
    "compare",
    "cost_of",
    "dominant_term",
    "explain",
    "live_sources",
    "parse_dydx",
    "parse_hyperliquid",
    "parse_market",
    "parse_size",
    "rank",
    "venue_ids",
    "walk_book",
]
