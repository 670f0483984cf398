"""The things a question asks, in order, and which figure it asks for first.

A question can ask several things ("What is the median ETH price, from how many sources, and
what's the divergence?"): :func:`parts_of` splits it at question marks, sentence ends and
"…, and what …", and tells a part put as a question from a statement that only gives context
("My portfolio went down. What caused it?"). The headline answer is what is asked first; within
a part, :func:`first_cue` picks the figure whose cue word comes first ("which is the smallest,
and what is it worth?" asks which first).
"""

from __future__ import annotations

import re

__all__ = ["first_cue", "parts_of"]


def first_cue(text: str, cues: dict[str, str], default: str) -> str:
    """The key of the cue that occurs first in ``text`` (what is asked first), or ``default``."""
    found = [(m.start(), key) for key, cue in cues.items() if (m := re.search(cue, text))]
    return min(found)[1] if found else default


_SPLIT = re.compile(
    r"\?+\s*|;\s*|(?<!\bvs)(?<![\d.])(?<=[a-z0-9)%])\.\s+|"
    r",?\s+(?:and|also|plus)\s+(?=(?:also\s+)?(?:what|which|how|who|where|when|why|is|are|"
    r"does|do|did|tell|give|show|list|state|report|the|its|their)\b)",
    re.IGNORECASE,
)
"""Where a question asks its next thing: a question mark, a new sentence, "…, and what …"."""

_SO = re.compile(
    r",\s+(?:so|anyway|anyhow|long story short|bottom line|in short)[,:]?\s+"
    r"(?=(?:what|which|how|who|where|when|why|is|are|am|do|does|did|can|could|tell|give|show)\b"
    r"|[^?]*\?)",
    re.IGNORECASE,
)
"""Where a long remark turns to what is asked ("…and I forgot what I put in, so how much is
staked?"): what comes before is context, whatever words it holds."""


_ASKING = re.compile(
    r"^(please |so |and |also |ok |okay |then )*(what|which|how|who|whom|where|when|why|is|are|"
    r"am|was|were|do|does|did|can|could|would|will|have|has|tell|give|show|list|state|report|"
    r"explain|describe|name|find|check|compare|any|wat|wats|whats)\b",
    re.IGNORECASE,
)


_LATER = re.compile(r"[,:]\s*(which|what|how|who|where|when|why)\b", re.IGNORECASE)
"""A question put after a leading phrase ("Among counted holdings only, which is …")."""


def parts_of(question: str) -> list[tuple[str, bool]]:
    """The things asked one after another in ``question`` (spaces collapsed), each with
    whether it is put as a question (a question mark, or a question or request word first)
    rather than a statement ("My portfolio went down." is context, not what is asked)."""
    text = " ".join(question.split())
    found: list[tuple[str, bool]] = []
    start = 0
    stops = sorted([*_SPLIT.finditer(text), *_SO.finditer(text)], key=lambda m: m.start())
    for stop in [*stops, None]:
        if stop is not None and stop.start() < start:
            continue
        part = text[start : stop.start() if stop else len(text)].strip()
        context = stop is not None and stop.re is _SO
        asked = not context and (
            bool(stop and "?" in stop.group()) or bool(_ASKING.match(part) or _LATER.search(part))
        )
        if part.strip(" ,."):
            found.append((part, asked))
        start = stop.end() if stop else len(text)
    return found
