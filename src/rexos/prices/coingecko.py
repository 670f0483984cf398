"""A CoinGecko-compatible price client: ``GET /api/v3/simple/price``.

Documented answer shape: ``{"<coin id>": {"usd": 3012.5, ...}}``. Numbers are read through
``str`` into ``Decimal``. A missing coin or currency is a :class:`PriceError`, never zero.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from rexos.errors import RexosError
from rexos.jsonread import JsonReader

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
    """``simple/price`` for symbols, with a timeout and an optional API key header."""

    def __init__(
        self,
        base_url: str = "https://api.coingecko.com",
        *,
        api_key: str | None = None,
        timeout_s: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url
        self._headers = {"Accept": "application/json"}
        if api_key:
            self._headers["x-cg-demo-api-key"] = api_key
        self._timeout = timeout_s
        self._transport = transport

    def usd(self, symbols: list[str]) -> dict[str, Decimal]:
        """USD price per symbol; symbols CoinGecko does not list are left out."""
        ids = {SYMBOL_IDS[s.upper()]: s.upper() for s in symbols if s.upper() in SYMBOL_IDS}
        if not ids:
            return {}
        params = {"ids": ",".join(sorted(ids)), "vs_currencies": "usd"}
        try:
            with httpx.Client(
                base_url=self.base_url,
                timeout=self._timeout,
                transport=self._transport,
                headers=self._headers,
            ) as client:
                response = client.get("/api/v3/simple/price", params=params)
                response.raise_for_status()
                body: Any = response.json()
        except httpx.HTTPError as exc:
            raise PriceError(f"CoinGecko: {type(exc).__name__}: {exc}") from None
        except ValueError:
            raise PriceError("CoinGecko: the answer is not JSON") from None
        read = JsonReader("CoinGecko", PriceError)
        out: dict[str, Decimal] = {}
        for coin, symbol in ids.items():
            if isinstance(body, dict) and coin in body:
                out[symbol] = read.decimal(read.field(body, coin, "usd"), f"{coin}.usd")
        return out
