"""Amounts read exactly: hand-checked Decimals, symbolic shares, vague input refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rexos.errors import InvalidAmount, UsageError
from rexos.orchestrator.intent import Amount, parse_amount


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.5k", Decimal("1500")),
        ("1.5 K", Decimal("1500")),
        ("1,234.5", Decimal("1234.5")),
        ("1,000,000", Decimal("1000000")),
        ("2m", Decimal("2000000")),
        ("3 billion", Decimal("3000000000")),
        ("0.1", Decimal("0.1")),
        (".5", Decimal("0.5")),
        ("1.50", Decimal("1.5")),
        ("0.000000000000000001", Decimal("1E-18")),
        ("123456789012345678901234567.5", Decimal("123456789012345678901234567.5")),
    ],
)
def test_exact_amounts(text: str, value: Decimal) -> None:
    amount = parse_amount(text)
    assert amount == Amount("exact", value)
    assert amount.value == value


def test_suffix_keeps_every_digit_beyond_the_default_precision() -> None:
    amount = parse_amount("1234567890123456789012.123456789k")
    assert amount.to_json() == {"kind": "exact", "value": "1234567890123456789012123.456789"}


@pytest.mark.parametrize(
    ("text", "value"),
    [("$50", "50"), ("$ 1.5k", "1500"), ("50 dollars", "50"), ("50 USD", "50"), ("$1,000", "1000")],
)
def test_usd_notional(text: str, value: str) -> None:
    assert parse_amount(text) == Amount("usd", Decimal(value))


@pytest.mark.parametrize(
    ("text", "value", "denominator"),
    [
        ("half", "0.5", 1),
        ("a half", "0.5", 1),
        ("a quarter", "0.25", 1),
        ("three quarters", "0.75", 1),
        ("a third", "1", 3),
        ("two thirds", "2", 3),
        ("25%", "0.25", 1),
        ("12.5 %", "0.125", 1),
        ("10 percent", "0.1", 1),
        ("100%", "1", 1),
        ("all", "1", 1),
        ("MAX", "1", 1),
        ("everything", "1", 1),
    ],
)
def test_shares_stay_symbolic(text: str, value: str, denominator: int) -> None:
    amount = parse_amount(text)
    assert amount == Amount("fraction", Decimal(value), denominator)
    assert amount.is_all == (value == "1" and denominator == 1)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-3", "negative"),
        ("$-3", "negative"),
        ("1e400", "scientific"),
        ("1E3", "scientific"),
        ("two-ish", "approximate"),
        ("5ish", "approximate"),
        ("about 5", "approximate"),
        ("~5", "approximate"),
        ("1-2", "range"),
        ("1 to 2", "range"),
        ("between 1 and 2", "range"),
        ("1,5", "ambiguous"),
        ("1,23,456", "ambiguous"),
        ("0", "zero"),
        ("0.00", "zero"),
        ("0%", "share"),
        ("150%", "share"),
        ("1.0000000000000000001", "decimal places"),
        ("1" + "0" * 30, "larger"),
        ("five", "couldn't read"),
        ("1.2.3", "couldn't read"),
        ("", "No amount"),
    ],
)
def test_vague_amounts_are_refused_with_a_question(text: str, reason: str) -> None:
    with pytest.raises(InvalidAmount, match=reason):
        parse_amount(text)


def test_refusal_is_a_usage_error() -> None:
    assert issubclass(InvalidAmount, UsageError)


@pytest.mark.parametrize(
    ("amount", "text", "with_token"),
    [
        (Amount("exact", Decimal("1500")), "1500", "1500 ETH"),
        (Amount("usd", Decimal("50")), "$50", "$50 of ETH"),
        (Amount("fraction", Decimal("0.5")), "50%", "50% of your ETH"),
        (Amount("fraction", Decimal(1), 3), "1/3", "1/3 of your ETH"),
        (Amount("fraction", Decimal(1)), "all", "all your ETH"),
    ],
)
def test_display(amount: Amount, text: str, with_token: str) -> None:
    assert str(amount) == text
    assert amount.of("ETH") == with_token


@pytest.mark.parametrize(
    "text", ["1.5k", "$50", "half", "a third", "25%", "all", "0.000000000000000001", "1,234.5"]
)
def test_json_round_trip_is_exact(text: str) -> None:
    amount = parse_amount(text)
    doc = amount.to_json()
    assert isinstance(doc["value"], str) and "E" not in doc["value"]
    assert Amount.from_json(doc) == amount
    assert Amount.from_json(doc).denominator == amount.denominator


@pytest.mark.parametrize(
    "doc",
    [
        {"kind": "exact"},
        {"kind": "float", "value": "1"},
        {"kind": "exact", "value": 1.5},
        {"kind": "exact", "value": "abc"},
        {"kind": "exact", "value": "-1"},
        {"kind": "fraction", "value": "2"},
        {"kind": "exact", "value": "1", "denominator": 3},
        ["exact", "1"],
    ],
)
def test_from_json_rejects_bad_documents(doc: object) -> None:
    with pytest.raises(ValueError):
        Amount.from_json(doc)
