"""Value types shared by every layer: addresses and token amounts.

Money is never a float: amounts are ``int`` base units, parsed from and
formatted to decimal strings with the token's ``decimals``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NewType

from eth_typing import ChecksumAddress
from eth_utils.address import is_hex_address, to_checksum_address

from rexos.errors import InvalidAddress, InvalidAmount

__all__ = ["Address", "TokenAmount", "format_units", "parse_address", "parse_units"]

Address = NewType("Address", ChecksumAddress)
"""A checksummed 0x-prefixed 20-byte address."""


def parse_address(text: str) -> Address:
    """Return the checksummed form of ``text`` or raise :class:`InvalidAddress`."""
    candidate = text.strip()
    if not is_hex_address(candidate):
        raise InvalidAddress(f"not an address: {text!r} (expected 0x followed by 40 hex digits)")
    return Address(to_checksum_address(candidate))


def parse_units(text: str | int | Decimal, decimals: int = 18) -> int:
    """Parse a positive decimal amount (``"1.5"``, ``"1_000"``) into base units.

    Raises :class:`InvalidAmount` for zero, negative, non-numeric, non-finite
    values and for more fractional digits than the token has.
    """
    if isinstance(text, bool):
        raise InvalidAmount(f"not an amount: {text!r}")
    raw = text if isinstance(text, Decimal | int) else str(text).strip().replace("_", "")
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        raise InvalidAmount(f"not an amount: {text!r}") from None
    if not value.is_finite():
        raise InvalidAmount(f"not a finite amount: {text!r}")
    if value <= 0:
        raise InvalidAmount(f"amount must be greater than zero, got {text!r}")
    scaled = value.scaleb(decimals)
    if scaled != scaled.to_integral_value():
        raise InvalidAmount(f"{text!r} has more than {decimals} decimal places")
    return int(scaled)


def format_units(amount: int, decimals: int = 18, places: int | None = None) -> str:
    """Format base units as a decimal string (``1500000000000000000`` → ``"1.5"``).

    With ``places`` the result is rounded down to that many decimals and
    thousands are separated by commas, for display.
    """
    value = Decimal(amount).scaleb(-decimals)
    if places is None:
        text = format(value.normalize(), "f")
        return text if "." not in text else text.rstrip("0").rstrip(".")
    quantum = Decimal(1).scaleb(-places)
    return f"{value.quantize(quantum, rounding='ROUND_DOWN'):,.{places}f}"


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
        return Decimal(self.raw).scaleb(-self.decimals)
