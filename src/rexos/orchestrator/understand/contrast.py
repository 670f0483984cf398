"""A request said against what it is not, read as the request.

"don't swap, bridge 400 usdc to arbitrum" bridges; "no chart, only the price of arb" asks the
price; "not just the price, show me the eth chart for today" charts; "check my link balance,
don't sell it" reads the balance. The negated part is one command word or one noun, never a
value, and what is left is a whole request that starts like one: nothing is added and no
value is dropped. A negation that is the request itself ("don't send anything yet, i'm just
looking", "swap 1 eth, don't do it yet") is left to the pipeline's own checks, which ask.
"""

from __future__ import annotations

import re

__all__ = ["without_negated_alternative"]

_NEGATED = (
    r"swap|send|bridge|stake|unstake|claim|check|chart|graph|plot|price|prices|balance|sell|buy"
    r"|transfer|move|show|trade|touch|unwrap|wrap"
)
_COMMAND_START = re.compile(
    r"(?:swap|send|bridge|stake|unstake|claim|check|chart|graph|plot|show|tell|give|get|what"
    r"|how|price|my|the\s+price|transfer|move|pay|buy|sell|convert|exchange|list|ask)\b",
    re.IGNORECASE,
)
_LEADING = re.compile(
    rf"^(?:(?:don'?t|dont|do\s+not)\s+(?:just\s+)?(?P<verb>{_NEGATED})"
    r"(?:\s+(?:it|them|that|anything|yet))?"
    rf"|no\s+(?P<noun>{_NEGATED})|not\s+(?:just\s+|only\s+)?(?:an?\s+|the\s+)?(?P<other>{_NEGATED}))"
    r"\s*[,;:.!-]+\s*(?:(?:just|only|instead|but|rather)\b[\s,]*)?(?P<rest>.+)$",
    re.IGNORECASE,
)
_READ_START = re.compile(
    r"(?:check|show|what|how|my|price|chart|graph|plot|see|view|tell)\b", re.IGNORECASE
)
_TRAILING = re.compile(
    r"^(?P<rest>.+?)\s*[,;]\s*(?:but\s+)?(?:don'?t|dont|do\s+not)\s+"
    r"(?P<verb>sell|swap|send|bridge|stake|unstake|claim|trade|move|transfer|touch)"
    r"(?:\s+(?:it|them|that|anything|those|yet))*[\s.!]*$",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(?:don'?t|dont|do\s+not|never|not|no)\b", re.IGNORECASE)


def without_negated_alternative(text: str) -> str | None:
    """The request in ``text`` without the alternative the user negated, or ``None`` when
    there is none to drop."""
    plain = " ".join(text.split())
    lead = _LEADING.match(plain)
    if lead is not None:
        rest = lead["rest"].strip()
        if (
            _COMMAND_START.match(rest)
            and not _NEGATION.search(rest)
            and not _has_value(plain[: lead.start("rest")])
        ):
            return rest
        return None
    trail = _TRAILING.match(plain)
    if trail is not None:
        rest = trail["rest"].strip()
        if _READ_START.match(rest) and not _NEGATION.search(rest):
            return rest
    return None


def _has_value(text: str) -> bool:
    """Whether the negated part holds a number or an address (it never should)."""
    return re.search(r"\d|0x", text) is not None
