"""Past prices: what an asset was worth at a given time, and where that was recorded.

Two kinds of history answer :meth:`PriceHistory.price_at`:

* :class:`PriceStore`, a small SQLite table of the prices Lense checked
  (:func:`~rexos.lense.prices.check_prices`), written by :meth:`PriceStore.record` each time
  Lense prices a wallet: the headline price of every asset that was neither disputed nor
  unpriced, with how many sources agreed on it;
* :class:`PricePoints`, points held in memory, e.g. the execution prices of the chain
  index's swaps against a stablecoin (:func:`rexos.lense.perf_index.swap_prices`);
* :class:`LatestOf`, several of them as one.

A price counts for a time ``t`` when it is the latest one recorded at or before ``t`` and
no more than ``max_age_s`` older: an old price is not passed off as a recent one.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from rexos.lense.model import CheckedPrice
from rexos.lense.prices import headline_price
from rexos.sqlite import open_store

__all__ = [
    "LatestOf",
    "PriceHistory",
    "PricePoint",
    "PricePoints",
    "PriceStore",
]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS checked_prices (
    asset_key TEXT NOT NULL,
    unix INTEGER NOT NULL,
    usd TEXT NOT NULL,
    sources INTEGER NOT NULL,
    flag TEXT NOT NULL,
    PRIMARY KEY (asset_key, unix)
);
"""


@dataclass(frozen=True, slots=True)
class PricePoint:
    """``usd`` per whole token of ``asset_key`` at Unix time ``unix``, and where it came from."""

    asset_key: str
    unix: int
    usd: Decimal
    source: str


class PriceHistory(Protocol):
    """Anything that remembers prices."""

    def price_at(self, asset_key: str, unix: int, *, max_age_s: int) -> PricePoint | None:
        """The latest price at or before ``unix``, at most ``max_age_s`` older; else ``None``."""
        ...


class PricePoints:
    """Price points in memory, by asset."""

    def __init__(self, points: Iterable[PricePoint]) -> None:
        self._by_asset: dict[str, list[PricePoint]] = {}
        for point in points:
            self._by_asset.setdefault(point.asset_key, []).append(point)
        for found in self._by_asset.values():
            found.sort(key=lambda p: p.unix)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_asset.values())

    def of(self, asset_key: str) -> tuple[PricePoint, ...]:
        """Every point of one asset, oldest first."""
        return tuple(self._by_asset.get(asset_key, ()))

    def price_at(self, asset_key: str, unix: int, *, max_age_s: int) -> PricePoint | None:
        best = None
        for point in self._by_asset.get(asset_key, []):
            if point.unix > unix:
                break
            best = point
        if best is None or unix - best.unix > max_age_s:
            return None
        return best


class LatestOf:
    """Several histories as one: the most recent of their answers (the first on a tie)."""

    def __init__(self, *histories: PriceHistory) -> None:
        self._histories = histories

    def price_at(self, asset_key: str, unix: int, *, max_age_s: int) -> PricePoint | None:
        best = None
        for history in self._histories:
            point = history.price_at(asset_key, unix, max_age_s=max_age_s)
            if point is not None and (best is None or point.unix > best.unix):
                best = point
        return best


def _iso(unix: int) -> str:
    return dt.datetime.fromtimestamp(unix, dt.UTC).isoformat(timespec="seconds")


class PriceStore:
    """Checked prices kept in the SQLite file at ``path`` (created 0600 in a 0700 folder)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db = open_store(self.path, _SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> PriceStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, checked: Mapping[str, CheckedPrice], unix: int) -> int:
        """Keep the headline price of each asset priced at ``unix``; how many were kept
        (disputed and unpriced assets are not: their price is not one to compare with)."""
        rows = []
        for key, price in checked.items():
            usd = headline_price(price)
            if usd is not None:
                rows.append((key, unix, str(usd), len(price.quotes), price.flag))
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO checked_prices VALUES (?, ?, ?, ?, ?)", rows
            )
        return len(rows)

    def price_at(self, asset_key: str, unix: int, *, max_age_s: int) -> PricePoint | None:
        with self._lock:
            row = self._db.execute(
                "SELECT unix, usd, sources, flag FROM checked_prices "
                "WHERE asset_key = ? AND unix <= ? AND unix >= ? ORDER BY unix DESC LIMIT 1",
                (asset_key, unix, unix - max_age_s),
            ).fetchone()
        if row is None:
            return None
        at, usd, sources, flag = int(row[0]), Decimal(str(row[1])), int(row[2]), str(row[3])
        source = f"Lense checked price of {_iso(at)} ({sources} sources, {flag}) in {self.path}"
        return PricePoint(asset_key, at, usd, source)
