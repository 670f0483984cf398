"""Cleaning a question's words before its kind is read: typos of the words the rules know
("portfollio", "pirce", "net worht") become those words; "wrapped eth" becomes "weth".

A word of five letters or more that is one edit (an insertion, a deletion, a substitution or
two neighbours swapped) from exactly one known word, and is not itself a known word, is read
as that word. Token symbols and names are not corrected (they are matched against the facts).
"""

from __future__ import annotations

import re

__all__ = ["VOCABULARY", "clean"]

_KNOWN = """
net worth portfolio wallet price prices source sources value worth total balance holding
holdings position positions biggest largest smallest token tokens asset assets spam scam
risky risk concentrated concentration diversified approval approvals allowance allowances
spender spend revoke changed change changes since previous report performance performed
week weekly month monthly today daily profit profits realised realized unrealised
unrealized basis news headline headlines posts sentiment mood disputed divergence diverging
counted excluded chain chains block address generated staked stake liquidity pool reward
rewards vesting points median sources percent percentage share value dollars should will
"""
VOCABULARY = frozenset(_KNOWN.split())

_WORD = re.compile(r"[a-z]+")


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one insertion, deletion, substitution or swap."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        if len(diff) == 1:
            return True
        return (len(diff) == 2 and diff[1] == diff[0] + 1
                and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])  # fmt: skip
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:k] + long_[k + 1 :] == short for k in range(len(long_)))


_ORDINARY = """
worst worse where there their these those which whose would could about after again still
stock spent sells bought loser lower lowest higher highest gains gainer money holds owned
coins chart tells shows prize paste taken takes makes share since state stated cost costs
point sharpe
"""
_COMMON = frozenset(_ORDINARY.split())
"""Ordinary words one edit from a known word ("worst" is not "worth"): never corrected."""


def _fix(word: str) -> str:
    if len(word) < 5 or word in VOCABULARY or word in _COMMON:
        return word
    near = [known for known in VOCABULARY if _one_edit(word, known)]
    return near[0] if len(near) == 1 else word


def clean(text: str, held: frozenset[str] = frozenset()) -> str:
    """``text`` (lower-cased) with typos of known words fixed; ``held`` words are kept."""
    fixed = _WORD.sub(lambda m: m.group() if m.group() in held else _fix(m.group()), text)
    fixed = re.sub(r"\bnet ?w(?!orks?\b)\w{2,4}\b|\bnetw(?!orks?\b)\w{3,4}\b", "net worth", fixed)
    fixed = re.sub(r"\bwrapped (eth|ether|btc|bitcoin)\b", lambda m: "w" + m.group(1)[:3], fixed)
    for pattern, word in _PHRASES:
        fixed = re.sub(pattern, word, fixed)
    return fixed


_PHRASES = (
    (r"(?<![\w#])#\s*(?=[a-z])", "number of "),
    (r"(?<=[a-z])[_.](?=[a-z])", " "),
    (r"\b(the )?(most|more) (small|little|tiny|low)\b|\bleast (big|large)\b", "smallest"),
    (r"\b(the )?(most|more) (big|large|heavy)\b|\bleast (small|little)\b", "biggest"),
    (r"\bnw\b", "net worth"),
    (r"\b(port|portf|pf|folio)\b", "portfolio"),
    (r"\b(chg|chng)\b", "change"),
    (r"\b(bal|bals)\b", "balance"),
    (r"\bamt\b", "amount"),
    (r"\b(1|one) ?d\b", "24h"),
    (r"\b(wk|wks|1 ?w)\b", "week"),
    (r"\b(src|srcs)\b", "sources"),
    (r"\bval\b", "value"),
    (r"\bperf\b", "performance"),
    (r"\bunreal\b", "unrealised"),
    (r"\bu ?pnl\b", "unrealised pnl"),
    (r"\br ?pnl\b", "realised pnl"),
    (r"\bprev\b", "previous"),
    (r"\b(newz|nws)\b", "news"),
    (r"\bdod\b", "24h"),
    (r"\bconc\b", "concentration"),
    (r"\bcb\b", "cost basis"),
    (r"\bsenti\b", "sentiment"),
    (r"\bcnt\b", "count"),
    (r"\bts\b", "timestamp"),
    (r"\b(holdings|tokens|assets|positions|coins) #", r"number of \1"),
    (r"\bw/w\b", "week over week"),
    (r"\bun(favou?rable|fav)\b", "negative"),
    (r"\b(favou?rable|upbeat|optimistic)\b", "positive"),
    (r"\b(pessimistic|downbeat)\b", "negative"),
    (r"\blong story short\b", ""),
    (r"\bheadline (figure|number)\b", "total"),
    (r"\bmak(e|es|ing) up\b", "form"),
    (r"\b(as of|according to) (this|the) report\b", ""),
    (r"\bmark(ed)? (price|level)\b", "price"),
    (r"\bmarked\b(?! (as|spam|down|up))", "priced"),
    (r"\bmarks?\b(?! (as|it|them|this|that|spam|down|up))", "price"),
    (r"\bdeltas?\b", "change"),
    (r"\bnotional\b", "value"),
    (r"\b(the|my|our|whole|entire|client's) book\b", r"\1 portfolio"),
)
"""Phrases read as the word the rules know: "# holdings" is "number of holdings", a fact id's
"net_worth.usd" is "net worth usd", "the most small" (non-native grammar) is "smallest";
shorthand ("nw", "% of port", "24h chg", "bal", "1d", "wk", "src", "val", "perf") is the word
it shortens; "favourable" and "unfavourable" items are the positive and negative ones. Words
that only look like a kind's are read as what they mean: "long story short" is no news story,
a "headline figure" is the total, and what "makes up most of" the wallet is what forms it
(not a move up). "As of this report" only says when, as every answer is: no question of the
report's time. A trader's "mark" is a price, "delta" a change, "notional" a value and "the
book" the portfolio."""
