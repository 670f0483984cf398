"""Split a multi-step request into its commands, in order.

Separators:

* ``;`` and new lines always split;
* ``then``, ``and then``, ``after that``, ``afterwards`` (with or without a comma),
  and the end of a sentence (``.``, ``!``, ``?`` followed by a space) split;
* ``and`` or a comma (``, and``, ``,``) split only when a command verb follows
  (swap, send, stake, chart, ...): "stake all my REX and chart my portfolio" is two
  steps, while "swap ETH and USDC" or "send 5 USDC to alice and bob" stay one step
  (and the grammar then asks what was meant, rather than inventing a second step).

A free-text command (``ask dprompt …``, ``sql: …``, "how many …") owns the rest of
its line, since a question may itself say "and then" or "swap"; put a step after it
with ``;``.
"""

from __future__ import annotations

import re

from rexos.orchestrator.intent.grammar import owner

__all__ = ["split_steps"]

_VERB = (
    r"(?:swap|trade|convert|exchange|buy|sell|send|transfer|pay|stake|unstake|claim|bridge"
    r"|chart|plot|graph|show|ask|long|short|go|compare|check)\b"
)
_THEN = r"(?:and\s+then|and\s+after\s+that|and\s+afterwards|then|after\s+that|afterwards)\b"
_HARD = re.compile(r"\s*[;\n]+\s*")
_SOFT = re.compile(
    rf"\s*,?\s+{_THEN},?\s*|[.!?]\s+|\s*,\s*(?:and\s+)?(?={_VERB})|\s+and\s+(?={_VERB})",
    re.IGNORECASE,
)
_LEAD = re.compile(rf"^(?:{_THEN}|and\b)[\s,]*", re.IGNORECASE)


def split_steps(text: str) -> list[str]:
    """``"swap half my ETH to USDC, then stake all my REX and chart my portfolio"``
    → ``["swap half my ETH to USDC", "stake all my REX", "chart my portfolio"]``."""
    steps: list[str] = []
    for piece in _HARD.split(text):
        rest = _lead(piece)
        while rest:
            rule = owner(rest)
            cut = None if rule is not None and rule.free_text else _SOFT.search(rest)
            if cut is None:
                steps.append(rest)
                break
            head = rest[: cut.start()].strip(" ,")
            if head:
                steps.append(head)
            rest = _lead(rest[cut.end() :])
    return steps


def _lead(text: str) -> str:
    """``text`` with collapsed spaces and no leading separator words or commas."""
    clean = " ".join(text.split()).strip(" ,")
    return _LEAD.sub("", clean).strip(" ,")
