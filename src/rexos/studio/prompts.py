"""Prompts are data: the only thing ever done to their text is a literal placeholder swap.

A spec's free text (description, prompts, examples, trigger messages, evals) may name a value
known only when the agent runs with one of a fixed set of placeholders, :data:`PLACEHOLDERS`,
written ``{wallet}``. Any other brace is refused when the spec is read, so ``{{7*7}}``,
``${HOME}`` or ``{__class__}`` never reach a model or a renderer. :func:`render` replaces each
known placeholder by its value as plain text, in one pass: a value that itself looks like a
placeholder is not expanded again, and nothing is ever evaluated or formatted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rexos.studio.errors import SpecError

__all__ = ["PLACEHOLDERS", "check_text", "render"]

PLACEHOLDERS: frozenset[str] = frozenset({"agent", "chain", "date", "wallet"})
"""``{agent}``: the agent's name; ``{chain}``: the chain id; ``{date}``: today (UTC, ISO
8601); ``{wallet}``: the address the agent works for."""

_BRACED = re.compile(r"\{([a-z]+)\}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def check_text(where: str, text: str) -> None:
    """Refuse control characters and any brace that is not a known ``{placeholder}``."""
    if _CONTROL.search(text):
        raise SpecError(f"{where}: control characters are not allowed (only newlines and tabs)")
    rest = _BRACED.sub(lambda m: "" if m.group(1) in PLACEHOLDERS else m.group(0), text)
    if "{" in rest or "}" in rest:
        known = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
        raise SpecError(
            f"{where}: braces are allowed only around a known placeholder ({known}); "
            "text is never evaluated as a template"
        )


def render(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each ``{placeholder}`` replaced literally by ``values[placeholder]``."""
    unknown = sorted(set(values) - PLACEHOLDERS)
    if unknown:
        raise SpecError(f"unknown placeholders {unknown}; known: {sorted(PLACEHOLDERS)}")

    def swap(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            return match.group(0)
        if name not in values:
            raise SpecError(f"no value for the placeholder {{{name}}}")
        return values[name]

    return _BRACED.sub(swap, text)
