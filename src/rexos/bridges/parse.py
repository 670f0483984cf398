"""Turn each provider's decoded JSON into :class:`BridgeQuote` values.

Each function's docstring says which fields a response the real service produced
confirmed (see ``tests/fixtures/bridges/README.md`` for where those responses come
from) and which still rest on documentation alone. The clients in
:mod:`rexos.bridges.clients` only fetch and hand the JSON here, so these are pure
functions.
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

    No recorded LI.FI answer with a traceable source was found; the success-path
    fixture is still hand-written. LI.FI's own published examples (its OpenAPI
    document: the ``/v1/quote`` response example and the ``Step`` schema
    example) confirm the shapes read here: ``tool`` a string,
    ``action.fromChainId/toChainId`` and ``action.toToken.decimals`` JSON
    numbers, ``estimate.toAmount`` a decimal string, ``estimate.feeCosts`` and
    ``estimate.gasCosts`` arrays whose ``amountUSD`` are decimal strings, and
    ``feeCosts[].included`` a boolean. Only ``included: true`` appears there;
    a fee with ``included: false`` (per the schema, not taken from the sent
    amount) is paid on top, so it counts as source cost. Neither example carries
    ``estimate.executionDuration`` (seconds; LI.FI's schema lists it as
    required), so an answer without it is a :class:`BridgeError`, not a
    guessed duration. The ``/v1/quote`` example is a same-chain swap: an answer
    for other chains than the request's is a :class:`BridgeError` too, rather
    than a quote mixing the request's token and amount with the answer's
    chains. LI.FI reports gas for the source transaction only; destination gas
    is 0.
    """
    name = "LI.FI"
    tool = str(field(body, name, "tool"))
    from_chain = as_int(field(body, name, "action", "fromChainId"), name, "fromChainId")
    to_chain = as_int(field(body, name, "action", "toChainId"), name, "toChainId")
    if (from_chain, to_chain) != (request.from_chain, request.to_chain):
        raise BridgeError(
            f"{name}: answer is for chain {from_chain} -> {to_chain}, "
            f"not the requested {request.from_chain} -> {request.to_chain}"
        )
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
        from_chain=from_chain,
        to_chain=to_chain,
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

    Confirmed by a real answer (USDC Ethereum → Arbitrum, Oct 2024):
    ``totalRelayFee``, ``relayerCapitalFee``, ``relayerGasFee`` and ``lpFee`` are
    each ``{pct, total}`` with decimal *strings* (``total`` in input-token base
    units, ``totalRelayFee.total`` their sum), ``isAmountTooLow`` is a boolean
    and the fill time is ``estimatedFillTimeSec``, a JSON number of seconds. That
    answer has no ``outputAmount``, so ``amount - totalRelayFee.total`` is what
    arrives; ``outputAmount`` (newer answers, per the docs) is used when present.
    ``expectedFillTimeSec``, the name in Across's integration guide, is still
    accepted. Across reports no gas in USD: the relayer's destination gas is
    inside the relay fee, and the depositor's source gas is not given (0 here).
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

    Confirmed by a real route (Socket's own SDK test data, 20 MATIC Polygon →
    BNB on BNB Chain over Celer): ``routeId``, ``usedBridgeNames``, ``toAmount``
    (a string), ``serviceTime`` (integer seconds), ``totalGasFeesInUsd`` (a JSON
    float) and ``userTxs[]``, each with ``chainId`` and ``gasFees.feesInUsd``;
    bridge fees sit in ``userTxs[].steps[].protocolFees.feesInUsd`` and swap
    transactions have no ``steps``. That route showed two wrong assumptions:
    ``totalGasFeesInUsd`` is the sum over *every* user transaction, including
    a swap the user sends on the destination chain, so gas is split by each
    transaction's ``chainId`` (source chain → ``gas_source_usd``, any other →
    ``gas_dest_usd``), falling back to ``totalGasFeesInUsd`` as source gas only
    when a transaction lacks ``gasFees``; and ``protocolFees.feesInUsd`` can be 0
    while ``protocolFees.amount`` is not, so ``fees_usd`` is what Bungee prices,
    possibly less than the true fee (``amount_out`` already reflects it). Not
    confirmed (no whole recorded answer was found): ``success`` and
    ``result.toAsset.decimals`` around the routes.
    """
    name = "Bungee"
    if body.get("success") is False:
        raise BridgeError(f"{name}: API answered success=false")
    result = field(body, name, "result")
    decimals = as_int(field(result, name, "toAsset", "decimals"), name, "toAsset.decimals")
    quotes: list[BridgeQuote] = []
    for i, route in enumerate(as_list(field(result, name, "routes"), name, "routes")):
        where = f"routes[{i}]"
        bridges = [str(b) for b in as_list(field(route, name, "usedBridgeNames"), name, "bridges")]
        txs = as_list(route.get("userTxs", []), name, f"{where}.userTxs")
        for j, tx in enumerate(txs):
            if not isinstance(tx, dict):
                raise BridgeError(f"{name}: {where}.userTxs[{j}] is not an object")
        fees = ZERO
        for tx in txs:
            for step in as_list(tx.get("steps", []), name, f"{where}.steps"):
                protocol_fees = step.get("protocolFees") if isinstance(step, dict) else None
                if isinstance(protocol_fees, dict) and "feesInUsd" in protocol_fees:
                    fees += as_decimal(protocol_fees["feesInUsd"], name, "feesInUsd")
        split = _gas_by_side(txs, name, where, request.from_chain)
        if split is None:
            gas_source = as_decimal(
                field(route, name, "totalGasFeesInUsd"), name, "totalGasFeesInUsd"
            )
            gas_dest = ZERO
        else:
            gas_source, gas_dest = split
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
                gas_source_usd=gas_source,
                gas_dest_usd=gas_dest,
                duration_s=as_int(field(route, name, "serviceTime"), name, "serviceTime"),
                trust=classes.pop() if len(classes) == 1 else "unknown",
            )
        )
    return quotes


def _gas_by_side(
    txs: list[dict[str, Any]], name: str, where: str, from_chain: int
) -> tuple[Decimal, Decimal] | None:
    """Gas in USD on the source chain and on any other, from each user transaction.

    ``None`` when there is no transaction or one lacks ``chainId`` or
    ``gasFees.feesInUsd``: the caller then falls back to the route's total.
    """
    if not txs:
        return None
    source = dest = ZERO
    for j, tx in enumerate(txs):
        gas = tx.get("gasFees")
        if "chainId" not in tx or not isinstance(gas, dict) or "feesInUsd" not in gas:
            return None
        usd = as_decimal(gas["feesInUsd"], name, f"{where}.userTxs[{j}].gasFees.feesInUsd")
        if as_int(tx["chainId"], name, f"{where}.userTxs[{j}].chainId") == from_chain:
            source += usd
        else:
            dest += usd
    return source, dest
