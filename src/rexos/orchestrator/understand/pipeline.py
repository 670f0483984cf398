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
from functools import cache
from typing import Literal

from rexos.agents.ticker.words import is_common
from rexos.orchestrator.intent.grammar import parse_command
from rexos.orchestrator.intent.reads import ask_prompt
from rexos.orchestrator.intent.result import Clarification, Intent, IntentName, JsonValue
from rexos.orchestrator.intent.slots import Context, names_an_account
from rexos.orchestrator.intent.steps import split_steps
from rexos.orchestrator.understand.build import build
from rexos.orchestrator.understand.context import pointed_token, without_background
from rexos.orchestrator.understand.contrast import without_negated_alternative
from rexos.orchestrator.understand.correct import corrected
from rexos.orchestrator.understand.extract import read_values
from rexos.orchestrator.understand.features import mask
from rexos.orchestrator.understand.model import load_recogniser
from rexos.orchestrator.understand.normalise import normalise, strip_tails
from rexos.orchestrator.understand.safety import (
    DEFAULT_WALLETS,
    fold,
    refused,
    said_not_asked,
    says_more,
    vet,
    warned,
)
from rexos.orchestrator.understand.vocab import NAMES, is_token_word, symbols, token_names

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

_SEQUENCE = re.compile(r"[;\n]|\b(?:then|after\s+that|afterwards|and\s+also|next)\b", re.I)
"""What marks several requests in a row (not a comma before a verb, which may be one)."""
_SENTENCE = re.compile(r"[.!?]+\s+\S")
_POINTER = re.compile(r"\b(?:it|them|that|this|there|mine|those|these)\b", re.IGNORECASE)
_REFUSAL = "I won't do that: it would put your funds or keys at risk. " + CAPABILITIES
_OUT_OF_SCOPE = re.compile(
    r"\b(?:nfts?|cryptopunks?|opensea|bayc|bored\s+apes?|azuki|pudgy\s+penguins?|milady"
    r"|ordinals?|floor\s+price|list\s+(?:my\s+)?\w+(?:\s+\w+)?\s+for\s+sale"
    r"|e-?mail|sms|text\s+message|tweet|retweet|remind\s+me|calendar"
    r"|tax(?:es)?|taxable|irs|accountant"
    r"|borrow(?:ing)?|loans?|lend(?:ing)?|collateral"
    r"|(?:add|provide|remove)\s+liquidity|predict(?:ion)?|forecast"
    r"|(?:cancel|undo|revert|reverse|speed\s+up|refund)\s+(?:my\s+|the\s+|that\s+|this\s+)?"
    r"(?:last\s+|pending\s+|stuck\s+)?(?:transaction|tx|swap|send|transfer|bridge|payment))\b",
    re.IGNORECASE,
)
"""Topics RexOS does not serve: NFTs, messages, tax, lending, liquidity provision,
predictions, cancelling or speeding up a transaction already sent. A request about one is
declined rather than read as the nearest thing RexOS does ("email my accountant my history"
is not a query), unless the grammar reads it as a command of its own ("send 5 USDC to bob
for the tax bill")."""
_NEVER_NOW = re.compile(
    r"\b(?:limit\s+order|stop[-\s]?loss|take[-\s]?profit"
    r"|every\s+(?:day|week|month|monday|tuesday|wednesday|thursday|friday|morning|night)"
    r"|(?:daily|weekly|monthly)\s+(?:buy|sell|swap|send|dca))\b",
    re.IGNORECASE,
)
"""Orders that wait for a price or repeat: a swap said so must not run once, now."""
_UNSUPPORTED = "That is not something RexOS can do. " + CAPABILITIES
_GREETING = "Hi! I'm RexOS, your on-chain assistant. " + CAPABILITIES
_HOW_IT_WORKS = re.compile(
    r"^(?:how\s+(?:does|do)\s+(?!i\b|you\b|u\b)(?:\S+\s+){0,3}?work(?:s)?(?:\s+(?:here|in\s+rexos"
    r"|on\s+rexos|exactly))?|what(?:'s|s|\s+is)\s+the\s+difference\s+between\b"
    r"|what\s+does\s+(?!my\b)\S+(?:\s+\S+)?\s+mean\b"
    r"|what\s+(?:happens|would\s+happen|will\s+happen|happened)\s+if\s+(?:i|you|we|someone)\b"
    r"|what(?:'s|s|\s+is)\s+the\s+point\s+of\b)",
    re.IGNORECASE,
)
"""A question about how something works ("how does staking work here?", "what's the difference
between bridging and sending?"): answered with what RexOS does, never read as a command."""
_CAN_YOU = re.compile(
    r"^(?:what|which)\s+(?:chains?|networks?|tokens?|coins?|things?)\s+(?:can|do|does)\s+(?:you|u|i"
    r"|rexos)\s+(?:bridge|swap|send|stake|support|trade|do)(?:\s+(?:to|on|with|between|from|for|here))?"
    r"[\s?.!]*$",
    re.IGNORECASE,
)
"""A question about what RexOS can do ("what chains can you bridge to?"): its capabilities."""
_CAPABLE = (
    "Bridges go between the chains this deployment configures, and swaps and sends use the "
    "tokens its token list and pools know; 'my balance' shows what you hold. " + CAPABILITIES
)
_EXPLAIN = (
    "I act on requests rather than explain concepts; for an explanation, ask the on-chain AI "
    "(e.g. 'ask the on-chain ai: how does staking work?'). " + CAPABILITIES
)
_REMARK = re.compile(
    r"^(?:this|the|that|your)\s+(?:app|site|website|ui|bot|assistant|interface|thing|tool)\b"
    r"|^(?:the|my|that)\s+(?:last\s+|previous\s+|latest\s+)?(?:swap|send|bridge|transfer"
    r"|transaction|claim|stake|trade)\s+(?:took|was|is|felt|feels|seemed|seems|got|keeps|kept)\b"
    r"|^if\s+(?:only\s+)?i\s+(?:had|hadn't|'d)\b|^if\s+i'd\b",
    re.IGNORECASE,
)
"""A remark, not a request ("this app is confusing sometimes", "the last swap took forever,
annoying"): a short reply, nothing done and nothing looked up."""
_ASKING = re.compile(
    r"\?|\b(?:what|how|why|where|when|which|who|show|check|tell|list|find|give|retry|try|help"
    r"|fix|cancel|speed|look|see|can|could|please|pls|do|again|redo|repeat)\b|:"
    r"|(?:[,;.]\s*|\b(?:and|then|now|so)\s+)(?:send|swap|bridge|stake|unstake|claim|pay|buy|sell"
    r"|transfer|move)\b",
    re.IGNORECASE,
)
"""Anything that asks or asks for something: then a sentence is no mere remark."""
_ALREADY = re.compile(
    r"^(?:(?:i\s+(?:have\s+|'ve\s+)?|i've\s+)?(?:already|just)\s+(?:staked|claimed|sent|swapped"
    r"|bridged|unstaked|paid|bought|sold)\b|(?:i\s+(?:have\s+|'ve\s+)?|i've\s+)(?:staked|claimed"
    r"|sent|swapped|bridged|unstaked|paid|bought|sold)\b[^,;.?!]*\balready[.!]*$)(?!.*\?)(?!.*[,;.\-]\s*(?:now\s+|then\s+|so\s+)?"
    r"(?:send|swap|stake|unstake|claim|bridge|pay|buy|sell|transfer|move)\b)",
    re.IGNORECASE,
)
"""A move told as just done ("already staked my rex on the website", "i sent it already")."""
_TOLD = (
    "That reads as something already done, so nothing is done now. To do it now, say it as a "
    "request (e.g. 'send 5 USDC to bob'); to look it up, ask about your history."
)
_NOTED = (
    "Noted. Nothing is done. To look into a past transaction, ask about your history (e.g. "
    "'show my last swap'). " + CAPABILITIES
)
_HELLO = re.compile(
    r"^(?:hi+|hello+|hey+|howdy|hiya|yo|sup|wassup|gm|gn|namaste|namaskar|kumusta(?:\s+ka)?"
    r"|hola|bonjour|salut|ciao|hallo|ol[aá]|salaam|salam|as+alamu?\s+alaikum|shalom|konnichiwa"
    r"|ni\s*hao|annyeong|merhaba|jambo|habari|good\s+(?:morning|afternoon|evening|night)"
    r"|tell\s+me\s+a\s+joke|how\s+are\s+(?:you|u)(?:\s+doing)?(?:\s+today)?)"
    r"(?:\s+(?:there|rexos|bot|friend|mate|all))?[\s!?.,]*$",
    re.IGNORECASE,
)
"""A greeting on its own, in any of the languages users greet in, or small talk like "tell
me a joke": a short reply with what RexOS can do."""


def understand(
    text: str,
    known_symbols: set[str] | None = None,
    wallet_names: frozenset[str] | None = None,
) -> Understood:
    """What ``text`` asks for: an intent, the question to ask, or a reply. Several
    requests at once are a question (read them with :func:`understand_steps`)."""
    contrast = None if refused(text) else without_negated_alternative(text)
    if contrast is not None:  # "don't swap, bridge 400 usdc to arbitrum"
        found = understand(contrast.rest, known_symbols, wallet_names)
        if isinstance(found, Intent | Clarification) and found.intent in contrast.ruled_out:
            return _contradicted(contrast.negated)  # "don't bridge, move 0.25 eth to linea"
        return found
    told = _without_background(text, known_symbols, wallet_names)
    if told is not None:  # "gas was insane yesterday. what's eth trading at?"
        return told
    text = _as_corrected(text, wallet_names)
    statement = None if refused(text) else said_not_asked(text)
    if statement is not None:  # "bob said 'send me 5 eth'", "… jk": nothing asked
        return Reply("smalltalk", statement)
    steps = split_steps(normalise(text))
    if len(steps) > 1 and not refused(text):
        single = _single(text, steps, known_symbols, wallet_names)
        if single is not None:
            return single
        listed = "; ".join(f"'{s}'" for s in steps)
        return Clarification(
            f"That is {len(steps)} requests ({listed}): one at a time, or as a plan of steps?",
            ["steps"],
        )
    return _one(text, known_symbols, wallet_names)


def _without_background(
    text: str, known_symbols: set[str] | None, wallet_names: frozenset[str] | None
) -> Understood | None:
    """The read in ``text`` without the plain statements told around it ("gas was insane
    yesterday. what's eth trading at?"), or ``None`` when there are none or what is left is
    not a read. A request that moves funds is never read apart from its background: a
    sentence beside it may warn, correct or hesitate in words no list foresees ("bob's
    wallet is compromised."), so it keeps the whole text's checks and questions."""
    if refused(text):
        return None
    asked = pointed_token(text)  # "… about wif. what's its price?": a read of that token
    if asked is not None:
        found = understand(asked, known_symbols, wallet_names)
        if isinstance(found, Intent) and found.intent not in _COMMANDS | {"ask"}:
            return found
    names = DEFAULT_WALLETS if wallet_names is None else wallet_names
    background = without_background(text, names)
    if background is None or any(says_more(told) for told in background.told):
        return None
    found = understand(background.rest, known_symbols, wallet_names)
    if isinstance(found, Intent) and found.intent not in _COMMANDS and found.intent != "ask":
        return found
    return None


def _contradicted(negated: str) -> Clarification:
    return Clarification(
        f"You said not to {negated} and then asked for it: say the request once, as what you "
        "want done.",
        ["intent"],
    )


def _as_corrected(text: str, wallet_names: frozenset[str] | None) -> str:
    """The request the user ended with, when they corrected one value as they wrote it."""
    if refused(text):
        return text
    names = DEFAULT_WALLETS if wallet_names is None else wallet_names
    return corrected(text, names) or text


def _is_context(found: Understood) -> bool:
    """A sentence around a request that asks for nothing ("I owe my brother some money.")."""
    if isinstance(found, Reply):  # a remark about a failing move is no mere context
        return found.kind != "refused" and found.text != _NOTED
    return isinstance(found, Clarification) and found.intent is None


def _single(
    text: str,
    steps: list[str],
    known_symbols: set[str] | None,
    wallet_names: frozenset[str] | None,
) -> Understood | None:
    """The one request in a text the step splitter cut, or ``None`` when it holds several.

    Nothing is read as one request when the text marks a sequence ("then", ";", a new
    line): "swap …, then blorp" is a question, never half a plan. Otherwise: a text whose
    pieces are one request among context sentences ("I owe my brother some money. send 75
    usdc to …") is that request; a text no piece of which is a complete request ("i need
    300 usdc, pay with my eth") is read whole.
    """
    if _SEQUENCE.search(normalise(text)):
        return None
    found = [_one(step, known_symbols, wallet_names) for step in steps]
    commands = [  # "chart eth for 30 days. sell it": a command word is never mere context
        f for f, step in zip(found, steps, strict=True) if not _is_context(f) or _ORDERS.match(step)
    ]
    one = commands[0] if len(commands) == 1 and not isinstance(commands[0], Reply) else None
    if any(isinstance(f, Intent) for f in found):
        # the one request, vetted against the whole text ("if eth drops, swap 1 eth")
        return vet(one, text, wallet_names) if isinstance(one, Intent) else None
    # a text is read whole only within one sentence, and not when the request points back
    # at its context ("… about arb. swap 1 eth to it"): values are never joined across
    # sentences, and a pronoun is asked about
    pointing = any(_POINTER.search(step) for step in steps)
    context = any(_is_context(f) for f in found)  # never join values across a remark
    if not _SENTENCE.search(normalise(text)) and not pointing and not context:
        whole = _one(text, known_symbols, wallet_names)
        if isinstance(whole, Intent | Reply):
            return whole
    return vet(one, text, wallet_names) if isinstance(one, Intent) else one


def _one(
    text: str, known_symbols: set[str] | None, wallet_names: frozenset[str] | None
) -> Understood:
    """One request, read as one command; an intent that moves funds is vetted against the
    whole request (:func:`~.safety.vet`)."""
    found = _read_one(text, known_symbols, wallet_names)
    return vet(found, text, wallet_names) if isinstance(found, Intent) else found


def _read_one(
    text: str, known_symbols: set[str] | None, wallet_names: frozenset[str] | None
) -> Understood:
    if not text.strip(" .!?,;:"):
        return Clarification(f"What would you like to do? {CAPABILITIES}", ["intent"])
    if refused(text):
        return Reply("refused", _REFUSAL)
    names = DEFAULT_WALLETS if wallet_names is None else wallet_names
    ctx = Context.of(known_symbols)
    plain = normalise(fold(text))
    read = parse_command(plain, ctx)
    if not isinstance(read, Intent):
        reordered = _reordered(plain, names)
        if reordered is not None and isinstance(parse_command(reordered, ctx), Intent):
            plain, read = reordered, parse_command(reordered, ctx)
    if _NEVER_NOW.search(plain) and not _ASKS_AI.match(plain):
        return Reply("unsupported", _UNSUPPORTED)
    if _HELLO.match(plain):
        return Reply("smalltalk", _GREETING)
    if _CAN_YOU.match(plain):
        return Reply("smalltalk", _CAPABLE)
    if not isinstance(read, Intent) and _HOW_IT_WORKS.match(plain):
        return Reply("smalltalk", _EXPLAIN)
    if not isinstance(read, Intent) and _REMARK.match(plain) and not _ASKING.search(plain):
        return Reply("smalltalk", _NOTED)
    if _ALREADY.match(fold(text)):
        return Reply("smalltalk", _TOLD)
    found = _read_plain(text, plain, read, ctx, names)
    if isinstance(found, Intent) and found.intent in _READS_NOT_POINTS and _POINTS.search(plain):
        return Intent("points", {})  # "how much have i earned in points": the points
    if isinstance(found, Intent) and found.intent == "performance" and _ONE_SOURCE.search(plain):
        return Intent("query", {"question": " ".join(text.split())})  # "… on that pepe trade"
    commanded = isinstance(found, Intent) and found.intent in _COMMANDS
    out_of_scope = _OUT_OF_SCOPE.search(plain) or _OUT_OF_SCOPE.search(fold(text))
    if out_of_scope and not _ASKS_AI.match(plain) and not commanded:
        return Reply("unsupported", _UNSUPPORTED)
    return found


_COMMANDS = frozenset({"swap", "send", "stake", "unstake", "claim", "bridge"})
_ORDERS = re.compile(
    r"\s*(?:and\s+|then\s+|now\s+)?(?:send|swap|sell|buy|bridge|stake|unstake|claim|pay|transfer|move"
    r"|trade|convert|exchange)\b",
    re.IGNORECASE,
)
_ONE_SOURCE = re.compile(
    r"\b(?:from|on|with|in)\s+(?:staking|the\s+airdrop|(?:that|the|my|this|those)\s+"
    r"(?:\$?[a-z0-9]+\s+)?(?:trades?|swaps?|bets?|flips?|positions?))\b",
    re.IGNORECASE,
)
"""A gain or loss from one source ("earned from staking", "lost on that pepe trade"): the
history answers it, not the whole portfolio's performance."""
_READS_NOT_POINTS = frozenset({"performance", "balance", "portfolio"})
_POINTS = re.compile(
    r"\b(?:ai\s+|rex\s+)?points\b(?!\s+(?:of|in)\s+(?:value|price))", re.IGNORECASE
)
"""The AI points named in a read of the wallet: the points are what is asked."""
_AMOUNT = r"\$?\d[\d,]*(?:\.\d+)?(?:\s*[kmb])?"
_WORD = r"\$?[a-z][a-z0-9]{1,15}"
_TOKEN_FIRST = (
    re.compile(rf"^(?P<a>{_WORD})\s+(?P<n>{_AMOUNT})\s+(?:to|for|into)\s+(?P<b>{_WORD})$", re.I),
    re.compile(
        rf"^(?P<a>{_WORD})\s+(?:to|for|into)\s+(?P<b>{_WORD})\s*,?\s+(?P<n>{_AMOUNT})$", re.I
    ),
)
_VERB_TOKEN_AMOUNT = re.compile(
    rf"^(?P<verb>stake|unstake|send|swap|sell|bridge)\s+(?P<a>{_WORD})\s+(?P<n>{_AMOUNT})"
    r"(?P<rest>(?:\s+(?:to|for|into)\s+.+)?)$",
    re.I,
)


def _token(word: str, wallets: frozenset[str]) -> bool:
    bare = word.removeprefix("$").lower()
    if bare in wallets and not word.startswith("$"):
        return False  # "alice 50 to bob" names wallets, not the ALICE token
    return is_token_word(word) or bare in NAMES or bare in token_names()


def _reordered(plain: str, wallets: frozenset[str]) -> str | None:
    """A command said in another order, in the grammar's: "usdc 1k to wbtc" and "usdc to
    eth, 75" are "swap 1k usdc to wbtc" and "swap 75 usdc to eth"; "stake rex 75" is
    "stake 75 rex". Only known tokens are moved, and every word stays the user's."""
    for pattern in _TOKEN_FIRST:
        found = pattern.match(plain)
        if found and _token(found["a"], wallets) and _token(found["b"], wallets):
            return f"swap {found['n']} {found['a']} to {found['b']}"
    found = _VERB_TOKEN_AMOUNT.match(plain)
    if found and _token(found["a"], wallets):
        return f"{found['verb']} {found['n']} {found['a']}{found['rest']}"
    found = _NO_VERB_SEND.match(plain)
    if found and _token(found["a"], wallets) and _recipient(found["to"].rstrip("?"), wallets):
        return f"send {found['n']} {found['a']} to {found['to']}"
    found = _GET_TO.match(plain)
    if found and _token(found["a"], wallets) and _recipient(found["to"], wallets):
        return f"send {found['n']} {found['a']} to {found['to']}"
    for pattern in _ONE_TOKEN_HELD:
        found = pattern.match(plain)
        if found and _token(found["a"], wallets) and not is_common(found["a"].removeprefix("$")):
            return f"{found['a']} balance"
    return None


_GET_TO = re.compile(rf"^get\s+(?P<n>{_AMOUNT})\s+(?P<a>{_WORD})\s+to\s+(?P<to>[^\s?]+)$", re.I)
""""get 50 usdc over to alice" (after "over to" became "to") sends it to a recipient."""
_ONE_TOKEN_HELD = (
    re.compile(rf"^(?:how\s+much\s+is|what(?:'s|s|\s+is))\s+my\s+(?P<a>{_WORD})\s+(?:stack\s+|bag\s+)?"
               r"worth\??$", re.I),
    re.compile(rf"^my\s+(?P<a>{_WORD})\?*$", re.I),
    re.compile(rf"^(?:do\s+i\s+have\s+)?enough\s+(?P<a>{_WORD})\s+(?:to|for)\b.*$", re.I),
    re.compile(rf"^(?:(?:what(?:'s|s|\s+is)|show(?:\s+me)?|how\s+big\s+is)\s+)?(?:the\s+size\s+of\s+)?"
               rf"my\s+(?P<a>{_WORD})\s+(?:holdings?|stack|bag|stash)(?:\s+(?:worth|value|size))?\??$",
               re.I),
    re.compile(rf"^(?:what(?:'s|s|\s+is)\s+)?(?:the\s+)?(?:value|worth)\s+of\s+my\s+(?P<a>{_WORD})\??$",
               re.I),
    re.compile(rf"^(?P<a>{_WORD})\s+holdings?(?:\s+(?:value|worth))?\??$", re.I),
    re.compile(rf"^total\s+(?P<a>{_WORD})\s+(?:i\s+(?:own|have|hold)|held)\??$", re.I),
)  # fmt: skip
"""One token's holding asked about: "how much is my eth worth", "my zk", "enough usdc to pay
bob 200?", "my eth holdings", "value of my rex" (only a known token that is not an ordinary
word: "my bad" is no token)."""


_NO_VERB_SEND = re.compile(
    rf"^(?P<n>{_AMOUNT})\s+(?:worth\s+of\s+|of\s+)?(?P<a>{_WORD})\s+to\s+(?P<to>[^\s?]+)$", re.I
)


def _recipient(word: str, wallets: frozenset[str]) -> bool:
    """A wallet name, a 0x address or an ENS name: someone to send to, not a token."""
    return word.lower() in wallets or names_an_account(word)


def _read_plain(
    text: str, plain: str, read: Understood, ctx: Context, names: frozenset[str]
) -> Understood:
    """The grammar's reading of ``plain`` weighed against the recogniser's; a question
    about nothing on chain is not a query over the index ("the score of the lakers game")."""
    found = _weigh(text, plain, read, ctx, names)
    told = _DONE.search(plain) and not _IMPERATIVE.match(plain)
    unread_told = (  # "i used to stake rex back then": nothing read, a move told as done
        isinstance(found, Clarification)
        and found.intent is None
        and "?" not in plain
        and re.match(r"(?:i|we)\b", plain, re.IGNORECASE) is not None
    )
    commanded = isinstance(found, Intent | Clarification) and found.intent in _COMMANDS
    if told and (commanded or unread_told):
        if commanded and _DONE_QUESTION.match(plain):  # "did 5 usdc go to bob": the history
            return Intent("query", {"question": " ".join(text.split())})
        return Reply("smalltalk", _TOLD)  # "yesterday i sent 200 usdc to carol": told
    if isinstance(found, Intent) and found.intent == "query" and not _on_chain(plain):
        return Reply("unsupported", _UNSUPPORTED)
    if isinstance(found, Intent | Clarification) and found.intent in ("stake", "unstake"):
        other = _OTHER_STAKE.search(plain)
        srex = isinstance(found, Intent) and (found.intent, found.args.get("token")) == (
            "stake",
            "SREX",
        )
        if other is not None or srex:  # "stake 1 eth with lido": never staked as REX
            return Reply("unsupported", _REX_ONLY)
        if found.intent == "stake" and _FOR_SOMEONE.search(plain):
            return Clarification(
                "RexOS stakes from and for your own wallet only: say the stake without "
                "someone else (send them REX to stake themselves).",
                ["intent"],
                intent="stake",
            )
    if isinstance(found, Intent) and found.intent == "perp" and _OPENS.match(plain):
        market, side = found.args.get("market"), found.args.get("side") or "long"
        return Clarification(
            f"RexOS does not open perp positions. It compares the venues for one, so that "
            f"you open it where it costs least: say 'compare perps for {market} {side}'.",
            ["intent"],
        )
    return found


_DONE = re.compile(
    r"(?<!be )\b(?:sent|swapped|bought|sold|paid|transferred|bridged|unstaked|traded|exchanged"
    r"|converted|gave|went|owed|owes|owe|(?:was|were)\s+sending|was\s+going\s+to|used\s+to)\b"
    r"|^(?:did|was|were|has|have)\b.*\b(?:go|went|gone|sent|arrive|arrived|land|landed"
    r"|received|swapped|bridged|staked|claimed|through)\b",
    re.IGNORECASE,
)
"""A money move told as done ("i sent 5 usdc to bob yesterday", "did 5 usdc go to bob"): the
words describe the past, so nothing is sent now."""
_FOR_SOMEONE = re.compile(
    r"\b(?:rex|tokens?|\d[\d,.]*\s*[kmb]?)\s+(?:for|to|on\s+behalf\s+of)\s+"
    r"(?!me\b|myself\b|srex\b|staking\b|work\b|stake\b|earn\b)[a-z0-9]",
    re.IGNORECASE,
)
"""A stake said for someone else ("stake 75 rex for bob"): RexOS stakes for the wallet only."""
_BRIDGE_SERVICES = re.compile(
    r"\b(?:stargate|hop\s+protocol|synapse|li\.?fi|bungee|wormhole|layerzero|celer|orbiter"
    r"|relay\s+bridge|debridge)\b|\bacross\s+(?:or|vs|versus|bridge|protocol)\b"
    r"|\b(?:or|vs|versus)\s+across\b",
    re.IGNORECASE,
)
"""Bridge services named in a question ("stargate or across for my USDC?")."""
_DONE_QUESTION = re.compile(r"^(?:did|was|were|has|have)\b", re.IGNORECASE)
_IMPERATIVE = re.compile(
    r"^(?:send|swap|pay|transfer|bridge|stake|unstake|claim|buy|sell|convert|exchange|trade"
    r"|move|give|put|take|withdraw)\b",
    re.IGNORECASE,
)
"""A request that opens with its verb: "swap the eth I bought" still swaps."""
_OTHER_STAKE = re.compile(
    r"\b(?:lido|rocket\s*pool|eigen\s*layer|eigenlayer|binance|coinbase|kraken|validator"
    r"|(?:(?:\d[\d,.]*\s*[kmb]?|all|half|my|some)\s+|^(?:un)?stake\s+)(?!rex\b|srex\b|\$rex\b)"
    r"\$?(?:eth|weth|steth|sol|ada|dot|atom|matic|pol|avax|bnb|usdc|usdt|dai|wbtc|btc))\b",
    re.IGNORECASE,
)
"""A stake of something other than REX, or with another staking service."""
_REX_ONLY = (
    "RexOS stakes REX only (into sREX, the economy's own contract); it does not stake other "
    "tokens or through other services. " + CAPABILITIES
)
_OPENS = re.compile(
    r"^(?:(?:open|enter|place|take|put\s+on|go)\s+(?:me\s+)?(?:a\s+|an\s+)?"
    r"|(?=(?:long|short)\b))(?:\d+\s*x\s+)?(?:leveraged\s+)?(?:long|short)\b"
    r"(?!.*\b(?:where|which|best|compare|cheapest|should|venues?)\b)",
    re.IGNORECASE,
)
"""A command to open a perp position (RexOS compares venues; it opens nothing)."""


_ON_CHAIN = re.compile(
    r"\b(?:my|mine|me|i|i'?ve|i'?m|we|our|wallet|wallets|account|accounts|address(?:es)?"
    r"|transfers?|transferred|swaps?|swapped|trades?|traded|transactions?|tx|txs|blocks?"
    r"|gas|fees?|tokens?|coins?|balances?|sent|received|bought|sold|staked?|stakers?|claimed"
    r"|claims?|bridged?|approvals?|approved|holders?|pools?|liquidity|volume|rewards?|airdrops?"
    r"|deposits?|withdrawals?|minted|burned|burns?|contracts?|chain|on-?chain|onchain|points"
    r"|alice|bob|carol|dave|erin|rex|srex|eth|weth|usdc|usdt|dai|wbtc|ens)\b|0x[0-9a-f]{6,}|\.eth\b",
    re.IGNORECASE,
)


def _on_chain(plain: str) -> bool:
    """Whether a question names anything the index holds: a wallet, a token, an address, a
    kind of on-chain event."""
    return bool(_ON_CHAIN.search(plain)) or any(
        (w.isupper() or w.startswith("$")) and w.strip("$?.,!").upper() in symbols()
        for w in plain.split()
    )


def _weigh(
    text: str, plain: str, read: Understood, ctx: Context, names: frozenset[str]
) -> Understood:
    label, probability = load_recogniser().best(mask(plain, symbols()))
    confident = probability >= THRESHOLD
    if isinstance(read, Intent):
        if read.intent == "ask":
            return _verbatim(read, text)
        if read.intent != "query" or _EXPLICIT_SQL.match(plain) or label == "query":
            return _named(read)
        if probability < OVERRULE:  # a question-shaped request the recogniser reads as
            return read  # something else, with conviction: small talk, a perp question …
    if not isinstance(read, Intent) and _HISTORY.search(plain):
        return Intent("query", {"question": " ".join(text.split())})
    if (
        not isinstance(read, Intent)
        and _BRIDGE_SERVICES.search(plain)
        and not _IMPERATIVE.match(plain)
    ):
        # "stargate or across for all my USDC?": a question about bridges, no command of its
        # own (a configured model compares them with its bridge tool)
        return Clarification(
            f"I didn't understand '{' '.join(text.split())}'. {CAPABILITIES}", ["intent"]
        )
    owned = read.intent if isinstance(read, Clarification) else None
    if owned is not None and (label == owned or not confident):
        built = build(owned, read_values(plain, names), text, ctx, names)
        return _named(built) if isinstance(built, Intent) else read
    unheard = not (_words(plain) & known_words())
    if (
        not confident
        or unheard
        or (label in ("smalltalk", "unsupported") and probability < REPLY_AT)
    ):
        return Clarification(
            f"I didn't understand '{' '.join(text.split())}'. {CAPABILITIES}", ["intent"]
        )
    if label == "smalltalk":
        return Reply("smalltalk", _GREETING)
    if label == "unsupported":
        return Reply("unsupported", _UNSUPPORTED)
    intent: IntentName = label  # type: ignore[assignment]
    built = build(intent, read_values(plain, names), text, ctx, names)
    return _named(built) if isinstance(built, Intent) else built


_HISTORY = re.compile(
    r"\b(?:have\s+i|did\s+i|i\s+have|i've)\s+(?:ever\s+)?(?:claimed|received|earned|sent|swapped"
    r"|bought|sold|paid|bridged|staked|spent|transferred)\b.*\b(?:so\s+far|ever|in\s+total"
    r"|total|till\s+now|until\s+now|to\s+date|all\s+time|last\s+(?:week|month|year))\b"
    r"|\bhow\s+(?:much|many)\b.*\b(?:have\s+i|did\s+i)\s+(?:ever\s+)?(?:claimed|received"
    r"|earned|sent|swapped|bought|sold|paid|bridged|spent|transferred)\b"
    r"|\b(?:have|did)\s+i\s+ever\s+(?:claimed|claim|received|earned|sent|send|swapped|swap|bought"
    r"|buy|sold|sell|paid|pay|bridged|bridge|staked|stake|unstaked|unstake|spent|transferred)\b",
    re.IGNORECASE,
)
"""A question about what the wallet did (its history), read from the index: "how much have
I claimed in rewards so far" is not a points balance."""
_ASKS_AI = re.compile(
    r"^(?:ask|query|use)\s+(?:the\s+)?(?:on[-\s]?chain\s+(?:ai|model|llm)|dprompt|ai|model|llm)"
    r"|^(?:the\s+)?on[-\s]?chain\s+ai\b",
    re.IGNORECASE,
)
"""A question for the on-chain AI may be about anything ("ask the on-chain ai: what is an
NFT?")."""


def _verbatim(read: Intent, text: str) -> Intent | Clarification:
    """An on-chain AI request with its prompt as the user wrote it after the lead-in (no
    number words turned into digits, no arrows read as "to"); polite tails go."""
    built = build("ask", read_values(text, DEFAULT_WALLETS), " ".join(text.split()),
                  Context.of(None), DEFAULT_WALLETS)  # fmt: skip
    if not isinstance(built, Intent):
        return read
    prompt = ask_prompt(strip_tails(str(built.args["prompt"]).lstrip("→⇒=->:, ")))
    if prompt is None:
        return Clarification("What do you want to ask DPrompt?", ["prompt"], intent="ask")
    return Intent("ask", {"prompt": prompt}) if prompt.strip(".!?: ") else read


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


@cache
def known_words() -> frozenset[str]:
    """Every word of the recogniser's training requests: a request with none of them
    ("blorp") is not understood, whatever the recogniser's best guess."""
    from rexos.orchestrator.understand.train import load_examples

    return frozenset(w for text, _ in load_examples() for w in _words(text))


_TOKEN_SLOTS = ("token", "sell", "buy", "quote", "market", "subject")
_CURRENCIES = {"USD", "EUR", "GBP", "JPY", "CHF", "CNY", "KRW"}


def _named(intent: Intent) -> Intent | Clarification:
    """Coins named by word as their symbols (``bitcoin`` → ``BTC``); nothing else changes.
    A misspelt name is never replaced: the user is asked whether they meant the token it is
    one edit from ("tehter" → "Did you mean USDT?"), so no value is one they did not write."""
    args = dict(intent.args)
    names = token_names()
    for slot in _TOKEN_SLOTS:
        value = args.get(slot)
        if not isinstance(value, str) or value == "portfolio" or value.upper() in _CURRENCIES:
            continue
        if slot == "subject" and value.lower() in _PORTFOLIO_WORDS:
            args[slot] = "portfolio"  # "chart my holdings"
        elif value.lower() in NAMES:
            args[slot] = NAMES[value.lower()]
        elif value.upper() not in symbols() and value.lower() in names:
            args[slot] = names[value.lower()]
        elif value.upper() not in symbols() and (meant := _misspelt(value)) is not None:
            return Clarification(
                f"'{value.lower()}' is not a token I know: did you mean {meant}? Say the "
                f"request again with {meant}.",
                [slot],
                intent=intent.intent,
            )
        if intent.intent in _ON_CHAIN_MOVES and args[slot] == "BTC":
            args[slot] = "WBTC"  # bitcoin bought, sent or held on chain is WBTC
    return _staking_swap(Intent(intent.intent, args))


_PORTFOLIO_WORDS = {"holdings", "portfolio", "bags", "wallet", "networth", "stack"}
_ON_CHAIN_MOVES = {"swap", "send", "bridge", "balance"}


def _misspelt(value: str) -> str | None:
    """The one token a misspelt name or ticker is a single edit from ("tehter", "aavee",
    "bitcon", "chainlnk"), as the Ticker agent reads typos; ``None`` when not exactly one."""
    from rexos.agents.ticker.fuzzy import closest

    word = value.lower()
    if len(word) < 5 or is_common(word):
        return None  # "price price" is no misspelt PRIME
    names = token_names()
    near, distance = closest(word, [*names, *(s.lower() for s in symbols())])
    found = {names.get(n, n.upper()) for n in near}
    if distance > 1 and len(word) < 8:
        return None
    if len(found) != 1:
        return None
    one = found.pop()
    return NAMES.get(one.lower(), one)


def _staking_swap(intent: Intent) -> Intent:
    """REX to sREX is staking and sREX to REX unstaking (1:1, the economy's own contract),
    whatever the verb: "convert 75 rex to srex" stakes 75 REX."""
    args = intent.args
    if intent.intent != "swap" or args.get("side") != "sell":
        return intent
    pair = (args.get("sell"), args.get("buy"))
    if pair == ("REX", "SREX"):
        return Intent("stake", {"amount": args["amount"], "token": "REX"})
    if pair == ("SREX", "REX"):
        return Intent("unstake", {"amount": args["amount"], "token": "SREX"})
    return intent


def understand_steps(
    text: str,
    known_symbols: set[str] | None = None,
    wallet_names: frozenset[str] | None = None,
) -> list[Intent] | Clarification | Reply:
    """A request of one or more steps ("swap …, then stake …"): every step's intent, or
    the question about the first step that is unclear (``step`` says which)."""
    contrast = None if refused(text) else without_negated_alternative(text)
    if contrast is not None:  # "don't swap, bridge 400 usdc to arbitrum, then stake …"
        planned = understand_steps(contrast.rest, known_symbols, wallet_names)
        read = planned if isinstance(planned, list) else [planned]
        if any(isinstance(f, Intent | Clarification) and f.intent in contrast.ruled_out
               for f in read):  # fmt: skip
            return _contradicted(contrast.negated)
        return planned
    told = _without_background(text, known_symbols, wallet_names)
    if told is not None:  # "gas was insane yesterday. swap 1 eth to usdc"
        return [told] if isinstance(told, Intent) else told
    text = _as_corrected(text, wallet_names)
    statement = None if refused(text) else said_not_asked(text)
    if statement is not None:  # "bob said 'send me 5 eth'", "… jk": nothing asked
        return Reply("smalltalk", statement)
    steps = split_steps(normalise(text))
    if len(steps) > 1:
        found = [_one(step, known_symbols, wallet_names) for step in steps]
        moving = next((f for f in found if isinstance(f, Intent) and f.intent in _COMMANDS), None)
        warning = warned(text) if moving is not None else None
        if moving is not None and warning is not None:  # a warning anywhere in a plan
            return Clarification(warning, ["intent"], 1, intent=moving.intent)
        if all(isinstance(f, Intent) for f in found):
            return [f for f in found if isinstance(f, Intent)]
        single = _single(text, steps, known_symbols, wallet_names)
        if isinstance(single, Intent | Reply):
            return [single] if isinstance(single, Intent) else single
        if isinstance(single, Clarification):
            return replace(single, step=single.step or 1)
        for n, (step, f) in enumerate(zip(steps, found, strict=True), 1):
            if isinstance(f, Reply) and f.kind == "refused":
                return f
            if isinstance(f, Reply):
                return Clarification(
                    f"Step {n}: I didn't understand '{step}' as a step of a plan.", ["intent"], n
                )
            if isinstance(f, Clarification):
                return replace(f, question=f"Step {n}: {f.question}", step=n)
    one = _one(text, known_symbols, wallet_names)
    if isinstance(one, Clarification):
        return replace(one, step=1) if one.step is None and len(steps) <= 1 else one
    return [one] if isinstance(one, Intent) else one
