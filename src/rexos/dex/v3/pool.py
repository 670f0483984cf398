"""A Uniswap V3 pool as a frozen value, swapping exactly as UniswapV3Pool.swap does.

The swap walks the price from range to range: each step ends at the next
initialised tick within the current bitmap word, at the word's edge, at the
price limit, or where the input runs out. Crossing an initialised tick adds its
``liquidity_net`` (going up) or subtracts it (going down). When the price limit
is reached first, the pool fills only part of the input, and so do we:
:meth:`V3Pool.swap_exact_in` reports the part used, while :meth:`V3Pool.swap`
(the :class:`~rexos.dex.pool.Pool` method) raises ``InsufficientLiquidity``.
The protocol fee only splits the fee between LPs and the protocol, so amounts
do not depend on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from rexos.dex.pool import Pool, check_pair, require_positive
from rexos.dex.v3.swap_math import compute_swap_step
from rexos.dex.v3.tick_bitmap import next_initialized_tick_within_one_word
from rexos.dex.v3.tick_math import (
    MAX_SQRT_RATIO,
    MAX_TICK,
    MIN_SQRT_RATIO,
    MIN_TICK,
    sqrt_ratio_at_tick,
    tick_at_sqrt_ratio,
)
from rexos.dex.v3.validation import Tick, validate_pool
from rexos.errors import DexError, InsufficientLiquidity, UsageError

__all__ = ["Segment", "SwapResult", "Tick", "V3Pool"]

_MAX_AMOUNT = 2**255 - 1


@dataclass(frozen=True, slots=True)
class SwapResult:
    """What an exact-input swap did: input used (≤ asked), output, the pool after."""

    amount_in_used: int
    amount_out: int
    pool_after: V3Pool
    ticks_crossed: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A price range with constant active liquidity, in the order a swap meets it."""

    liquidity: int
    sqrt_price_start_x96: int
    sqrt_price_end_x96: int


@dataclass(frozen=True, slots=True)
class V3Pool:
    """A Uniswap V3 pool's swap state.

    ``fee`` is in hundredths of a basis point (3000 = 0.30 %); ``ticks`` are the
    initialised ticks (those the tick bitmap marks, even with a zero net),
    sorted by index. ``tick`` is the pool's ``slot0.tick``: the tick of
    ``sqrt_price_x96``, or one below it when a downward swap stopped exactly on
    a tick boundary.

    ``window``: for a pool read from a chain around its price, the lowest and highest tick
    whose bitmap words were read (``ticks`` holds those inside it); a swap that would move
    the price past the window raises ``InsufficientLiquidity``, since what lies beyond is
    unknown. ``None``: ``ticks`` are all of the pool's. ``block`` (the block the state was
    read at) and ``factory`` (the factory that created the pool) are provenance: they take
    no part in the maths or in comparisons.
    """

    id: str
    token0: str
    token1: str
    fee: int
    tick_spacing: int
    sqrt_price_x96: int
    liquidity: int
    tick: int
    ticks: tuple[Tick, ...]
    window: tuple[int, int] | None = None
    block: int | None = field(default=None, compare=False)
    factory: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        validate_pool(
            self.id,
            (self.token0, self.token1),
            fee=self.fee,
            tick_spacing=self.tick_spacing,
            sqrt_price_x96=self.sqrt_price_x96,
            liquidity=self.liquidity,
            tick=self.tick,
            ticks=self.ticks,
            window=self.window,
        )

    @property
    def tokens(self) -> tuple[str, str]:
        """``(token0, token1)``."""
        return (self.token0, self.token1)

    def swap(self, token_in: str, token_out: str, amount_in: int) -> tuple[int, Pool]:
        """Sell exactly ``amount_in``; ``InsufficientLiquidity`` if the pool cannot take it all."""
        index_in, _ = check_pair(self, token_in, token_out)
        result = self._checked(index_in == 0, amount_in, None, stop_when_dry=True)
        if result is None or result.amount_in_used != amount_in:
            raise InsufficientLiquidity(
                f"pool {self.id}: not all of {amount_in} {token_in} can be sold "
                "before the liquidity runs out"
            )
        return result.amount_out, result.pool_after

    def swap_exact_in(
        self, zero_for_one: bool, amount_in: int, sqrt_price_limit_x96: int | None = None
    ) -> SwapResult:
        """Swap as ``UniswapV3Pool.swap`` with a positive ``amountSpecified``.

        Without a limit the swap may run to the extreme price the periphery
        uses (``MIN_SQRT_RATIO + 1`` or ``MAX_SQRT_RATIO − 1``). Raises
        ``InsufficientLiquidity`` where the contract reverts (price already at
        the limit, an arithmetic overflow) and ``UsageError`` for an invalid limit.
        """
        result = self._checked(zero_for_one, amount_in, sqrt_price_limit_x96, stop_when_dry=False)
        assert result is not None
        edge = self._edge(zero_for_one)
        if (
            edge is not None
            and result.amount_in_used != amount_in
            and result.pool_after.sqrt_price_x96 == edge
            and edge != sqrt_price_limit_x96
        ):
            raise InsufficientLiquidity(
                f"pool {self.id}: the swap would go past the ticks read ({self.window})"
            )
        return result

    def _edge(self, zero_for_one: bool) -> int | None:
        """The square-root price at the window's edge in this direction (``None``: no window)."""
        if self.window is None:
            return None
        return sqrt_ratio_at_tick(self.window[0] if zero_for_one else self.window[1])

    def _checked(
        self, zero_for_one: bool, amount_in: int, limit: int | None, *, stop_when_dry: bool
    ) -> SwapResult | None:
        require_positive(self, amount_in)
        if amount_in > _MAX_AMOUNT:
            raise UsageError(f"pool {self.id}: amount in {amount_in} exceeds int256")
        checked_limit = self._limit(zero_for_one, limit)
        try:
            return self._swap(zero_for_one, amount_in, checked_limit, stop_when_dry)
        except DexError as exc:
            raise InsufficientLiquidity(f"pool {self.id}: the swap would revert: {exc}") from exc

    def _limit(self, zero_for_one: bool, limit: int | None) -> int:
        if limit is None:
            limit = MIN_SQRT_RATIO + 1 if zero_for_one else MAX_SQRT_RATIO - 1
        if not MIN_SQRT_RATIO < limit < MAX_SQRT_RATIO:
            raise UsageError(
                f"pool {self.id}: price limit {limit} outside ({MIN_SQRT_RATIO}, {MAX_SQRT_RATIO})"
            )
        if (limit >= self.sqrt_price_x96) if zero_for_one else (limit <= self.sqrt_price_x96):
            raise InsufficientLiquidity(
                f"pool {self.id}: the price is already at or beyond the limit {limit}"
            )
        edge = self._edge(zero_for_one)
        if edge is not None:
            limit = max(limit, edge) if zero_for_one else min(limit, edge)
            if limit == self.sqrt_price_x96:
                raise InsufficientLiquidity(f"pool {self.id}: the price is at the ticks' edge")
        return limit

    def _swap(
        self, zero_for_one: bool, amount_in: int, limit: int, stop_when_dry: bool
    ) -> SwapResult | None:
        """The swap loop; ``None`` as soon as a partial fill is certain, if ``stop_when_dry``.

        Past the last initialised tick the liquidity is zero, every further step
        moves no tokens, and the swap ends at the limit with input left over.
        """
        spacing = self.tick_spacing
        compressed = tuple(t.index // spacing for t in self.ticks)
        net_at = {t.index: t.liquidity_net for t in self.ticks}
        remaining, amount_out, crossed = amount_in, 0, 0
        price, tick, liquidity = self.sqrt_price_x96, self.tick, self.liquidity
        while remaining != 0 and price != limit:
            if (
                stop_when_dry
                and liquidity == 0
                and not _ticks_beyond(self.ticks, tick, zero_for_one)
            ):
                return None
            start = price
            tick_next, initialized = next_initialized_tick_within_one_word(
                compressed, tick, spacing, zero_for_one
            )
            tick_next = min(max(tick_next, MIN_TICK), MAX_TICK)
            price_next = sqrt_ratio_at_tick(tick_next)
            beyond = price_next < limit if zero_for_one else price_next > limit
            step = compute_swap_step(
                price, limit if beyond else price_next, liquidity, remaining, self.fee
            )
            price = step.sqrt_price_next
            remaining -= step.amount_in + step.fee_amount
            amount_out += step.amount_out
            if price == price_next:
                if initialized:
                    net = net_at[tick_next]
                    liquidity += -net if zero_for_one else net
                    crossed += 1
                tick = tick_next - 1 if zero_for_one else tick_next
            elif price != start:
                tick = tick_at_sqrt_ratio(price)
        after = replace(self, sqrt_price_x96=price, liquidity=liquidity, tick=tick)
        return SwapResult(amount_in - remaining, amount_out, after, crossed)

    def segments(self, zero_for_one: bool) -> Iterator[Segment]:
        """The ranges a swap in this direction meets, from the current price on.

        One segment per range between consecutive initialised ticks (zero
        liquidity in gaps included, empty ranges left out), ending at the last
        initialised tick: beyond it the pool holds no liquidity (with a window,
        the last segment runs on to the window's edge).
        """
        price, liquidity = self.sqrt_price_x96, self.liquidity
        if zero_for_one:
            boundaries = [t for t in reversed(self.ticks) if t.index <= self.tick]
        else:
            boundaries = [t for t in self.ticks if t.index > self.tick]
        for boundary in boundaries:
            end = sqrt_ratio_at_tick(boundary.index)
            if end != price:
                yield Segment(liquidity, price, end)
            price = end
            liquidity += -boundary.liquidity_net if zero_for_one else boundary.liquidity_net
        edge = self._edge(zero_for_one)
        if edge is not None and liquidity > 0 and edge != price:
            yield Segment(liquidity, price, edge)


def _ticks_beyond(ticks: tuple[Tick, ...], tick: int, zero_for_one: bool) -> bool:
    """Whether a swap from ``tick`` in this direction can still cross an initialised tick."""
    if not ticks:
        return False
    return ticks[0].index <= tick if zero_for_one else ticks[-1].index > tick
