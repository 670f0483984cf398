"""Finding token mentions in free text and resolving them through the ticker database.

The text is split into addresses, ``$`` cashtags, amounts and words. Words are matched, in
this order, as multi-word names (``wrapped bitcoin``), symbols (``LINK``, ``cbBTC``;
``usdc`` in lower case for widely listed tokens), aliases (``ETH`` → WETH), single-word
names (``chainlink``) and, failing all, misspellings of widely listed symbols and names. A
common word (ONE, ME, ``link``) counts only as a cashtag or next to a cue (``buy``,
``price of``, ``token``, an amount). ``on <chain>`` sets the preferred chain for the text;
``to``/``from <chain>`` is a chain, not a token. An address is never made up: a valid
unknown one comes back with ``symbol`` ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from eth_utils.address import is_checksum_address

from rexos.agents.ticker import words
from rexos.agents.ticker.database import TickerDB
from rexos.agents.ticker.fuzzy import closest
from rexos.agents.ticker.rank import STRENGTH, Candidate, MatchKind, rank, resolve
from rexos.agents.ticker.tokenlist import TokenInfo
from rexos.types import Address, parse_address

__all__ = ["Extraction", "Mention", "TickerExtractor", "extract_mentions"]

_TOKEN = re.compile(
    r"(?P<address>(?<![0-9A-Za-z])0x[0-9A-Fa-f]+(?![0-9A-Za-z]))"
    r"|(?P<cashtag>\$[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*)"
    r"|(?P<number>\d[\d,_]*(?:\.\d+)?[kKmMbB]?(?![A-Za-z0-9]))"
    r"|(?P<word>[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*)"
)
_AMOUNT = re.compile(r"\d[\d,_]*(?:\.\d+)?[kKmMbB]?")
_CHAIN_PREPOSITIONS = frozenset({"ON", "IN", "VIA", "ONTO"})
_CHAIN_DIRECTIONS = frozenset({"TO", "FROM"})
_OF_CUES = frozenset({"PRICE", "WORTH", "VALUE", "CHART"})
_SEND_VERBS = frozenset({"SEND", "TRANSFER", "PAY", "GIVE", "TIP", "WIRE", "YEET", "GIFT"})
"""After one of these, "to X" names a recipient: the link word is no cue for X."""
_SUBJECTS = frozenset({"I", "YOU", "WE", "THEY", "U", "TO", "CAN", "WILL", "DONT", "NEVER"})
"""Words after which a common word is a verb ("i check prices", "we watch prices")."""
_FILLERS = frozenset({"SOME", "MY", "MORE", "ALL", "THE", "A", "AN", "YOUR", "HALF", "OF"})
"""Words that may stand between a verb cue and its token ("buy some LINK")."""
_NUMBER_WORDS = """TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN ELEVEN TWELVE TWENTY THIRTY
FORTY FIFTY SIXTY SEVENTY EIGHTY NINETY HUNDRED"""
_MAGNITUDES = frozenset({"K", "THOUSAND", "MILLION", "BILLION", "M", "MM", "BN"}) | frozenset(
    _NUMBER_WORDS.split()
)
"""Amount words before a token cue it like a number does ("1 million PEPE", "twenty LINK")."""
_NAME_TAILS = frozenset({"TOKEN", "COIN"})
_PROPER_TAILS = frozenset({"PROTOCOL", "NETWORK", "FINANCE", "DAO", "LABS"})
"""A token's whole name ending in one of these ("ocean protocol", "band protocol") names the
project even when each word is an ordinary one; "the graph" still needs a cue."""
_CHAIN_NOUNS = frozenset({"MAINNET", "CHAIN", "NETWORK", "GAS", "FEES", "FEE", "L2", "ROLLUP"})
_MAX_NAME_WORDS = 4
_SHORT_NAME = 4
"""Longest lower-case word that needs a cue to be the name of a little-listed token."""
_UNKNOWN_ADDRESS_CONFIDENCE = 0.3
_Match = tuple[TokenInfo, MatchKind, str]


@dataclass(frozen=True, slots=True)
class _Piece:
    kind: str
    text: str
    start: int
    end: int
    gap_after: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """One token mention: where it is, what it resolves to and the ranked alternatives.

    ``chain_id``, ``address`` and ``decimals`` are ``None`` unless the mention resolved to
    one token; ``candidates`` then still lists what it may mean, best first.
    """

    text: str
    start: int
    end: int
    symbol: str | None
    chain_id: int | None
    address: Address | None
    decimals: int | None
    confidence: float
    candidates: tuple[Candidate, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "symbol": self.symbol,
            "chain_id": self.chain_id,
            "address": self.address,
            "decimals": self.decimals,
            "confidence": self.confidence,
            "candidates": [c.to_json() for c in self.candidates],
        }


@dataclass(frozen=True, slots=True)
class Extraction:
    """The mentions found in one text, in reading order."""

    mentions: tuple[Mention, ...]
    preferred_chain: int

    def to_json(self) -> dict[str, object]:
        return {"mentions": [m.to_json() for m in self.mentions]}


def _pieces(text: str) -> list[_Piece]:
    found = list(_TOKEN.finditer(text))
    pieces = []
    for n, match in enumerate(found):
        kind = match.lastgroup or "word"
        if kind == "cashtag" and _AMOUNT.fullmatch(match.group()[1:]):
            kind = "number"
        following = found[n + 1].start() if n + 1 < len(found) else len(text)
        gap = text[match.end() : following]
        pieces.append(_Piece(kind, match.group(), match.start(), match.end(), gap))
    return pieces


class TickerExtractor:
    """Extracts token mentions from text with one :class:`TickerDB`."""

    def __init__(
        self, db: TickerDB, *, max_candidates: int = 5, ordinary: Iterable[str] = ()
    ) -> None:
        """``ordinary``: more words that are a token only as a cashtag or next to a cue,
        e.g. the keystore's wallet names (``send 5 USDC to bob`` sends to a wallet)."""
        self.db = db
        self.max_candidates = max_candidates
        self._ordinary = frozenset(w.upper() for w in ordinary)
        self._typo_symbols = db.symbols(popular=True)
        single_aliases = {a.lower() for a in words.ALIASES if " " not in a}
        self._typo_names = db.names(popular=True) | single_aliases

    def extract(self, text: str, *, chain_id: int | None = None) -> Extraction:
        """Mentions in ``text``; ``chain_id`` (default: the database's home chain) ranks
        candidates unless the text names a chain (``on Base``)."""
        pieces = _pieces(text)
        hinted, skip = self._chain_hint(pieces)
        preferred = hinted or chain_id or self.db.home_chain
        mentions: list[Mention] = []
        ends: list[int] = []
        i = 0
        while i < len(pieces):
            if i in skip:
                i += 1
                continue
            used, mention = self._read(pieces, i, preferred, ends)
            if mention is not None:
                mentions.append(mention)
                ends.append(i + used - 1)
            i += used
        return Extraction(_without_project_names(text, mentions), preferred)

    def _chain_hint(self, pieces: list[_Piece]) -> tuple[int | None, set[int]]:
        chain: int | None = None
        skip: set[int] = set()
        for i in range(len(pieces) - 1):
            this, after = pieces[i], pieces[i + 1]
            if this.kind != "word" or after.kind != "word":
                continue
            named = words.CHAIN_NAMES.get(after.text.upper())
            if named is not None and this.text.upper() in _CHAIN_PREPOSITIONS:
                chain = chain or named
                skip.add(i + 1)
            elif named is not None and this.text.upper() in _CHAIN_DIRECTIONS:
                skip.add(i + 1)
        return chain, skip

    def _read(
        self, pieces: list[_Piece], i: int, preferred: int, ends: list[int]
    ) -> tuple[int, Mention | None]:
        piece = pieces[i]
        if piece.kind == "address":
            return 1, self._address(piece, preferred)
        if piece.kind == "cashtag":
            return 1, self._cashtag(piece, preferred)
        if piece.kind != "word":
            return 1, None
        for n in range(_MAX_NAME_WORDS, 1, -1):
            found = self._phrase(pieces, i, n, preferred, ends)
            if found is not None and pieces[i + n - 1].text.upper() in _NAME_TAILS:
                # "lido dao token": the name without its tail, when that names the same token
                shorter = (
                    self._phrase(pieces, i, n - 1, preferred, ends)
                    if n > 2
                    else self._word(pieces, i, preferred, ends)
                )
                if shorter is not None and shorter.symbol == found.symbol:
                    return n, shorter
            if found is not None:
                return n, found
        return 1, self._word(pieces, i, preferred, ends)

    def _mention(
        self,
        pieces: list[_Piece],
        matches: Iterable[_Match],
        preferred: int,
        *,
        factor: float = 1.0,
        note: str = "",
    ) -> Mention | None:
        first, last = pieces[0], pieces[-1]
        candidates = rank(self.db, matches, preferred)
        if not candidates:
            return None
        if note:
            candidates = [replace(c, reason=f"{note}; {c.reason}") for c in candidates]
        chosen = resolve(candidates, preferred) if not note else None
        shown = tuple(candidates[: self.max_candidates])
        span = (first.start, last.end)
        text = "".join(p.text + p.gap_after for p in pieces[:-1]) + last.text
        if chosen is None:
            symbols = {c.token.symbol.upper() for c in candidates}
            symbol = candidates[0].token.symbol if len(symbols) == 1 else None
            confidence = 0.0 if note else STRENGTH[candidates[0].kind] * 0.5 * factor
            return Mention(text, *span, symbol, None, None, None, round(confidence, 2), shown)
        token = chosen.token
        on_chain = 1.0 if token.chain_id == preferred else 0.8
        confidence = round(STRENGTH[chosen.kind] * on_chain * factor, 2)
        return Mention(
            text, *span, token.symbol, token.chain_id, token.address, token.decimals,
            confidence, shown,
        )  # fmt: skip

    def _address(self, piece: _Piece, preferred: int) -> Mention | None:
        if len(piece.text) != 42:
            return None
        known: list[_Match] = [(t, "address", "") for t in self.db.by_address(piece.text)]
        hex_part = piece.text[2:]
        mixed = hex_part != hex_part.lower() and hex_part != hex_part.upper()
        if mixed and not is_checksum_address(piece.text):
            note = "the address's checksum does not match (a typo?)"
            found = self._mention([piece], known, preferred, note=note)
            empty = Mention(piece.text, piece.start, piece.end, None, None, None, None, 0.0, ())
            return found or empty
        found = self._mention([piece], known, preferred)
        if found is not None:
            return found
        address = parse_address(piece.text)
        return Mention(
            piece.text, piece.start, piece.end, None, None, address, None,
            _UNKNOWN_ADDRESS_CONFIDENCE, (),
        )  # fmt: skip

    def _symbol_matches(self, word: str, *, cashtag: bool, cued: bool = False) -> list[_Match]:
        """Tokens whose symbol is ``word``: in lower case, a widely listed token's, or any
        token's right after a cue ("buy paxg")."""
        matches: list[_Match] = []
        for token in self.db.by_symbol(word):
            if cashtag:
                matches.append((token, "cashtag", ""))
            elif word == token.symbol or (word.isupper() and len(word) > 1):
                matches.append((token, "symbol", ""))
            elif len(word) >= 3 and (cued or self.db.is_popular(token)):
                matches.append((token, "lowercase", "written in lower case"))
            elif len(word) == 2 and cued and self.db.is_popular(token):
                matches.append((token, "lowercase", "written in lower case"))  # "arb or op"
        target = words.ALIASES.get(word.upper())
        if target is not None:
            note = f"{word} is listed as {target}"
            matches.extend((t, "alias", note) for t in self.db.by_symbol(target))
        return matches

    def _cashtag(self, piece: _Piece, preferred: int) -> Mention:
        word = piece.text[1:]
        matches = self._symbol_matches(word, cashtag=True)
        if not matches:
            matches = self._typos(word.upper(), self._typo_symbols, "symbol")
        found = self._mention([piece], matches, preferred)
        return found or Mention(piece.text, piece.start, piece.end, *(None,) * 4, 0.0, ())

    def _typos(self, word: str, choices: frozenset[str], what: str) -> list[_Match]:
        near, distance = closest(word, choices)
        matches: list[_Match] = []
        for choice in near:
            found = self.db.by_symbol(choice) if what == "symbol" else self.db.by_name(choice)
            target = words.ALIASES.get(choice.upper())
            if target is not None and what == "name":
                found = (*found, *self.db.by_symbol(target))
            note = f"spelled {word!r}, {distance} edit(s) from {choice!r}"
            matches.extend((t, "typo", note) for t in found if self.db.is_popular(t))
        return matches

    def _phrase(
        self, pieces: list[_Piece], i: int, n: int, preferred: int, ends: list[int]
    ) -> Mention | None:
        span = pieces[i : i + n]
        if len(span) < n or any(p.kind != "word" for p in span):
            return None
        if any(p.gap_after.strip() for p in span[:-1]):
            return None
        phrase = " ".join(p.text.lower() for p in span)
        matches: list[_Match] = [(t, "name", "") for t in self.db.by_name(phrase)]
        target = words.ALIASES.get(phrase.upper())
        if target is not None:
            matches.extend((t, "alias", f"{phrase} is {target}") for t in self.db.by_symbol(target))
        if not matches:
            return None
        plain = all(words.is_common(p.text) for p in span)
        proper = target is not None or span[-1].text.upper() in _PROPER_TAILS
        if plain and not proper and not self._cued(pieces, i, n, ends):
            return None
        return self._mention(span, matches, preferred)

    def _word(
        self, pieces: list[_Piece], i: int, preferred: int, ends: list[int]
    ) -> Mention | None:
        word = pieces[i].text
        after = pieces[i + 1].text.upper() if i + 1 < len(pieces) else ""
        if word.upper() in words.CHAIN_NAMES and after in _CHAIN_NOUNS:
            return None  # "ethereum mainnet gas", "bnb chain": the chain, not its coin
        factor = 1.0
        cued = self._cued(pieces, i, 1, ends)
        if _a_place(pieces, i):
            return None  # "on uniswap", "routed through 1inch", "the airdrop on solana"
        if not cued and _a_service(pieces, i):
            return None  # "uniswap charged me a fee", "balancer pools got exploited"
        if _services_paired(pieces, i):
            return None  # "compare hyperliquid and gmx for eth longs": two venues
        if words.is_common(word) and not word.isupper() and _before_an_object(pieces, i):
            return None  # "… and keep it on arbitrum": a verb, not KEEP
        if not cued and _the_chain(pieces, i):
            return None  # "polygon is cheap for small swaps", "i used arbitrum"
        if _moved_between(pieces, i) or (not cued and _names_a_chain(pieces, i)):
            return None  # "optimism vs arbitrum: which chain…", "arbitrum's ARB token"
        if _a_phrase(pieces, i):
            return None  # "long term", "meme coins", "my ens name expired"
        shouted = _shouted(pieces, i) or self._beside_a_ticker(pieces, i)
        if word.upper() in self._ordinary and not cued and not shouted:
            return None
        if word.upper() in _MARKET_TICKERS and _market_move_after(pieces, i):
            cued = True  # "link is up 10% today", "even pepe bled"
        if words.is_common(word) or len(word) == 1:
            legible = word.isupper() or len(word) > 3 or word.upper() in words.LOWERCASE_WORDS
            if not shouted and (not cued or not legible):
                return None
            factor = 0.8
        matches = self._symbol_matches(word, cashtag=False, cued=cued)
        two_capitals = len(word) == 2 and word.isupper() and factor == 1.0 and not shouted
        if two_capitals and not cued and not _market_move_after(pieces, i):
            return None  # "OP is great" (the original poster); "OP is pumping" is the ticker
        named = self.db.by_name(word)
        short = len(word) <= _SHORT_NAME and not word.isupper()
        if not matches and short and not self._cued(pieces, i, 1, ends, links=False):
            # a short lower-case word that is only the name of a little-listed token ("bob")
            # is an ordinary word, even after "to" (a recipient); a widely listed token
            # ("chainlink") or a longer name ("solana") is evidence enough
            named = tuple(t for t in named if self.db.is_popular(t))
        matches.extend((t, "name", "") for t in named)
        if not matches and factor == 1.0:
            if word.isupper():
                matches = self._typos(word, self._typo_symbols, "symbol")
            if not matches and len(word) >= 5:
                matches = [m for m in self._typos(word.lower(), self._typo_names, "name")
                           if not _inflected(word.lower(), m[0].name.lower())]  # fmt: skip
        return self._mention([pieces[i]], matches, preferred, factor=factor)

    def _beside_a_ticker(self, pieces: list[_Piece], i: int) -> bool:
        """A ticker that is also a word, in capitals, in a sentence in lower case that names
        another ticker in capitals ("SKY replaced MKR", "OP is lagging ARB")."""
        word = pieces[i].text
        if not word.isupper() or len(word) < 3 or not self.db.by_symbol(word):
            return False
        lower = sum(1 for p in pieces if p.kind == "word" and any(c.islower() for c in p.text))
        others = (
            p.text
            for k, p in enumerate(pieces)
            if k != i and p.kind == "word" and p.text.isupper() and len(p.text) >= 3
        )
        return lower >= 2 and any(
            not words.is_common(o) and o not in _CHAINS and self.db.by_symbol(o) for o in others
        )

    @staticmethod
    def _recipient(pieces: list[_Piece], i: int) -> bool:
        """Whether ``pieces[i]`` is where a send goes ("send 5 USDC to 0x…", "to alice")."""
        if i < 1 or pieces[i - 1].text.upper() != "TO":
            return False
        return any(q.text.upper() in _SEND_VERBS for q in pieces[: i - 1])

    def _cued(
        self, pieces: list[_Piece], i: int, n: int, ends: list[int], *, links: bool = True
    ) -> bool:
        """A cue word next to ``pieces[i : i + n]`` (a link word after a mention too, with
        ``links``)."""
        nxt = pieces[i + n] if i + n < len(pieces) else None
        cue_word = pieces[i].text.upper() in words.FOLLOWING_CUES  # "the TIME token worth"
        said_as_verb = (  # "i check prices": a word said as a verb, not a ticker
            i >= 1
            and pieces[i - 1].text.upper() in _SUBJECTS
            and words.is_common(pieces[i].text)
            and not pieces[i].text.isupper()
        )
        if nxt is not None and nxt.text.upper() in words.FOLLOWING_CUES and not cue_word:
            return not said_as_verb
        if nxt is not None and nxt.text.upper() in _PAIRING and i + n + 1 < len(pieces):
            other = pieces[i + n + 1].text  # "gala and ilv": paired with a plain ticker
            if not words.is_common(other) and self.db.by_symbol(other.upper()):
                return True
        p = i - 1
        if p >= 0 and (pieces[p].kind == "number" or _magnitude(pieces, p)):
            if pieces[i].text.isupper() or pieces[p].kind != "number":
                return True
            p -= 1
        verbs = words.PRECEDING_CUES - {"HOLD"}
        q = p
        while q >= 1 and p - q < 3 and pieces[q].text.upper() in _FILLERS:
            q -= 1  # up to three fillers: "sell all my APE", "sold half of my pepe"
        if q < p and pieces[q].text.upper() in verbs:
            return True
        if p < 0:
            return False
        before = pieces[p].text.upper()
        if before in words.PRECEDING_CUES:
            return True
        if before == "OF" and p >= 1 and pieces[p - 1].text.upper() in _OF_CUES:
            return True
        if before == "INTO" and p >= 1 and pieces[p - 1].text.upper() in words.PRECEDING_CUES:
            return True  # "swap into PROMPT"
        if before == "TO" and self._recipient(pieces, p + 1):
            return False  # "send 5 USDC to alice": a recipient, not a token
        return links and before in words.LINK_CUES and any(p - 3 <= end < p for end in ends)


_TICKER_KINDS = frozenset({"symbol", "cashtag", "lowercase"})
_OWNER = re.compile(
    r"\s*['’]s\b|\s+(?:yields?|team|founders?|app|website|docs|vaults?|treasury|devs?|points)\b",
    re.IGNORECASE,
)
_PLACE_BEFORE = re.compile(r"\b(?:in|on|at|into)\s+(?:the\s+)?$", re.IGNORECASE)


def _without_project_names(text: str, mentions: list[Mention]) -> tuple[Mention, ...]:
    """Drops a project's name written as an owner, a place or with a part of the project
    ("ethena's yield is wild but ENA price isn't", "bought land in the sandbox, paid with
    SAND", "ethena yields dropped, ENA too") where the same sentence names
    its token by ticker: the name is the project there. Otherwise both stay ("is ena (ethena)
    a good buy", "the graph … grt looks cheap")."""
    kept = []
    for m in mentions:
        ticker = any(
            o is not m and o.symbol == m.symbol and o.candidates
            and o.candidates[0].kind in _TICKER_KINDS
            for o in mentions
        )  # fmt: skip
        named = m.symbol is not None and bool(m.candidates) and m.candidates[0].kind == "name"
        project = _OWNER.match(text, m.end) is not None or bool(
            _PLACE_BEFORE.search(text[: m.start])
        )
        if not (named and ticker and project):
            kept.append(m)
    return tuple(kept)


def _inflected(word: str, name: str) -> bool:
    """Whether ``word`` is ``name`` with an English ending, not a misspelling of it ("safer"
    and "safes" are not "safe"; "makes" is not "maker")."""
    stem = name[:-1] if name.endswith(("e", "r", "s")) else name
    return word.startswith(stem) and word[len(stem) :] in {"s", "r", "er", "es", "ed", "d",
                                                             "ing", "ers", "est"}  # fmt: skip


def _magnitude(pieces: list[_Piece], p: int) -> bool:
    """A magnitude word ("million"; "k" or "m" only after a number: the "m" of "i'm" is not)."""
    text = pieces[p].text.upper()
    if text not in _MAGNITUDES:
        return False
    return len(text) > 2 or (p >= 1 and pieces[p - 1].kind == "number")


def _shouted(pieces: list[_Piece], i: int) -> bool:
    """A ticker that is also a word, written in capitals in a sentence in lower case (not
    first: "ONE thing at a time", "TIME is money" open with a shout)."""
    word = pieces[i].text
    if not (word.isupper() and len(word) >= 3 and word in words.SHOUTED_SYMBOLS):
        return False
    lower = sum(1 for p in pieces if p.kind == "word" and any(c.islower() for c in p.text))
    if i == 0:  # a market word soon after: "AMP ripped", "HIGH is down bad"
        soon = pieces[1:5]
        return lower >= 2 and any(p.text.upper() in _MARKET_MOVES for p in soon)
    return lower >= 2


_CHAINS = frozenset(words.CHAIN_NAMES) | {"AVAX", "STARKNET", "BLAST", "MANTLE", "MANTA", "ZORA",
                                          "SOLANA", "TAIKO", "MODE"}  # fmt: skip
_PAIRING = frozenset({"AND", "OR", "VS", "VERSUS"})
_MOVES = frozenset({"MOVE", "MOVED", "MOVING", "BRIDGE", "BRIDGED", "BRIDGING", "SEND", "SENT",
                    "SENDING", "DEPOSIT", "DEPOSITED", "WITHDRAW", "WITHDREW"})  # fmt: skip
_MARKET_MOVES = frozenset({"PUMP", "PUMPS", "PUMPING", "PUMPED", "DUMP", "DUMPS", "DUMPING",
                           "DUMPED", "RIPPED", "RIPS", "RIPPING", "MOON", "MOONING", "LISTED",
                           "LISTING", "UNLOCK", "UNLOCKS", "CRASHED", "CRASHING", "RALLIED",
                           "RALLYING", "DOWN", "UP", "HOLDERS", "AIRDROP", "TOKEN", "PRICE",
                           "LAGGING", "OUTPERFORMING", "BREAKING", "BROKE",
                           "VOLATILE", "BLED", "BLEEDING", "TANKED", "TANKING", "SURGED",
                           "SOARED", "MOONED", "DELISTED", "DROPPED", "DROPS", "DROPPING",
                           "FELL", "FALLING", "ROSE", "RISING", "JUMPED", "SPIKED", "SLID",
                           "SLUMPED", "PLUNGED", "PLUMMETED"})  # fmt: skip
"""Words a sentence about a token's market uses ("AMP ripped", "HIGH is down bad", "KITE just
got listed"): after them a ticker that opens the sentence in capitals is the ticker."""


def _names_a_chain(pieces: list[_Piece], i: int) -> bool:
    """A chain's name used for the chain: possessive ("arbitrum's"), or in a sentence about
    chains ("optimism vs arbitrum, which chain has more tvl")."""
    piece = pieces[i]
    if piece.text.upper() not in _CHAINS or piece.text.isupper():
        return False
    nxt = pieces[i + 1] if i + 1 < len(pieces) else None
    if nxt is not None and nxt.text.lower() == "s" and piece.gap_after in ("'", "’"):
        return True
    return any(p.text.upper() in words.CHAIN_NOUNS for p in pieces)


_PLACES = frozenset({"ON", "VIA", "THROUGH", "USING", "AT"})


def _a_place(pieces: list[_Piece], i: int) -> bool:
    """A project or chain named as where something happens, by its name in lower case after
    "on", "via", "through", "using" or "at" ("got a better rate on uniswap", "routed through
    1inch", "opened a long on gmx", "the JUP airdrop on solana"): the service or the chain,
    not its token. A ticker in capitals there ("on OP") is still read."""
    word = pieces[i].text
    if i < 1 or pieces[i - 1].text.upper() not in _PLACES or word.isupper():
        return False
    return word.upper() in _CHAINS or word.lower() in _SERVICES


_SERVICES = frozenset({"uniswap", "sushi", "sushiswap", "1inch", "dydx", "gmx", "blur", "curve",
                       "balancer", "pancakeswap", "aave", "compound", "lido", "hyperliquid",
                       "jupiter", "raydium", "orca", "opensea",
                       "eigenlayer", "aerodrome", "velodrome", "cowswap", "paraswap", "coinbase",
                       "renzo", "liquity", "zksync", "etherfi", "kraken", "binance",
                       "robinhood"})  # fmt: skip
"""Protocols people name as places ("on aave", "via 1inch"), by name or by a ticker-shaped
name (1inch, dydx, gmx)."""


_MARKET_TICKERS = frozenset({"LINK", "PEPE", "DOGE", "UNI", "CAKE", "SUSHI", "COMP", "BONK",
                             "SNX", "DEGEN", "GALA"})  # fmt: skip
"""Tickers that are also words, whose word is rarely the subject of a market move: "link is
up 10%" is LINK (not "cat is down", "well, that went down")."""


def _market_move_after(pieces: list[_Piece], i: int) -> bool:
    """A market move in the next three words; "up" and "down" only after "is" or "was"
    ("link is up 10%", not "link up later")."""
    after = [p.text.upper() for p in pieces[i + 1 : i + 4]]
    for k, word in enumerate(after):
        if word in ("UP", "DOWN"):
            if k >= 1 and after[k - 1] in ("IS", "WAS", "S", "ARE"):
                return True
        elif word in _MARKET_MOVES:
            return True
    return False


def _a_service(pieces: list[_Piece], i: int) -> bool:
    """A protocol named by its name in lower case, with nothing about its token around it
    ("uniswap charged me a weird fee", "lido is the biggest staking provider", "the 1inch app
    found a better route"): the service, not its token. "my aave", "uniswap is pumping" and a
    ticker in capitals ("GMX") are still the token."""
    word = pieces[i].text
    if word.isupper() or word.lower() not in _SERVICES:
        return False
    if i >= 1 and pieces[i - 1].text.upper() == "MY":
        return False
    after = [p.text.upper() for p in pieces[i + 1 : i + 4]]
    if after[:1] == ["AT"] and (len(after) == 1 or pieces[i + 2].kind == "number"):
        return False  # "what's 1inch at", "aave at 90"
    return not any(w in _MARKET_MOVES or w == "TRADING" for w in after)


_PHRASES = {
    "TERM": ({"LONG", "SHORT", "MID", "NEAR"}, set()),
    "RUN": ({"LONG", "SHORT"}, set()),
    "MEME": (set(), {"COIN", "COINS", "TOKEN", "TOKENS", "SEASON", "STOCK", "STOCKS"}),
    "ENS": (set(), {"NAME", "NAMES", "DOMAIN", "DOMAINS", "RECORD", "RECORDS", "SUBDOMAIN"}),
    "USUAL": ({"THE", "MY", "OUR", "YOUR"}, set()),
}
"""Ordinary phrases that hold a ticker-shaped word, by the word before or after it: "long
term" (not TERM), "meme coins" (the kind of coin, not MEME), "my ens name" (the name
service's domain, not the ENS token), "the usual" (the user's usual order, not USUAL)."""


def _a_phrase(pieces: list[_Piece], i: int) -> bool:
    word = pieces[i].text
    if (word.isupper() and len(word) > 2) or word.upper() not in _PHRASES:
        return False
    before_words, after_words = _PHRASES[word.upper()]
    before = pieces[i - 1].text.upper() if i >= 1 else ""
    after = pieces[i + 1].text.upper() if i + 1 < len(pieces) else ""
    return before in before_words or after in after_words


def _services_paired(pieces: list[_Piece], i: int) -> bool:
    """A protocol named in lower case beside another one ("hyperliquid and gmx", "aave or
    compound"): the two services, not their tokens."""
    word = pieces[i].text
    if word.isupper() or word.lower() not in _SERVICES:
        return False
    for a, b in ((i - 2, i - 1), (i + 2, i + 1)):
        if 0 <= a < len(pieces) and pieces[b].text.upper() in _PAIRING:
            other = pieces[a].text
            if not other.isupper() and other.lower() in _SERVICES:
                return True
    return False


_OBJECTS = frozenset({"IT", "THEM", "THAT", "THIS", "UP", "OUT", "AWAY", "BACK", "GOING"})


def _before_an_object(pieces: list[_Piece], i: int) -> bool:
    """An ordinary word before an object pronoun or a particle ("keep it", "move them", "run
    away"): a verb."""
    return i + 1 < len(pieces) and pieces[i + 1].text.upper() in _OBJECTS


def _the_chain(pieces: list[_Piece], i: int) -> bool:
    """A chain's name in lower case with nothing about its coin around it ("polygon is cheap
    for small swaps", "mantle has low fees"): the chain. "solana is pumping" is still SOL."""
    word = pieces[i].text
    if word.isupper() or word.upper() not in _LAYER_TWOS:
        return False
    return not _market_move_after(pieces, i)


_LAYER_TWOS = frozenset({"POLYGON", "ARBITRUM", "OPTIMISM", "MANTLE", "BLAST", "ZKSYNC", "LINEA",
                         "SCROLL", "MANTA", "MODE", "TAIKO", "ZORA"})  # fmt: skip
"""Chains people name as places to transact more than as their coins (not Ethereum or
Solana: "how is ethereum doing" asks about ETH)."""


def _moved_between(pieces: list[_Piece], i: int) -> bool:
    """A chain a token moves from or to ("moved my usdc from zksync to starknet", "bridging
    eth from blast to base"): the chain, even right after a mention's link word."""
    piece = pieces[i]
    if piece.text.upper() not in _CHAINS or piece.text.isupper() or i < 1:
        return False
    before = pieces[i - 1].text.upper()
    return before in ("FROM", "TO", "ONTO", "VIA") and any(p.text.upper() in _MOVES for p in pieces)


def extract_mentions(
    text: str, db: TickerDB | None = None, *, chain_id: int | None = None
) -> Extraction:
    """Token mentions in ``text`` (with the shipped snapshot when no ``db`` is given)."""
    return TickerExtractor(db if db is not None else TickerDB.default()).extract(
        text, chain_id=chain_id
    )
