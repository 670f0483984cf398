"""A request said against what it is not, read as the request.

"don't swap, bridge 400 usdc to arbitrum" bridges; "no chart, only the price of arb" asks the
price; "not just the price, show me the eth chart for today" charts; "check my link balance,
don't sell it" reads the balance. The negated part is one command word or one noun, never a
value, and what is left is a whole request that starts like one: nothing is added and no
value is dropped. A negation that is the request itself ("don't send anything yet, i'm just
looking", "don't send yet, send 5 usdc to bob", "swap 1 eth, don't do it yet") is left to the
pipeline's own checks, which ask; and where the request left turns out to be the very action
the user negated ("don't bridge, move 0.25 eth to linea"), the caller asks too
(:data:`NEGATED_INTENTS` says which intents each negated word rules out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["NEGATED_INTENTS", "Contrast", "without_negated_alternative"]

_MOVES = frozenset({"swap", "send", "bridge", "stake", "unstake", "claim"})
NEGATED_INTENTS: dict[str, frozenset[str]] = {
    "swap": frozenset({"swap"}), "sell": frozenset({"swap"}), "buy": frozenset({"swap"}),
    "trade": frozenset({"swap"}), "wrap": frozenset({"swap"}), "unwrap": frozenset({"swap"}),
    "send": frozenset({"send"}), "transfer": frozenset({"send", "bridge"}),
    "move": frozenset({"send", "bridge"}), "bridge": frozenset({"bridge"}),
    "stake": frozenset({"stake"}), "unstake": frozenset({"unstake"}),
    "claim": frozenset({"claim"}), "touch": _MOVES, "restake": frozenset({"stake"}),
    "compound": frozenset({"stake"}),
    "chart": frozenset({"chart"}), "graph": frozenset({"chart"}), "plot": frozenset({"chart"}),
    "price": frozenset({"price"}), "prices": frozenset({"price"}),
    "balance": frozenset({"balance"}), "check": frozenset(), "show": frozenset(),
}  # fmt: skip
"""The intents a negated word rules out: a request left that is one of them contradicts the
negation ("don't send, get 100 usdc to bob" is still a send), and is asked about."""

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
    r"(?:\s+(?:it|them|that))?"
    rf"|no\s+(?P<noun>{_NEGATED})|not\s+(?:just\s+|only\s+)?(?:an?\s+|the\s+)?(?P<other>{_NEGATED}))"
    r"\s*[,;:.!-]+\s*(?:(?:just|only|instead|but|rather)\b[\s,]*)?(?P<rest>.+)$",
    re.IGNORECASE,
)
_READ_START = re.compile(
    r"(?:check|show|what|how|my|price|chart|graph|plot|see|view|tell)\b", re.IGNORECASE
)
_TRAILING = re.compile(
    r"^(?P<rest>.+?)(?:\s*[,;]\s*(?:but\s+)?|\s+but\s+)(?:don'?t|dont|do\s+not)\s+"
    r"(?P<verb>sell|swap|send|bridge|stake|unstake|claim|trade|move|transfer|touch|restake"
    r"|compound)"
    r"(?:\s+(?:it|them|that|anything|those|yet))*[\s.!]*$",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(?:don'?t|dont|do\s+not|never|not|no)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Contrast:
    """The request left (``rest``) and the word the user negated (``negated``)."""

    rest: str
    negated: str

    @property
    def ruled_out(self) -> frozenset[str]:
        return NEGATED_INTENTS.get(self.negated.lower(), _MOVES)


def without_negated_alternative(text: str) -> Contrast | None:
    """The request in ``text`` without the alternative the user negated, or ``None`` when
    there is none to drop."""
    plain = " ".join(text.split())
    lead = _LEADING.match(plain)
    if lead is not None:
        rest = re.sub(rf"^an?\s+(?=(?:{_NEGATED})\b)", "", lead["rest"].strip(), flags=re.I)
        negated = lead["verb"] or lead["noun"] or lead["other"]
        if (
            _COMMAND_START.match(rest)
            and not _NEGATION.search(rest)
            and not _has_value(plain[: lead.start("rest")])
        ):
            return Contrast(rest, negated)
        return None
    trail = _TRAILING.match(plain)
    if trail is not None:
        rest = trail["rest"].strip()
        reinvest = trail["verb"].lower() in ("restake", "compound") and re.fullmatch(
            r"(?:claim|collect|harvest)\s+(?:all\s+)?(?:my\s+|the\s+)?(?:staking\s+)?(?:rewards|yield)",
            rest,
            re.IGNORECASE,
        )  # "claim my rewards but don't restake them": only the claim is asked for
        if (_READ_START.match(rest) or reinvest) and not _NEGATION.search(rest):
            return Contrast(rest, trail["verb"])
    return None


def _has_value(text: str) -> bool:
    """Whether the negated part holds a number or an address (it never should)."""
    return re.search(r"\d|0x", text) is not None
