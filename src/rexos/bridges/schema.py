"""One normalised bridge quote, and the request every client answers.

Money is ``int`` base units or ``Decimal`` US dollars, never ``float``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, get_args

from rexos.errors import InvalidAmount, UsageError

__all__ = ["TRUST_CLASSES", "BridgeQuote", "BridgeRequest", "Trust"]

Trust = Literal["native", "optimistic", "liquidity-network", "multisig", "unknown"]
TRUST_CLASSES: tuple[Trust, ...] = get_args(Trust)


@dataclass(frozen=True, slots=True)
class BridgeRequest:
    """Bridge ``amount_in`` base units of ``token_in`` to ``token_out`` on ``to_chain``.

    ``in_decimals`` / ``in_price_usd`` are only needed by APIs that report fees
    in input-token units without a dollar value (Across-style); ``out_decimals``
    by APIs whose answer does not name the output token's decimals.
    """

    from_chain: int
    to_chain: int
    token_in: str
    token_out: str
    amount_in: int
    from_address: str
    in_decimals: int = 18
    out_decimals: int = 18
    in_price_usd: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        if self.amount_in <= 0:
            raise InvalidAmount(f"bridge amount must be positive, got {self.amount_in}")
        if self.from_chain == self.to_chain:
            raise UsageError(f"source and destination are the same chain ({self.from_chain})")
        if self.from_chain <= 0 or self.to_chain <= 0:
            raise UsageError("chain ids must be positive integers")
        if self.in_price_usd < 0:
            raise UsageError("in_price_usd must not be negative")


@dataclass(frozen=True, slots=True)
class BridgeQuote:
    """One route offered by one provider, in one shape for every API.

    ``amount_out`` is what arrives (base units of the output token, after every
    fee the provider deducts from the transfer). ``fees_usd`` reports those
    deducted fees for display; ranking does not subtract them again.
    ``gas_source_usd`` is what the sender pays on top on the source chain (gas
    and any fee not deducted from the amount); ``gas_dest_usd`` what the
    receiver pays on the destination chain (zero for relayer-filled bridges).
    """

    provider: str
    route_name: str
    from_chain: int
    to_chain: int
    token_in: str
    amount_in: int
    amount_out: int
    out_decimals: int
    fees_usd: Decimal
    gas_source_usd: Decimal
    gas_dest_usd: Decimal
    duration_s: int
    trust: Trust
