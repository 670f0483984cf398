"""Where a swap step may end: the next initialised tick within one bitmap word.

The pool keeps one bit per *compressed* tick (``tick // tick_spacing``, rounded
towards negative infinity) in 256-bit words. A step never looks beyond the
current word: it ends at the nearest initialised tick inside the word, or at
the word's edge when there is none. The rounding of every step depends on
where it ends, so exact results need these word-bounded steps rather than a
jump straight to the next initialised tick. Here the bitmap is a sorted tuple
of compressed ticks, searched with :mod:`bisect`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

__all__ = ["WORD_BITS", "next_initialized_tick_within_one_word"]

WORD_BITS = 256
"""Compressed ticks per bitmap word."""


def next_initialized_tick_within_one_word(
    compressed_ticks: tuple[int, ...], tick: int, tick_spacing: int, lte: bool
) -> tuple[int, bool]:
    """The step's end tick and whether it is initialised.

    ``lte``: search at or below ``tick`` (price falling, token0 in); otherwise
    strictly above. ``compressed_ticks`` holds the initialised ticks divided by
    ``tick_spacing``, sorted ascending.
    """
    compressed = tick // tick_spacing
    if lte:
        word_start = compressed - compressed % WORD_BITS
        i = bisect_right(compressed_ticks, compressed) - 1
        if i >= 0 and compressed_ticks[i] >= word_start:
            return compressed_ticks[i] * tick_spacing, True
        return word_start * tick_spacing, False
    start = compressed + 1
    word_end = start - start % WORD_BITS + WORD_BITS - 1
    i = bisect_left(compressed_ticks, start)
    if i < len(compressed_ticks) and compressed_ticks[i] <= word_end:
        return compressed_ticks[i] * tick_spacing, True
    return word_end * tick_spacing, False
