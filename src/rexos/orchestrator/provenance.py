"""Provenance by meaning: a model's proposal may only use values the user wrote.

The user's message is read into whole tokens (:class:`UserWords`), never searched for
substrings:

* addresses are whole ``0x…`` tokens and are never a source of numbers or words;
* numbers carry their kind, as the intent grammar reads them: a token amount (``5``,
  ``1,500``, ``1.5k``), dollars (``$5``, ``5 usd``, ``5 dollars``) or a share of a balance
  (``5%``, ``5 percent``, and the whole words all/max/everything, half, a third, a quarter,
  a tenth, two thirds, three quarters). A number next to another currency (``€5``) counts
  as none of them;
* tokens and wallet names are whole words (a ``$WETH`` cashtag is the word ``WETH``).

A parsed proposal (an :class:`~rexos.orchestrator.intent.Intent`) is then compared on its
values: its amount must equal, as an exact number and of the same kind, an amount the user
wrote; its tokens, recipient and chains must be words the user wrote. So "10" is not in
"100", "all" is not in "wallet", "$5 of WETH" does not justify "5 WETH", and the digits of
an address justify no amount.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from eth_utils.address import is_address, is_checksum_address

from rexos.orchestrator.intent import Amount, AmountKind, Intent
from rexos.orchestrator.intent.slots import CHAIN_ALIASES

__all__ = ["UserWords", "Value", "provenance_problem", "value_of"]

Value = tuple[AmountKind, Fraction]
"""An amount's meaning: its kind and its exact value (a share for fractions)."""

_HEX_TOKEN: Final = re.compile(r"(?<![a-z0-9_])0x[a-z0-9]*", re.IGNORECASE)
_ADDRESS: Final = re.compile(r"0x[0-9a-f]{40}", re.IGNORECASE)
_NUMBER: Final = re.compile(
    r"(?<![\w.,~/:$\-]|[^\x00-\x7f])"
    r"(?:(?P<pre>us\$|\$|usd(?!\w)|[^\x00-\x7f\w\s])\s*)?"
    r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
    r"(?:\s*(?P<suffix>k|thousand|mm|m|million|bn|b|billion)(?!\w))?"
    r"(?!\w|[.,:/\-][0-9])"
    r"(?:\s*(?:(?P<pct>%|percent(?!\w)|per cent(?!\w)|pct(?!\w))"
    r"|(?P<usd>(?:dollars?|bucks)(?!\w)|(?:\$|usd)(?![\w$])(?!\s*[0-9.]))"
    r"|(?P<other>eur|euros?|gbp|pounds?|yen|jpy)(?!\w)))?"
)
_DOLLAR: Final = ("$", "us$", "usd")
_SCALE: Final = {
    "k": 3, "thousand": 3, "m": 6, "mm": 6, "million": 6, "b": 9, "bn": 9, "billion": 9,
}  # fmt: skip
_SHARES: Final = {
    ("all",): Fraction(1),
    ("max",): Fraction(1),
    ("maximum",): Fraction(1),
    ("everything",): Fraction(1),
    ("half",): Fraction(1, 2),
    ("third",): Fraction(1, 3),
    ("two", "thirds"): Fraction(2, 3),
    ("quarter",): Fraction(1, 4),
    ("fourth",): Fraction(1, 4),
    ("three", "quarters"): Fraction(3, 4),
    ("tenth",): Fraction(1, 10),
}
_WORD: Final = re.compile(r"\$?[a-z0-9]+", re.IGNORECASE)
_NAME: Final = re.compile(r"[a-z0-9_-]+", re.IGNORECASE)


def value_of(amount: Amount) -> Value:
    """What ``amount`` means, exactly: ``(kind, value / denominator)``."""
    return amount.kind, Fraction(amount.value) / amount.denominator


@dataclass(frozen=True, slots=True)
class UserWords:
    """The values a user's message offers a proposal."""

    amounts: frozenset[Value]
    symbols: frozenset[str]
    """Upper-case whole words, cashtags without their ``$``."""
    names: frozenset[str]
    """Whole words as written (wallet names)."""
    addresses: frozenset[str]
    """Valid addresses, lower-case."""
    chains: frozenset[str]
    """Canonical names of the chains named (``arb`` → ``arbitrum``)."""

    @classmethod
    def read(cls, text: str) -> UserWords:
        addresses = frozenset(
            t.lower() for t in _HEX_TOKEN.findall(text) if _ADDRESS.fullmatch(t) and _valid(t)
        )
        rest = _HEX_TOKEN.sub(" ", text)
        lowered = rest.lower()
        words = [w.lower() for w in _WORD.findall(rest) if not w.startswith("$")]
        return cls(
            amounts=frozenset(_numbers(lowered)) | frozenset(_shares(words)),
            symbols=frozenset(w.removeprefix("$").upper() for w in _WORD.findall(rest)),
            names=frozenset(_NAME.findall(rest)),
            addresses=addresses,
            chains=_chains(" ".join(words)),
        )


def provenance_problem(intent: Intent, user_text: str) -> str | None:
    """Why ``intent`` uses something the user did not write (``None``: it does not)."""
    said = UserWords.read(user_text)
    args = intent.args
    to = args.get("to")
    if isinstance(to, str) and not _has_recipient(said, to):
        return f"the recipient {to} is not in your message"
    for key in ("token", "sell", "buy"):
        symbol = args.get(key)
        if isinstance(symbol, str) and symbol.removeprefix("$").upper() not in said.symbols:
            return f"the token {symbol} is not in your message"
    for key in ("from_chain", "to_chain"):
        chain = args.get(key)
        if isinstance(chain, str) and chain not in said.chains:
            return f"the chain {chain} is not in your message"
    doc = args.get("amount")
    if doc is None:
        return None
    try:
        amount = Amount.from_json(doc)
    except ValueError:
        return "its amount is unreadable"
    if value_of(amount) not in said.amounts:
        side = "buy" if args.get("side") == "buy" else "sell"
        token = args.get("token", args.get(side))
        shown = amount.of(token) if isinstance(token, str) else str(amount)
        return f"the amount '{shown}' is not in your message"
    return None


def _has_recipient(said: UserWords, to: str) -> bool:
    if to.lower().startswith("0x"):
        return to.lower() in said.addresses
    return to in said.names


def _valid(address: str) -> bool:
    """A well-formed address whose checksum, if it has mixed case, is right."""
    digits = address[2:]
    mixed = digits != digits.lower() and digits != digits.upper()
    return is_address(address) and (not mixed or is_checksum_address(address))


def _numbers(lowered: str) -> list[Value]:
    found: list[Value | None] = []
    bare_end: int | None = None  # where the last number with nothing after it ended
    for m in _NUMBER.finditer(lowered):
        pre, pct, usd, other = m["pre"], m["pct"], m["usd"], m["other"]
        gap = None if bare_end is None else "".join(lowered[bare_end : m.start("num")].split())
        if gap in _DOLLAR:
            found[-1] = None  # "5 $ 7", "5$ 7", "5 usd 7": whose dollars? neither reading holds
            bare_end = None
            continue
        bare_end = None if pre or pct or usd or other else m.end()
        if other or (pre and pre not in _DOLLAR and _is_currency(pre)):
            found.append(None)  # another currency: not tokens, not dollars
            continue
        value = Fraction(m["num"].replace(",", "")) * 10 ** _SCALE.get(m["suffix"] or "", 0)
        dollars = pre in _DOLLAR or usd is not None
        if pct is not None and not dollars:
            found.append(("fraction", value / 100))
        elif dollars and pct is None:
            found.append(("usd", value))
        else:
            found.append(None if dollars else ("exact", value))
    return [v for v in found if v is not None]


def _is_currency(char: str) -> bool:
    return unicodedata.category(char) == "Sc"


def _shares(words: list[str]) -> list[Value]:
    found: list[Value] = []
    for i in range(len(words)):
        for phrase, share in _SHARES.items():
            if tuple(words[i : i + len(phrase)]) == phrase:
                found.append(("fraction", share))
    return found


def _chains(joined: str) -> frozenset[str]:
    padded = f" {joined} "
    return frozenset(chain for alias, chain in CHAIN_ALIASES.items() if f" {alias} " in padded)
