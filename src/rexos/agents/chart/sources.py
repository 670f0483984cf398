"""Where chart data comes from: a two-method protocol, the chain-backed sources and a fake.

:class:`IndexedSources` reads price history from the Database agent's DuckDB index
(brought up to date first, from its cursor) and holdings from the chain;
:class:`FixedSources` answers from fixed points and portfolios (tests, examples, callers
that already hold the data).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from web3 import Web3

from rexos.agents.chart.errors import NoChartData
from rexos.agents.chart.history import DAY_S, PriceHistory, PricePoint, read_price_history
from rexos.agents.chart.portfolio import Portfolio, read_portfolio
from rexos.agents.database import index_chain
from rexos.chain.manifest import Manifest
from rexos.chain.tx import reverts_as

__all__ = ["ChartSources", "FixedSources", "IndexedSources"]


@runtime_checkable
class ChartSources(Protocol):
    """The data a chart can draw."""

    def price_history(self, symbol: str, days: int) -> PriceHistory:
        """``symbol``'s USD prices over the last ``days`` days; :class:`NoChartData` if none."""
        ...

    def portfolio(self, address: str) -> Portfolio:
        """What ``address`` holds, with USD prices where known."""
        ...


class IndexedSources:
    """Prices from the index at ``index`` (refreshed first unless ``refresh`` is false),
    holdings from the chain; "the last N days" end at the chain head's time."""

    def __init__(self, web3: Web3, manifest: Manifest, index: Path, *, refresh: bool = True):
        self._web3 = web3
        self._manifest = manifest
        self._index = index
        self._refresh = refresh

    def price_history(self, symbol: str, days: int) -> PriceHistory:
        if self._refresh:
            index_chain(self._web3, self._manifest, self._index)
        with reverts_as("read the latest block"):
            now = int(self._web3.eth.get_block("latest")["timestamp"])
        return read_price_history(self._index, symbol, days, now)

    def portfolio(self, address: str) -> Portfolio:
        return read_portfolio(self._web3, self._manifest, address)


class FixedSources:
    """Fixed data: price points per symbol (the window ends at ``now``), portfolios by
    address (case-insensitive)."""

    def __init__(
        self,
        prices: Mapping[str, Sequence[PricePoint]] | None = None,
        portfolios: Sequence[Portfolio] = (),
        *,
        now: int | None = None,
    ) -> None:
        self._prices = {s.upper(): tuple(points) for s, points in (prices or {}).items()}
        self._portfolios = {p.address.lower(): p for p in portfolios}
        stamps = [p.timestamp for points in self._prices.values() for p in points]
        self._now = now if now is not None else max(stamps, default=0)

    def price_history(self, symbol: str, days: int) -> PriceHistory:
        since = self._now - days * DAY_S
        name = symbol.strip().lstrip("$").upper()
        points = tuple(p for p in self._prices.get(name, ()) if since <= p.timestamp <= self._now)
        if not points:
            raise NoChartData(f"no {name} prices in the last {days} days: nothing to chart")
        return PriceHistory(name, days, since, self._now, points)

    def portfolio(self, address: str) -> Portfolio:
        try:
            return self._portfolios[address.lower()]
        except KeyError:
            raise NoChartData(f"no holdings known for {address}") from None
