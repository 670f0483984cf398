"""What a report cannot speak about: another wallet, a time it was not built at, other topics.

:func:`out_of_scope` reads the question against the facts and gives the reason it has no
answer here, or None. A report is on one wallet: an address the question writes that no fact
holds (another wallet, a whale's) is not this one. It is built at one time and compares with
one earlier report: a date, month or year the question names that no fact's time falls on
(``2026-10-31``, "in January", "at the start of the year") is a past it does not hold. And it
is about the wallet only: account settings, passwords and the like are no report's business,
and it only reads: a request to swap, send or sign is not answered.
"""

from __future__ import annotations

import re

from rexos.lense.facts import FactSet

__all__ = ["out_of_scope"]

_ADDRESS = re.compile(r"\b0x[0-9a-f]{4,40}\b", re.IGNORECASE)
_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_YEAR = re.compile(
    r"\b(?:in|of|since|during|from|before|after|until|year|back in|end of|start of) "
    r"(19\d\d|20\d\d)(?![-/.,]?\d)\b"
)
"""A year written as a time ("in 2024"), not an amount ("more than 2000 REX")."""
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_SHORT_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
                 "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}  # fmt: skip
_PAST_SPAN = (
    r"\b(start|beginning|begin|first day|end) of (the |this |last )?(year|quarter)\b|"
    r"\b(new year|new year's|last quarter|this quarter|previous quarter|q[1-4]|h[12])\b|"
    r"\b(last|previous|past) (christmas|summer|winter|spring|autumn|fall)\b|"
    r"\b(when i (first )?(started|joined|began|opened))\b"
)
"""Spans of time no report holds: it has the day it was built and the previous report's."""

_HOW_TO = (
    r"(^|[.?!]\s+)(please |so |ok |and )*((tell|show) me |(can|could) you (tell|show) me |"
    r"explain )?how (do|can|to|should|would) (i |we |you |one )?(bridge|swap|stake|unstake|"
    r"revoke|send|buy|sell|use|set up|connect|create|add|remove|withdraw|deposit|provide|claim)\b|"
    r"\b(explain|define|describe) what (a|an) \w+|\bwhat (is|are) (a|an) \w+( \w+)?\s*\??\s*$|"
    r"\bwhat does (a|an) \w+( \w+)? mean\b"
)
"""Questions of how to do something or what a word means (asked, not a remark such as "I'm not
sure how to add it up"): no fact of the wallet answers them."""

_OTHER_TOPICS = (
    r"\b(password|passwords|passcode|e-?mail|login|log in|sign in|sign up|username|"
    r"two[- ]factor|2fa|phone number|recipe|football|soccer|movie|joke|poem|song|translate|"
    r"bank|savings account|credit card|mortgage|loan|salary|paycheck|pension)\b"
)
"""Topics that are not the wallet's holdings, prices, news or risks."""


_ACTIONS = (
    r"^(please |kindly |now |ok |okay )*(swap|send|transfer|bridge|buy|sell|stake|unstake|revoke|"
    r"approve|convert|trade|execute|withdraw|deposit|sign|claim|mint|burn)\b|"
    r"\b(can|could|would|will) you (please |kindly )?(swap|send|transfer|bridge|buy|sell|stake|"
    r"unstake|revoke|approve|convert|trade|execute|withdraw|deposit|sign|claim|mint|burn|move)\b"
)
"""Requests to act on the wallet: a report reads, it never moves funds."""


def _fact_times(facts: FactSet) -> tuple[set[tuple[int, int, int]], set[int], set[int]]:
    """The days, months and years of every time the facts hold (as_of and dated values)."""
    days: set[tuple[int, int, int]] = set()
    for fact in facts:
        for text in (fact.as_of, str(fact.value)):
            for y, m, d in _DATE.findall(text):
                days.add((int(y), int(m), int(d)))
    return days, {m for _, m, _ in days}, {y for y, _, _ in days}


def _foreign_address(facts: FactSet, question: str) -> bool:
    written = [a.lower() for a in _ADDRESS.findall(question)]
    if not written:
        return False
    known = " ".join(f"{f.id} {f.value}" for f in facts).lower()
    return any(a not in known for a in written)


_ORDINALS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth",
)  # fmt: skip
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?|(" + "|".join(_ORDINALS) + r")"
_MONTH = "|".join(_MONTHS)


def _month_days(text: str) -> list[tuple[int, int]]:
    """(month, day) of each day written with a full month name, either order ("first of
    November", "November 3rd")."""
    found = []
    for m in re.finditer(rf"\b(?:the )?(?:{_DAY})(?: of)? ({_MONTH})\b", text):
        number, word, month = m.groups()
        day = int(number) if number else _ORDINALS.index(word) + 1
        found.append((_MONTHS.index(month) + 1, day))
    for m in re.finditer(rf"\b({_MONTH}) (?:the )?(?:{_DAY})\b(?!,? ?\d{{3}})", text):
        month, number, word = m.groups()
        day = int(number) if number else _ORDINALS.index(word) + 1
        found.append((_MONTHS.index(month) + 1, day))
    return found


def _other_time(facts: FactSet, text: str) -> bool:
    days, months, years = _fact_times(facts)
    if not days:
        return False
    if any((m, d) not in {(dm, dd) for _, dm, dd in days} for m, d in _month_days(text)):
        return True
    for y, m, d in _DATE.findall(text):
        if (int(y), int(m), int(d)) not in days:
            return True
    if any(int(y) not in years for y in _YEAR.findall(_DATE.sub(" ", text))):
        return True
    named = [n + 1 for n, name in enumerate(_MONTHS) if re.search(rf"\b{name}\b", text)]
    named += [n for short, n in _SHORT_MONTHS.items() if re.search(rf"\b{short}\b", text)]
    if any(m not in months for m in named if m != 5 or re.search(r"\bin may\b", text)):
        return True
    return bool(re.search(_PAST_SPAN, text))


_SUFFIX = re.compile(
    r"\b(?:end(?:s|ing|ed)?|finish(?:es|ing)?|last (?:\w+ )?(?:digits|characters|chars))"
    r"(?: (?:in|with|on|of|being|are|is))?:? (?:0x)?(?:\.\.\.|…)?([0-9a-f]{3,8})\b",
    re.IGNORECASE,
)
"""An address written by its last characters ("the wallet ending 79c8")."""

_PEOPLE = (
    r"friend|wife|husband|partner|sister|brother|mom|mum|mother|dad|father|son|daughter|"
    r"cousin|uncle|aunt|boss|colleague|co-?worker|neighbou?r|room-?mate|girlfriend|boyfriend|"
    r"fianc\w*|kid|grandma|grandpa|grandmother|grandfather|buddy|pal|mate|spouse|"
    r"parents?|family"
)
_THEIRS = re.compile(
    rf"\b(?:her|his|their|someone else'?s|somebody else'?s|other people'?s|"
    rf"(?:my|our|a|the) (?:\w+ )?(?:{_PEOPLE})s?'s?) (?:(?:own|other|new|main|crypto) )?"
    rf"(?:wallet|portfolio)s?\b(?! (?:app|apps|software|extension|provider|company|brand|maker))"
)
"""A wallet that is someone else's ("her wallet", "my sister's portfolio")."""


def _other_wallet(facts: FactSet, question: str) -> bool:
    """The question names a wallet by an ending this one's address lacks ("the one ending
    79c8"), or as another person's."""
    own = str(facts.value("wallet.address") or "").lower()
    for found in _SUFFIX.finditer(question):
        tail = found.group(1).lower()
        before = question[max(0, found.start() - 40) : found.start()].lower()
        about_a_wallet = re.search(r"\b(wallet|address|account|one|0x\w*)\W*(that |which )?$|"
                                   r"\b(wallet|address|account)\b", before)  # fmt: skip
        if own and about_a_wallet and re.search(r"\d", tail) and not own.endswith(tail):
            return True
    return _THEIRS.search(question.lower().replace("\u2019", "'")) is not None


_CHAIN_WORDS = r"(?:network|chain|blockchain|testnet|devnet|rollup|l2)"


def _other_chain(facts: FactSet, text: str) -> bool:
    """A network the question names that the report holds no facts on: a known chain's name
    with a further part ("devnet-c" where only devnet is read) or one called by a name."""
    names = {str(f.value).lower() for f in facts if re.fullmatch(r"chain\.\d+\.name", f.id)}
    if not names:
        return False
    for name in sorted(names, key=len, reverse=True):
        for found in re.findall(rf"(?<![\w-]){re.escape(name)}-[a-z0-9]+\b", text):
            if found not in names:
                return True
    ids = {f.id.split(".")[1] for f in facts if re.fullmatch(r"chain\.\d+\.name", f.id)}
    numbered = re.findall(r"\b(?:chain|network)(?: id)?(?: number)?:? #?(\d{2,})\b", text)
    if any(n not in ids for n in numbered):
        return True  # "on chain 31338" where the report reads no chain by that id
    called = re.findall(
        rf"\b{_CHAIN_WORDS}s? (?:called|named|known as) ['\"“]?([a-z0-9][\w-]*)", text
    )
    return any(c not in names for c in called)


def out_of_scope(facts: FactSet, question: str) -> str | None:
    """Why the report cannot answer ``question`` (see the module docstring), or None."""
    text = " ".join(question.lower().split())
    if _foreign_address(facts, question):
        return "this report is on one wallet; it holds no facts on the address you name."
    if _other_wallet(facts, question):
        return "this report is on one wallet; it holds no facts on another one."
    if _other_chain(facts, text):
        return "this report holds no facts on the network you name."
    if _other_time(facts, text):
        return "the report holds the time it was built and the previous report's, no other."
    if re.search(_HOW_TO, text):
        return "that asks how something works, not what this wallet holds."
    if re.search(_ACTIONS, text):
        return "a report reads the wallet; it does not swap, send or sign anything."
    if re.search(_OTHER_TOPICS, text):
        return "that is not about this wallet's holdings, prices, news or risks."
    return None
