"""Rules for the commands that only read: price, balance, chart, portfolio, query, ask."""

from __future__ import annotations

import re

from rexos.orchestrator.intent.result import JsonValue
from rexos.orchestrator.intent.rule import Rule, trigger
from rexos.orchestrator.intent.slots import (
    CHAIN_ALIASES,
    Context,
    Unclear,
    amount_json,
    parse_symbol,
    read_amount,
)

__all__ = [
    "ASK",
    "BALANCE",
    "CHART",
    "PERFORMANCE",
    "POINTS",
    "PORTFOLIO",
    "PRICE",
    "QUERY",
    "QUESTION_START",
    "SQL",
    "ask_prompt",
    "period_days",
]

Args = dict[str, JsonValue]
MAX_CHART_DAYS = 3650


_PLACEHOLDER = re.compile(
    r"(?:(?:a|one|my)\s+)?(?:something|anything|stuff|smth|sth|a\s+question|question|questions"
    r"|a\s+thing|things)(?:\s+(?:for\s+me|please|pls|quickly|real\s+quick))?",
    re.IGNORECASE,
)
"""A prompt that holds no question ("ask the on-chain ai something for me")."""
_PROMPT_LABEL = re.compile(r"^(?:question|prompt|q)\s*[:\-]\s*", re.IGNORECASE)


def ask_prompt(rest: str) -> str | None:
    """The question in what follows "ask the on-chain ai", without a "question:" label;
    ``None`` when there is none ("ask the on-chain ai something for me")."""
    prompt = _PROMPT_LABEL.sub("", rest.strip())
    if not prompt.strip(".!? ") or _PLACEHOLDER.fullmatch(prompt.strip(".!? ")):
        return None
    return prompt


def _ask(match: re.Match[str], ctx: Context) -> Args:
    prompt = ask_prompt(match["rest"])
    if prompt is None:
        raise Unclear("What do you want to ask DPrompt?", "prompt")
    return {"prompt": prompt}


ASK = Rule(
    "ask",
    trigger(
        r"(?:(?:ask|query)\s+(?:the\s+)?(?:on[-\s]?chain\s+(?:ai|model|llm)|dprompt|model|ai"
        r"|an?\s+llm|llm)"
        r"|(?:send|pass|forward|submit|give|put)\s+(?:this|the|my|a)\s+(?:prompt|question|query)"
        r"\s+(?:to|into)\s+(?:the\s+)?(?:on[-\s]?chain\s+(?:ai|model|llm)|dprompt)"
        r"|(?:the\s+)?on[-\s]?chain\s+ai\s*[:,])\b[\s,:]*(?:to\s+(?=explain|tell|describe|"
        r"summari[sz]e|give|list|say|write|define))?(?P<rest>.*)"
    ),
    _ask,
    free_text=True,
)


def _query(match: re.Match[str], ctx: Context) -> Args:
    groups = match.groupdict()
    question = (groups.get("question") or groups.get("explicit") or "").strip()
    if not question.strip(".!? "):
        raise Unclear("What do you want to know from the indexed chain data?", "question")
    return {"question": question}


SQL = Rule(
    "query",
    trigger(r"(?:query|sql|db|database)\b[\s,:]*(?P<explicit>.*)"),
    _query,
    free_text=True,
)
QUESTION_START = (
    r"(?:how\s+many|which|who|list|count|top\s+\d+|when\s+(?:did|was)"
    r"|what\s+(?:is|was|are|were)\s+the\s+(?:total|average|number|sum|largest|biggest"
    r"|smallest|top|most|median|count)"
    r"|show\s+(?:me\s+)?(?:the\s+)?(?:top|all|last|latest|largest|biggest|number))\b"
)
"""How a question over the indexed chain data starts ("how many …", "which wallet …")."""
QUERY = Rule("query", trigger(rf"(?P<question>{QUESTION_START}.*)"), _query, free_text=True)

_UNIT_DAYS = {"d": 1, "day": 1, "w": 7, "week": 7, "m": 30, "month": 30, "y": 365, "year": 365}
_PERIOD = re.compile(
    r"(?:\s+(?:over|for|in|during|from))?(?:\s+the)?(?:\s+(?:last|past|previous))?"
    r"(?:\s+(?P<n>\d+)\s*-?\s*(?P<unit>hour|day|week|month|year)s?"
    r"|\s+(?P<unit1>day|week|month|year)|\s+(?P<n2>\d+)(?P<short>[hdwmy]))$",
    re.IGNORECASE,
)


def _period(found: re.Match[str]) -> int:
    """Days of a matched period; hours round up to whole days (48 hours: 2, 24h: 1)."""
    unit = (found["unit"] or found["unit1"] or found["short"]).lower()
    n = int(found["n"] or found["n2"] or 1)
    if unit in ("h", "hour"):
        return -(-n // 24)
    return n * _UNIT_DAYS[unit]


_SUBJECT_NOISE = {
    "of", "for", "my", "the", "a", "price", "prices", "history", "chart", "value", "worth",
    "balance", "performance",
}  # fmt: skip


def _chart(match: re.Match[str], ctx: Context) -> Args:
    rest = " " + match["rest"].strip()
    days: int | None = None
    period = _PERIOD.search(rest)
    if period:
        days = _period(period)
        rest = rest[: period.start()]
        if not 1 <= days <= MAX_CHART_DAYS:
            raise Unclear(f"Over how many days (1 to {MAX_CHART_DAYS})?", "days")
    else:
        for pattern, named_days in _PERIODS:  # "candles for hype today", "… this week"
            said = re.search(rf"\s+(?:{pattern})$", rest, re.IGNORECASE)
            if said:
                days, rest = named_days, rest[: said.start()]
                break
    words = [w for w in rest.split() if w.lower() not in _SUBJECT_NOISE]
    if not words:
        raise Unclear("What should I chart: a token (e.g. ETH) or your portfolio?", "subject")
    if len(words) > 1:
        raise Unclear(f"One thing at a time: which of {', '.join(words)}?", "subject")
    subject = (
        "portfolio" if words[0].lower() == "portfolio" else parse_symbol(words[0], "subject", ctx)
    )
    return {"subject": subject, "days": days}


CHART = Rule(
    "chart",
    trigger(
        r"(?:chart|plot|graph|visuali[sz]e|draw\s+(?:me\s+)?(?:a\s+)?(?:chart|graph)\s+of"
        r"|show\s+(?:me\s+)?(?:a\s+|the\s+)?(?:chart|graph|plot)\b)"
        r"(?P<rest>.*)"
    ),
    _chart,
)

PORTFOLIO = Rule(
    "portfolio",
    trigger(
        r"(?:(?:(?:show|view|open|display)\s+(?:me\s+)?)?(?:my\s+)?(?:portfolio|bags)"
        r"(?:\s+(?:value|overview|summary|worth))?"
        r"|(?:what(?:'s|\s+is)|how(?:'s|\s+is)|how\s+much\s+is)\s+my\s+portfolio"
        r"(?:\s+(?:worth|doing|value))?"
        r"|(?:what(?:'s|s|\s+is)\s+)?(?:my\s+)?net\s+worth(?:\s+on[-\s]?chain)?"
        r"|sum\s+up\s+my\s+(?:bags|portfolio|holdings|wallet|stash)"
        r"|(?:what(?:'s|s|\s+is)\s+)?(?:the\s+)?total\s+(?:of|in)\s+my\s+(?:account|wallet|portfolio))$"
    ),
    lambda m, ctx: {},
)

_SYM = r"\$?[A-Za-z0-9]+"
_CHAIN_WORDS = "|".join(
    sorted(set(CHAIN_ALIASES) - {"eth", "arb", "op", "bnb", "avax", "matic"}, key=len, reverse=True)
).replace(" ", r"\s+")
"""Chains by name ("usdc in arbitrum" is no price), not the tickers some are called by
("eth", "arb", "op", "bnb": "10 link in eth" is a price in ETH)."""


_EVERY_TOKEN = {"tokens", "coins", "crypto", "assets", "money", "funds", "token", "stuff"}


def _balance(match: re.Match[str], ctx: Context) -> Args:
    word = match["t1"] or match["t2"] or match["t3"]
    if word and word.lower() in _EVERY_TOKEN:
        word = None
    return {"token": parse_symbol(word, "token", ctx) if word else None}


BALANCE = Rule(
    "balance",
    trigger(
        r"(?:(?:check|show|get)\s+(?:me\s+)?)?(?:what(?:'s|\s+is|\s+are)\s+)?(?:my\s+)?"
        r"(?:(?:wallet\s+)?balances?|(?P<t1>" + _SYM + r")\s+balance"
        r"|balance\s+(?:of|in|for)\s+(?:my\s+)?(?P<t2>" + _SYM + r"))"
        r"$|what\s+do\s+i\s+(?:have|hold|own)$|what(?:'s|\s+is)\s+in\s+my\s+wallet$"
        r"|how\s+(?:much|many)\s+(?P<t3>(?!(?:points|rewards)\b)" + _SYM + r")\s+"
        r"(?:do\s+i\s+(?:still\s+)?(?:have|hold|own)"
        r"(?:\s+(?:left|now))?|did\s+i\s+end\s+up\s+with|have\s+i\s+got(?:\s+left)?"
        r"|am\s+i\s+(?:holding|sitting\s+on)|(?:is|are)\s+(?:left\s+)?in\s+my\s+wallet"
        r"|(?:do\s+i\s+have|(?:is|are)(?:\s+left)?)\s+on\s+(?:" + _CHAIN_WORDS + r")"
        r"|i\s+(?:have|hold|own|got)(?:\s+(?:left|now))?)$"
    ),
    _balance,
)


def _price(match: re.Match[str], ctx: Context) -> Args:
    strict = re.fullmatch(
        r"(?:(?:what(?:'s|s|\s+is)\s+)?(?:the\s+)?(?:current\s+|latest\s+)?price\s+(?:of\s+|for\s+)?"
        r"(?:(?P<amount_a>\S+)\s+)?(?P<a>" + _SYM + r")"
        r"|(?:what(?:'s|\s+is)\s+)?(?:the\s+)?(?P<b>" + _SYM + r")\s+price"
        r"|how\s+much\s+(?:is|are)\s+(?:(?P<amount_c>\S+)\s+)?(?P<c>" + _SYM + r")(?:\s+worth)?"
        r"|what(?:'s|s|\s+is)\s+(?P<d>" + _SYM + r")\s+(?:trading\s+at|worth|at|going\s+for"
        r"|selling\s+for)|(?:(?P<amount_e>\d[\d,.]*[kmb]?)\s+)?(?P<e>" + _SYM + r")(?=\s+in\s))"
        r"(?:\s+in\s+(?P<quote>" + _SYM + r"))?(?:\s+(?:today|now|right\s+now|these\s+days))?",
        match[0],
        re.IGNORECASE,
    )
    if strict is None:
        raise Unclear("The price of which token (one at a time, e.g. 'price of ETH')?", "token")
    amount_text = strict["amount_a"] or strict["amount_c"] or strict["amount_e"]
    amount = None
    if amount_text and amount_text.lower() not in {"a", "an", "the"}:
        amount = read_amount(amount_text)
    word = strict["a"] or strict["b"] or strict["c"] or strict["d"] or strict["e"]
    token = parse_symbol(word, "token", ctx)
    quote = parse_symbol(strict["quote"], "quote", ctx) if strict["quote"] else None
    return {
        "token": token,
        "quote": quote,
        "amount": amount_json(amount) if amount else None,
    }


PRICE = Rule(
    "price",
    trigger(
        r"(?:what(?:'s|s|\s+is)\s+)?(?:the\s+)?(?:current\s+|latest\s+)?price\b.*"
        r"|how\s+much\s+(?:is|are)\b.*"
        r"|(?:what(?:'s|\s+is)\s+)?(?:the\s+)?\S+\s+price(?:\s+in\s+\S+)?$"
        r"|what(?:'s|s|\s+is)\s+\S+\s+(?:trading\s+at|worth|at|going\s+for|selling\s+for)"
        r"(?:\s+(?:today|now|right\s+now|these\s+days))?$"
        rf"|(?:\d[\d,.]*[kmb]?\s+)?{_SYM}\s+in\s+(?!(?:{_CHAIN_WORDS})\b|my\b|your\b|the\b){_SYM}\??$"
    ),
    _price,
)


POINTS = Rule(
    "points",
    trigger(
        r"(?:(?:show|check|get|see|view|display|tell)\s+(?:me\s+)?)?"
        r"(?:what(?:'s|\s+is|\s+are)\s+)?(?:my\s+)?(?:current\s+)?"
        r"(?:(?:ai|rex|staking|reward|rewards)\s+)?points(?:\s+balance)?(?:\s+so\s+far)?$"
        r"|how\s+(?:many|much)\s+(?:ai\s+|rex\s+)?points\b.*"
        r"|(?:(?:show|check|see|view)\s+(?:me\s+)?)?(?:what(?:'s|\s+is|\s+are)\s+)?my\s+"
        r"(?:(?:pending|accrued|unclaimed|staking|current)\s+)*rewards(?:\s+so\s+far)?$"
        r"|(?:(?:show|check|see|view)\s+(?:me\s+)?)?(?:what(?:'s|\s+is)\s+)?my\s+"
        r"(?:staking\s+|stake\s+)?position$"
    ),
    lambda m, ctx: {},
)
"""The AI points, rewards and staking position of the user's wallet."""

_PERIODS: tuple[tuple[str, int], ...] = (
    (r"today|(?:the\s+)?(?:last|past)\s+24\s*h(?:ours?)?|24\s*h(?:ours?)?|1d", 1),
    (r"(?:this|the\s+past|the\s+last|last|past|a)\s+week|since\s+last\s+week|7\s*d|wtd", 7),
    (r"(?:this|the\s+past|the\s+last|last|past|a)\s+month|since\s+last\s+month|30\s*d|mtd", 30),
    (r"(?:this|the\s+past|the\s+last|last|past|a)\s+year|since\s+last\s+year|ytd|365\s*d", 365),
)


_PERIOD_INSIDE = re.compile(
    r"\b(?:over|for|in|during)\s+the\s+(?:last|past|previous)\s+(?P<n>\d+)\s*-?\s*"
    r"(?P<unit>hour|day|week|month|year)s?\b(?P<unit1>)(?P<n2>)(?P<short>)",
    re.IGNORECASE,
)
"""A period inside the sentence ("how my portfolio moved in the past 7 days on a chart")."""


def period_days(text: str) -> int | None:
    """The period a performance question names, in days (None: none named)."""
    rest = " " + text.strip(" ?.!,")
    found = _PERIOD.search(rest) or _PERIOD_INSIDE.search(rest)
    if found:
        days = _period(found)
        return days if 1 <= days <= MAX_CHART_DAYS else None
    for pattern, days in _PERIODS:
        if re.search(rf"\b(?:{pattern})\b", text, re.IGNORECASE):
            return days
    plain = _PERIOD_PLAIN.search(text)  # "bitcoin 1 year chart", "a 3 month chart of eth"
    if plain:
        days = int(plain["n"]) * _PLAIN_UNIT_DAYS[plain["unit"].lower()]
        return days if 1 <= days <= MAX_CHART_DAYS else None
    return None


_PERIOD_PLAIN = re.compile(r"\b(?P<n>\d{1,3})\s*-?\s*(?P<unit>day|week|month|year)s?\b", re.I)
_PLAIN_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


_WHOSE = r"(?:my\s+(?:portfolio|wallet|bags?|holdings|account|investments?|positions?)|i|we)"
PERFORMANCE = Rule(
    "performance",
    trigger(
        rf"(?:how\s+(?:did|has|have|is|am|are|was)\s+{_WHOSE}\s+"
        r"(?:perform(?:ed|ing)?|done|did|do|go(?:ne)?)\b"
        rf"|how\s+(?:is|am|are)\s+{_WHOSE}\s+doing\b(?=.*\b(?:today|week|month|year|days?|since|"
        r"\d+\s*[dwmy])\b)"
        r"|am\s+i\s+(?:up|down|in\s+(?:profit|the\s+red|the\s+green|loss)|making\s+money"
        r"|losing\s+money|winning|losing)\b"
        r"|(?:(?:show|check|what(?:'s|\s+is|\s+are))\s+(?:me\s+)?)?(?:my\s+)?"
        r"(?:(?:portfolio|wallet)\s+)?(?:performance|pnl|p&l|p\s*n\s*l|profit\s+and\s+loss"
        r"|returns?|gains?\s+and\s+losses)\b"
        r"|how\s+much\s+(?:did|have)\s+i\s+(?:make|made|earn|earned|gain|gained|lose|lost)\b"
        r"|did\s+i\s+(?:lose|make|gain|earn)\s+(?:any\s+)?(?:money|anything|profit)\b"
        r"|(?:what(?:'s|\s+is|\s+are)\s+)?my\s+(?:gains?|profits?|losses)\b)"
        r"(?P<rest>.*)"
    ),
    lambda m, ctx: {"days": period_days(m["rest"])},
)
"""How the user's portfolio did over a period: value then and now, from the index."""
