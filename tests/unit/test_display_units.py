"""Amounts a person reads: token units, 4 decimals, thousands separated (issue 12)."""

from __future__ import annotations

from rexos.types import display_units, format_units


def test_a_staked_total_reads_in_tokens_not_base_units() -> None:
    assert display_units(11791929012345679012100) == "11,791.9290"
    assert format_units(11791929012345679012100) == "11791.9290123456790121"  # exact stays


def test_rounding_never_shows_more_than_there_is() -> None:
    assert display_units(89745453994987793259178) == "89,745.4539"
    assert display_units(99_999_999, 6) == "99.9999"


def test_dust_is_not_shown_as_zero() -> None:
    assert display_units(1) == "<0.0001"
    assert display_units(-1) == ">-0.0001"
    assert display_units(0) == "0.0000"


def test_few_decimals_and_other_places() -> None:
    assert display_units(5_000_000, 6) == "5.0000"
    assert display_units(1234, 0) == "1,234"
    assert display_units(10**18 + 5 * 10**11, 18, 6) == "1.000000"
