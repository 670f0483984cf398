"""Spam and scam tokens, scored by stated rules.

Each rule is a small function whose docstring is the text a user is shown; :data:`RULES`
lists them with their ids and weights. :func:`score_token` runs every rule over what
discovery learned about one token (:class:`TokenFacts`) and the tokens it knows to be real
(:class:`KnownTokens`): a token is spam when the weights of the rules that fired add up to
:data:`SPAM_SCORE` or more, so one weak sign (no liquidity, an airdrop) is shown but does
not hide a token on its own. Names and symbols are third-party text: they are only
compared and matched here, never followed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from rexos.lense.model import SpamVerdict

__all__ = [
    "AIRDROP_FANOUT",
    "RULES",
    "SPAM_SCORE",
    "WELL_KNOWN_SYMBOLS",
    "KnownTokens",
    "Rule",
    "TokenFacts",
    "score_token",
    "skeleton",
]

AIRDROP_FANOUT = 5
"""Distinct recipients one sender must reach in one block for a transfer to look airdropped."""

SPAM_SCORE = 2
"""Rule weights at or above this make a token spam."""

WELL_KNOWN_SYMBOLS = frozenset(
    {"ETH", "WETH", "BTC", "WBTC", "USDC", "USDT", "DAI", "BNB", "WBNB", "REX", "SREX"}
    | {"LINK", "UNI", "ARB", "OP", "MATIC", "POL", "SOL", "STETH", "WSTETH", "CAKE"}
)
"""Symbols scammers imitate, judged on every chain even where their address is unknown."""

_INVISIBLE = frozenset("\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0")
"""Characters that draw nothing but are not format characters (``Cf`` are caught too)."""

_CONFUSABLES = str.maketrans(
    {
        # Cyrillic capitals and small letters that look Latin
        **dict(zip("АВЕЅІЈКМНОРСТХУ", "ABESIJKMHOPCTXY", strict=True)),
        **dict(zip("аеѕіјорсху", "aesijopcxy", strict=True)),
        # Greek capitals and small letters that look Latin
        **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),
        **dict(zip("οιν", "oiv", strict=True)),
        # Armenian, Cherokee and Latin look-alikes
        **dict(zip("ՕՍႽᎪᏴᏟᎠᎬᎻᏆᏦᎷᏒᎢᏔ", "OUSABCDEHIKMRTW", strict=True)),
        "ı": "i",
        "ȷ": "j",
        "0": "O",
    }
)

_LURE = re.compile(
    r"(https?:|www\.|t\.me/|\.(com|io|org|net|xyz|app|finance|gift|site|top|club|online|"
    r"link|fi|cc|vip|pro|live)\b|\b(claim|visit|redeem|voucher)\b)"
)


def _visible(text: str) -> str:
    """``text`` without the characters that draw nothing."""
    return "".join(
        c for c in text if c not in _INVISIBLE and unicodedata.category(c) not in ("Cf", "Cc")
    )


def skeleton(text: str) -> str:
    """What ``text`` looks like: compatibility forms folded (NFKC), invisible characters
    dropped, look-alike letters mapped to Latin, upper case."""
    folded = unicodedata.normalize("NFKC", _visible(text))
    return folded.translate(_CONFUSABLES).upper().strip()


@dataclass(frozen=True, slots=True)
class TokenFacts:
    """What discovery learned about one token, as the rules read it.

    ``liquid``: whether a venue pool pairs it with a priced token (``None``: the chain has no
    known venues to look in); ``airdropped``: whether it arrived unsolicited (``None``: the
    history could not tell); ``problems``: metadata that could not be read or is out of
    bounds (an unreadable ``symbol()``, decimals above 77, a name cut to length).
    """

    token: str
    symbol: str
    name: str
    liquid: bool | None = None
    airdropped: bool | None = None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KnownTokens:
    """Real tokens of one chain: skeleton of a symbol → the addresses that carry it, plus
    their exact symbols and the skeletons of their names."""

    addresses: Mapping[str, frozenset[str]] = field(default_factory=dict)
    symbols: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    shapes: frozenset[str] = frozenset()
    """Skeletons of every known symbol."""
    every: frozenset[str] = frozenset()
    """Every known token's address, lower case."""

    @classmethod
    def of(cls, tokens: Iterable[tuple[str, str, str]]) -> KnownTokens:
        """From ``(address, symbol, name)`` of real tokens, plus :data:`WELL_KNOWN_SYMBOLS`."""
        addresses: dict[str, set[str]] = {}
        symbols, names = set(WELL_KNOWN_SYMBOLS), set()
        for address, symbol, name in tokens:
            addresses.setdefault(skeleton(symbol), set()).add(address.lower())
            symbols.add(symbol)
            if len(skeleton(name)) >= 4:
                names.add(skeleton(name))
        frozen = {k: frozenset(v) for k, v in addresses.items()}
        shapes = frozenset(skeleton(s) for s in symbols)
        every = frozenset(a for found in addresses.values() for a in found)
        return cls(frozen, frozenset(symbols), frozenset(names), shapes, every)


def no_liquidity(facts: TokenFacts, known: KnownTokens) -> bool:
    """No liquidity: no pool on this chain's venues pairs it with a priced token, so it
    cannot be sold and has no market price."""
    return facts.liquid is False


def homoglyph(facts: TokenFacts, known: KnownTokens) -> bool:
    """Look-alike name: its symbol or name imitates a known token's (look-alike letters
    from other alphabets, invisible characters), or copies a known symbol at another
    address."""
    if _visible(facts.symbol) != facts.symbol or _visible(facts.name) != facts.name:
        return True
    token = facts.token.lower()
    shape = skeleton(facts.symbol)
    if shape in known.shapes and facts.symbol not in known.symbols:
        return True
    if token not in known.addresses.get(shape, frozenset({token})):
        return True
    return skeleton(facts.name) in known.names and token not in known.every


def unsolicited_airdrop(facts: TokenFacts, known: KnownTokens) -> bool:
    """Unsolicited airdrop: the wallet received it and never sent, approved or bought it,
    from a sender that sent it to many addresses in the same block."""
    return facts.airdropped is True


def lure_text(facts: TokenFacts, known: KnownTokens) -> bool:
    """Lure text: its name or symbol holds a web address or the words "claim", "visit",
    "redeem" or "voucher", the bait of a phishing site."""
    text = unicodedata.normalize("NFKC", _visible(f"{facts.name} {facts.symbol}")).casefold()
    return _LURE.search(text) is not None


def bad_metadata(facts: TokenFacts, known: KnownTokens) -> bool:
    """Broken metadata: its symbol, name or decimals cannot be read as an ERC-20's, the
    decimals are above 77, or the name is absurdly long."""
    return bool(facts.problems)


Check = Callable[[TokenFacts, KnownTokens], bool]


@dataclass(frozen=True, slots=True)
class Rule:
    """One stated rule: its id, the text users are shown, its weight and its check."""

    id: str
    text: str
    weight: int
    check: Check


def _rule(rule_id: str, weight: int, check: Check) -> Rule:
    text = " ".join((check.__doc__ or rule_id).split())
    return Rule(rule_id, text, weight, check)


RULES: tuple[Rule, ...] = (
    _rule("no-liquidity", 1, no_liquidity),
    _rule("homoglyph", 2, homoglyph),
    _rule("unsolicited-airdrop", 1, unsolicited_airdrop),
    _rule("lure-text", 2, lure_text),
    _rule("bad-metadata", 2, bad_metadata),
)
"""Every rule, in the order they are checked and shown."""


def score_token(facts: TokenFacts, known: KnownTokens) -> SpamVerdict:
    """The rules that fire for ``facts``; spam when their weights reach :data:`SPAM_SCORE`."""
    fired = [rule for rule in RULES if rule.check(facts, known)]
    score = sum(rule.weight for rule in fired)
    return SpamVerdict(spam=score >= SPAM_SCORE, rules=tuple(rule.id for rule in fired))
