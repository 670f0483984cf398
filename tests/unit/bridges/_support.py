"""Serve the fixtures in tests/fixtures/bridges through httpx.MockTransport.

Each fixture answers its own transfer (see that folder's README): the LI.FI and
Bungee ones, still hand-written, answer ``REQUEST``; the recorded Across answer
``ACROSS_REQUEST``; the recorded Socket route ``SOCKET_ROUTE_REQUEST``; LI.FI's
two published examples are asked ``LIFI_DOCS_REQUEST``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import httpx

from rexos.bridges import BridgeRequest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "bridges"

USDC_ETH = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"
USDC_OP = "0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85"
USDC_ARB = "0xaf88d065e77c8cC2239327C5EDb3A432268e5831"
SENDER = "0x1111111111111111111111111111111111111111"

REQUEST = BridgeRequest(
    from_chain=10,
    to_chain=42161,
    token_in=USDC_OP,
    token_out=USDC_ARB,
    amount_in=1_000_000_000,
    from_address=SENDER,
    in_decimals=6,
    out_decimals=6,
    in_price_usd=Decimal("1.00"),
)

#: The recorded Across answer: 100 USDC from Ethereum to Arbitrum (the amount
#: follows from its fees: every ``total`` is ``pct`` x 100,000,000 / 1e18).
ACROSS_REQUEST = replace(REQUEST, from_chain=1, token_in=USDC_ETH, amount_in=100_000_000)

#: The recorded Socket route: 20 MATIC on Polygon to BNB on BNB Chain, both native
#: (Socket writes native tokens as 0xeee...e), sent by the placeholder 0xEEE...E.
NATIVE = "0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
SOCKET_ROUTE_REQUEST = BridgeRequest(
    from_chain=137,
    to_chain=56,
    token_in=NATIVE,
    token_out=NATIVE,
    amount_in=20 * 10**18,
    from_address="0xEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE",
    in_decimals=18,
    out_decimals=18,
)

#: LI.FI's published examples (``lifi_*_docs_example.json``) both start on Gnosis
#: (100): the ``Step`` example moves 1 MIVA (18 decimals) to Polygon (137), the
#: ``/v1/quote`` example swaps 1 xDai into MIVA on Gnosis itself. No bridge request
#: can be same-chain, so both are asked the ``Step`` example's transfer; the sender
#: is the address the ``/v1/quote`` example names.
MIVA_GNOSIS = "0x63e62989d9eb2d37dfdb1f93a22f063635b07d51"
MIVA_POLYGON = "0xc0b2983a17573660053beeed6fdb1053107cf387"
LIFI_DOCS_REQUEST = BridgeRequest(
    from_chain=100,
    to_chain=137,
    token_in=MIVA_GNOSIS,
    token_out=MIVA_POLYGON,
    amount_in=10**18,
    from_address="0x552008c0f6870c2f77e5cC1d2eb9bdff03e30Ea0",
    in_decimals=18,
    out_decimals=18,
)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> dict[str, object]:
    data = json.loads(fixture(name))
    assert isinstance(data, dict)
    return data


def socket_route_answer() -> dict[str, object]:
    """A ``/v2/quote`` body around the one recorded Socket route.

    Only the route is recorded; this envelope is built here, and the output
    decimals it states are those of the route's last ``toAsset`` (BNB, 18).
    """
    route = fixture_json("bungee_route_socket_v2_sdk.json")
    last_tx = route["userTxs"][-1]  # type: ignore[index]
    return {
        "success": True,
        "result": {"toAsset": {"decimals": last_tx["toAsset"]["decimals"]}, "routes": [route]},
    }


class Recorder:
    """A MockTransport handler that answers from a script and keeps every request."""

    def __init__(self, *answers: httpx.Response | Callable[[httpx.Request], httpx.Response]):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return answer(request) if callable(answer) else answer

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def ok(name: str) -> httpx.Response:
    return httpx.Response(200, content=fixture(name), headers={"content-type": "application/json"})
