"""The consistency rules every :class:`~rexos.dex.v3.pool.V3Pool` state obeys."""

from __future__ import annotations

from dataclasses import dataclass

from rexos.dex.v3.full_math import MAX_UINT128
from rexos.dex.v3.swap_math import FEE_DENOMINATOR
from rexos.dex.v3.tick_math import (
    MAX_SQRT_RATIO,
    MAX_TICK,
    MIN_SQRT_RATIO,
    MIN_TICK,
    sqrt_ratio_at_tick,
    tick_at_sqrt_ratio,
)
from rexos.errors import UsageError

__all__ = ["MAX_TICK_SPACING", "Tick", "validate_pool"]

MAX_TICK_SPACING = 16383
"""The factory accepts tick spacings in ``(0, 16384)``."""


@dataclass(frozen=True, slots=True)
class Tick:
    """An initialised tick: its index and the liquidity added when crossing it upwards."""

    index: int
    liquidity_net: int


def validate_pool(
    pool_id: str,
    tokens: tuple[str, str],
    *,
    fee: int,
    tick_spacing: int,
    sqrt_price_x96: int,
    liquidity: int,
    tick: int,
    ticks: tuple[Tick, ...],
    window: tuple[int, int] | None = None,
) -> None:
    """Raise ``UsageError`` naming the first rule a V3 pool state breaks.

    With a ``window`` (the lowest and highest tick whose bitmap was read), ``ticks`` are the
    initialised ticks inside it only: the liquidity below the window is whatever makes the
    active liquidity come out right, and the nets need not sum to zero.
    """

    def fail(message: str) -> UsageError:
        return UsageError(f"v3 pool {pool_id}: {message}")

    if tokens[0] == tokens[1]:
        raise fail(f"token0 and token1 are both {tokens[0]}")
    if not 0 <= fee < FEE_DENOMINATOR:
        raise fail(f"fee {fee} outside [0, {FEE_DENOMINATOR}) (hundredths of a bip)")
    if not 0 < tick_spacing <= MAX_TICK_SPACING:
        raise fail(f"tick spacing {tick_spacing} outside [1, {MAX_TICK_SPACING}]")
    if not MIN_SQRT_RATIO <= sqrt_price_x96 < MAX_SQRT_RATIO:
        raise fail(f"sqrt price {sqrt_price_x96} outside [{MIN_SQRT_RATIO}, {MAX_SQRT_RATIO})")
    if not MIN_TICK <= tick <= MAX_TICK:
        raise fail(f"tick {tick} outside [{MIN_TICK}, {MAX_TICK}]")
    price_tick = tick_at_sqrt_ratio(sqrt_price_x96)
    on_boundary_below = tick == price_tick - 1 and sqrt_price_x96 == sqrt_ratio_at_tick(price_tick)
    if tick != price_tick and not on_boundary_below:
        raise fail(f"tick {tick} does not match sqrt price {sqrt_price_x96} (tick {price_tick})")
    if not 0 <= liquidity <= MAX_UINT128:
        raise fail(f"liquidity {liquidity} outside [0, 2^128)")
    previous: int | None = None
    for t in ticks:
        if not isinstance(t, Tick):
            raise fail(f"ticks must be Tick values, got {t!r}")
        if not MIN_TICK <= t.index <= MAX_TICK:
            raise fail(f"initialised tick {t.index} outside [{MIN_TICK}, {MAX_TICK}]")
        if t.index % tick_spacing:
            raise fail(f"initialised tick {t.index} is not a multiple of spacing {tick_spacing}")
        if previous is not None and t.index <= previous:
            raise fail(f"ticks must be sorted and distinct: {t.index} after {previous}")
        previous = t.index
    base = 0
    if window is not None:
        low, high = window
        # a swap down that stopped on the window's edge leaves the tick one below it
        if not (MIN_TICK <= low <= tick + 1 and tick <= high <= MAX_TICK) or low % tick_spacing:
            raise fail(f"tick window {window} must hold tick {tick} and start on the spacing")
        if ticks and not low <= ticks[0].index <= ticks[-1].index <= high:
            raise fail(f"initialised ticks reach outside the window {window}")
        base = liquidity - sum(t.liquidity_net for t in ticks if t.index <= tick)
        if not 0 <= base <= MAX_UINT128:
            raise fail(f"liquidity below the window would be {base}, outside [0, 2^128)")
    running = active = base
    for t in ticks:
        running += t.liquidity_net
        if not 0 <= running <= MAX_UINT128:
            raise fail(f"liquidity after tick {t.index} would be {running}, outside [0, 2^128)")
        if t.index <= tick:
            active = running
    if window is None and running != 0:
        raise fail(f"liquidity_net of the ticks sums to {running}, not 0")
    if liquidity != active:
        raise fail(f"liquidity {liquidity} differs from the ticks' net at tick {tick} ({active})")
