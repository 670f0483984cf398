"""Questions as a voice assistant writes them down, and as someone asks for another.

Speech-to-text spells a token by how it sounds: letter by letter ("you ess dee see" is USDC),
as an English word that sounds like it ("eath" is ETH, "wreck s" is REX) or a chain's name in
two words ("dev net"). :func:`spoken` writes such words as the symbol or chain name the facts
hold, so the rules and the reader see the asset named. Nothing is guessed beyond the facts: a
word is rewritten only when it sounds like exactly one symbol or one-word token name that this
wallet holds, is no word people ask questions with (:func:`lexicon`: the training wordings'
words) and is not already that symbol.

An adviser asks for a client ("the client's REX", "does my client hold…"): the report they
read is the client's, so the client is the wallet's owner and is read as "I"/"my".
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from rexos.lense.facts import FactSet
from rexos.lense.report_index import chain_ids, holdings

__all__ = ["lexicon", "sound_key", "spoken"]

_LETTERS = {
    "a": "a", "ay": "a", "bee": "b", "be": "b", "b": "b", "see": "c", "sea": "c", "cee": "c",
    "c": "c", "dee": "d", "d": "d", "e": "e", "ee": "e", "eff": "f", "ef": "f", "f": "f",
    "gee": "g", "g": "g", "aitch": "h", "h": "h", "eye": "i", "i": "i", "jay": "j", "j": "j",
    "kay": "k", "k": "k", "el": "l", "ell": "l", "l": "l", "em": "m", "m": "m", "en": "n",
    "n": "n", "oh": "o", "o": "o", "pee": "p", "pea": "p", "p": "p", "cue": "q", "q": "q",
    "ar": "r", "are": "r", "r": "r", "ess": "s", "es": "s", "s": "s", "tee": "t", "tea": "t",
    "t": "t", "you": "u", "u": "u", "vee": "v", "v": "v", "ex": "x", "x": "x", "why": "y",
    "wye": "y", "y": "y", "zee": "z", "zed": "z", "z": "z",
}  # fmt: skip
"""English letter names as speech-to-text writes them, and the letter each spells."""

_SOUNDS = (
    (r"^wr", "r"), (r"^kn", "n"), (r"ck", "k"), (r"ph", "f"), (r"x", "ks"), (r"th", "0"),
    (r"c(?=[eiy])", "s"), (r"c", "k"), (r"q", "k"), (r"z", "s"), (r"dg", "j"), (r"gh", "g"),
)  # fmt: skip
"""Spellings that sound alike, each written one way (``0`` is "th")."""

_TRAINING = ("qa_train.yaml", "qa_train_voices.yaml", "qa_train_kinds.yaml")
_DATA = Path(__file__).with_name("data")


def sound_key(word: str) -> str:
    """How ``word`` sounds, roughly: its first letter and its consonants, alike spellings
    written alike and doubled sounds once ("eath" and "eth" are ``e0``; "wrecks" and "rex"
    are ``rks``)."""
    key = re.sub(r"[^a-z]", "", word.lower())
    for spelling, sound in _SOUNDS:
        key = re.sub(spelling, sound, key)
    if not key:
        return ""
    key = key[0] + re.sub(r"[aeiouyhw]", "", key[1:])
    return re.sub(r"(.)\1+", r"\1", key)


@cache
def lexicon() -> frozenset[str]:
    """Every word of the training wordings: words people ask with, never a misheard token."""
    words: set[str] = set()
    stack: list[object] = [
        yaml.safe_load((_DATA / n).read_text(encoding="utf-8")) for n in _TRAINING
    ]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            words.update(re.findall(r"[a-z]+", item.lower()))
    return frozenset(words)


def _spoken_names(facts: FactSet) -> dict[str, str]:
    """Sound key → the held symbol it names (keys two or more sounds long that name one
    symbol only; a one-word token name sounds like its symbol)."""
    by_key: dict[str, set[str]] = {}
    for h in holdings(facts):
        if not h.symbol.isascii() or not h.symbol.isalpha() or len(h.symbol) < 3:
            continue
        name = str(facts.value(h.id("name")) or "")
        for said in {h.symbol, *([name] if re.fullmatch(r"[A-Za-z]{3,}", name) else [])}:
            key = sound_key(said)
            if len(key) >= 2:
                by_key.setdefault(key, set()).add(h.symbol)
    return {k: next(iter(v)) for k, v in by_key.items() if len(v) == 1}


_Span = tuple[int, int, str]
"""Words ``start`` to ``end`` (exclusive) of a question, and the symbol they spell."""


def _letters(facts: FactSet, words: list[str]) -> list[_Span]:
    """Runs of spoken letters ("you ess dee see") that spell a held symbol."""
    symbols = {h.symbol.lower(): h.symbol for h in holdings(facts) if h.symbol.isascii()}
    spans: list[_Span] = []
    n = 0
    while n < len(words):
        for end in range(min(len(words), n + 8), n + 1, -1):
            run = [w.lower() for w in words[n:end]]
            if all(w in _LETTERS for w in run):
                spelled = "".join(_LETTERS[w] for w in run)
                if spelled in symbols:
                    spans.append((n, end, symbols[spelled]))
                    n = end
                    break
        else:
            n += 1
    return spans


def _sounded(facts: FactSet, words: list[str], taken: set[int]) -> list[_Span]:
    """Words (or a word and a lone letter after it: "wreck s") that sound like one held
    symbol and are no word of :func:`lexicon`."""
    names = _spoken_names(facts)
    held = {h.symbol.lower() for h in holdings(facts)}
    known = lexicon()
    spans: list[_Span] = []
    for n, word in enumerate(w.lower() for w in words):
        if n in taken or word in held or (spans and spans[-1][1] > n):
            continue
        after = words[n + 1].lower() if n + 1 < len(words) and n + 1 not in taken else ""
        if re.fullmatch(r"[a-z]{2,}", word) and re.fullmatch(r"[b-hj-z]", after):
            symbol = names.get(sound_key(word + after))
            if symbol:
                spans.append((n, n + 2, symbol))
                continue
        if re.fullmatch(r"[a-z]{3,}", word) and word not in known and sound_key(word) in names:
            spans.append((n, n + 1, names[sound_key(word)]))
    return spans


def _chain_words(facts: FactSet, text: str) -> str:
    """A chain's name written in two words ("dev net b") as the facts write it."""
    for c in chain_ids(facts):
        name = str(facts.value(f"chain.{c}.name") or "")
        parts = re.findall(r"[a-z]+|\d+", name.lower())
        if not parts or len(parts[0]) < 5:
            continue
        head = parts[0]
        splits = "|".join(re.escape(head[:k]) + r"\s+" + re.escape(head[k:])
                          for k in range(2, len(head) - 1))  # fmt: skip
        text = re.sub(rf"(?i)\b(?:{splits})\b", head, text)
    return text


_CLIENT = r"(?:client|customer|principal|account holder)"
_FOR_ANOTHER: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(rf"(?i)\b(?:my|our|the|this) {_CLIENT}(?:'s|’s|s')"), "my"),
    (re.compile(rf"(?i)\b(?:for|to|of|with) (?:my|our|the|this) {_CLIENT}\b"), "for me"),
    (re.compile(rf"(?i)\b(does|did|is|was|has|had|can|could|will|would) (?:my|our|the|this) "
                rf"{_CLIENT}\b"), None),
    (re.compile(rf"(?i)\b(?:my|our|the|this) {_CLIENT} (?=(?:has|have|had|holds?|held|owns?|"
                r"is|was|does|did|made|lost|gained|got)\b)"), "I "),
)  # fmt: skip
"""An adviser's "the client's X", "for the client", "does the client …" (None: the verb
asked of "I", :func:`_asked_of_i`), "the client holds"."""
_ASKED_OF_I = {"does": "do", "is": "am", "has": "have"}


def _asked_of_i(found: re.Match[str]) -> str:
    """ "does the client" → "do I", "Is the client" → "Am I", "did the client" → "did I"."""
    verb = found.group(1)
    said = _ASKED_OF_I.get(verb.lower(), verb.lower())
    return (said.capitalize() if verb[0].isupper() else said) + " I"


def spoken(facts: FactSet, question: str) -> str:
    """``question`` with spoken spellings of held symbols and chain names written as the
    facts write them, and an adviser's client read as the asker (see the module docstring)."""
    for pattern, plain in _FOR_ANOTHER:
        question = pattern.sub(
            plain if plain is not None else _asked_of_i,
            question,
        )  # fmt: skip
    question = _chain_words(facts, question)
    words = question.split()
    bare = [re.sub(r"^\W+|\W+$", "", w) for w in words]
    spans = _letters(facts, bare)
    taken = {n for start, end, _ in spans for n in range(start, end)}
    spans = sorted([*spans, *_sounded(facts, bare, taken)])
    if not spans:
        return question
    out: list[str] = []
    last = 0
    for start, end, symbol in spans:
        out += words[last:start]
        tail = re.search(r"\W*$", words[end - 1])
        out.append(symbol + (tail.group() if tail else ""))
        last = end
    return " ".join(out + words[last:])
