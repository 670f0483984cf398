"""A time-weighted price from the chain index's swap history.

:class:`IndexTwapSource` reads the execution prices of the index's swaps against a
stablecoin (:func:`rexos.lense.perf_index.swap_prices`) and weighs each by how long it stood
within the window ending at ``now``: a price holds from its swap until the next one (the
last until ``now``), and the price in force when the window opened is the last swap before
it, looked for at most one more window back. :func:`time_weighted` does the sum. An asset
with no swap in that span has no price here.

It covers the V2 and StableSwap pools the index lists (a token with no V3 pool still gets a
second on-chain source). A swap's execution price includes its fee and its own price impact,
so single swaps read a little off the pool's mid price, either way; a huge swap in the
window's last block weighs almost nothing, so it moves this price as little as it moves the
V3 TWAP.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from rexos.lense.model import NATIVE, Asset, PriceQuote
from rexos.lense.perf_index import swap_prices
from rexos.lense.price_history import PricePoint, PricePoints
from rexos.lense.price_sources import chain_failures
from rexos.lense.price_twap import DEFAULT_WINDOW_S
from rexos.prices.coingecko import PriceError

__all__ = ["IndexTwapSource", "time_weighted"]


def time_weighted(points: Sequence[PricePoint], start: int, end: int) -> Decimal | None:
    """The mean of the prices in force over ``[start, end]``, each weighted by how long it
    stood (``points`` sorted oldest first). When no price was in force at ``start``, the mean
    runs from the first swap inside the window; ``None`` when there is none."""
    if end <= start:
        raise PriceError(f"an empty window: {start} to {end}")
    before = [p for p in points if p.unix <= start]
    inside = [p for p in points if start < p.unix <= end]
    steps = ([before[-1]] if before else []) + inside
    if not steps:
        return None
    opened = max(steps[0].unix, start)
    total = Decimal(0)
    for here, after in zip(steps, [*steps[1:], None], strict=True):
        since = max(here.unix, start)
        until = end if after is None else after.unix
        total += here.usd * (until - since)
    return total / (end - opened) if end > opened else steps[-1].usd


class IndexTwapSource:
    """Time-weighted prices over ``window_s`` seconds ending at ``now`` (Unix seconds), from
    the index at ``path`` of chain ``chain_id``; the native coin is priced as ``native``
    (the wrapped coin's address), if given."""

    def __init__(
        self,
        path: Path,
        chain_id: int,
        *,
        now: int,
        window_s: int = DEFAULT_WINDOW_S,
        native: str | None = None,
    ) -> None:
        if window_s < 1:
            raise PriceError(f"a TWAP window must be at least 1 s, got {window_s}")
        self._path = path
        self._chain_id = chain_id
        self._now = now
        self._window = window_s
        self._native = native

    @property
    def name(self) -> str:
        return f"index twap {self._window} s"

    def _key(self, asset: Asset) -> str | None:
        if asset.token != NATIVE:
            return asset.key
        return None if self._native is None else f"{self._chain_id}:{self._native}"

    def quotes(self, assets: Sequence[Asset]) -> dict[str, PriceQuote]:
        mine = [a for a in assets if a.chain_id == self._chain_id]
        if not mine:
            return {}
        with chain_failures(self.name):
            points: PricePoints = swap_prices(self._path, self._chain_id)
        start = self._now - self._window
        as_of = dt.datetime.fromtimestamp(self._now, dt.UTC).isoformat(timespec="seconds")
        out: dict[str, PriceQuote] = {}
        for asset in mine:
            key = self._key(asset)
            if key is None:
                continue
            recent = [p for p in points.of(key) if p.unix > start - self._window]
            price = time_weighted(recent, start, self._now)
            if price is not None:
                source = (
                    f"chain index swaps against stablecoins, time-weighted over {self._window} s "
                    f"({len(recent)} swaps)"
                )
                out[asset.key] = PriceQuote(source, price, as_of)
        return out
