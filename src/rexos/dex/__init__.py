"""Exact DEX pool maths and the SmartWallet router.

Pool kinds (each a frozen value with an exact ``swap``): :class:`V2Pool`
(constant product, fee per pool), :class:`V3Pool` (Uniswap V3 concentrated
liquidity) and :class:`StablePool` (Curve-style StableSwap). :func:`find_route`
splits an exact-input trade over them and certifies how close it is to the best.
:class:`Discoverer` finds a chain's pools from its factories (:func:`registry_venues`: the
real ones on Ethereum, BNB Chain and opBNB) and reads them in batches.
"""

from rexos.dex.baseline import grid_route
from rexos.dex.deploy import deploy_dex
from rexos.dex.discovery import Discoverer, Discovery
from rexos.dex.execute import SwapExecutor, SwapQuote, quote_swap
from rexos.dex.fills import Fill, replay
from rexos.dex.onchain import PoolWatcher, TokenInfo, TokenRegistry
from rexos.dex.pool import Pool, check_pair
from rexos.dex.pools_file import dump_pools, load_pools, parse_pools, pool_to_json
from rexos.dex.router import Route, find_route
from rexos.dex.stable import StablePool
from rexos.dex.synthetic import synthetic_pools
from rexos.dex.v2 import V2Pool
from rexos.dex.v3 import Tick, V3Pool
from rexos.dex.venues import Venue, manifest_venues, registry_venues

__all__ = [
    "Discoverer",
    "Discovery",
    "Fill",
    "Pool",
    "PoolWatcher",
    "Route",
    "StablePool",
    "SwapExecutor",
    "SwapQuote",
    "Tick",
    "TokenInfo",
    "TokenRegistry",
    "V2Pool",
    "V3Pool",
    "Venue",
    "check_pair",
    "deploy_dex",
    "dump_pools",
    "find_route",
    "grid_route",
    "load_pools",
    "manifest_venues",
    "parse_pools",
    "pool_to_json",
    "quote_swap",
    "registry_venues",
    "replay",
    "synthetic_pools",
]
