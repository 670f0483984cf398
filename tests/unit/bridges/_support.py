"""Serve the hand-written fixtures in tests/fixtures/bridges through httpx.MockTransport."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import httpx

from rexos.bridges import BridgeRequest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "bridges"

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


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> dict[str, object]:
    data = json.loads(fixture(name))
    assert isinstance(data, dict)
    return data


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
