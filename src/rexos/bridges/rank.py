"""Rank bridge quotes by one utility in US dollars, keeping every term.

``utility = received_usd − gas_source_usd − gas_dest_usd
− value_of_time_usd_per_hour × duration_s / 3600 − trust_penalty_usd``

``received_usd`` is ``amount_out / 10**out_decimals × out_price_usd``; fees the
provider already deducted from ``amount_out`` are therefore not subtracted
again. ``trust_penalty_usd`` is ``received_usd × bps / 10_000`` for the quote's
trust class: an expected-loss charge that grows with the amount at risk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from rexos.bridges.schema import TRUST_CLASSES, BridgeQuote, Trust
from rexos.errors import UsageError

__all__ = [
    "DEFAULT_TRUST_PENALTY_BPS",
    "DEFAULT_VALUE_OF_TIME_USD_PER_HOUR",
    "RankedQuote",
    "rank",
]

#: Documented defaults, in basis points of the received value. Native bridges
#: inherit the chains' security; optimistic ones add a challenge-game
#: assumption; liquidity networks add their own validators and pool contracts;
#: multisig bridges rest on a committee; unknown bridges get the worst charge.
DEFAULT_TRUST_PENALTY_BPS: Mapping[Trust, Decimal] = {
    "native": Decimal(0),
    "optimistic": Decimal(5),
    "liquidity-network": Decimal(10),
    "multisig": Decimal(30),
    "unknown": Decimal(50),
}

#: What an hour of waiting for funds costs the user, by default.
DEFAULT_VALUE_OF_TIME_USD_PER_HOUR = Decimal(10)

_SECONDS_PER_HOUR = Decimal(3600)
_BPS = Decimal(10_000)


@dataclass(frozen=True, slots=True)
class RankedQuote:
    """A quote with every term of its utility, in US dollars."""

    quote: BridgeQuote
    received_usd: Decimal
    gas_source_usd: Decimal
    gas_dest_usd: Decimal
    expected_hours: Decimal
    time_cost_usd: Decimal
    trust_penalty_usd: Decimal
    utility_usd: Decimal


def rank(
    quotes: Iterable[BridgeQuote],
    out_price_usd: Decimal,
    *,
    value_of_time_usd_per_hour: Decimal = DEFAULT_VALUE_OF_TIME_USD_PER_HOUR,
    trust_penalty_bps: Mapping[Trust, Decimal] | None = None,
) -> list[RankedQuote]:
    """Score every quote and return them best first.

    Ties in utility are broken by shorter duration, then provider and route
    name, so the order never depends on the order of ``quotes``.
    ``trust_penalty_bps`` overrides the defaults class by class.
    """
    if out_price_usd <= 0:
        raise UsageError(f"out_price_usd must be positive, got {out_price_usd}")
    if value_of_time_usd_per_hour < 0:
        raise UsageError("value_of_time_usd_per_hour must not be negative")
    penalties = dict(DEFAULT_TRUST_PENALTY_BPS)
    for trust, bps in (trust_penalty_bps or {}).items():
        if trust not in TRUST_CLASSES:
            raise UsageError(f"unknown trust class {trust!r}")
        if bps < 0:
            raise UsageError(f"trust penalty for {trust} must not be negative")
        penalties[trust] = bps
    ranked = [_score(q, out_price_usd, value_of_time_usd_per_hour, penalties) for q in quotes]
    ranked.sort(
        key=lambda r: (
            -r.utility_usd,
            r.quote.duration_s,
            r.quote.provider,
            r.quote.route_name,
        )
    )
    return ranked


def _score(
    quote: BridgeQuote,
    out_price_usd: Decimal,
    value_of_time: Decimal,
    penalties: Mapping[Trust, Decimal],
) -> RankedQuote:
    received = Decimal(quote.amount_out) / Decimal(10) ** quote.out_decimals * out_price_usd
    hours = Decimal(quote.duration_s) / _SECONDS_PER_HOUR
    time_cost = value_of_time * hours
    trust_penalty = received * penalties[quote.trust] / _BPS
    utility = received - quote.gas_source_usd - quote.gas_dest_usd - time_cost - trust_penalty
    return RankedQuote(
        quote=quote,
        received_usd=received,
        gas_source_usd=quote.gas_source_usd,
        gas_dest_usd=quote.gas_dest_usd,
        expected_hours=hours,
        time_cost_usd=time_cost,
        trust_penalty_usd=trust_penalty,
        utility_usd=utility,
    )
