"""A clarification keeps the thread: the user's next message fills what it asked for.

The question carries the intent it recognised and the slots it still needs; the answer is
joined to the request it completes the way a person would have written it in one go
("swap eth to usdc" + "2" → "swap 2 eth to usdc"), and the joined request is understood
again, so the same exact readers and the same questions apply. A message that is a
request of its own, or "cancel", starts over.
"""

from __future__ import annotations

import re

from rexos.orchestrator.intent.result import Clarification
from rexos.orchestrator.understand.extract import read_values
from rexos.orchestrator.understand.normalise import normalise
from rexos.orchestrator.understand.safety import DEFAULT_WALLETS

__all__ = ["CANCEL", "fills", "join"]

CANCEL = re.compile(
    r"^(?:cancel|never\s*mind|nevermind|forget\s+it|stop|no|nope|abort)\b", re.IGNORECASE
)
_VERB_FIRST = re.compile(
    r"^(?P<verb>swap|trade|convert|exchange|sell|buy|send|transfer|pay|stake|unstake|bridge"
    r"|move|give|get)\b\s*",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"(?:~|\b(?:about|around|roughly|approx\w*|almost|nearly|like|maybe))\s*$", re.IGNORECASE
)
_APPENDED = {
    "to": "to",
    "to_chain": "to",
    "buy": "to",
    "from_chain": "from",
    "sell": "with",
    "quote": "in",
}


def fills(question: Clarification, answer: str, wallet_names: frozenset[str] | None) -> bool:
    """Whether ``answer`` holds a value of a kind the question asked for."""
    wallet_names = DEFAULT_WALLETS if wallet_names is None else wallet_names
    values = read_values(normalise(answer), wallet_names)
    words = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9_-]*", answer)}
    kinds = {
        "amount": bool(values.amounts),
        "size": bool(values.amounts),
        "token": bool(values.tokens),
        "buy": bool(values.tokens),
        "sell": bool(values.tokens),
        "market": bool(values.tokens),
        "subject": bool(values.tokens) or "portfolio" in words,
        "quote": bool(values.tokens),
        "to": bool(values.addresses or values.ens or words & wallet_names)
        or bool(re.fullmatch(r"\s*(?:to\s+)?[a-z][a-z0-9_-]{0,31}\s*", answer, re.I)),
        "to_chain": bool(values.chains),
        "from_chain": bool(values.chains),
        "side": bool(values.sides),
        "what": bool(words & {"rewards", "reward", "airdrop"}),
        "prompt": True,
        "days": True,
    }
    return any(kinds.get(slot, False) for slot in question.missing)


def join(question: Clarification, request: str, answer: str) -> str:
    """``request`` with ``answer`` put where the missing slot goes."""
    plain, reply = normalise(request), normalise(answer).strip(" .!")
    missing = question.missing
    if "amount" in missing or "size" in missing:
        vague = read_values(plain).vague
        if vague:  # "send some USDC" + "5" → "send 5 USDC"
            first = vague[0]
            start = _HEDGE.search(plain[: first.start])
            cut = start.start() if start else first.start
            return " ".join(f"{plain[:cut]} {reply} {plain[first.end :]}".split())
        verb = _VERB_FIRST.match(plain)
        if verb:
            return " ".join(f"{plain[: verb.end()]} {reply} {plain[verb.end() :]}".split())
        return f"{plain} {reply}"
    if missing and missing[0] == "token":
        number = re.search(r"\d[\d,.]*(?:\s?[km]\b)?", plain)
        if number:
            return f"{plain[: number.end()]} {reply}{plain[number.end() :]}"
    for slot in missing:
        if slot in _APPENDED:
            lead = _APPENDED[slot]
            already = reply.lower().startswith(f"{lead} ")
            return f"{plain} {reply}" if already else f"{plain} {lead} {reply}"
    return f"{plain} {reply}"
