"""Understanding one request: normalise → grammar → recogniser → values → question.

1. A guard refuses what no assistant with a wallet should do (instructions to ignore its
   rules, unlimited approvals, revealing keys): a reply, never a plan.
2. :func:`~.normalise.normalise` strips the wrapping of everyday phrasing.
3. The deterministic grammar reads the command; an intent it reads is the answer.
4. Otherwise the recogniser names the command (or abstains below :data:`THRESHOLD`); small
   talk and requests RexOS cannot serve get a short reply.
5. :func:`~.build.build` reads the command's values wherever they stand; what is missing
   becomes a question that carries the intent and the slots it still needs.

The safety property of the grammar holds for the whole pipeline: the recogniser sees the
request with its values masked, so it decides only which command was meant; every amount,
token and address of an intent is a span of what the user typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from rexos.orchestrator.intent.grammar import parse_command
from rexos.orchestrator.intent.result import Clarification, Intent, IntentName, JsonValue
from rexos.orchestrator.intent.slots import Context
from rexos.orchestrator.intent.steps import split_steps
from rexos.orchestrator.understand.build import build
from rexos.orchestrator.understand.extract import read_values
from rexos.orchestrator.understand.features import mask
from rexos.orchestrator.understand.model import load_recogniser
from rexos.orchestrator.understand.normalise import normalise
from rexos.orchestrator.understand.vocab import NAMES, symbols, token_names

__all__ = [
    "CAPABILITIES",
    "DEFAULT_WALLETS",
    "THRESHOLD",
    "Reply",
    "Understood",
    "understand",
    "understand_steps",
]

THRESHOLD = 0.45
"""Below this probability the recogniser abstains and the user is asked what they meant."""
REPLY_AT = 0.6
"""How sure the recogniser must be before answering with small talk or a refusal (below, the
user is asked what they meant: gibberish is not a greeting)."""
OVERRULE = 0.7
"""How sure the recogniser must be to read a question-shaped request ("which …", "who …")
as something other than a question over the indexed chain data."""
_EXPLICIT_SQL = re.compile(r"^(?:query|sql|db|database)\b", re.IGNORECASE)

CAPABILITIES = (
    "I can swap, send, stake and unstake, claim rewards, bridge, show prices, balances, "
    "your portfolio, points and performance, draw charts, answer questions about your "
    "on-chain history, compare perp venues and ask the on-chain AI. For example: "
    "'swap 1 ETH to USDC', 'send 5 USDC to alice', 'how is my wallet doing this month'."
)


@dataclass(frozen=True, slots=True)
class Reply:
    """An answer that acts on nothing: small talk, a request RexOS has no command for
    (``unsupported``: a configured model with plug-in tools may still serve it), or one it
    refuses outright (``refused``: no model ever sees it)."""

    kind: Literal["smalltalk", "unsupported", "refused"]
    text: str

    def to_json(self) -> dict[str, JsonValue]:
        return {"reply": self.text, "kind": self.kind}


Understood = Intent | Clarification | Reply

_DANGER = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions?|rules?|policy"
    r"|polic(?:y|ies)|guard\s*rails?|limits?|prompt)\b"
    r"|\bunlimited\b.{0,30}\b(?:approv\w*|allowance|spend\w*)\b"
    r"|\b(?:approv\w*|allowance)\b.{0,30}\b(?:unlimited|infinite|max(?:imum)?)\b"
    r"|\b(?:reveal|show|give|tell|send|export|print|share|dump|paste|what(?:'s|\s+is)\s+my)\b"
    r".{0,30}\b(?:seed\s+phrase|private\s+key|mnemonic|(?:secret\s+)?recovery\s+phrase)\b"
    r"|\b(?:system\s+prompt|jailbreak|developer\s+mode|you\s+are\s+now)\b"
    r"|\b(?:whoever|anyone\s+who|first\s+person\s+(?:who|to))\b.{0,30}\b(?:repl|dm|messag|ask)\w*",
    re.IGNORECASE,
)
_SEQUENCE = re.compile(
    r"[;\n]|\b(?:then|after\s+that|afterwards|and\s+also|next)\b|[.!?]\s+\S", re.IGNORECASE
)
"""What marks several requests in a row (not a comma before a verb, which may be one)."""
_REFUSAL = "I won't do that: it would put your funds or keys at risk. " + CAPABILITIES
_UNSUPPORTED = "That is not something RexOS can do. " + CAPABILITIES
_GREETING = "Hi! I'm RexOS, your on-chain assistant. " + CAPABILITIES
DEFAULT_WALLETS = frozenset({"alice", "bob", "carol", "dave", "erin"})


def understand(
    text: str,
    known_symbols: set[str] | None = None,
    wallet_names: frozenset[str] = DEFAULT_WALLETS,
) -> Understood:
    """What ``text`` asks for: an intent, the question to ask, or a reply. Several
    requests at once are a question (read them with :func:`understand_steps`)."""
    steps = split_steps(normalise(text))
    if len(steps) > 1 and not _DANGER.search(text):
        sequence = _SEQUENCE.search(normalise(text))
        whole = None if sequence else _one(text, known_symbols, wallet_names)
        if isinstance(whole, Intent | Reply):
            return whole
        listed = "; ".join(f"'{s}'" for s in steps)
        return Clarification(
            f"That is {len(steps)} requests ({listed}): one at a time, or as a plan of steps?",
            ["steps"],
        )
    return _one(text, known_symbols, wallet_names)


def _one(text: str, known_symbols: set[str] | None, wallet_names: frozenset[str]) -> Understood:
    """One request, read as one command."""
    if not text.strip(" .!?,;:"):
        return Clarification(f"What would you like to do? {CAPABILITIES}", ["intent"])
    if _DANGER.search(text):
        return Reply("refused", _REFUSAL)
    ctx = Context.of(known_symbols)
    plain = normalise(text)
    read = parse_command(plain, ctx)
    label, probability = load_recogniser().best(mask(plain, symbols()))
    confident = probability >= THRESHOLD
    if isinstance(read, Intent):
        if read.intent != "query" or _EXPLICIT_SQL.match(plain) or label == "query":
            return _named(read)
        if probability < OVERRULE:  # a question-shaped request the recogniser reads as
            return read  # something else, with conviction: small talk, a perp question …
    owned = read.intent if isinstance(read, Clarification) else None
    if owned is not None and (label == owned or not confident):
        built = build(owned, read_values(plain, wallet_names), text, ctx, wallet_names)
        return _named(built) if isinstance(built, Intent) else read
    if not confident or (label in ("smalltalk", "unsupported") and probability < REPLY_AT):
        return Clarification(
            f"I didn't understand '{' '.join(text.split())}'. {CAPABILITIES}", ["intent"]
        )
    if label == "smalltalk":
        return Reply("smalltalk", _GREETING)
    if label == "unsupported":
        return Reply("unsupported", _UNSUPPORTED)
    intent: IntentName = label  # type: ignore[assignment]
    built = build(intent, read_values(plain, wallet_names), text, ctx, wallet_names)
    return _named(built) if isinstance(built, Intent) else built


_TOKEN_SLOTS = ("token", "sell", "buy", "quote", "market", "subject")


def _named(intent: Intent) -> Intent:
    """Coins named by word as their symbols (``bitcoin`` → ``BTC``); nothing else changes."""
    args = dict(intent.args)
    names = token_names()
    for slot in _TOKEN_SLOTS:
        value = args.get(slot)
        if not isinstance(value, str) or value == "portfolio":
            continue
        if value.lower() in NAMES:
            args[slot] = NAMES[value.lower()]
        elif value.upper() not in symbols() and value.lower() in names:
            args[slot] = names[value.lower()]
    return Intent(intent.intent, args)


def understand_steps(
    text: str,
    known_symbols: set[str] | None = None,
    wallet_names: frozenset[str] = DEFAULT_WALLETS,
) -> list[Intent] | Clarification | Reply:
    """A request of one or more steps ("swap …, then stake …"): every step's intent, or
    the question about the first step that is unclear (``step`` says which)."""
    steps = split_steps(normalise(text))
    if len(steps) > 1:
        found = [_one(step, known_symbols, wallet_names) for step in steps]
        if all(isinstance(f, Intent) for f in found):
            return [f for f in found if isinstance(f, Intent)]
        # read as one request only when nothing marks a sequence ("i need 300 usdc, pay
        # with my eth"); "swap …, then blorp" is a question about the step, never half a plan
        whole = (
            None if _SEQUENCE.search(normalise(text)) else _one(text, known_symbols, wallet_names)
        )
        if isinstance(whole, Intent | Reply):
            return [whole] if isinstance(whole, Intent) else whole
        for n, f in enumerate(found, 1):
            if isinstance(f, Reply):
                return f
            if isinstance(f, Clarification):
                return replace(f, question=f"Step {n}: {f.question}", step=n)
    one = _one(text, known_symbols, wallet_names)
    if isinstance(one, Clarification):
        return replace(one, step=1) if one.step is None and len(steps) <= 1 else one
    return [one] if isinstance(one, Intent) else one
