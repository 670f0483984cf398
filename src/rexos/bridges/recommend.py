"""A bridge recommendation: every source asked, quotes ranked, the winner explained.

Shared by ``rexos bridge`` (between real chains) and the ``bridge`` plug-in's tool.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rexos.bridges.chains import chain_id, known_token
from rexos.bridges.clients import AcrossClient, BridgeSource, BungeeClient, LifiClient
from rexos.bridges.errors import BridgeError
from rexos.bridges.rank import RankedQuote, rank
from rexos.bridges.schema import BridgeQuote, BridgeRequest
from rexos.config import Settings
from rexos.errors import UsageError
from rexos.types import parse_address, parse_units

__all__ = ["STABLES", "Recommendation", "explain", "quote_row", "recommend", "sources"]

STABLES = frozenset({"USDC", "USDT", "DAI"})


def sources(settings: Settings) -> dict[str, BridgeSource]:
    """The quote APIs, at their public URLs unless ``REXOS_<NAME>_URL`` points elsewhere."""
    urls = settings.bridge_urls
    return {
        "lifi": LifiClient(base_url=urls.get("lifi")),
        "across": AcrossClient(base_url=urls.get("across")),
        "bungee": BungeeClient(base_url=urls.get("bungee"), api_key=settings.bungee_api_key),
    }


@dataclass(frozen=True, slots=True)
class Recommendation:
    request: BridgeRequest
    symbol: str
    ranked: list[RankedQuote]
    unavailable: dict[str, str]
    """Sources that gave no quote, with the reason."""

    def to_json(self) -> dict[str, Any]:
        return {
            "quotes": [quote_row(r) for r in self.ranked],
            "unavailable": self.unavailable,
            "why": explain(self.ranked),
        }


def recommend(
    settings: Settings,
    token: str,
    amount: str,
    from_chain: str,
    to_chain: str,
    sender: str,
    price_usd: Decimal | None,
    value_of_time_usd_per_hour: Decimal,
) -> Recommendation:
    """Ask every source for ``amount`` whole ``token`` from one chain to another; rank them."""
    src, dst = chain_id(from_chain), chain_id(to_chain)
    if src == dst:
        raise UsageError(f"source and destination are both chain {src}")
    tin, tout = known_token(src, token), known_token(dst, token)
    wei = parse_units(amount, tin.decimals)
    if price_usd is None:
        if tin.symbol not in STABLES:
            raise UsageError(f"pass --price-usd: the USD price of {tin.symbol} ranks the quotes")
        price_usd = Decimal(1)
    if price_usd <= 0:
        raise UsageError("the USD price must be positive")
    request = BridgeRequest(
        from_chain=src,
        to_chain=dst,
        token_in=tin.address,
        token_out=tout.address,
        amount_in=wei,
        from_address=str(parse_address(sender)),
        in_decimals=tin.decimals,
        out_decimals=tout.decimals,
        in_price_usd=price_usd,
    )
    quotes: list[BridgeQuote] = []
    failed: dict[str, str] = {}
    for name, source in sources(settings).items():
        try:
            quotes.extend(source.quote(request))
        except BridgeError as exc:
            failed[name] = str(exc)
    if not quotes:
        reasons = "; ".join(f"{n}: {why}" for n, why in failed.items())
        raise BridgeError(f"no bridge quoted this transfer ({reasons})")
    ranked = rank(quotes, price_usd, value_of_time_usd_per_hour=value_of_time_usd_per_hour)
    return Recommendation(request, tout.symbol, ranked, failed)


def _usd(value: Decimal) -> str:
    return f"${value.quantize(Decimal('0.01')):,}"


def explain(ranked: list[RankedQuote]) -> str:
    """Why the first quote wins: its margin over the second and the term that decides it."""
    best = ranked[0]
    name = f"{best.quote.provider}/{best.quote.route_name}"
    if len(ranked) == 1:
        return f"Only {name} quoted this transfer: utility {_usd(best.utility_usd)}."
    second = ranked[1]
    terms = {
        "more arrives": best.received_usd - second.received_usd,
        "less gas": (second.gas_source_usd + second.gas_dest_usd)
        - (best.gas_source_usd + best.gas_dest_usd),
        "it is faster": second.time_cost_usd - best.time_cost_usd,
        "its trust class is safer": second.trust_penalty_usd - best.trust_penalty_usd,
    }
    why, edge = max(terms.items(), key=lambda kv: kv[1])
    margin = best.utility_usd - second.utility_usd
    return (
        f"{name} wins by {_usd(margin)} over {second.quote.provider}/{second.quote.route_name}, "
        f"mostly because {why} ({_usd(edge)})."
    )


def quote_row(r: RankedQuote) -> dict[str, Any]:
    """One ranked quote as JSON (USD to the micro-dollar, as text)."""

    def usd(value: Decimal) -> str:
        return str(value.quantize(Decimal("0.000001")))

    q = r.quote
    return {
        "provider": q.provider,
        "route": q.route_name,
        "amount_out": str(q.amount_out),
        "received_usd": usd(r.received_usd),
        "fees_usd": usd(q.fees_usd),
        "gas_usd": usd(r.gas_source_usd + r.gas_dest_usd),
        "duration_s": q.duration_s,
        "time_cost_usd": usd(r.time_cost_usd),
        "trust": q.trust,
        "trust_penalty_usd": usd(r.trust_penalty_usd),
        "utility_usd": usd(r.utility_usd),
    }
