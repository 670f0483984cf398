"""Chains and tokens the bridge recommendation knows by name.

Addresses and decimals are from the Uniswap default token list (npm
``@uniswap/default-token-list`` 22.21.0); anything else is given as an address
with ``--decimals``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rexos.errors import UsageError

__all__ = ["CHAINS", "KnownToken", "chain_id", "known_token"]

CHAINS: dict[str, int] = {
    "ethereum": 1,
    "optimism": 10,
    "bsc": 56,
    "polygon": 137,
    "base": 8453,
    "arbitrum": 42161,
    "avalanche": 43114,
    "zksync": 324,
    "linea": 59144,
    "scroll": 534352,
}


@dataclass(frozen=True, slots=True)
class KnownToken:
    symbol: str
    address: str
    decimals: int


_TOKENS: dict[tuple[int, str], tuple[str, int]] = {
    (1, "DAI"): ("0x6B175474E89094C44Da98b954EedeAC495271d0F", 18),
    (1, "USDC"): ("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", 6),
    (1, "USDT"): ("0xdAC17F958D2ee523a2206206994597C13D831ec7", 6),
    (1, "WBTC"): ("0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599", 8),
    (1, "WETH"): ("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", 18),
    (10, "DAI"): ("0xDA10009cBd5D07dd0CeCc66161FC93D7c9000da1", 18),
    (10, "USDC"): ("0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85", 6),
    (10, "USDT"): ("0x94b008aA00579c1307B0EF2c499aD98a8ce58e58", 6),
    (10, "WBTC"): ("0x68f180fcCe6836688e9084f035309E29Bf0A2095", 8),
    (10, "WETH"): ("0x4200000000000000000000000000000000000006", 18),
    (56, "DAI"): ("0x1AF3F329e8BE154074D8769D1FFa4eE058B1DBc3", 18),
    (56, "USDC"): ("0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d", 18),
    (56, "USDT"): ("0x55d398326f99059fF775485246999027B3197955", 18),
    (56, "WETH"): ("0x2170Ed0880ac9A755fd29B2688956BD959F933F8", 18),
    (137, "DAI"): ("0x8f3Cf7ad23Cd3CaDbD9735AFf958023239c6A063", 18),
    (137, "USDC"): ("0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359", 6),
    (137, "USDT"): ("0xc2132D05D31c914a87C6611C10748AEb04B58e8F", 6),
    (137, "WBTC"): ("0x1BFD67037B42Cf73acF2047067bd4F2C47D9BfD6", 8),
    (137, "WETH"): ("0x7ceB23fD6bC0adD59E62ac25578270cFf1b9f619", 18),
    (8453, "DAI"): ("0x50c5725949A6F0c72E6C4a641F24049A917DB0Cb", 18),
    (8453, "USDC"): ("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", 6),
    (8453, "WETH"): ("0x4200000000000000000000000000000000000006", 18),
    (42161, "DAI"): ("0xDA10009cBd5D07dd0CeCc66161FC93D7c9000da1", 18),
    (42161, "USDC"): ("0xaf88d065e77c8cC2239327C5EDb3A432268e5831", 6),
    (42161, "WBTC"): ("0x2f2a2543B76A4166549F7aaB2e75Bef0aefC5B0f", 8),
    (42161, "WETH"): ("0x82aF49447D8a07e3bd95BD0d56f35241523fBab1", 18),
}


def chain_id(name: str) -> int:
    """A chain's id from its name (``arbitrum``) or a decimal id (``42161``)."""
    key = name.strip().lower()
    if key in CHAINS:
        return CHAINS[key]
    if key.isdigit() and int(key) > 0:
        return int(key)
    raise UsageError(f"unknown chain {name!r}: use one of {', '.join(CHAINS)} or a chain id")


def known_token(chain: int, symbol: str) -> KnownToken:
    """The token ``symbol`` on ``chain``, or a clear error naming what is known there."""
    found = _TOKENS.get((chain, symbol.upper()))
    if found is None:
        known = sorted(s for c, s in _TOKENS if c == chain)
        raise UsageError(
            f"unknown token {symbol!r} on chain {chain}"
            + (f": known are {', '.join(known)}" if known else "")
        )
    return KnownToken(symbol.upper(), found[0], found[1])
