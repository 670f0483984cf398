"""Turn each provider's decoded JSON into :class:`BridgeQuote` values.

Field names follow the providers' public documentation as far as it could be
checked (see each function); the clients in :mod:`rexos.bridges.clients` only
fetch and hand the JSON here, so these are pure functions.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rexos.bridges._fields import as_decimal, as_int, as_list, field
from rexos.bridges.errors import BridgeError
from rexos.bridges.schema import BridgeQuote, BridgeRequest
from rexos.bridges.trust import trust_of

__all__ = ["parse_across", "parse_bungee", "parse_lifi"]

ZERO = Decimal(0)


def parse_lifi(body: dict[str, Any], request: BridgeRequest) -> list[BridgeQuote]:
    """A LI.FI ``GET /v1/quote`` answer: one step.

    Confirmed in the LI.FI docs: ``tool``, ``action.fromChainId/toChainId``,
    ``action.toToken.decimals``, ``estimate.toAmount``, ``estimate.feeCosts`` and
    ``estimate.gasCosts`` (arrays on the step's ``estimate``, each with
    ``amountUSD``). Assumed from the SDK types, not the pages read:
    ``estimate.executionDuration`` in seconds and ``feeCosts[].included`` (a
    fee with ``included: false`` is paid on top, so it counts as source cost).
    LI.FI reports gas for the source transaction only; destination gas is 0.
    """
    name = "LI.FI"
    tool = str(field(body, name, "tool"))
    estimate = field(body, name, "estimate")
    deducted = ZERO
    on_top = ZERO
    for i, cost in enumerate(as_list(estimate.get("feeCosts", []), name, "feeCosts")):
        usd = as_decimal(field(cost, name, "amountUSD"), name, f"feeCosts[{i}].amountUSD")
        if cost.get("included", True) is False:
            on_top += usd
        else:
            deducted += usd
    gas = ZERO
    for i, cost in enumerate(as_list(estimate.get("gasCosts", []), name, "gasCosts")):
        gas += as_decimal(field(cost, name, "amountUSD"), name, f"gasCosts[{i}].amountUSD")
    quote = BridgeQuote(
        provider="lifi",
        route_name=tool,
        from_chain=as_int(field(body, name, "action", "fromChainId"), name, "fromChainId"),
        to_chain=as_int(field(body, name, "action", "toChainId"), name, "toChainId"),
        token_in=request.token_in,
        amount_in=request.amount_in,
        amount_out=as_int(field(estimate, name, "toAmount"), name, "toAmount"),
        out_decimals=as_int(
            field(body, name, "action", "toToken", "decimals"), name, "toToken.decimals"
        ),
        fees_usd=deducted,
        gas_source_usd=gas + on_top,
        gas_dest_usd=ZERO,
        duration_s=as_int(field(estimate, name, "executionDuration"), name, "executionDuration"),
        trust=trust_of(tool),
    )
    return [quote]


def parse_across(body: dict[str, Any], request: BridgeRequest) -> list[BridgeQuote]:
    """An Across ``GET /api/suggested-fees`` answer: fees for one route.

    Confirmed in the Across docs: ``totalRelayFee``, ``relayerCapitalFee``,
    ``relayerGasFee`` and ``lpFee`` (each ``{pct, total}``, ``total`` in input
    token base units) and ``isAmountTooLow``. The fill-time field is
    ``estimatedFillTimeSec`` in the API reference we recall and
    ``expectedFillTimeSec`` in Across's integration guide; both are accepted.
    ``outputAmount`` is used when present, else ``amount - totalRelayFee.total``.
    Across reports no gas in USD: the relayer's destination gas is inside the
    relay fee, and the depositor's source gas is not given (0 here).
    """
    name = "Across"
    if body.get("isAmountTooLow") is True:
        raise BridgeError(f"{name}: amount {request.amount_in} is below the route minimum")
    relay_fee = as_int(field(body, name, "totalRelayFee", "total"), name, "totalRelayFee.total")
    if "outputAmount" in body:
        amount_out = as_int(body["outputAmount"], name, "outputAmount")
    else:
        amount_out = request.amount_in - relay_fee
    if amount_out <= 0:
        raise BridgeError(f"{name}: fees exceed the amount")
    seconds = body.get("estimatedFillTimeSec", body.get("expectedFillTimeSec"))
    if seconds is None:
        raise BridgeError(f"{name}: response lacks field estimatedFillTimeSec")
    fees_usd = Decimal(relay_fee) / Decimal(10) ** request.in_decimals * request.in_price_usd
    quote = BridgeQuote(
        provider="across",
        route_name="across",
        from_chain=request.from_chain,
        to_chain=request.to_chain,
        token_in=request.token_in,
        amount_in=request.amount_in,
        amount_out=amount_out,
        out_decimals=request.out_decimals,
        fees_usd=fees_usd,
        gas_source_usd=ZERO,
        gas_dest_usd=ZERO,
        duration_s=as_int(seconds, name, "estimatedFillTimeSec"),
        trust="optimistic",
    )
    return [quote]


def parse_bungee(body: dict[str, Any], request: BridgeRequest) -> list[BridgeQuote]:
    """A Bungee/Socket ``GET /v2/quote`` answer: ``result.routes``, one quote each.

    Confirmed from published integrations of the v2 API (not an official
    reference page): ``success``, ``result.routes[]`` with ``routeId``,
    ``usedBridgeNames``, ``toAmount``, ``totalGasFeesInUsd`` and ``serviceTime``
    (seconds), ``result.toAsset.decimals``. Assumed: bridge fees as
    ``userTxs[].steps[].protocolFees.feesInUsd`` (already deducted from
    ``toAmount``). ``totalGasFeesInUsd`` is the sender's source-chain gas.
    """
    name = "Bungee"
    if body.get("success") is False:
        raise BridgeError(f"{name}: API answered success=false")
    result = field(body, name, "result")
    decimals = as_int(field(result, name, "toAsset", "decimals"), name, "toAsset.decimals")
    quotes: list[BridgeQuote] = []
    for i, route in enumerate(as_list(field(result, name, "routes"), name, "routes")):
        bridges = [str(b) for b in as_list(field(route, name, "usedBridgeNames"), name, "bridges")]
        fees = ZERO
        for tx in as_list(route.get("userTxs", []), name, f"routes[{i}].userTxs"):
            for step in as_list(tx.get("steps", []), name, f"routes[{i}].steps"):
                protocol_fees = step.get("protocolFees")
                if isinstance(protocol_fees, dict) and "feesInUsd" in protocol_fees:
                    fees += as_decimal(protocol_fees["feesInUsd"], name, "feesInUsd")
        classes = {trust_of(b) for b in bridges}
        quotes.append(
            BridgeQuote(
                provider="bungee",
                route_name="+".join(bridges) or str(field(route, name, "routeId")),
                from_chain=request.from_chain,
                to_chain=request.to_chain,
                token_in=request.token_in,
                amount_in=request.amount_in,
                amount_out=as_int(field(route, name, "toAmount"), name, "toAmount"),
                out_decimals=decimals,
                fees_usd=fees,
                gas_source_usd=as_decimal(
                    field(route, name, "totalGasFeesInUsd"), name, "totalGasFeesInUsd"
                ),
                gas_dest_usd=ZERO,
                duration_s=as_int(field(route, name, "serviceTime"), name, "serviceTime"),
                trust=classes.pop() if len(classes) == 1 else "unknown",
            )
        )
    return quotes
