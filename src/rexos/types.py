"""Value types shared by every layer: addresses and token amounts.

Money is never a float: amounts are ``int`` base units, parsed from and
formatted to decimal strings with the token's ``decimals``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, NewType

from rexos.errors import InvalidAddress, InvalidAmount

__all__ = [
    "Address",
    "TokenAmount",
    "display_units",
    "format_units",
    "parse_address",
    "parse_units",
]

_UINT256_MAX = 2**256 - 1
_UINT256_DIGITS = len(str(_UINT256_MAX))

if TYPE_CHECKING:
    from eth_typing import ChecksumAddress

    Address = NewType("Address", ChecksumAddress)
else:  # eth_typing takes longer to import than the rest of the CLI's entry module
    Address = NewType("Address", str)
"""A checksummed 0x-prefixed 20-byte address."""


def parse_address(text: str) -> Address:
    """Return the checksummed form of ``text`` or raise :class:`InvalidAddress`."""
    from eth_utils.address import is_hex_address, to_checksum_address

    candidate = text.strip()
    if not is_hex_address(candidate):
        raise InvalidAddress(f"not an address: {text!r} (expected 0x followed by 40 hex digits)")
    return Address(to_checksum_address(candidate))


def parse_units(text: str | int | Decimal, decimals: int = 18) -> int:
    """Parse a positive decimal amount (``"1.5"``, ``"1_000"``) into base units, exactly.

    Raises :class:`InvalidAmount` for zero, negative, non-numeric, non-finite
    values, for more fractional digits than the token has and for amounts no
    uint256 can hold. Any number of significant digits is read exactly (integer
    arithmetic on the digits, never a rounding :mod:`decimal` context).
    """
    if isinstance(text, bool):
        raise InvalidAmount(f"not an amount: {text!r}")
    if decimals < 0:
        raise InvalidAmount(f"a token cannot have {decimals} decimals")
    raw = text if isinstance(text, Decimal | int) else str(text).strip().replace("_", "")
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        raise InvalidAmount(f"not an amount: {text!r}") from None
    if not value.is_finite():
        raise InvalidAmount(f"not a finite amount: {text!r}")
    if value <= 0:
        raise InvalidAmount(f"amount must be greater than zero, got {text!r}")
    if value.adjusted() + decimals >= _UINT256_DIGITS:
        raise InvalidAmount(f"{text!r} is more than any token amount can be (2**256 - 1 units)")
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    shift = exponent + decimals
    if shift >= 0:
        scale: int = 10**shift
        units = int("".join(map(str, digits))) * scale
    elif any(digits[shift:]):
        raise InvalidAmount(f"{text!r} has more than {decimals} decimal places")
    else:
        units = int("".join(map(str, digits[:shift])))
    if units > _UINT256_MAX:
        raise InvalidAmount(f"{text!r} is more than any token amount can be (2**256 - 1 units)")
    return units


def format_units(amount: int, decimals: int = 18, places: int | None = None) -> str:
    """Format base units as a decimal string (``1500000000000000000`` → ``"1.5"``), exactly.

    With ``places`` the result is rounded down (towards zero) to that many
    decimals and thousands are separated by commas, for display.
    """
    if decimals < 0:
        raise InvalidAmount(f"a token cannot have {decimals} decimals")
    sign = "-" if amount < 0 else ""
    whole, fraction = divmod(abs(amount), 10**decimals)
    digits = str(fraction).rjust(decimals, "0") if decimals else ""
    if places is None:
        digits = digits.rstrip("0")
        return f"{sign}{whole}.{digits}" if digits else f"{sign}{whole}"
    shown = digits[:places].ljust(places, "0")
    return f"{sign}{whole:,}.{shown}" if places > 0 else f"{sign}{whole:,}"


def display_units(units: int, decimals: int = 18, places: int = 4) -> str:
    """Base units as a person reads them: token units, ``places`` decimals, thousands separated.

    ``97919290123456790121000`` → ``"97,919.2901"``. Rounded down (towards zero) so a
    balance is never shown as more than it is; a non-zero amount too small to show reads
    ``"<0.0001"`` rather than ``"0.0000"``. For the exact figure use :func:`format_units`.
    """
    places = min(places, max(decimals, 0))
    shown = format_units(units, decimals, places)
    smallest = 10 ** max(decimals - places, 0)
    if units != 0 and abs(units) < smallest:
        floor = format_units(smallest, decimals, places)
        return f"<{floor}" if units > 0 else f">-{floor}"
    return shown


@dataclass(frozen=True, slots=True)
class TokenAmount:
    """An amount of a token in base units, with what is needed to show it."""

    raw: int
    decimals: int = 18
    symbol: str = "REX"

    def __str__(self) -> str:
        return f"{format_units(self.raw, self.decimals, 4)} {self.symbol}"

    @property
    def decimal(self) -> Decimal:
        """The amount as an exact :class:`~decimal.Decimal` in whole tokens."""
        return Decimal(f"{self.raw}E-{self.decimals}")
