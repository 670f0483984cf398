"""How each holding performed: FIFO cost basis, realised and unrealised profit, price change.

:func:`performance` takes what an address holds now (discovery's ``balance`` positions),
its movements (:func:`rexos.lense.perf_index.index_movements`: swaps and transfers from the
chain index), the checked prices of now (:func:`rexos.lense.prices.check_prices`) and a
price history (:mod:`rexos.lense.price_history`), and gives one
:class:`~rexos.lense.model.AssetPerformance` per asset:

* ``cost_basis_usd``: what the units held cost, first in first out
  (:func:`rexos.lense.perf_fifo.fifo`); ``None`` when a lot's cost is unknown or the history
  does not account for exactly the amount held (the source says which);
* ``realised_usd``: the profit taken by the units that left (sales and transfers out);
* ``unrealised_usd``: the units held at the headline price, less their cost basis; ``None``
  for a disputed or unpriced asset;
* ``change_pct``: the headline price against the price history's price 24 h, 7 d and 30 d
  ago (:data:`CHANGE_WINDOWS`; a past price counts when recorded at or before the window's
  start and at most a quarter of the window earlier).

:func:`portfolio` adds them up into a :class:`Portfolio`. Every result carries a ``source``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from rexos.lense.model import Asset, AssetPerformance, CheckedPrice, Position
from rexos.lense.perf_fifo import Fifo, Movement, fifo, to_decimal
from rexos.lense.price_history import PriceHistory
from rexos.lense.prices import headline_price

__all__ = ["CHANGE_WINDOWS", "Portfolio", "performance", "portfolio", "price_change"]

CHANGE_WINDOWS = {"24h": 86_400, "7d": 7 * 86_400, "30d": 30 * 86_400}
"""The windows of :attr:`AssetPerformance.change_pct`, in seconds."""

_CENT = Decimal("0.01")
_SHOWN_UNKNOWNS = 3
"""Causes of an unknown named in a source; the rest are counted."""


@dataclass(frozen=True, slots=True)
class Portfolio:
    """The totals of the balances priced for the headline (neither disputed nor unpriced);
    the realised profit of every asset the history moved, held or not.

    A total is ``None`` when any asset it adds up is unknown; ``change_pct`` is what the
    assets held now were worth then against now, over the assets priced at both times.
    """

    value_usd: Decimal
    cost_basis_usd: Decimal | None
    realised_usd: Decimal | None
    unrealised_usd: Decimal | None
    change_pct: dict[str, Decimal | None]
    source: str


def _pct(now: Decimal, then: Decimal) -> Decimal:
    return ((now / then - 1) * 100).quantize(_CENT)


def price_change(
    history: PriceHistory, asset_key: str, price_now: Decimal | None, now: int
) -> dict[str, Decimal | None]:
    """Percentage change of ``price_now`` against the recorded price of each window."""
    out: dict[str, Decimal | None] = {}
    for name, seconds in CHANGE_WINDOWS.items():
        then = history.price_at(asset_key, now - seconds, max_age_s=seconds // 4)
        out[name] = None if then is None or price_now is None else _pct(price_now, then.usd)
    return out


def _held(holdings: Sequence[Position]) -> dict[str, tuple[Asset, int]]:
    found: dict[str, tuple[Asset, int]] = {}
    for p in holdings:
        if p.kind == "balance":
            amount = found.get(p.asset.key, (p.asset, 0))[1]
            found[p.asset.key] = (p.asset, amount + p.amount)
    return found


def _cost_basis(replay: Fifo, held: int) -> tuple[Fraction | None, str]:
    if replay.held != held:
        return None, f"the index accounts for {replay.held} of the {held} base units held"
    if replay.cost_basis is None:
        return None, "a lot held has no known cost"
    return replay.cost_basis, f"FIFO over {len(replay.lots)} open lots"


def _asset(
    owner: str,
    key: str,
    held: tuple[int, int],
    moves: Sequence[Movement],
    checked: CheckedPrice | None,
    history: PriceHistory,
    now: int,
) -> AssetPerformance:
    """``held``: (base units held now, decimals)."""
    amount, decimals = held
    replay = fifo(moves)
    cost, why = _cost_basis(replay, amount)
    price = None if checked is None else headline_price(checked)
    unrealised = None
    if cost is not None and price is not None:
        unrealised = Fraction(price) * amount / 10**decimals - cost
    elif cost == 0 and amount == 0:
        unrealised = Fraction(0)
    notes = [f"{len(moves)} indexed movements of {owner}", why]
    if amount == 0:
        notes.append("nothing held now")
    elif price is None:
        notes.append("no headline price (unpriced or disputed)")
    else:
        assert checked is not None
        notes.append(f"price ${price}: median of {len(checked.quotes)} sources")
    notes.extend(replay.unknowns[:_SHOWN_UNKNOWNS])
    if len(replay.unknowns) > _SHOWN_UNKNOWNS:
        notes.append(f"and {len(replay.unknowns) - _SHOWN_UNKNOWNS} more unknowns")
    return AssetPerformance(
        asset_key=key,
        cost_basis_usd=to_decimal(cost),
        realised_usd=to_decimal(replay.realised),
        unrealised_usd=to_decimal(unrealised),
        change_pct=price_change(history, key, price, now),
        source="; ".join(notes),
    )


def performance(
    owner: str,
    holdings: Sequence[Position],
    history: Mapping[str, Sequence[Movement]],
    prices: Mapping[str, CheckedPrice],
    price_history: PriceHistory,
    *,
    now: int,
) -> dict[str, AssetPerformance]:
    """The performance (``now``: Unix seconds) of each asset held, and of each asset the
    history moved that is no longer held (its realised profit), keyed by asset key."""
    held = {k: (amount, asset.decimals) for k, (asset, amount) in _held(holdings).items()}
    for key in history:
        held.setdefault(key, (0, 0))
    return {
        key: _asset(owner, key, amounts, history.get(key, ()), prices.get(key), price_history, now)
        for key, amounts in held.items()
    }


def _total(values: Sequence[Decimal | None]) -> Decimal | None:
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def _change(
    held: Mapping[str, tuple[Asset, int]],
    prices: Mapping[str, Decimal],
    history: PriceHistory,
    now: int,
) -> tuple[dict[str, Decimal | None], list[str]]:
    out: dict[str, Decimal | None] = {}
    notes = []
    for name, seconds in CHANGE_WINDOWS.items():
        value_now = value_then = Decimal(0)
        counted = 0
        for key, price in prices.items():
            then = history.price_at(key, now - seconds, max_age_s=seconds // 4)
            if then is not None:
                asset, amount = held[key]
                units = Decimal(amount).scaleb(-asset.decimals)
                value_now += units * price
                value_then += units * then.usd
                counted += 1
        out[name] = _pct(value_now, value_then) if value_then > 0 else None
        notes.append(f"{name} over {counted} of {len(prices)} assets")
    return out, notes


def portfolio(
    holdings: Sequence[Position],
    results: Mapping[str, AssetPerformance],
    prices: Mapping[str, CheckedPrice],
    price_history: PriceHistory,
    *,
    now: int,
) -> Portfolio:
    """The totals over the held assets that have a headline price."""
    held = _held(holdings)
    headline = {k: p for k in held if k in prices and (p := headline_price(prices[k])) is not None}
    value = sum(
        (Decimal(held[k][1]).scaleb(-held[k][0].decimals) * p for k, p in headline.items()),
        Decimal(0),
    )
    counted = [results[k] for k in headline if k in results]
    realised = _total([r.realised_usd for r in results.values()])
    change, notes = _change(held, headline, price_history, now)
    left_out = len(held) - len(headline)
    source = (
        f"sum over {len(headline)} assets with a headline price ({left_out} disputed or "
        f"unpriced left out); changes: current holdings at past prices, {', '.join(notes)}"
    )
    return Portfolio(
        value_usd=value,
        cost_basis_usd=_total([r.cost_basis_usd for r in counted]),
        realised_usd=realised,
        unrealised_usd=_total([r.unrealised_usd for r in counted]),
        change_pct=change,
        source=source,
    )
