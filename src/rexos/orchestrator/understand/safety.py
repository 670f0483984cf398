"""What no reading may do with money: the guard before understanding, the vetting after.

:func:`refused` answers requests no wallet assistant should serve (ignore the rules,
unlimited approvals, keys, "send to whoever replies"), matched on a folded copy of the text
(Unicode compatibility forms, look-alike Cyrillic and Greek letters, digits for letters) so
that "ｉｇｎｏｒｅ" or "ign0re" is the same word.

:func:`vet` checks an intent that moves funds against the whole request before anyone sees
it as understood. The grammar and the value readers each read one command; a request can
say more than one command reads: "do not …", "if eth drops …", "… twice", "… I mean
50", two amounts, two recipients. Each of those is a question (or a refusal), never the
part that happened to parse.
"""

from __future__ import annotations

import re
import unicodedata

from rexos.orchestrator.intent.result import Clarification, Intent
from rexos.orchestrator.intent.slots import CHAIN_ALIASES
from rexos.orchestrator.understand.normalise import CHAIN_NAME, normalise

__all__ = ["DEFAULT_WALLETS", "MOVES_FUNDS", "fold", "refused", "said_not_asked", "vet"]

DEFAULT_WALLETS = frozenset({"alice", "bob", "carol", "dave", "erin"})
"""Wallet names read as recipients when the caller knows none (``rexos intent``)."""

MOVES_FUNDS = frozenset({"swap", "send", "stake", "unstake", "claim", "bridge", "ask"})
_WALLET_WORDS_MOVED: dict[str, tuple[str, ...]] = {
    "swap": ("any",), "bridge": ("any",),
}  # fmt: skip
"""Where a wallet's name must never stand for a token or a chain: anywhere in a swap or a
bridge (neither has a recipient here)."""

_LOOKALIKES = str.maketrans(
    {
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "ɡ": "g",
        "ο": "o",
        "α": "a",
        "ε": "e",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "τ": "t",
        "υ": "u",
        "ρ": "p",
        "А": "A",
        "Е": "E",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Х": "X",
        "І": "I",
        "Ѕ": "S",
    }
)
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a"})

_DANGER = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass|pretend|circumvent|skip)\b.{0,80}?"
    r"\b(?:instructions?|rules?|told|polic(?:y|ies)|guard\s*rails?|limits?|prompt|checks?"
    r"|safety|restrictions?|confirmations?)\b"
    r"|\bnew\s+rules?\b|\b(?:no|without)\s+(?:rules|restrictions|limits|safety)\b"
    r"|\b(?:unlimited|infinite|infinity|no\s+limit|max(?:imum)?\s+allowance)\b"
    r"|\b(?:approv\w*|allowance|permission)\b.{0,40}\b(?:all|every|everything|unlimited|max)\b"
    r"|\b(?:seed\s+(?:phrase|words?)|private[\s-]*keys?|priv\s*keys?|privkeys?|secret\s+keys?"
    r"|mnemonic|recovery\s+(?:phrase|words?)|keystore\s+file)\b"
    r"|\b(?:system\s+prompt|jailbreak|developer\s+mode|you\s+are\s+now|act\s+as)\b"
    r"|\b(?:whoever|whomever|anyone|anybody|somebody|someone|everyone|the\s+first\s+"
    r"(?:one|person|guy|people|wallet))\b.{0,40}\b(?:repl|dm|messag|ask|comment|answer|respond"
    r"|click|send|win)\w*",
    re.IGNORECASE,
)
_ASKING_ABOUT = re.compile(r"^\s*(?:ask|on[-\s]?chain\s+ai|dprompt)\b", re.IGNORECASE)


def fold(text: str) -> str:
    """``text`` with compatibility forms and look-alike letters replaced by plain ones."""
    return unicodedata.normalize("NFKC", text).translate(_LOOKALIKES)


def refused(text: str) -> bool:
    """Whether the request is one to refuse outright. A question for the on-chain AI may
    mention keys ("why keep a seed phrase secret?"): it moves nothing of the wallet's."""
    plain = fold(text)
    if _ASKING_ABOUT.match(plain) and not re.search(r"\b(?:my|your)\b", plain, re.I):
        return False
    return bool(_DANGER.search(plain) or _DANGER.search(plain.translate(_LEET)))


_NEGATION = re.compile(
    r"\b(?:don'?t|do\s+not|dont|never|not|no\s+need|won'?t|shouldn'?t|cancel|hold\s+off"
    r"|stop(?!\s+\w+ing\b))\b",
    re.IGNORECASE,
)
_CONDITION = re.compile(
    r"\b(?:if(?!\s+(?:you|u|possible)\b)|unless|when|whenever|once|as\s+soon\s+as|in\s+case"
    r"|only\s+after|after\s+(?:it|eth|btc|the\s+price)|below|above)\b",
    re.IGNORECASE,
)
_CORRECTION = re.compile(
    r"\b(?:i\s+mean|no\s+wait|wait|sorry|actually|instead|scratch\s+that|correction|oops|rather"
    r"|make\s+(?:it|that))\b",
    re.IGNORECASE,
)
_REPEAT = re.compile(
    r"\b(?:twice|thrice|\d+\s*(?:times|x)\b|x\s*\d+|every|each|daily|weekly|monthly|hourly"
    r"|repeat\w*|again\s+and\s+again|recurring)\b",
    re.IGNORECASE,
)
_ROUGH = re.compile(
    r"(?:≈|~|\bcirca\b|\bca\.|\babout\b|\baround\b|\broughly\b|\bapprox\w*|\bor\s+so\b|\bish\b"
    r"|\bgive\s+or\s+take\b|\bmore\s+or\s+less\b|\bsomething\s+like\b)",
    re.IGNORECASE,
)
_FOREIGN_MONEY = re.compile(
    r"[€£¥₩₹₽]|\b\d[\d,.]*\s*(?:euros?|eur|pounds?|gbp|yen|jpy|won|rupees?|francs?|chf)\b",
    re.IGNORECASE,
)
_EXCEPT = re.compile(
    r"\b(?:but|except|minus|less|other\s+than|apart\s+from|save\s+for|leav(?:e|ing)|keep(?:ing)?)"
    r"\b",
    re.IGNORECASE,
)
_VERBS = re.compile(
    r"\b(?:swap|trade|convert|exchange|sell|buy|send|transfer|pay|give|stake|unstake|bridge"
    r"|move|claim|withdraw|deposit|approve|yeet|wire|ape(?=\s+(?:into|in)\b)|dump)\b",
    re.IGNORECASE,
)
_PAYING = re.compile(
    r"\b(?:pay|paying|paid)\s+(?:with|using|in)\b|\bpays?\s+(?:me|us|you|him|her)\s+back\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w.])\$?\d[\d,]*(?:\.\d+)?(?![\w.])|\d+(?:\.\d+)?\s*%")
_SHARE = re.compile(
    r"\b(?:half|all|everything|max|maximum|quarter|third|thirds|tenth)\b", re.IGNORECASE
)
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


_TAKEN_BACK = re.compile(
    r"\b(?:just\s+kidding|jk|ignore\s+(?:that|this|it)|forget\s+(?:it|that|this)|nope|nah|nvm"
    r"|hold\s+on|on\s+second\s+thought)\b|[.,!?]\s*no\s*[.!?]*$",
    re.IGNORECASE,
)
_LATER = re.compile(
    r"\b(?:tomorrow|tonight|later|next\s+(?:week|month|year|monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday)|in\s+(?:an?|\d+)\s+(?:minute|hour|day|week|month)s?)\b",
    re.IGNORECASE,
)
_REPORTED = re.compile(
    r"\b(?:told|tells|said|says|wrote|writes|wants|wanted|asked|asks|suggested|suggests"
    r"|recommended|recommends|dm'?d|messaged|texted)(?:\s+me)?(?:\s+to)?[\s:,]+[\"'“‘«‹„「『]?"
    r"(?:send|swap|pay|transfer|buy|sell|bridge|stake|unstake|claim|move|give|put|convert"
    r"|exchange|approve|withdraw|deposit|sign)\b"
    r"|\b(?:asked|asks|wants|wanted|requested|requests|begged|begs)\s+(?:me\s+)?for\s+(?:\$|\d)"
    r"|^[a-z][\w.-]*\s*:\s*(?:send|give|pay|transfer)\s+me\b"
    r"|[\"'“‘«„][^\"'”’»]*[\"'”’»]\s+(?:is|was)\s+what\b"
    r"|[,;]\s*(?:(?:the|a|my|some|this|that)\s+)?[a-z][\w.-]*\s+(?:said|says|told\s+me|wrote"
    r"|suggested|recommended|insists|insisted)(?:\s+so)?[\s.!]*$",
    re.IGNORECASE,
)
"""Someone else's instruction reported ("a scammer told me to send 5 eth to 0x…", "my boss
wrote 'swap 200 usdc'"): RexOS acts only on the user's own request."""
_NOT_A_COMMAND = re.compile(
    r"^(?:how|should|shall|is|are|did|why|what|whats|when|which|would\s+it|could\s+it"
    r"|remind\s+me|note|todo|to-do|draft|simulate|explain|estimate|quote\s+me)\b",
    re.IGNORECASE,
)
_LOOSE_SHARE = re.compile(
    r"\b(?:a|one|two|three)\s+(?:half|quarters?|thirds?)\s+"
    r"(?!of\b|my\b|your\b|the\b|it\b|them\b|all\b)"
    r"\$?[a-z]",
    re.IGNORECASE,
)
""""a quarter eth", "three quarters eth": 0.25 ETH or a quarter of the ETH balance? (a
share says "of my")."""

_NOT_DOING = re.compile(
    r"\b(?:i'?m\s+not|i\s+am\s+not|i\s+won'?t|i\s+will\s+not|i\s+don'?t\s+(?:want|need|plan)"
    r"|not\s+(?:doing|gonna\s+do)\s+(?:that|it|this)|no\s+way)\b|^(?:don'?t|do\s+not|never)\b",
    re.IGNORECASE,
)
"""The user saying what they will not do, or telling RexOS not to ("i'm not sending 1000 eth
to anyone", "don't swap my eth")."""
_STATEMENTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (_NOT_DOING, "OK: nothing is done. To have something done, say it as a request (e.g. "
     "'send 5 USDC to bob')."),
    (_TAKEN_BACK, "OK, forgotten: nothing is done."),
    (_REPORTED, "That is what someone else said or wants, so nothing is done: RexOS acts only "
     "on your own request. Say it yourself if you want it done."),
)  # fmt: skip


_MOVE_WORDS = re.compile(
    r"\b(?:swap|send|sent|stak|unstak|bridg|transfer|pay|paid|sell|sold|buy|bought|claim|move"
    r"|convert|trade|exchang)\w*",
    re.IGNORECASE,
)


def said_not_asked(text: str) -> str | None:
    """The reply to a text that mentions moving funds but asks for nothing: a refusal of it
    ("bob said 'send me 5 eth' but i'm not doing that"), a request taken back ("jk"), or
    someone else's instruction reported. ``None`` when it may be a request."""
    plain = normalise(fold(text))
    if not _MOVE_WORDS.search(plain):
        return None
    for pattern, reply in _STATEMENTS:
        if pattern.search(plain):
            return reply
    return None


_WORDING_CHECKS: tuple[tuple[re.Pattern[str], bool, str, str], ...] = (
    (_NEGATION, False, "intent", "You said not to, or to stop: should I {what} or not? Say "
     "the request again as what you want done."),
    (_TAKEN_BACK, False, "intent", "You took that back: should I {what} or not? Say the "
     "request again as what you want done."),
    (_REPORTED, False, "intent", "That is what someone else said or wants: RexOS acts only on "
     "your own request. Say the {what} yourself if you want it done."),
    (_NOT_A_COMMAND, False, "intent", "That reads as a question or a note, not a request: to "
     "{what} now, say it as one (e.g. 'send 5 USDC to bob')."),
    (_LATER, False, "intent", "RexOS does things now, not later: say the {what} without a "
     "time to do it now."),
    (_LOOSE_SHARE, True, "amount", "A half, a quarter or a third of one token, or of your "
     "balance? Say '0.25 ETH' or '25% of my ETH'."),
    (_CONDITION, False, "intent", "RexOS does not place conditional or limit orders: say the "
     "{what} without a condition to do it now."),
    (_CORRECTION, False, "intent", "You changed the request as you wrote it: please say the "
     "whole request again, once."),
    (_REPEAT, False, "intent", "RexOS runs a request once (a repeating one is a bot strategy: "
     "`rexos bot`): say it for one time."),
    (_ROUGH, True, "amount", "That amount is approximate: which exact amount do you mean?"),
    (_FOREIGN_MONEY, False, "amount", "RexOS reads dollar amounts ($50) and token amounts "
     "(50 USDC): how much, in one of those?"),
    (_EXCEPT, True, "amount", "Say the amount itself (e.g. 2.5 ETH), not what to keep: how "
     "much exactly?"),
)  # fmt: skip
"""``(wording, only when the intent has an amount, slot to ask for, question)``, in order:
a request worded this way says more than one command reads, so it is asked about."""


_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
"""Characters that show as nothing (zero-width spaces, joiners, direction marks): "0.\u200b5"
must never read as 5."""


_WARNING = re.compile(
    r"\b(?:scam\w*|hack(?:ed|er|ers)\b|drain(?:ed|er|ers)\b|phish\w*|compromised|stolen|fraud\w*"
    r"|rug(?:ged|pull)?\b|honeypot|fake|suspicious|sketchy|impersonat\w*)",
    re.IGNORECASE,
)
"""A warning beside a move ("bob's wallet is compromised.", "everyone says it's a scam")."""
_HEDGE = re.compile(
    r"(?:^|\s)/s\b|\bhypothetically\b|\b(?:i\s+guess|probably|maybe|perhaps|idk)\b"
    r"|^(?:i'd|i\s+would|you'd|you\s+would|we'd|we\s+would)\s+(?!(?:like|love|want|prefer)\b)",
    re.IGNORECASE,
)
"""A move said unsure, sarcastic or hypothetical ("send 5 usdc to bob /s", "i'd send …")."""
_PASTED = re.compile(
    r"^\s*(?:>|```|`|subject\s*:|from\s*:|tx\s*:|done\s*:|\u2705|\u2714|<[a-z][\w.-]*>)"
    r"|^\s*[\"'“‘«„].*[\"'”’»]\s*$|`[^`]*`",
    re.IGNORECASE,
)
"""Text pasted or quoted rather than asked (an e-mail, a code block, a quote, a transaction
line, a chat log)."""


def warned(text: str) -> str | None:
    """The question to ask before any move in ``text`` that warns, hedges or looks pasted
    (whatever else it says), or ``None``."""
    if _WARNING.search(text):
        return ("That message warns about a scam, a hack or a compromised wallet: check "
                "first, then say the request on its own.")  # fmt: skip
    if _HEDGE.search(text):
        return "That sounds unsure or hypothetical: say the request as one, if you want it done."
    if _PASTED.search(text):
        return ("That looks pasted or quoted rather than asked: say the request yourself, in "
                "your own words, if you want it done.")  # fmt: skip
    return None


def says_more(text: str) -> bool:
    """Whether ``text`` negates, takes back, reports, delays, conditions, corrects or repeats
    something, or names someone by a handle: wording that would change a request it stands
    beside, so it is never set aside as mere background."""
    folded = fold(text)
    plain = normalise(folded)
    checks = (p for p, only_amounts, _, _ in _WORDING_CHECKS if not only_amounts)
    return any(p.search(plain) for p in checks) or bool(
        _HANDLE.search(folded) or _ELSEWHERE.search(folded)
    )


def _ask(intent: Intent, question: str, *missing: str) -> Clarification:
    return Clarification(question, list(missing), intent=intent.intent)


def _amount_mentions(text: str) -> int:
    bare = _ADDRESS.sub(" ", text)
    return len(_NUMBER.findall(bare)) + len(_SHARE.findall(bare))


_HANDLE = re.compile(r"@[A-Za-z0-9_]{1,30}\b|@|\(at\)")
"""A social-media handle or an e-mail address ("tip 5 usdc to @alice", "alice@gmail.com"):
never a wallet's name."""
_ELSEWHERE = re.compile(
    r"(?<![\w.])[a-z][a-z0-9_-]*(?:\.[a-z][a-z0-9_-]*)*\.(?!eth\b)[a-z]{2,12}\b(?!\.[a-z])"
    r"|\b(?:on|via|over)\s+(?:twitter|x|telegram|discord|farcaster|lens|instagram|tiktok|reddit"
    r"|whatsapp|signal|facebook|warpcast|email|e-mail)\b"
    r"|'s\s+(?:twitter|telegram|discord|email|e-mail|instagram|farcaster|x|lens)\b"
    r"|\bu/\w+|^e-?mail\b",
    re.IGNORECASE,
)
"""A name in another naming system or network ("alice.sol", "alice.base", "alice on
twitter", "alice's telegram", "email bob 5 usdc"): never the local wallet of that name. An
ENS name, subnames included ("jesse.base.eth"), ends in ".eth"."""
_CHAIN_WALLET = re.compile(
    rf"\b(?:my|his|her|their|our|[a-z]+'s)\s+(?:{CHAIN_NAME}|bnb|solana)\s+(?:wallet|address"
    r"|account)\b",
    re.IGNORECASE,
)
"""A wallet on another chain named in a send ("send 50 usdc to bob's arbitrum wallet")."""
_LIST_LINE = re.compile(
    r"^\W*(?:\d+[.)]\s*)?[\w.]+(?:\s+(?:said|says|asks|asked|wrote))?\s*:\s*\$?\d",
    re.IGNORECASE,
)
"""A list or ledger line ("bob: 35 usdt", "0x11…: 5 eth", "1. bob: 35 usdt")."""
_FIAT = re.compile(
    r"EUROS?|EUR|DOLLARS?|USD|CASH|FIAT|POUNDS?|GBP|YEN|JPY|BANK|RUPEES?|INR|NAIRA|NGN",
    re.IGNORECASE,
)
"""Money that is no token: a swap "to euros" or "to cash" is a cash-out RexOS does not do."""


def vet(
    intent: Intent, text: str, wallet_names: frozenset[str] | None = None
) -> Intent | Clarification:
    """``intent`` when the whole of ``text`` asks for exactly it, else the question to ask.

    Only intents that move funds are vetted; ``wallet_names``, when known, are the wallets
    a word may name as a recipient.
    """
    if intent.intent not in MOVES_FUNDS:
        return intent
    folded = fold(text)
    plain = normalise(folded)  # polite wrappers gone ("if you could …"), "2" as "to" read
    what = intent.intent
    if _INVISIBLE.search(text) or (
        folded != text and re.search(r"[^\x00-\x7f]", re.sub(r"[^\w\s]", "", text))
    ):
        return _ask(intent, "Part of that is written in look-alike or invisible characters: "
                            "please retype the request in plain letters and digits.",
                    "intent")  # fmt: skip
    warning = warned(text) if what != "ask" else None  # a question may be about scams
    if warning is not None:
        return _ask(intent, warning, "intent")
    names = DEFAULT_WALLETS if wallet_names is None else wallet_names
    both = _WALLET_WORDS_MOVED.get(what, ())
    written = {w.lower() for w in re.findall(r"[a-z][\w.-]*", plain, re.IGNORECASE)}
    clash = (
        [n for n in names if n in written]
        if both == ("any",)
        else [
            str(intent.args.get(k)).lower()
            for k in both
            if str(intent.args.get(k)).lower() in names
        ]
    )
    if clash:
        return _ask(intent, f"'{clash[0]}' is one of your wallets and also a token or chain "
                            "name: say which you mean.", "intent")  # fmt: skip
    for pattern, only_amounts, slot, question in _WORDING_CHECKS:
        if pattern.search(plain) and (not only_amounts or "amount" in intent.args):
            return _ask(intent, question.format(what=what), slot)
    if what == "send" and (_HANDLE.search(folded) or _ELSEWHERE.search(folded)):
        return _ask(
            intent,
            "That names someone by a handle, an e-mail or another naming system, not "
            "by a wallet: who receives it? Give a 0x address, an ENS name or one of your "
            "wallets' names.",
            "to",
        )
    if what == "send" and _CHAIN_WALLET.search(plain):
        return _ask(
            intent,
            "That names a wallet on another chain: a send stays on this chain. "
            "Bridge first, or say the send for this chain.",
            "intent",
        )
    if what == "send" and re.match(r"(?:un)?wrap\b", plain, re.IGNORECASE):
        return _ask(
            intent,
            "Wrapping and sending are two steps: say them as a plan of steps, or one at a time.",
            "intent",
        )
    if _LIST_LINE.match(plain) and not _VERBS.search(plain):
        return _ask(
            intent,
            "That reads like a line from a list ('bob: 35 USDT'), not a "
            "request: to move funds, say it as one (e.g. 'send 35 USDT to "
            "bob').",
            "intent",
        )
    fiat = any(_FIAT.fullmatch(str(intent.args.get(k) or "")) for k in ("buy", "token"))
    if what in ("swap", "send", "bridge") and fiat:
        return Clarification(
            "RexOS moves and swaps tokens; it does not pay out cash or fiat money (euros, "
            "dollars, a bank account). To hold a dollar stablecoin, swap to USDC.",
            ["intent"],
        )
    nouns = re.sub(r"\b(?:my|your|the|of|a)\s+stake\b", " position", plain, flags=re.I)
    verbs = len(_VERBS.findall(_PAYING.sub(" ", nouns)))
    if verbs > 1 and what != "ask":
        return Clarification(
            "That reads as more than one request: one at a time, or as a plan of steps?",
            ["steps"],
        )
    if (
        "amount" in intent.args
        and intent.args["amount"] is not None
        and _amount_mentions(plain) > 1
    ):
        return _ask(intent, "There is more than one amount in that: which one, for what?",
                    "amount")  # fmt: skip
    if what == "send":
        return _vet_recipient(intent, plain, wallet_names)
    if what != "bridge" and re.search(rf"\b(?:on|via)\s+(?:{_CHAIN_WORDS})\b", plain, re.I):
        return _ask(intent, f"RexOS does this on the chain it is connected to: say the {what} "
                            "without another chain (or bridge first).", "intent")  # fmt: skip
    return intent


_NOBODY = frozenset(
    {"whoever", "whomever", "anyone", "anybody", "someone", "somebody", "everyone", "everybody",
     "myself", "me", "you", "them", "nobody", "reply", "friend", "him", "her", "us", "it"}
)  # fmt: skip
_CHAIN_WORDS = "|".join(sorted(CHAIN_ALIASES, key=len, reverse=True)).replace(" ", r"\s+")
_CHAIN_NAMES = frozenset(name.lower() for name in CHAIN_ALIASES)


def _token_symbols() -> frozenset[str]:
    from rexos.orchestrator.understand.vocab import symbols

    return symbols()


def _vet_recipient(
    intent: Intent, text: str, wallet_names: frozenset[str] | None
) -> Intent | Clarification:
    to, kind = str(intent.args.get("to")), intent.args.get("to_kind")
    bare = re.sub(r"[\w.-]+\.eth\b", " ", _ADDRESS.sub(" ", text), flags=re.I)
    named = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9_-]*", bare)]
    candidates = len(_ADDRESS.findall(text)) + len(re.findall(r"\.eth\b", text, re.I))
    candidates += sum(1 for w in named if w in (wallet_names or DEFAULT_WALLETS))
    if kind == "wallet" and to.lower() not in (wallet_names or DEFAULT_WALLETS):
        candidates += 1  # an unknown name said as the recipient is a candidate too
    unknown = kind == "wallet" and to.lower() not in (wallet_names or DEFAULT_WALLETS)
    if unknown and to.upper() in _token_symbols():
        return _ask(intent, f"'{to}' is a token's name: is it a wallet of yours, or did you "
                            "mean a swap? Give the address or wallet.", "to")  # fmt: skip
    if to.lower() in _NOBODY:
        return _ask(intent, f"'{to}' is not a recipient: give an address, an ENS name or one "
                            "of your wallets.", "to")  # fmt: skip
    if re.search(r"\bfrom\s+(?!my\b)\S+", text, re.IGNORECASE):
        return _ask(intent, "RexOS sends from your wallet only: who should receive it?", "to")
    chain = re.search(rf"\b(?:on|to|via)\s+(?:{_CHAIN_WORDS})\b", text, re.IGNORECASE)
    if chain is not None and to.lower() in _CHAIN_NAMES:  # "send 200 dai to optimism"
        return Clarification(
            f"A send stays on this chain: to move tokens to {to}, bridge them (say 'bridge "
            f"... to {to}'), or give who receives them here.",
            ["intent"],
            intent="bridge",
        )
    if chain is not None:
        return _ask(intent, "A send stays on this chain; to move tokens to another chain, "
                            "bridge them ('bridge 5 USDC to arbitrum'). Who receives it here?",
                    "to")  # fmt: skip
    if candidates > 1 or re.search(r"\b(?:and|or|each|both)\b.{0,20}$", text, re.I):
        return _ask(intent, "Who is the one recipient? Give one address, ENS name or wallet.",
                    "to")  # fmt: skip
    if re.search(rf"\bfrom\s+{re.escape(to)}\b", text, re.IGNORECASE):
        return _ask(intent, f"{to} is where it comes from: who should receive it?", "to")
    if kind == "wallet" and wallet_names is not None and to.lower() not in wallet_names:
        known = ", ".join(sorted(wallet_names)) or "none yet"
        return _ask(intent, f"I don't know a wallet named '{to}' (yours: {known}): give its "
                            "0x address or ENS name.", "to")  # fmt: skip
    return intent
