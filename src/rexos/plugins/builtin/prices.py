"""The token-price plug-in: DEX-implied prices from the deployment's pools next to a
CoinGecko-compatible feed, with divergence flagged."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from rexos import __version__
from rexos.agents.tool import ToolContext, ToolParams, tool
from rexos.config import Settings
from rexos.dex import PoolWatcher, TokenRegistry
from rexos.dex.price import implied_price
from rexos.plugins.spec import Plugin
from rexos.prices import CoinGeckoClient, PriceError, compare_prices

__all__ = ["feed", "plugin"]


def feed(settings: Settings) -> CoinGeckoClient:
    """The price feed (tests replace it with one that replays recorded answers)."""
    return CoinGeckoClient(settings.coingecko_url, api_key=settings.coingecko_api_key)


class PriceParams(ToolParams):
    symbols: list[str] = Field(min_length=1, max_length=20, description="e.g. [WETH, REX].")
    divergence_bps: Decimal = Field(default=Decimal(200), gt=0, description="Flag above this.")


class PriceRow(BaseModel):
    symbol: str
    dex_usd: str | None
    feed_usd: str | None
    divergence_bps: str | None
    diverges: bool


class PriceResult(BaseModel):
    prices: list[PriceRow]
    feed_error: str | None


@tool(
    "prices.usd",
    "USD prices of tokens: implied by the deployment's DEX pools (USDC as the dollar) and from "
    "a CoinGecko-compatible feed, with the divergence between them flagged.",
    PriceParams,
    PriceResult,
    needs=["chain", "network"],
    examples=[{"symbols": ["WETH", "REX"]}],
)
def usd(ctx: ToolContext, p: PriceParams) -> PriceResult:
    manifest = ctx.manifest()
    registry = TokenRegistry.from_manifest(manifest)
    watcher = PoolWatcher(ctx.chain().web3, manifest)
    usdc = registry.symbol("USDC")
    dex: dict[str, Decimal | None] = {}
    for symbol in p.symbols:
        info = registry.symbol(symbol)  # unknown symbols: one clear error
        dex[info.symbol] = implied_price(
            watcher.pools, info.address, info.decimals, usdc.address, usdc.decimals
        )
    feed_error = None
    try:
        quoted = feed(ctx.settings).usd(list(dex))
    except PriceError as exc:
        quoted, feed_error = {}, str(exc)
    rows = []
    for symbol, dex_usd in dex.items():
        check = compare_prices(symbol, dex_usd, quoted.get(symbol), p.divergence_bps)
        rows.append(
            PriceRow(
                symbol=symbol,
                dex_usd=_s(check.dex_usd),
                feed_usd=_s(check.feed_usd),
                divergence_bps=_s(check.divergence_bps),
                diverges=check.diverges,
            )
        )
    return PriceResult(prices=rows, feed_error=feed_error)


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.000001")).normalize())


def plugin() -> Plugin:
    return Plugin.of("prices", __version__, "Token prices, DEX-implied and from a feed.", [usd])
