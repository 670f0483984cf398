"""Hyperliquid perpetuals through its public ``POST /info`` endpoint.

Two requests: ``{"type": "metaAndAssetCtxs"}`` (universe and per-asset
context) and ``{"type": "l2Book", "coin": COIN}`` (the book). In
``tests/fixtures/perps/hyperliquid/``, ``info__metaAndAssetCtxs.json`` is the
example response of Hyperliquid's API docs, ``info__l2Book__DYDX.json`` a real
answer, and ``info__l2Book__BTC.json`` hand-written: the docs' l2Book example
is the bare ``[bids, asks]`` pair without the ``coin``/``time``/``levels``
object the API answers (see the fixtures' README.md).

Confirmed in Hyperliquid's API docs: ``metaAndAssetCtxs`` answers a pair
``[meta, assetCtxs]`` where ``meta.universe[i]`` (``name``, ``szDecimals``,
``maxLeverage``, ``isDelisted``) lines up with ``assetCtxs[i]`` (``funding``,
``markPx``, ``oraclePx``, ``midPx``, ``impactPxs``, ...); the levels of a
book are ``{"px", "sz", "n"}``. The recorded DYDX answer shows the object
``l2Book`` really answers, ``{"coin", "time", "levels": [bids, asks]}``, and
that object is what :func:`parse_hyperliquid` reads.
``funding`` is the current hourly rate (funding is paid every hour).
Not in these responses: the taker fee, which depends on the account's volume
tier; :attr:`HyperliquidVenue.taker_fee_rate` defaults to the published
base-tier rate (0.045 %) and can be overridden.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rexos.perps._fields import array, field, number
from rexos.perps._http import HttpVenue
from rexos.perps.errors import MarketNotListed, PerpsError
from rexos.perps.schema import Level, PerpMarketData

__all__ = ["HyperliquidVenue", "parse_hyperliquid"]

NAME = "hyperliquid"
_FUNDING_INTERVAL_HOURS = Decimal(1)
DEFAULT_TAKER_FEE_RATE = Decimal("0.00045")


def coin_index(meta_and_ctxs: Any, base: str) -> tuple[int, str]:
    """The position and exact name of ``base`` in the universe (names compare case-blind)."""
    universe = array(field(meta_and_ctxs, NAME, 0, "universe"), NAME, "universe")
    for i, asset in enumerate(universe):
        name = field(asset, NAME, "name")
        if isinstance(name, str) and name.upper() == base.upper():
            if asset.get("isDelisted") is True:
                break
            return i, name
    raise MarketNotListed(NAME, base)


def _side(rows: Any, name: str) -> tuple[Level, ...]:
    out: list[Level] = []
    for i, row in enumerate(array(rows, NAME, name)):
        price = number(field(row, NAME, "px"), NAME, f"{name}[{i}].px")
        size = number(field(row, NAME, "sz"), NAME, f"{name}[{i}].sz")
        out.append(Level(price, size))
    return tuple(out)


def parse_hyperliquid(
    meta_and_ctxs: Any,
    l2_book: Any,
    base: str,
    *,
    taker_fee_rate: Decimal = DEFAULT_TAKER_FEE_RATE,
) -> PerpMarketData:
    """Combine the two ``/info`` answers for ``base`` into one :class:`PerpMarketData`."""
    index, coin = coin_index(meta_and_ctxs, base)
    asset = field(meta_and_ctxs, NAME, 0, "universe", index)
    ctx = field(meta_and_ctxs, NAME, 1, index)
    if field(l2_book, NAME, "coin") != coin:
        raise PerpsError(f"{NAME}: l2Book answered for another coin than {coin}")
    book_levels = array(field(l2_book, NAME, "levels"), NAME, "levels")
    if len(book_levels) != 2:
        raise PerpsError(f"{NAME}: l2Book levels must be [bids, asks]")
    leverage = asset.get("maxLeverage")
    return PerpMarketData(
        venue=NAME,
        kind="dex",
        symbol=coin,
        base=base.upper(),
        mark_price=number(field(ctx, NAME, "markPx"), NAME, "markPx"),
        index_price=number(field(ctx, NAME, "oraclePx"), NAME, "oraclePx"),
        taker_fee_rate=taker_fee_rate,
        funding_rate=number(field(ctx, NAME, "funding"), NAME, "funding"),
        funding_interval_hours=_FUNDING_INTERVAL_HOURS,
        bids=_side(book_levels[0], "bids"),
        asks=_side(book_levels[1], "asks"),
        max_leverage=None if leverage is None else number(leverage, NAME, "maxLeverage"),
    )


class HyperliquidVenue(HttpVenue):
    """Hyperliquid's public info API (no key needed)."""

    name = NAME
    default_base_url = "https://api.hyperliquid.xyz"
    taker_fee_rate = DEFAULT_TAKER_FEE_RATE

    def market_data(self, base: str) -> PerpMarketData:
        """Universe and contexts, then the book of ``base``."""
        meta = self._call("POST", "/info", body={"type": "metaAndAssetCtxs"})
        _, coin = coin_index(meta, base)
        book = self._call("POST", "/info", body={"type": "l2Book", "coin": coin})
        return parse_hyperliquid(meta, book, base, taker_fee_rate=self.taker_fee_rate)
