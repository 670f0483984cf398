"""Checked prices: every source's quote for an asset, their median and how far they disagree.

:func:`check_prices` asks each :class:`~rexos.lense.price_sources.PriceSource` for every
asset, refuses any quote that is not a sane price (:func:`require_sane_price`: a source that
answers one is dropped whole, never used), and turns what is left into one
:class:`~rexos.lense.model.CheckedPrice` per asset:

* the shown price is the **median** of the quotes (for an even count, the mean of the two
  middle ones), in :class:`~decimal.Decimal`;
* ``divergence_bps`` = (max − min) / median × 10 000, ``None`` with fewer than two quotes;
* the flag is ``"diverging"`` above :data:`DIVERGING_BPS` (2 %; :data:`STABLE_DIVERGING_BPS`,
  0.5 %, for a stablecoin), ``"disputed"`` above :data:`DISPUTED_BPS` (10 %, for every asset),
  ``"unpriced"`` with no quote, else ``"ok"``. A single quote is ``"ok"``: the report can
  still say that only one source priced it, from ``quotes``.

**Stablecoins.** An asset is treated as a stablecoin when its symbol is in the stated list
(:data:`STABLECOIN_SYMBOLS`, or the caller's) **and** its median is within
:data:`PEG_BAND` (2 %) of one dollar. A token that merely calls itself ``USDC`` but trades
far from $1 is not held to the tighter threshold as if it were pegged; it gets the ordinary
one, and its price speaks for itself.

A disputed asset has its median kept (the report shows it) but :func:`headline_price` gives
``None`` for it, so it stays out of the headline net worth.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal

from rexos.lense.model import Asset, CheckedPrice, PriceFlag, PriceQuote
from rexos.lense.price_sources import PriceSource, is_token, require_sane_price
from rexos.prices.coingecko import PriceError
from rexos.prices.compare import DEFAULT_DIVERGENCE_BPS

__all__ = [
    "DISPUTED_BPS",
    "DIVERGING_BPS",
    "PEG_BAND",
    "STABLECOIN_SYMBOLS",
    "STABLE_DIVERGING_BPS",
    "check_asset",
    "check_prices",
    "divergence_bps",
    "headline_price",
    "is_stablecoin",
    "median",
    "single_source",
]

DIVERGING_BPS = DEFAULT_DIVERGENCE_BPS
"""2 %: sources further apart than this flag an asset ``"diverging"``."""
STABLE_DIVERGING_BPS = Decimal(50)
"""0.5 %: the ``"diverging"`` threshold of a stablecoin."""
DISPUTED_BPS = Decimal(1000)
"""10 %: sources further apart than this make an asset ``"disputed"`` (out of net worth)."""
PEG_BAND = Decimal("0.02")
"""A stablecoin's median must lie within 2 % of $1 to be held to the stablecoin threshold."""
STABLECOIN_SYMBOLS = frozenset(
    {"USDC", "USDT", "DAI", "BUSD", "FDUSD", "TUSD", "USDP", "PYUSD", "FRAX", "LUSD", "GUSD"}
)
"""Symbols of USD stablecoins (upper case)."""

_BPS_PLACES = Decimal("0.01")


def median(values: Sequence[Decimal]) -> Decimal:
    """The middle value; for an even count, the mean of the two middle ones."""
    if not values:
        raise ValueError("the median of no values")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def divergence_bps(values: Sequence[Decimal]) -> Decimal | None:
    """(max − min) / median × 10 000, to 0.01 bps; ``None`` with fewer than two values."""
    if len(values) < 2:
        return None
    spread = max(values) - min(values)
    return (spread / median(values) * 10_000).quantize(_BPS_PLACES)


def is_stablecoin(symbol: str, price: Decimal | None, symbols: Collection[str]) -> bool:
    """A listed stablecoin symbol whose price is within :data:`PEG_BAND` of $1."""
    if price is None or symbol.upper() not in symbols:
        return False
    return abs(price - 1) <= PEG_BAND


def _flag(divergence: Decimal | None, stable: bool, priced: bool) -> PriceFlag:
    if not priced:
        return "unpriced"
    if divergence is None:
        return "ok"
    if divergence > DISPUTED_BPS:
        return "disputed"
    if divergence > (STABLE_DIVERGING_BPS if stable else DIVERGING_BPS):
        return "diverging"
    return "ok"


def check_asset(
    asset: Asset,
    quotes: Sequence[PriceQuote],
    *,
    stablecoins: Collection[str] = STABLECOIN_SYMBOLS,
) -> CheckedPrice:
    """One asset's quotes, already sane, as a :class:`CheckedPrice`."""
    values = [q.usd for q in quotes]
    middle = median(values) if values else None
    divergence = divergence_bps(values)
    stable = is_stablecoin(asset.symbol, middle, stablecoins)
    return CheckedPrice(
        asset_key=asset.key,
        quotes=tuple(quotes),
        median=middle,
        divergence_bps=divergence,
        flag=_flag(divergence, stable, bool(values)),
        stable=stable,
    )


def _ask(source: PriceSource, assets: Sequence[Asset]) -> dict[str, PriceQuote]:
    """The source's quotes for the assets asked, each checked; a bad one fails the source."""
    wanted = {a.key for a in assets}
    answer = source.quotes(assets)
    for key, quote in answer.items():
        require_sane_price(source.name, key, quote.usd)
    return {k: q for k, q in answer.items() if k in wanted}


def check_prices(
    assets: Sequence[Asset],
    sources: Sequence[PriceSource],
    *,
    stablecoins: Collection[str] = STABLECOIN_SYMBOLS,
    failures: dict[str, str] | None = None,
) -> dict[str, CheckedPrice]:
    """Every asset's :class:`CheckedPrice` from every source, keyed by :attr:`Asset.key`.

    A source that fails (a :class:`~rexos.prices.coingecko.PriceError`: down, garbage, or a
    quote refused by :func:`require_sane_price`) is not used at all. With ``failures``
    given, its name → the one-line error is put there and the other sources carry on;
    without it the error is raised. An asset that is neither the native coin nor a token at
    an address (staking points) is asked of no source and comes back ``unpriced``.
    """
    quoted: dict[str, list[PriceQuote]] = {a.key: [] for a in assets}
    tokens = [a for a in assets if is_token(a)]  # points and the like: unpriced, never asked
    for source in sources:
        try:
            answer = _ask(source, tokens)
        except PriceError as exc:
            if failures is None:
                raise
            failures[source.name] = str(exc)
            continue
        for key, quote in answer.items():
            quoted[key].append(quote)
    return {a.key: check_asset(a, quoted[a.key], stablecoins=stablecoins) for a in assets}


def headline_price(checked: CheckedPrice) -> Decimal | None:
    """The price that counts toward the headline net worth: the median, unless the asset is
    disputed or unpriced."""
    if checked.flag in ("disputed", "unpriced"):
        return None
    return checked.median


def single_source(checked: Mapping[str, CheckedPrice]) -> list[str]:
    """Keys of the assets only one source priced (the report says so beside them)."""
    return [key for key, c in checked.items() if len(c.quotes) == 1]
