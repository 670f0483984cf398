"""A CoinGecko-compatible price client: ``GET /api/v3/simple/price``.

Answer shape (tests/fixtures/prices): ``{"<coin id>": {"usd": 376.37, ...}}``, with
``usd_market_cap`` and the like only when asked for. Numbers are read through ``str`` into
``Decimal``. CoinGecko leaves out the ids it does not know, so a coin missing from the answer
is left out of the result; a listed coin without the currency is a :class:`PriceError`.
Neither is ever read as zero.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rexos.errors import RexosError
from rexos.jsonread import JsonReader
from rexos.outside_http import OutsideHttp, Transport

__all__ = ["SYMBOL_IDS", "CoinGeckoClient", "PriceError"]

SYMBOL_IDS = {
    "ETH": "ethereum",
    "WETH": "weth",
    "BTC": "bitcoin",
    "WBTC": "wrapped-bitcoin",
    "USDC": "usd-coin",
    "USDT": "tether",
    "DAI": "dai",
    "LINK": "chainlink",
    "UNI": "uniswap",
}
"""CoinGecko coin ids of the symbols RexOS knows (REX is not listed)."""


class PriceError(RexosError):
    """A price source could not answer or answered something unusable."""


class CoinGeckoClient:
    """``simple/price`` for symbols, with a timeout, bounded retries on 429/5xx and an
    optional API key header."""

    def __init__(
        self,
        base_url: str = "https://api.coingecko.com",
        *,
        api_key: str | None = None,
        timeout_s: float = 10.0,
        max_retries: int = 2,
        backoff_s: float = 0.5,
        transport: Transport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url
        self._http = OutsideHttp(
            "CoinGecko",
            PriceError,
            base_url=base_url,
            timeout_s=timeout_s,
            max_retries=max(0, max_retries),
            backoff_s=backoff_s,
            headers={"x-cg-demo-api-key": api_key} if api_key else {},
            transport=transport,
            sleep=sleep,
        )

    def usd(self, symbols: list[str]) -> dict[str, Decimal]:
        """USD price per symbol; symbols CoinGecko does not list are left out."""
        ids = {SYMBOL_IDS[s.upper()]: s.upper() for s in symbols if s.upper() in SYMBOL_IDS}
        if not ids:
            return {}
        params = {"ids": ",".join(sorted(ids)), "vs_currencies": "usd"}
        body: Any = self._http.request_json("GET", "/api/v3/simple/price", params=params)
        read = JsonReader("CoinGecko", PriceError)
        out: dict[str, Decimal] = {}
        for coin, symbol in ids.items():
            if isinstance(body, dict) and coin in body:
                out[symbol] = read.decimal(read.field(body, coin, "usd"), f"{coin}.usd")
        return out
