"""The CoinGecko-compatible client on a recorded answer, and the divergence check."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from rexos.prices import CoinGeckoClient, PriceError, compare_prices

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "prices"
RECORDED = FIXTURES / "coingecko_simple_price_recorded.json"
"""CoinGecko's answer for ethereum, quoted in an issue (see the fixtures' README)."""
DOCUMENTED = FIXTURES / "coingecko_simple_price_docs.json"
"""CoinGecko's documented example answer, with the optional market fields."""


def client(
    status: int = 200, body: bytes | None = None
) -> tuple[CoinGeckoClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, content=RECORDED.read_bytes() if body is None else body)

    transport = httpx.MockTransport(handler)
    return CoinGeckoClient("https://cg.test", transport=transport, sleep=lambda _: None), seen


def test_simple_price_reads_exact_decimals() -> None:
    cg, seen = client()
    got = cg.usd(["eth", "WETH", "REX"])
    assert got == {"ETH": Decimal("376.37")}  # weth is not in the answer: left out, not zero
    assert seen[0].url.path == "/api/v3/simple/price"
    assert seen[0].url.params["ids"] == "ethereum,weth"
    assert seen[0].url.params["vs_currencies"] == "usd"
    assert cg.usd(["REX"]) == {}  # nothing listed: no request, no made-up price
    assert len(seen) == 1


def test_the_optional_market_fields_are_ignored() -> None:
    cg, _ = client(body=DOCUMENTED.read_bytes())
    assert cg.usd(["BTC", "ETH"]) == {"BTC": Decimal("67187.3358936566")}


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [(500, b"{}", "CoinGecko: HTTP 500 after 3 tries"), (404, b"{}", "CoinGecko: HTTP 404$"),
     (200, b"<html>", "not JSON"), (200, b'{"weth": {"usd": "NaN"}}', "not finite"),
     (200, b'{"weth": {}}', "lacks field")],
)  # fmt: skip
def test_bad_answers_are_one_price_error(status: int, body: bytes, message: str) -> None:
    cg, _ = client(status, body)
    with pytest.raises(PriceError, match=message):
        cg.usd(["WETH"])


def test_divergence_is_flagged_above_the_threshold() -> None:
    agree = compare_prices("WETH", Decimal(3000), Decimal(3030))
    assert agree.divergence_bps == Decimal("99.01") and not agree.diverges
    assert agree.best == Decimal(3000)
    apart = compare_prices("WETH", Decimal(3000), Decimal(3100))
    assert apart.divergence_bps == Decimal("322.58") and apart.diverges and apart.best is None
    only_dex = compare_prices("REX", Decimal("0.1"), None)
    assert only_dex.divergence_bps is None and only_dex.best == Decimal("0.1")
