"""RexOS: a self-hostable AI-agent operating system for on-chain users."""

from rexos.config import Settings
from rexos.errors import RexosError
from rexos.types import Address, TokenAmount, format_units, parse_address, parse_units

__version__ = "0.1.0"

__all__ = [
    "Address",
    "RexosError",
    "Settings",
    "TokenAmount",
    "__version__",
    "format_units",
    "parse_address",
    "parse_units",
]
