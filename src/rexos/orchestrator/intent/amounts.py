"""Amounts as people write them, read exactly into :class:`Amount`.

Three kinds, never a float:

* ``exact``: a number of tokens, ``"1.5"``, ``"1,234.5"``, ``"1.5k"``, ``"2 million"``;
* ``usd``: a dollar notional, ``"$50"``, ``"50 dollars"``, ``"$1.5k"``, ``"50 usd"``;
* ``fraction``: a share of a balance, ``"half"``, ``"a third"``, ``"25%"``,
  ``"10 percent"``, ``"all"``/``"max"``/``"everything"`` (the share 1).

A fraction stays symbolic: it is resolved against a balance by whoever holds the
balance, never here. Its share is ``value / denominator``; ``denominator`` is 1
except for shares with no finite decimal form (a third is ``1 / 3``).

Anything vague is refused with :class:`~rexos.errors.InvalidAmount` whose message
is a question for the user: negatives, zero, ranges (``"1-2"``), approximations
(``"about 5"``, ``"two-ish"``), scientific notation (``"1e400"``), a comma that may
be a decimal comma (``"1,5"``) and more than 18 decimal places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation, localcontext
from typing import Literal, get_args

from rexos.errors import InvalidAmount

__all__ = ["MAX_DECIMALS", "Amount", "AmountKind", "parse_amount"]

AmountKind = Literal["exact", "usd", "fraction"]
_KINDS: dict[str, AmountKind] = {"exact": "exact", "usd": "usd", "fraction": "fraction"}
MAX_DECIMALS = 18
_MAX_VALUE = Decimal(10) ** 30
_PRECISION = Context(prec=80)

_SUFFIX = {"k": 3, "thousand": 3, "m": 6, "mm": 6, "million": 6, "b": 9, "bn": 9, "billion": 9}
_NUMBER = re.compile(
    r"(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)\s*(?P<suffix>k|thousand|mm|m|million|bn|b|billion)?"
)
_USD_WORDS = r"(?:dollars?|usd|bucks)"
_ALL = {"all", "all of it", "max", "the max", "maximum", "the maximum", "everything"}
_SHARES: dict[str, tuple[Decimal, int]] = {
    "half": (Decimal("0.5"), 1),
    "a half": (Decimal("0.5"), 1),
    "one half": (Decimal("0.5"), 1),
    "a quarter": (Decimal("0.25"), 1),
    "one quarter": (Decimal("0.25"), 1),
    "a fourth": (Decimal("0.25"), 1),
    "three quarters": (Decimal("0.75"), 1),
    "a tenth": (Decimal("0.1"), 1),
    "one tenth": (Decimal("0.1"), 1),
    "a third": (Decimal(1), 3),
    "one third": (Decimal(1), 3),
    "two thirds": (Decimal(2), 3),
}
_PERCENT = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?:%|percent|per cent|pct)")
_APPROX = re.compile(
    r"^(?:~|about\b|around\b|roughly\b|approx\w*|some\b|a few\b|few\b|a couple\b|several\b|"
    r"like\b|almost\b|nearly\b|at least\b|at most\b|up to\b|under\b|over\b)|ish$"
)
_RANGE = re.compile(r"\d\s*(?:-|–|—|to|or)\s*\$?\d|^between\b")


@dataclass(frozen=True, slots=True)
class Amount:
    """An exact token amount, a dollar notional or a symbolic share of a balance."""

    kind: AmountKind
    value: Decimal
    denominator: int = 1

    def __post_init__(self) -> None:
        if self.kind not in get_args(AmountKind):
            raise ValueError(f"unknown amount kind {self.kind!r}")
        if not self.value.is_finite() or self.value <= 0 or self.denominator < 1:
            raise ValueError(f"amount must be positive and finite, got {self.value!r}")
        if self.kind == "fraction" and self.value > self.denominator:
            raise ValueError("a fraction of a balance cannot exceed the whole balance")
        if self.kind != "fraction" and self.denominator != 1:
            raise ValueError("only a fraction has a denominator")

    @property
    def is_all(self) -> bool:
        """Whether this is the whole balance (``all``, ``max``, ``100%``)."""
        return self.kind == "fraction" and self.value == self.denominator

    def __str__(self) -> str:
        text = _plain(self.value)
        if self.kind == "usd":
            return f"${text}"
        if self.kind == "exact":
            return text
        if self.is_all:
            return "all"
        if self.denominator != 1:
            return f"{text}/{self.denominator}"
        return f"{_plain(self.value * 100)}%"

    def of(self, symbol: str) -> str:
        """The amount with its token, for questions: ``1.5 ETH``, ``half of your ETH``."""
        if self.kind == "exact":
            return f"{self} {symbol}"
        if self.kind == "usd":
            return f"{self} of {symbol}"
        return f"all your {symbol}" if self.is_all else f"{self} of your {symbol}"

    def to_json(self) -> dict[str, str | int]:
        doc: dict[str, str | int] = {"kind": self.kind, "value": _plain(self.value)}
        if self.denominator != 1:
            doc["denominator"] = self.denominator
        return doc

    @classmethod
    def from_json(cls, doc: object) -> Amount:
        if not isinstance(doc, dict) or not isinstance(doc.get("value"), str):
            raise ValueError(f"not an amount document: {doc!r}")
        kind, denominator = _KINDS.get(str(doc.get("kind"))), doc.get("denominator", 1)
        if kind is None or not isinstance(denominator, int):
            raise ValueError(f"not an amount document: {doc!r}")
        try:
            value = Decimal(doc["value"])
        except InvalidOperation as exc:
            raise ValueError(f"not an amount document: {doc!r}") from exc
        return cls(kind, value, denominator)


def parse_amount(text: str) -> Amount:
    """Read ``text`` (the amount words only, no token) or raise :class:`InvalidAmount`."""
    phrase = " ".join(text.lower().split())
    if not phrase:
        raise InvalidAmount("How much? No amount was given.")
    if phrase in _ALL:
        return Amount("fraction", Decimal(1))
    if phrase in _SHARES:
        value, denominator = _SHARES[phrase]
        return Amount("fraction", value, denominator)
    _refuse_vague(text, phrase)
    percent = _PERCENT.fullmatch(phrase)
    if percent:
        return _percent(text, percent["num"])
    usd = re.fullmatch(rf"\$\s*(?P<n>.+?)(?:\s*{_USD_WORDS})?|(?P<m>.+?)\s*{_USD_WORDS}", phrase)
    if usd:
        return Amount("usd", _number(text, usd["n"] or usd["m"]))
    return Amount("exact", _number(text, phrase))


def _refuse_vague(text: str, phrase: str) -> None:
    if phrase.startswith("-") or phrase.startswith("$-") or "minus" in phrase:
        raise InvalidAmount(f"'{text}' is negative: how much, as a positive amount?")
    if _RANGE.search(phrase):
        raise InvalidAmount(f"'{text}' is a range: which exact amount do you mean?")
    if _APPROX.search(phrase):
        raise InvalidAmount(f"'{text}' is approximate: which exact amount do you mean?")
    if re.search(r"\d\s*e\s*[-+]?\d", phrase):
        raise InvalidAmount(f"'{text}' uses scientific notation: please write the number out.")


def _percent(text: str, digits: str) -> Amount:
    with localcontext(_PRECISION):
        share = Decimal(digits) / 100
    if share <= 0 or share > 1:
        raise InvalidAmount(f"'{text}' is not a share between 0% and 100%: what share do you mean?")
    return Amount("fraction", _canonical(share))


def _number(text: str, phrase: str) -> Decimal:
    match = _NUMBER.fullmatch(phrase.strip())
    if match is None:
        raise InvalidAmount(f"I couldn't read the amount '{text}': how much exactly?")
    digits = match["num"]
    if re.fullmatch(r"0,\d+", digits):
        digits = digits.replace(",", ".")  # "0,5": no thousands start with 0, a decimal comma
    whole = digits.split(".")[0]
    if "," in whole and not re.fullmatch(r"\d{1,3}(?:,\d{3})+", whole):
        raise InvalidAmount(
            f"'{text}' is ambiguous (is the comma a decimal point or a thousands separator?): "
            "how much exactly?"
        )
    with localcontext(_PRECISION):
        value = Decimal(digits.replace(",", "")).scaleb(_SUFFIX.get(match["suffix"] or "", 0))
        value = _canonical(value)
    if value <= 0:
        raise InvalidAmount(f"'{text}' is zero: how much, as a positive amount?")
    if value >= _MAX_VALUE:
        raise InvalidAmount(f"'{text}' is far larger than any balance: how much exactly?")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMALS:
        raise InvalidAmount(f"'{text}' has more than {MAX_DECIMALS} decimal places.")
    return value


def _canonical(value: Decimal) -> Decimal:
    """The same number with no trailing zeros and no exponent: ``1.5E+3`` → ``1500``."""
    with localcontext(_PRECISION):
        return Decimal(_plain(value))


def _plain(value: Decimal) -> str:
    with localcontext(_PRECISION):
        return format(value.normalize(), "f")
