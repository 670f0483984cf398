"""Token prices from two independent sources, with their divergence flagged.

:func:`rexos.dex.price.implied_price` reads the deployment's pools; :class:`CoinGeckoClient`
asks a CoinGecko-compatible API. :func:`compare_prices` puts them side by side and flags a
divergence above a threshold, so a manipulated pool or a stale feed is visible.
"""

from rexos.prices.coingecko import CoinGeckoClient, PriceError
from rexos.prices.compare import DEFAULT_DIVERGENCE_BPS, PriceCheck, compare_prices

__all__ = [
    "DEFAULT_DIVERGENCE_BPS",
    "CoinGeckoClient",
    "PriceCheck",
    "PriceError",
    "compare_prices",
]
