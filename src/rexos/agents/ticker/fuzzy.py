"""Misspelling distance: optimal string alignment (Damerau–Levenshtein with adjacent swaps)."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["closest", "max_typos", "typo_distance"]


def typo_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) turning ``a`` into ``b``.

    Returns ``limit + 1`` as soon as the distance is known to exceed ``limit``.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def max_typos(word: str) -> int:
    """Typos tolerated in a word of this length: none below 4 letters, 1 up to 7, then 2."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


def closest(word: str, choices: Iterable[str]) -> tuple[list[str], int]:
    """The choices nearest ``word`` within :func:`max_typos` (each at least 4 long)."""
    limit = max_typos(word)
    best: list[str] = []
    best_distance = limit + 1
    for choice in choices:
        if len(choice) < 4 or choice == word:
            continue
        allowed = min(limit, max_typos(choice))  # the shorter word's tolerance
        distance = typo_distance(word, choice, allowed)
        if distance > allowed:  # "thinking" is not 2 edits from "ether": it is past 1
            continue
        if distance < best_distance:
            best, best_distance = [choice], distance
        elif distance == best_distance and distance <= limit:
            best.append(choice)
    return (sorted(best), best_distance) if best_distance <= limit else ([], best_distance)
