"""Exact DEX pool maths and the SmartWallet router.

Pool kinds (each a frozen value with an exact ``swap``): :class:`V2Pool`
(constant product, fee per pool), :class:`V3Pool` (Uniswap V3 concentrated
liquidity) and :class:`StablePool` (Curve-style StableSwap). :func:`find_route`
splits an exact-input trade over them and certifies how close it is to the best.
"""

from rexos.dex.baseline import grid_route
from rexos.dex.deploy import deploy_dex
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

__all__ = [
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
    "check_pair",
    "deploy_dex",
    "dump_pools",
    "find_route",
    "grid_route",
    "load_pools",
    "parse_pools",
    "pool_to_json",
    "quote_swap",
    "replay",
    "synthetic_pools",
]
