"""Bounds and choices that ``--help`` pages show, in a module that imports nothing.

A command's option declarations are read when its ``--help`` is drawn; had they named a
constant of the package that uses it, asking for help would load that package's SDKs
(DuckDB, web3, httpx, ccxt, ...). Each package takes its bound from here, so the number the
help shows and the one the code enforces are the same object.
"""

from __future__ import annotations

__all__ = [
    "MAX_CHART_DAYS",
    "MAX_HISTORY",
    "MAX_QUERY_CHARS",
    "MAX_SOCIAL_POSTS",
    "MAX_SQL_ROWS",
    "PERP_VENUES",
]

MAX_SQL_ROWS = 1000
"""Default cap on the rows one SQL answer fetches (the Database agent's ``max_rows``)."""

MAX_CHART_DAYS = 3650
"""Longest period a chart covers, in days."""

MAX_HISTORY = 1000
"""Most transfers one history call returns."""

MAX_QUERY_CHARS = 400
"""Longest web-search query sent."""

MAX_SOCIAL_POSTS = 100
"""Most posts one social search or feed read asks for (Bluesky's ``limit`` maximum)."""

PERP_VENUES: tuple[str, ...] = ("binance", "bybit", "okx", "hyperliquid", "dydx")
"""Every built-in perp venue id, centralised first (the order of the comparison)."""
