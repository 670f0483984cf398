"""Reading the values of a request whatever its word order: amounts with the token they
belong to, tokens, recipients, chains and sides.

Every value returned is a span of the request as typed (a symbol is upper-cased, a name
mapped to its symbol): nothing here invents an amount, a token or an address. What cannot
be read exactly stays unread, and the pipeline asks for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rexos.chain.ens import is_ens_name
from rexos.orchestrator.intent.slots import CHAIN_ALIASES
from rexos.orchestrator.understand.vocab import NAMES, is_token_word, symbols, token_names

__all__ = ["Mention", "Values", "read_values"]

_ADDRESS = re.compile(r"(?<![0-9A-Za-z])0x[0-9a-fA-F]{40}(?![0-9A-Za-z])")
_NUMBER = r"\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|mm|b|bn|thousand|million|billion)\b)?"
_AMOUNT = re.compile(
    rf"(?P<usd>\$\s?{_NUMBER}|{_NUMBER}\s?(?:dollars?|bucks|usd)\b(?:\s+worth)?)"
    rf"|(?P<pct>\d+(?:\.\d+)?\s?(?:%|percent|per cent))"
    rf"|(?P<num>(?<![\w.$,/*×]){_NUMBER}(?![\w.,/*×]))"
    r"|(?P<share>\b(?:half|all|everything|max|maximum|a third|one third|two thirds|a quarter"
    r"|three quarters|a tenth)\b)"
    r"|(?P<vague>\b(?:some|a bit|a little(?: bit)?|a few|a bunch|a couple|a lot|a small amount"
    r"|lots)\b)",
    re.IGNORECASE,
)
_SIDES = {
    "long": "long", "longs": "long", "longing": "long", "bullish": "long", "lever long": "long",
    "short": "short", "shorts": "short", "shorting": "short", "bearish": "short",
}  # fmt: skip
_JOIN = re.compile(
    r"^(?:\s*(?:of|my|the|worth|in|all|from|staked|these|those|your)\b)*\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Mention:
    """One value as typed: where it starts in the request, its text, what it reads as."""

    start: int
    end: int
    text: str
    value: str


@dataclass
class Values:
    """What a request says, in order of appearance."""

    text: str
    amounts: list[Mention] = field(default_factory=list)
    vague: list[Mention] = field(default_factory=list)
    tokens: list[Mention] = field(default_factory=list)
    addresses: list[Mention] = field(default_factory=list)
    ens: list[Mention] = field(default_factory=list)
    chains: list[Mention] = field(default_factory=list)
    sides: list[str] = field(default_factory=list)

    def amount_of(self, token: Mention) -> Mention | None:
        """The amount written right before ``token`` ("2 eth", "$50 of eth", "half my eth")."""
        before = [a for a in self.amounts if a.end <= token.start]
        if not before:
            return None
        last = before[-1]
        gap = self.text[last.end : token.start]
        return last if _JOIN.fullmatch(gap) else None

    def word_before(self, mention: Mention) -> str:
        words = self.text[: mention.start].split()
        return words[-1].lower() if words else ""


_HEDGE_BEFORE = re.compile(
    r"(?:~|≈|[-−–—+]|\bpoint|\bminus|\bcirca|\babout|\baround|\broughly|\bapprox\w*|\balmost|\bnearly|\bat\s+least"
    r"|\bat\s+most|\bup\s+to|\bunder|\bover|\bbetween|\bsome|\bmaybe|\bor\s+so|\bish)\s*$",
    re.IGNORECASE,
)
_HEDGE_AFTER = re.compile(
    r"^(?:\s*(?:-|–|—|to|or|and)\s*\$?\d|\s*-?ish\b|\s*or\s+so\b|\s*e\s*[-+]?\d)", re.I
)


def _hedged(text: str, start: int, end: int) -> bool:
    """Whether the amount at ``text[start:end]`` is approximate, a range or negative
    ("about 5", "1-2", "5ish", "-5"): such an amount is never read, only asked for."""
    return bool(_HEDGE_BEFORE.search(text[:start]) or _HEDGE_AFTER.match(text[end:]))


def _spans_overlap(a: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(a[0] < b[1] and b[0] < a[1] for b in taken)


_CUE_AFTER = re.compile(r"^\s+(?:chart|balance|price|prices|token|tokens|coin)\b", re.I)
_CUE_BEFORE = re.compile(r"\b(?:price|chart|graph|value|worth)\s+of\s+(?:the\s+)?$", re.I)


def _cued(text: str, word: re.Match[str]) -> bool:
    """A known symbol that is also a word ("sand", "amp", "ONE") read as the token where the
    request says so: "sand balance", "price of amp", "the ONE token", or written in capitals
    inside a request in lower case ("graph for the ONE token")."""
    symbol = word[0].removeprefix("$").upper()
    if symbol not in symbols():
        return False
    if _CUE_AFTER.match(text[word.end() :]) or _CUE_BEFORE.search(text[: word.start()]):
        return True
    shouted = word[0].isupper() and len(word[0]) >= 3 and word.start() > 0
    return shouted and sum(1 for w in text.split() if any(c.islower() for c in w)) >= 2


def read_values(text: str, wallet_names: frozenset[str] = frozenset()) -> Values:
    """Every value in ``text`` (already normalised)."""
    found = Values(text)
    taken: list[tuple[int, int]] = []
    for m in _ADDRESS.finditer(text):
        found.addresses.append(Mention(m.start(), m.end(), m[0], m[0]))
        taken.append(m.span())
    for m in re.finditer(r"(?<![\w.-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.eth\b", text):
        if is_ens_name(m[0].lower()) and not _spans_overlap(m.span(), taken):
            found.ens.append(Mention(m.start(), m.end(), m[0], m[0].lower()))
            taken.append(m.span())
    names = token_names()
    lower_text = text.lower()
    for run in re.finditer(r"\b[a-z]+(?: [a-z]+)+\b", lower_text):
        spans = [w.span() for w in re.finditer(r"[a-z]+", run[0])]
        for length in (3, 2):  # every window of the run, longest names first
            for i in range(len(spans) - length + 1):
                span = (run.start() + spans[i][0], run.start() + spans[i + length - 1][1])
                phrase = lower_text[span[0] : span[1]]
                if (phrase in names or phrase in CHAIN_ALIASES) and not _spans_overlap(span, taken):
                    if phrase in CHAIN_ALIASES and phrase not in names:
                        found.chains.append(Mention(*span, phrase, CHAIN_ALIASES[phrase]))
                    else:
                        found.tokens.append(Mention(*span, phrase, names[phrase]))
                    taken.append(span)
    for m in _AMOUNT.finditer(text):
        if _spans_overlap(m.span(), taken):
            continue
        kind = "vague" if m["vague"] or _hedged(text, m.start(), m.end()) else "amount"
        target = found.vague if kind == "vague" else found.amounts
        target.append(Mention(m.start(), m.end(), m[0], m[0]))
        taken.append(m.span())
    for m in re.finditer(r"\$?[A-Za-z][A-Za-z0-9]{0,11}", text):
        if _spans_overlap(m.span(), taken):
            continue
        word = m[0]
        lower = word.lower().removeprefix("$")
        if re.match(r"\.\w", text[m.end() : m.end() + 2]) or re.search(r"\w\.$", text[: m.start()]):
            continue  # "usdc.e", "a.usdc": not the token the bare symbol names
        if lower in _SIDES:
            found.sides.append(_SIDES[lower])
            continue
        if lower in CHAIN_ALIASES and not word.startswith("$"):
            found.chains.append(Mention(m.start(), m.end(), word, CHAIN_ALIASES[lower]))
            if not is_token_word(word):  # eth, arb, op: a chain or a token, by context
                continue
        if lower in wallet_names:
            continue
        if is_token_word(word) or (lower in names and len(lower) >= 4) or _cued(text, m):
            symbol = NAMES.get(lower) or names.get(lower) or word.removeprefix("$").upper()
            if symbol.upper() in symbols() or lower in names:
                found.tokens.append(Mention(m.start(), m.end(), word, symbol.upper()))
    found.tokens.sort(key=lambda t: t.start)
    found.chains.sort(key=lambda c: c.start)
    return found
