"""The CoinGecko-compatible client on a recorded answer, and the divergence check."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from rexos.prices import CoinGeckoClient, PriceError, compare_prices

FIXTURE = (
    Path(__file__).resolve().parents[2] / "fixtures" / "prices" / "coingecko_simple_price.json"
)


def client(
    status: int = 200, body: bytes | None = None
) -> tuple[CoinGeckoClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, content=FIXTURE.read_bytes() if body is None else body)

    transport = httpx.MockTransport(handler)
    return CoinGeckoClient("https://cg.test", transport=transport, sleep=lambda _: None), seen


def test_simple_price_reads_exact_decimals() -> None:
    cg, seen = client()
    got = cg.usd(["weth", "USDC", "LINK", "REX"])
    assert got == {"WETH": Decimal("3011.9"), "USDC": Decimal("0.9998"), "LINK": Decimal("15.02")}
    assert seen[0].url.path == "/api/v3/simple/price"
    assert seen[0].url.params["ids"] == "chainlink,usd-coin,weth"
    assert seen[0].url.params["vs_currencies"] == "usd"
    assert cg.usd(["REX"]) == {}  # nothing listed: no request, no made-up price
    assert len(seen) == 1


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
