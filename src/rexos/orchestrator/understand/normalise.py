"""Everyday phrasing → the plain command the grammar reads, changing no amount, token or
address.

What goes: polite forms and filler ("hey so could you please …", "for me", "thanks"),
emoji, a trailing "now"/"asap". What is rewritten: arrows (``->``, ``=>``, ``→``) and a
``2`` between two tokens to ``to``; number words to digits ("two hundred" → ``200``);
common misspellings of the command words ("swpa", "tranfer", "blance"); a few verbs
people use for the same command ("yeet" → send, "flip" → swap); a currency's name to its
code ("in rupees" → ``in inr``). Nothing here can invent a value: every digit, symbol and
address in the output was in the input, or is the digit form of a number word that was
("a hundred" → ``100``, "2 crore" → ``20000000``, "half an eth" → ``0.5 eth``).
"""

from __future__ import annotations

import itertools
import re

from rexos.orchestrator.understand.vocab import is_token_word

__all__ = ["CHAIN_NAME", "CURRENCY_WORDS", "normalise", "number_words", "strip_tails"]

_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u2190-\u21ff]+", re.UNICODE
)
_ARROW = re.compile(r"\s*(?:->|=>|-->|==>|→|⇒|➡️?|⟶|⮕)\s*")
_LEADS = re.compile(
    r"^(?:(?:hey|hi|hello|yo|ok|okay|so|um+|uh+|well|alright|right|listen|bro|mate|dude|"
    r"gm|sir|friend|buddy)\b[\s,!.]*)+",
    re.IGNORECASE,
)
_POLITE = re.compile(
    r"^(?:(?:please|pls|plz|pleas|kindly)\b[\s,]*"
    r"|(?:i\s+was\s+wondering\s+if|i\s+wonder\s+if|do\s+you\s+think|is\s+it\s+possible\s+to)"
    r"\s+(?:you\s+|u\s+)?(?:could|can|would)?\s*"
    r"|(?:can|could|would|will|cud|cn)\s+(?:you|u|ya)\s+(?:please\s+|pls\s+|plz\s+|kindly\s+)?"
    r"(?:help\s+me\s+(?:to\s+)?)?"
    r"|(?:can|could|may)\s+i\s+(?:please\s+)?"
    r"|how\s+about\s+(?:you|u)\s+(?=(?:swap|send|bridge|stake|unstake|claim|buy|sell|move|pay"
    r"|transfer|show|check|chart)\b)"
    r"|(?:i\s+(?:would|'d|d)\s+like\s+(?:you\s+)?to|i\s+(?:want|need|wish)\s+(?:you\s+)?to"
    r"|i\s+wanna|i\s+want|i\s+gotta|lemme|let\s+me|let's|lets|help\s+me|go\s+ahead\s+and"
    r"|i\s+(?:would|'d)\s+love\s+to|i\s+am\s+trying\s+to|i'm\s+trying\s+to|try\s+to"
    r"|just|quickly|quick)\b[\s,]*)+",
    re.IGNORECASE,
)
_TAILS = re.compile(
    r"(?:[\s,]*\b(?:please|pls|plz|thanks|thank\s+you|thx|ty|for\s+me|now|asap|right\s+now"
    r"|real\s+quick|quickly|if\s+you\s+can|if\s+possible|mate|bro|sir|kthx|cheers|rn|thanks?"
    r"|ty+|tyvm|thx+)\b[\s.!?]*)+$",
    re.IGNORECASE,
)
_INNER_PLEASE = re.compile(r"\b(?:please|pls|plz|kindly)\b\s*", re.IGNORECASE)

_TYPOS = {
    "swpa": "swap", "sawp": "swap", "swapp": "swap", "swop": "swap", "swao": "swap",
    "tranfer": "transfer", "trasnfer": "transfer", "transfar": "transfer", "tansfer": "transfer",
    "transfr": "transfer", "trnasfer": "transfer", "sned": "send", "snd": "send", "sedn": "send",
    "stakr": "stake", "stke": "stake", "satke": "stake", "staek": "stake",
    "unstke": "unstake", "unstak": "unstake", "unsatke": "unstake", "untake": "unstake",
    "blance": "balance", "balnce": "balance", "balanace": "balance", "ballance": "balance",
    "balanse": "balance", "bal": "balance",
    "prcie": "price", "pirce": "price", "prise": "price", "proce": "price",
    "protfolio": "portfolio", "portfolo": "portfolio", "portofolio": "portfolio",
    "porfolio": "portfolio", "portfoilo": "portfolio", "portfollio": "portfolio",
    "brige": "bridge", "brdige": "bridge", "birdge": "bridge",
    "chrat": "chart", "cahrt": "chart", "grpah": "graph",
    "recieve": "receive", "recieved": "received", "etherum": "ethereum",
    "etherium": "ethereum", "ethereun": "ethereum", "arbitum": "arbitrum", "abritrum": "arbitrum",
    "optimsm": "optimism", "polygn": "polygon", "claime": "claim", "calim": "claim",
    "rewads": "rewards", "rewrds": "rewards", "reward's": "rewards",
    "ur": "your", "u": "you", "ya": "you", "wanna": "want to", "gimme": "give me",
    "yeet": "send", "flip": "swap", "rotate": "swap",
    "wire": "send", "swp": "swap", "chrt": "chart", "brdge": "bridge", "bridg": "bridge",
    "airdop": "airdrop", "airdorp": "airdrop", "aridrop": "airdrop", "airdrp": "airdrop",
    "eht": "eth", "ehter": "ether", "etherem": "ethereum", "stkae": "stake",
    "txn": "transaction", "txns": "transactions", "tx": "transaction", "txs": "transactions",
    "pointz": "points", "poins": "points", "pnts": "points", "ponits": "points",
    "piont": "point", "pionts": "points",
    "b4": "before", "abt": "about", "bc": "because", "coz": "because", "cuz": "because",
}  # fmt: skip

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER_WORD = re.compile(
    r"\b(?:(?:" + "|".join(sorted([*_UNITS, *_SCALES], key=len, reverse=True)) + r")"
    r"(?:[\s-]+(?:and[\s-]+)?)?)+",
    re.IGNORECASE,
)
_DIGIT_WORDS = {**{w: v for w, v in _UNITS.items() if v < 10}, "oh": 0}
_SAID_DECIMAL = re.compile(
    r"(?P<lead>^|\b(?:send|swap|sell|buy|stake|unstake|bridge|pay|transfer|move|trade|convert"
    r"|exchange|wrap|unwrap)\s+)"
    r"(?:(?P<int>\d+|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")\s+)?point\s+"
    r"(?P<frac>(?:" + "|".join(_DIGIT_WORDS) + r")(?:\s+(?:" + "|".join(_DIGIT_WORDS) + r"))*)\b"
    r"(?![.\w%]|\s*%|\s+(?:point|hundred|thousand|million|billion|k|m|mm|bn|and|of|percent)\b)",
    re.IGNORECASE,
)
""""one point five", "point two five" said aloud: a decimal, digit by digit after the point
(a whole part of one word or digits), only where an amount starts (the request's first word,
or right after its verb: "send like point five" or "more than point five" stay unread) and
with nothing after it that would make it part of a bigger number."""


def _said_decimal(match: re.Match[str]) -> str:
    whole = match["int"] or "0"
    whole = whole if whole.isdigit() else str(_UNITS[whole.lower()])
    frac = "".join(str(_DIGIT_WORDS[w.lower()]) for w in match["frac"].split())
    return f"{match['lead']}{whole}.{frac}"


_NOT_A_COUNT = re.compile(
    r"(?:which|this|that|the|no|any|every|each|some|another|last|next|only|other)\s*$",
    re.IGNORECASE,
)
_TWO_AS_TO = re.compile(
    r"(?P<left>\d[\d,.]*\s*\$?[A-Za-z][A-Za-z0-9]{1,10})\s+(?:2|4)\s+(?P<right>\$?[A-Za-z])"
)


_GLUED = re.compile(
    r"(?<![\w.])(?P<num>\d[\d,]*(?:\.\d+)?)(?P<sym>(?!(?:k|m|mm|b|bn|x)\b)[A-Za-z]{2,11})\b"
)
"""``1.5eth`` → ``1.5 eth`` (not ``2.5k``, ``10m``, ``10x``)."""
_WHOLE = re.compile(r"\b(?:my\s+)?(?:whole|entire|full)\s+(?:bag\s+of\s+|stack\s+of\s+)?", re.I)
""""my whole WETH" is all of it."""
_OVER_TO = re.compile(r"\bover\s+to\b", re.IGNORECASE)
_APE = re.compile(r"^(?:ape|aping)\b(?=\s+(?:into|in|\d|\$|all|half|my|some))", re.IGNORECASE)
""""ape into pepe", "ape 1 eth into pepe": the slang verb (APE the token stays a token)."""
_WITH = re.compile(r"(?<!\w)w/\s*", re.IGNORECASE)
_EVERYTHING_IN = re.compile(r"\beverything\s+(?:in|of)\s+(?:my\s+)?", re.IGNORECASE)
_SPEND_ON = re.compile(
    r"^(?P<verb>spend|put)\s+(?P<what>\$?\d[\d,.]*\s*[kmb]?\s+\$?[a-z][a-z0-9]*)\s+(?:on|in|into)\s+"
    r"(?!(?:the\s+)?staking\b|\S+\s+staking\b|(?:aave|lido|compound|curve|morpho|a\s+vault"
    r"|vaults?|savings|a\s+pool|pools?|lp|yield)\b)(?P<target>\$?[a-z][a-z0-9]*)",
    re.IGNORECASE,
)
""""spend 500 usdc on pendle" sells the USDC for PENDLE."""
_IS_HOW_MUCH = re.compile(
    r"^(?P<what>\d[\d,.]*\s*\$?[a-z][a-z0-9]*)\s*=\s*\?+\s*(?P<quote>\$?[a-z][a-z0-9]*)\s*\??$",
    re.IGNORECASE,
)
""""3 eth = ? usdc": the price of 3 ETH in USDC."""
_LIKE = re.compile(r"\blike\s+(?=\$?\d)", re.IGNORECASE)
"""Casual "like 40 link" means 40: the filler goes (``about 40`` stays a question)."""
_A_HUNDRED = re.compile(r"(?<![\d.,]\s)\ban?\s+(?=(?:hundred|thousand)\b)", re.IGNORECASE)
""""a hundred usdc" is one hundred."""
_HALF_A = re.compile(r"\bhalf\s+an?\s+(?=\$?[a-z])", re.IGNORECASE)
""""half an eth" is 0.5 ETH (not half of a balance)."""
_INDIAN = re.compile(r"\b(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>lakh|lakhs|lac|crore|crores|cr)\b", re.I)
"""Indian numbering: a lakh is 100,000, a crore 10,000,000."""
CURRENCY_WORDS = {"rupee": "inr", "rupees": "inr", "euro": "eur", "euros": "eur", "pound": "gbp",
               "pounds": "gbp", "quid": "gbp", "naira": "ngn", "yen": "jpy", "pesos": "php",
               "peso": "php", "yuan": "cny", "won": "krw", "francs": "chf",
               "franc": "chf"}  # fmt: skip
_CURRENCY_IN = re.compile(r"\bin\s+(?P<word>" + "|".join(CURRENCY_WORDS) + r")\b", re.IGNORECASE)
""""in rupees" is a price in INR."""
_RATE_OF = re.compile(r"\b(?:current\s+|latest\s+)?(?:exchange\s+)?rate\s+(?:of|for)\b", re.I)
""""the current rate of ETH" is its price."""
CHAIN_NAME = (
    r"(?:arbitrum|optimism|base|linea|polygon|zksync|scroll|avalanche|bsc|bnb\s+chain|mainnet"
    r"|ethereum|blast|mantle|devnet-b|devnet\s+b)"
)
"""A chain by its name, as a request names one to move tokens to (not the tickers some are
called by: "move 1 eth to bnb" may be a swap)."""
_SHORT_CHAIN = r"(?:(?<=over to )(?:arb|op)|(?<=onto )(?:arb|op)|(?<=on )(?:arb|op))(?=[\s.!]*$)"
"""Arbitrum and Optimism by their tickers, where only a place can follow ("over to arb",
"onto op"; "swap 10 usdc to op" buys OP)."""
_SOME_TOKEN = r"\$?\d[\d,.]*\s*[kmb]?\s+(?:of\s+)?(?:my\s+)?\$?[a-z][a-z0-9]*"
"""An amount and its token ("0.25 eth", "$50 of eth")."""
_MOVE_TO_CHAIN = re.compile(
    r"^(?:move|shift|port|take|get|bring)\s+(?P<what>\$?\d[\d,.]*\s*[kmb]?\s+\$?[a-z][a-z0-9]*)\s+"
    rf"(?:to|onto|over\s+to)\s+(?P<chain>{CHAIN_NAME}|{_SHORT_CHAIN})\b",
    re.IGNORECASE,
)
""""move 0.25 eth to linea" bridges it (a chain is no recipient and no token)."""
_TO_MY_CHAIN = re.compile(
    rf"^(?:send|transfer|move|ship)\s+(?P<what>{_SOME_TOKEN})\s+to\s+my\s+(?P<chain>{CHAIN_NAME})"
    r"\s+(?:wallet|address|account)$",
    re.IGNORECASE,
)
""""send 50 usdc to my arbitrum wallet": the user's own wallet on another chain is a bridge
(no recipient is a chain)."""
_CHAIN_TO_CHAIN = re.compile(
    rf"^(?:send|transfer|move|ship|shift|take|get|bring)\s+(?P<what>{_SOME_TOKEN})\s+(?:from|off)\s+"
    rf"(?:of\s+)?(?P<a>{CHAIN_NAME})\s+(?:to|onto|over\s+to)\s+(?P<b>{CHAIN_NAME})[\s?.!]*$",
    re.IGNORECASE,
)
""""send 80 usdt from ethereum to bnb chain", "move 60 usdc off mainnet onto scroll": from one
chain to another is a bridge."""
_ONTO_CHAIN = re.compile(
    rf"^(?:(?:i\s+(?:want|need)|put|get)\s+)?(?:my\s+)?(?P<what>{_SOME_TOKEN})\s+"
    rf"(?P<prep>onto|on|over\s+to|to)\s+(?P<chain>{CHAIN_NAME}|{_SHORT_CHAIN})[\s?.!]*$",
    re.IGNORECASE,
)
""""$50 of eth onto base", "i want my 250 usdc on scroll": an amount of a known token put on
a chain, with no verb of its own or put there ("put 100 usdc on base"), is a bridge; a wish
("i need 5 eth on base") only for the user's own tokens ("my"), since it may mean buying
there."""
_BRING_TOKEN = re.compile(
    rf"^(?:get|put|move|bring|send|transfer)\s+(?:my\s+|some\s+)?(?P<token>\$?[a-z][a-z0-9]*)\s+(?:onto|on|over\s+to|to)\s+"
    rf"(?P<chain>{CHAIN_NAME})$",
    re.IGNORECASE,
)
""""get usdc onto optimism", "send eth to zksync": a bridge whose amount is still to be asked
(a known token only; a chain receives no send)."""
_PAY_WITH = re.compile(
    r"^(?:(?:i\s+(?:want|need)|(?:get|grab)(?:\s+me)?|buy)\s+)?(?:exactly\s+)?"
    r"(?P<what>\$?\d[\d,.]*\s*[kmb]?\s+\$?[a-z][a-z0-9]*)"
    r"(?:\s+for\s+(?:a|some)\s+(?:thing|vote|game|test|project))?"
    r"\s*[,.;]?\s*(?:and\s+)?(?:(?:pay|paying)\s+(?:for\s+it\s+)?(?:with|in|using)|(?:use|using)\s+)"
    r"\s*(?:my\s+)?"
    r"(?P<token>\$?[a-z][a-z0-9]*)(?:\s+(?:for\s+it|to\s+pay(?:\s+for\s+it)?))?$",
    re.IGNORECASE,
)
""""i want 500 arb, pay with usdc", "i need 1000 arb. use my usdc for it": a purchase and
what pays for it."""
_WRAP = re.compile(
    r"^(?P<verb>wrap|unwrap)\s+(?P<amount>\$?\d[\d,.]*\s*[kmb]?|all\s+my|my)\s+"
    r"(?P<token>w?eth)(?:\s+(?:back\s+)?(?:to|into)\s+w?eth)?$",
    re.IGNORECASE,
)
""""wrap 1.5 eth" swaps ETH for WETH; "unwrap 2 weth" swaps it back."""
_ACROSS = re.compile(r"^(?:take|move|carry|port|shift|send)\s+(?P<what>.+?)\s+across\s+to\s+", re.I)
""""take 0.25 ETH across to Linea" bridges it."""
_I_OWE = re.compile(
    r"^i\s+owe\s+(?P<who>[a-z][\w.-]*)\s+(?P<what>\$?\d[\d,.]*\s*[kmb]?\s+\$?[a-z][a-z0-9]*)"
    r"\s*[,.]?\s*(?:can\s+(?:you|u)\s+|please\s+|pls\s+)?(?:settle|pay|send|transfer)"
    r"(?:\s+(?:it|that|this|her|him|them))?(?:\s+back)?(?:\s+for\s+me)?[\s.!?]*$",
    re.IGNORECASE,
)
""""i owe carol 1.2 eth, can u settle that" sends carol 1.2 ETH (the amount and the payee
are both said)."""
_CANDLES = re.compile(r"\b(?:candles|candlesticks?|candle\s+chart)\b", re.IGNORECASE)
_IN_DOLLARS = re.compile(r"\bin\s+(?:us\s+)?(?:dollars?|bucks)\b", re.IGNORECASE)
""""worth in dollars" is a price in USD."""
_BALANCE_OF_ALL = re.compile(
    r"^(?P<head>(?:send|transfer|pay|swap|sell|bridge|move)\b.*?\ball\s+my\s+\$?[a-z0-9]+)"
    r"\s+balance\b",
    re.IGNORECASE,
)
""""send my whole eth balance to …" sends all of it (it is not a balance question)."""
_SEND_SLANG = re.compile(r"^(?:shoot|blast|toss|beam|zap)\s+(?=(?:\S+\s+)?\$?\d)", re.IGNORECASE)
""""shoot dave 5 usdc", "blast 10 usdc over to dave": the slang verbs of a send, only when
an amount follows at once or after a recipient (BLAST the token stays a token)."""
_REDEEM = re.compile(r"^redeem\b(?=.*\bsrex\b)", re.IGNORECASE)
_PUT_IN_STAKING = re.compile(
    r"^(?:put|lock|throw)\s+(?P<what>.+?)\s+(?:in|into)\s+(?:staking|the\s+staking(?:\s+pool)?)$",
    re.IGNORECASE,
)
""""put 75 rex in staking" stakes it."""
_GRAB = re.compile(
    r"^(?:(?:grab|collect|harvest)\s+(?=(?:(?!\b(?:how|what|many|much)\b).)*\b(?:rewards?|yield"
    r"|airdrop)\b)|get\s+(?=(?:my\s+)?(?:staking\s+)?(?:rewards?|yield|airdrop)\b))",
    re.IGNORECASE,
)
""""grab my staking rewards" claims them."""
_TOTAL_BALANCE = re.compile(r"\b(?:my\s+)?total\s+(?:wallet\s+)?balance\b", re.IGNORECASE)
""""my total balance" is the portfolio's worth, not one token's balance."""
""""redeem 80 srex" unstakes."""
_VERB_LAST = re.compile(
    r"^(?P<rest>(?!(?:stake|unstake|swap|send|bridge|claim)\b)[^.;]+?)"
    r"(?<!\bmy)(?<!\bthe)(?<!\byour)(?<!\bof)(?<!\ba)(?<!\bour)[\s,]+"
    r"(?P<verb>stake|unstake|swap|send|bridge|claim)(?:\s+(?:it|am|them|that))?$",
    re.IGNORECASE,
)
""""rex 75 stake": the command word said last."""


_OF_IT = re.compile(
    r"\b(?P<obj>(?:my\s+|the\s+)?(?:staked\s+)?\$?[a-z][a-z0-9]*(?:\s+i\s+(?:have|hold|own|got))?)"
    r"\s*,\s*(?P<amt>\$?\d[\d,.]*\s*[kmb]?|all|half|everything)\s+of\s+(?:it|them|that)\b\s*,?",
    re.IGNORECASE,
)
""""withdraw my staked rex, 300 of it" → "withdraw 300 of my staked rex"; "swap the link i
have, all of it, into eth" → "swap all of the link i have into eth"."""
_PTS = re.compile(
    r"(?<=\bmy\s)pts\b|(?<=\bai\s)pts\b|(?<=\bmany\s)pts\b|(?<=\btotal\s)pts\b"
    r"|^pts(?=[\s?.!]*$)|\bpts(?=\s+(?:balance|total|count|score)\b)",
    re.IGNORECASE,
)
""""my pts", "how many pts do i have": the points, where no amount is said ("send 5 pts to
bob" is the PTS token)."""
_POINT_TALLY = re.compile(r"\bpoint\s+(?=(?:balance|total|count|score|tally)\b)", re.IGNORECASE)
""""my point balance" is the points (never a POINT token's balance)."""
_TAKE_THEM = re.compile(
    r"(?<=,)\s*(?:so\s+|just\s+)?(?:grab|collect|harvest|take)\s+(?:them|it|'?em)\b(?=[\s.!]*"
    r"(?:now|pls|please)?[\s.!]*$)",
    re.IGNORECASE,
)
_REWARDS_NAMED = re.compile(
    r"^my\s+(?:staking\s+)?(?:rewards|airdrop|yield)\s+(?:have|has|are|is)\s+(?:finally\s+)?"
    r"(?:been\s+)?(?:piling\s+up|stacking\s+up|building\s+up|adding\s+up|ready|claimable"
    r"|available|unlocked|live|waiting)(?:\s+for\s+(?:ages|weeks|months|days|a\s+while))?\s*,",
    re.IGNORECASE,
)
""""my rewards are piling up, grab them": taking the rewards just named is claiming them."""
_STILL_HAVE = re.compile(
    r"^(?P<head>(?:do|did)\s+i\s+still\s+(?:have|hold|own)\s+(?:any\s+)?\$?[a-z][a-z0-9]*)\s+"
    r"or\s+(?:did|have)\s+i\b.*$",
    re.IGNORECASE,
)
_ENDED_UP = re.compile(
    r"^how\s+(?P<much>much|many)\s+(?P<token>\$?[a-z][a-z0-9]*)\s+did\s+i\s+end\s+up\s+with\b.*$",
    re.IGNORECASE,
)
_LIST_MINE = re.compile(
    r"^(?P<head>(?:list|show)\s+(?:me\s+)?(?:all\s+)?my\s+(?:coins|tokens|assets))[\s,.]+"
    r"(?:because|cause|cuz|since|i\s+forgot|i\s+(?:don't|dont|do\s+not|can't|cant)\s+remember)\b.*$",
    re.IGNORECASE,
)
"""What the wallet holds, asked with a word on how it came to be ("do i still have doge or
did i sell it all", "how much eth did i end up with after the swap", "list my coins, i forgot
what i bought"): the holding is asked, not the history."""
_LIST_HOLDINGS = re.compile(
    r"^(?:list|show)\s+(?:me\s+)?(?:all\s+)?(?:of\s+)?(?:my|the)\s+(?:coins|tokens|assets|crypto)"
    r"(?:\s+(?:i\s+(?:have|hold|own)|in\s+my\s+wallet))?[\s.!]*$",
    re.IGNORECASE,
)
""""list my coins": every balance (a list of holdings, not a query over the history)."""
_NEED_THERE = re.compile(
    rf"^(?:i\s+(?:need|want)\s+)?(?:some\s+)?(?P<token>\$?[a-z][a-z0-9]*)\s+on\s+(?P<chain>{CHAIN_NAME})"
    r"\s*[,.;]\s*(?:so\s+)?bridge\s+(?P<n>\$?\d[\d,.]*\s*[kmb]?)(?:\s+(?P<named>\$?[a-z][a-z0-9]*))?"
    r"(?:\s+(?:there|over))?$",
    re.IGNORECASE,
)
""""i need usdc on zksync, bridge 120", "i need gas on linea, bridge 0.01 eth there": the
bridge's token and chain said in the wish before it (a token, never "gas", as its token)."""
_DRAW = re.compile(
    r"^draw\s+(?:me\s+)?(?:a\s+)?(?:(?:chart|graph)\s+(?:of|for)\s+)?"
    r"(?=(?!my\b)\$?[a-z][a-z0-9]*(?:\s+(?:(?:for|over)\s+)?(?:the\s+)?(?:last\s+|past\s+)?\d+\s*(?:days?|weeks?|months?|years?|hours?|[dwmyh]))?"
    r"[\s?.!]*$)",
    re.IGNORECASE,
)
""""draw me link for 30 days" charts it."""
_WHAT_HAVE_I = re.compile(
    r"^what(?:'ve|\s+have|\s+do)\s+i\s+(?:got|get|have)(?:\s+(?:right\s+now|now|rn|atm|at\s+the\s+moment"
    r"|in\s+(?:my|the)\s+wallet|in\s+there))*[\s?.!]*$",
    re.IGNORECASE,
)
_ENOUGH = re.compile(
    r"^do\s+i\s+(?:still\s+)?have\s+enough\s+(?P<token>\$?[a-z][a-z0-9]*)"
    r"(?:\s+(?:for|to)\s+[^,;.?!]*)?[\s?.!]*$",
    re.IGNORECASE,
)
""""what have i got right now": the balances; "do i have enough eth for gas to bridge": the
ETH balance (a question, not the bridge it mentions)."""
_LEAVE_STAKE = re.compile(
    r"^(?P<claim>(?:claim|withdraw|collect|harvest|take)\s+(?:the\s+|my\s+)?(?:staking\s+)?rewards"
    r"(?:\s+only)?)\s*[,;]\s*(?:and\s+|but\s+)?(?:leave|keep)\s+(?:the|my)\s+(?:stake|staked\s+rex"
    r"|principal)\s+(?:alone|untouched|as\s+it\s+is|where\s+it\s+is)[\s.!]*$",
    re.IGNORECASE,
)
""""withdraw the rewards only, leave the stake alone": the claim, said with what it leaves."""
_SUM_UP = re.compile(
    r"^sum\s+(?:it|everything|things)\s+(?:all\s+)?up(?:\s+for\s+me)?\s*[,.:;-]\s*(?=\S)",
    re.IGNORECASE,
)
""""sum it all up for me, how much do i have in usd": a lead-in before the question."""
_SHARE_OF_WHAT = re.compile(
    r"^(?P<a>\$?[a-z][a-z0-9]*)\s+(?:to|for|into)\s+(?P<b>\$?[a-z][a-z0-9]*)\s*[,:;-]\s*"
    r"(?P<frac>half|a\s+quarter|a\s+third|\d+(?:\.\d+)?\s*%)\s+of\s+(?:what\s+i\s+(?:have|hold|own|got)"
    r"|it|my\s+(?P=a))[\s.!]*$",
    re.IGNORECASE,
)
""""eth to usdc, a quarter of what i have": a share of the token sold, said after the pair."""
_STAKED_AMOUNT = re.compile(
    r"^(?:(?:how\s+(?:much|many)\s+(?:rex\s+|srex\s+|tokens\s+)?(?:do\s+i\s+have|have\s+i(?:\s+got)?"
    r"|i\s+have|i've(?:\s+got)?|am\s+i|is(?=\s+staked\s+by\s+me)|i\s+got)|(?:what(?:'s|s|\s+is)\s+)?(?:the\s+)?"
    r"(?:amount|size|value)\s+(?:of\s+)?(?:rex\s+)?(?:i\s+have|i've)|what\s+(?:amount|size)\s+"
    r"(?:of\s+rex\s+)?(?:do\s+i\s+have|have\s+i(?:\s+got)?))\s+(?:got\s+)?(?:staked|staking"
    r"|in\s+staking|locked\s+(?:up\s+)?in\s+staking)(?:\s+(?:by\s+me|right\s+now|now|currently"
    r"|atm|at\s+the\s+moment))?"
    r"|(?:show\s+(?:me\s+)?)?(?:what(?:'s|s|\s+is)\s+)?(?:the\s+)?(?:value\s+of\s+)?my\s+"
    r"(?:staked|staking)\s+(?:rex|amount|balance|tokens)|staked\s+balance"
    r"|(?:the\s+)?(?:total\s+)?rex\s+staked\s+by\s+me)[\s?.!]*$",
    re.IGNORECASE,
)
"""What the user has staked ("how much rex have i staked"): staked REX is held as sREX,
so it is the sREX balance (the staking position with rewards and AI points is ``points``)."""
_ALTOGETHER = re.compile(
    r"^(?:how\s+much\s+(?:money\s+|value\s+)?(?:do\s+i\s+have|have\s+i\s+got|is\s+in\s+my\s+wallet)"
    r"(?:\s+in\s+(?:crypto|tokens|my\s+wallet))?\s+(?:altogether|all\s+together|in\s+total|total"
    r"|overall|combined|in\s+usd)|(?:what(?:'s|s|\s+is)\s+)?my\s+total(?:\s+(?:value|worth|in\s+usd))?)"
    r"[\s?.!]*$",
    re.IGNORECASE,
)
""""how much money do i have altogether", "whats my total": the portfolio's worth."""


def _indian(match: re.Match[str]) -> str:
    from decimal import Decimal

    scale = 100_000 if match["unit"].lower().startswith("la") else 10_000_000
    value = Decimal(match["n"]) * scale
    return format(value.normalize(), "f")


def _currency(match: re.Match[str]) -> str:
    return f"in {CURRENCY_WORDS[match['word'].lower()]}"


def _words_value(words: list[str]) -> int | None:
    total, current = 0, 0
    seen = False
    for word in words:
        if word == "and":
            continue
        if word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word == "hundred":
            current = (current or 1) * 100
            seen = True
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def _well_formed(words: list[str]) -> bool:
    """A number phrase as people say one number: no two units or tens in a row ("one
    two"), a unit only after a tens word ("twenty one")."""
    kinds = ["s" if w in _SCALES else "t" if _UNITS.get(w, 0) >= 20 else "u" for w in words
             if w != "and"]  # fmt: skip
    for a, b in itertools.pairwise(kinds):
        if (a, b) in {("u", "u"), ("u", "t"), ("t", "t")}:
            return False
    return True


def number_words(text: str) -> str:
    """Number words as digits: ``"two hundred dai"`` → ``"200 dai"``; ``"which one"`` stays."""
    text = _SAID_DECIMAL.sub(_said_decimal, text)

    def digits(match: re.Match[str]) -> str:
        phrase = match.group(0)
        words = [w for w in re.split(r"[\s-]+", phrase.lower()) if w]
        trailing = phrase[len(phrase.rstrip()) :]
        before, after = text[: match.start()], text[match.end() :]
        if re.search(r"(?:\d|\bpoint)\s*$", before) or re.match(
            r"\s*(?:point|and\s+a\s+half|and\s+a|quarters?|thirds?)\b", after
        ):
            return phrase  # "2 thousand million", "five point five", "one and a half",
            # "three quarters" (a share the amount reader knows): unread
        if not _well_formed(words):
            return phrase  # "one two", "five five": not one number
        if words == ["one"] and _NOT_A_COUNT.search(text[: match.start()]):
            return phrase
        shouted = phrase.strip().isupper() and not text.isupper()
        if len(words) == 1 and shouted:
            return phrase  # "balance of ONE": the ticker, in a sentence not all in capitals
        if words in (["million"], ["thousand"], ["billion"], ["hundred"]):
            return phrase  # "1.5 million" is the amount reader's
        value = _words_value(words)
        return phrase if value is None else f"{value}{trailing}"

    return _NUMBER_WORD.sub(digits, text)


def _fix_words(text: str) -> str:
    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        return _TYPOS.get(word.lower(), word)

    return re.sub(r"(?<![$\w])[A-Za-z][A-Za-z']*(?![\w])", fix, text)


def normalise(text: str) -> str:
    """The command in ``text`` without its wrapping, in the grammar's words."""
    clean = _ARROW.sub(" to ", text)
    clean = _EMOJI.sub(" ", clean)
    clean = _GLUED.sub(r"\g<num> \g<sym>", clean)
    clean = _LIKE.sub("", clean)
    clean = _A_HUNDRED.sub("one ", clean)
    clean = _HALF_A.sub("0.5 ", clean)
    clean = _INDIAN.sub(_indian, clean)
    clean = _CURRENCY_IN.sub(_currency, clean)
    clean = _CANDLES.sub("chart", clean)
    clean = _RATE_OF.sub("price of", clean)
    clean = _ACROSS.sub(r"bridge \g<what> to ", clean.strip())
    clean = _MOVE_TO_CHAIN.sub(r"bridge \g<what> to \g<chain>", clean)
    clean = _ONTO_CHAIN.sub(_onto_chain, clean.strip())  # before "i want" goes
    clean = _PAY_WITH.sub(_pay_with, clean)
    clean = _I_OWE.sub(r"send \g<what> to \g<who>", clean.strip())
    clean = _IN_DOLLARS.sub("in usd", clean)
    clean = _WHOLE.sub("all my ", clean)
    clean = _OVER_TO.sub("to", clean)
    clean = _APE.sub("swap", clean.strip())
    clean = _WITH.sub("with ", clean)
    clean = _EVERYTHING_IN.sub("all my ", clean)
    clean = _SPEND_ON.sub(_spend_on, clean)
    clean = _IS_HOW_MUCH.sub(r"price of \g<what> in \g<quote>", clean)
    clean = " ".join(clean.split())
    clean = _fix_words(clean)
    clean = number_words(clean)
    clean = _TWO_AS_TO.sub(r"\g<left> to \g<right>", clean)
    for _ in range(3):
        before = clean
        clean = _LEADS.sub("", clean)
        clean = _POLITE.sub("", clean)
        clean = _TAILS.sub("", clean).strip(" ,")
        if clean == before:
            break
    clean = _INNER_PLEASE.sub("", clean)
    clean = _SUM_UP.sub("", clean)
    clean = _MOVE_TO_CHAIN.sub(r"bridge \g<what> to \g<chain>", clean)  # after "could u …"
    clean = _TO_MY_CHAIN.sub(r"bridge \g<what> to \g<chain>", clean)
    clean = _CHAIN_TO_CHAIN.sub(_chain_to_chain, clean)
    clean = _ONTO_CHAIN.sub(_onto_chain, clean)
    clean = _WRAP.sub(_wrap, clean)
    clean = _BRING_TOKEN.sub(_bring_token, clean)
    clean = _BALANCE_OF_ALL.sub(r"\g<head>", clean)
    clean = _SEND_SLANG.sub("send ", clean)
    clean = _REDEEM.sub("unstake", clean)
    clean = _PUT_IN_STAKING.sub(r"stake \g<what>", clean)
    clean = _GRAB.sub("claim ", clean)
    if _REWARDS_NAMED.match(clean):
        clean = _TAKE_THEM.sub(" claim them", clean)
    clean = _TOTAL_BALANCE.sub("my net worth", clean)
    clean = _ALTOGETHER.sub("my net worth", clean)
    clean = _STAKED_AMOUNT.sub("my srex balance", clean)
    clean = _LEAVE_STAKE.sub(r"\g<claim>", clean)
    clean = _SHARE_OF_WHAT.sub(_share_of_what, clean)
    clean = _NEED_THERE.sub(_need_there, clean)
    clean = _DRAW.sub("chart ", clean)
    clean = _WHAT_HAVE_I.sub("show my balance", clean)
    clean = _ENOUGH.sub(_enough, clean)
    clean = _STILL_HAVE.sub(r"\g<head>", clean)
    clean = _ENDED_UP.sub(r"how \g<much> \g<token> do i have", clean)
    clean = _LIST_MINE.sub(r"\g<head>", clean)
    clean = _LIST_HOLDINGS.sub("show my balance", clean)
    clean = _POINT_TALLY.sub("points ", clean)
    if not re.search(r"\d|\b(?:send|swap|sell|buy|stake|bridge|all|half)\b", clean, re.I):
        clean = _PTS.sub("points", clean)
    clean = _OF_IT.sub(r"\g<amt> of \g<obj>", clean)
    clean = _VERB_LAST.sub(_verb_first, clean)
    clean = re.sub(r"\s+([,.!?])", r"\1", clean)
    return " ".join(clean.split()).strip(" ,") or " ".join(text.split())


def _onto_chain(match: re.Match[str]) -> str:
    whole = match.group(0)
    wished = re.match(r"(?:i\s+(?:want|need)|get)\b", whole, re.IGNORECASE) is not None
    mine = re.search(r"\bmy\s", whole, re.IGNORECASE) is not None
    token = match["what"].split()[-1]
    if not is_token_word(token):
        return whole  # "i need 3 wallets on base": no token
    put = re.match(r"put\b", whole, re.IGNORECASE) is not None
    if (wished or match["prep"].lower() == "on") and not mine and not put:
        return whole  # "i need 5 eth on base": bought there, or bridged? asked
    return f"bridge {match['what']} to {match['chain']}"


def _pay_with(match: re.Match[str]) -> str:
    """A purchase paid in a known token; "pay in full", "pay in cash", "pay in points" are
    no token to sell, and stay as written (asked about)."""
    token = match["token"]
    bought = match["what"].split()[-1]
    if not (_a_token(token) and _a_token(bought)) or token.lower().lstrip("$") in _NOT_PAYMENT:
        return match.group(0)
    return f"buy {match['what']} with {token}"


_NOT_PAYMENT = frozenset(
    {"full", "cash", "card", "fiat", "eur", "euro", "euros", "usd", "dollars", "gbp", "points",
     "installments", "instalments", "advance", "kind", "person"}
)  # fmt: skip


def _share_of_what(match: re.Match[str]) -> str:
    if not (_a_token(match["a"]) and _a_token(match["b"])):
        return match.group(0)
    return f"swap {match['frac']} of my {match['a']} to {match['b']}"


def _a_token(word: str) -> bool:
    """A known token that is no wallet's name ("bob" is BOBBOB, and a wallet)."""
    from rexos.orchestrator.understand.safety import DEFAULT_WALLETS

    return is_token_word(word) and word.lower().lstrip("$") not in DEFAULT_WALLETS


def _spend_on(match: re.Match[str]) -> str:
    """ "spend 500 usdc on pendle": a known token bought ("put 5 eth on hold" is no trade)."""
    if not _a_token(match["target"]) or re.fullmatch(CHAIN_NAME, match["target"], re.I):
        return match.group(0)
    return f"swap {match['what']} to {match['target']}"


def _enough(match: re.Match[str]) -> str:
    return f"my {match['token']} balance" if _a_token(match["token"]) else match.group(0)


def _chain_to_chain(match: re.Match[str]) -> str:
    if not _a_token(match["what"].split()[-1]):
        return match.group(0)
    return f"bridge {match['what']} from {match['a']} to {match['b']}"


def _need_there(match: re.Match[str]) -> str:
    wished, named = match["token"], match["named"]
    token = named or wished
    if named is not None and wished.lower() not in (named.lower(), "gas"):
        return match.group(0)  # "i need usdc on zksync, bridge 120 eth": which one? asked
    if not _a_token(token) or token.lower() == "gas":
        return match.group(0)
    return f"bridge {match['n']} {token} to {match['chain']}"


def _bring_token(match: re.Match[str]) -> str:
    if not is_token_word(match["token"]):
        return match.group(0)
    return f"bridge {match['token']} to {match['chain']}"


def _wrap(match: re.Match[str]) -> str:
    amount, token = match["amount"], match["token"].lower()
    if match["verb"].lower() == "wrap":
        return match.group(0) if token == "weth" else f"swap {amount} eth to weth"
    return match.group(0) if token == "eth" else f"swap {amount} weth to eth"


def _verb_first(match: re.Match[str]) -> str:
    """ "to carol, 40 usdc, send" → "send 40 usdc to carol"; "alice, 0.15 eth, send am" →
    "send 0.15 eth to alice": the pieces a comma separates, the amount first."""
    verb, rest = match["verb"], match["rest"].strip(" ,")
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    if len(parts) == 2:
        first, second = parts
        if re.match(r"to\s+\S+$", first, re.I):
            return f"{verb} {second} {first}"
        if verb.lower() == "send" and re.fullmatch(r"[a-z][\w.-]*", first, re.I):
            return f"{verb} {second} to {first}"
    return f"{verb} {' '.join(parts)}"


def strip_tails(text: str) -> str:
    """``text`` without a polite tail ("… thanks", "… pls")."""
    return _TAILS.sub("", text.strip()).strip(" ,") or text.strip()
