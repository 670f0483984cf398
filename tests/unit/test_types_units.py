"""Amounts are exact: parsed and formatted without rounding, refused rather than rounded."""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rexos.errors import InvalidAmount
from rexos.types import TokenAmount, format_units, parse_units

UINT256_MAX = 2**256 - 1

units = st.integers(min_value=1, max_value=UINT256_MAX)
decimals = st.integers(min_value=0, max_value=77)


@given(units, decimals)
def test_parse_of_format_is_the_identity(amount: int, places: int) -> None:
    assert parse_units(format_units(amount, places), places) == amount


@given(units, decimals)
def test_format_is_exact_against_integer_arithmetic(amount: int, places: int) -> None:
    text = format_units(amount, places)
    whole, _, fraction = text.partition(".")
    assert int(whole) * 10**places + int(fraction.ljust(places, "0") or "0") == amount
    assert not fraction.endswith("0")


@given(units, decimals, st.integers(min_value=1, max_value=30))
def test_a_digit_too_many_is_refused_never_rounded(amount: int, places: int, extra: int) -> None:
    whole, _, fraction = format_units(amount, places).partition(".")
    too_precise = f"{whole}.{fraction.ljust(places, '0')}{'0' * (extra - 1)}1"
    with pytest.raises(InvalidAmount, match=f"more than {places} decimal places"):
        parse_units(too_precise, places)


def test_twenty_nine_significant_digits_are_read_exactly() -> None:
    # 29 significant digits: the default Decimal context (28 digits) used to round this
    # to ...456790 base units.
    text = "12345678901.234567890123456789"
    assert parse_units(text, 18) == 12345678901234567890123456789
    assert format_units(parse_units(text, 18), 18) == text


def test_the_old_rounding_is_real_in_the_default_context() -> None:
    with localcontext() as context:
        context.prec = 28
        rounded = Decimal("12345678901.234567890123456789").scaleb(18)
    assert int(rounded) != 12345678901234567890123456789


def test_many_digits_beyond_the_decimals_are_refused() -> None:
    text = "1." + "0" * 40 + "1"
    with pytest.raises(InvalidAmount, match="more than 18 decimal places"):
        parse_units(text, 18)
    with pytest.raises(InvalidAmount, match="more than 18 decimal places"):
        parse_units("1.2345678901234567890123456789", 18)


def test_more_than_uint256_is_refused() -> None:
    assert parse_units(str(UINT256_MAX), 0) == UINT256_MAX
    with pytest.raises(InvalidAmount, match="more than any token amount"):
        parse_units(str(UINT256_MAX + 1), 0)
    with pytest.raises(InvalidAmount, match="more than any token amount"):
        parse_units("1" * 79, 0)
    with pytest.raises(InvalidAmount, match="more than any token amount"):
        parse_units("1e60", 18)


@pytest.mark.parametrize(
    "text",
    ["1e999999999", "1e-999999999", "9" * 5000, "0." + "0" * 5000 + "1"],
    ids=["huge-exponent", "tiny-exponent", "5000-digits", "5000-decimals"],
)
def test_extreme_exponents_and_lengths_are_refused_at_once(text: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_units(text, 18)


@pytest.mark.parametrize(
    ("text", "places", "expected"),
    [
        ("1.5", 18, 1_500_000_000_000_000_000),
        ("1_000", 6, 1_000_000_000),
        ("0.10", 1, 1),
        ("1e3", 0, 1000),
        ("2.50", 2, 250),
        (Decimal("0.000001"), 6, 1),
        (7, 3, 7000),
    ],
)
def test_ordinary_amounts(text: str | int | Decimal, places: int, expected: int) -> None:
    assert parse_units(text, places) == expected


@pytest.mark.parametrize("text", ["0", "-1", "-0", "abc", "NaN", "Infinity", "sNaN", ""])
def test_not_positive_amounts_are_refused(text: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_units(text, 18)


def test_display_format_rounds_down_with_separators_exactly() -> None:
    assert format_units(123_456_789, 3, 2) == "123,456.78"
    assert (
        format_units(2**255, 18, 4)
        == "57,896,044,618,658,097,711,785,492,504,343,953,926,634,992,332,820,282,019,728.7920"
    )
    assert format_units(-1, 18, 4) == "-0.0000"
    assert format_units(5, 0, 0) == "5"


def test_token_amount_decimal_is_exact() -> None:
    amount = TokenAmount(2**255 + 1)
    assert amount.decimal.as_tuple().exponent == -18
    assert str(amount.decimal).replace(".", "").lstrip("0") == str(2**255 + 1)
