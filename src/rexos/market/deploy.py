"""Deploy the Agent Market over REX and sREX.

:func:`rexos.deployment.deploy_all` deploys it with every devnet; the market needs only the
REX token, the sREX contract (its reward pool takes the pool share through
``StakedRex.fund``) and a treasury address.
"""

from __future__ import annotations

from collections.abc import Callable

from rexos.chain.tx import Transactor
from rexos.errors import ConfigError
from rexos.market.model import MAX_POOL_BPS, MAX_TREASURY_BPS
from rexos.types import Address

__all__ = ["DEFAULT_POOL_BPS", "DEFAULT_TREASURY_BPS", "MARKET_CONTRACTS", "deploy_market"]

MARKET_CONTRACTS = ("AgentMarket",)
"""Manifest keys of the contracts :func:`deploy_market` deploys."""

DEFAULT_POOL_BPS = 1_000
"""Default share of each settled price for the sREX reward pool (10 %)."""
DEFAULT_TREASURY_BPS = 500
"""Default share of each settled price for the treasury (5 %)."""


def _quiet(_: str) -> None:
    """Default progress callback: say nothing."""


def deploy_market(
    deployer: Transactor,
    rex: Address,
    staked: Address,
    treasury: Address,
    *,
    pool_bps: int = DEFAULT_POOL_BPS,
    treasury_bps: int = DEFAULT_TREASURY_BPS,
    owner: Address | None = None,
    progress: Callable[[str], None] = _quiet,
) -> dict[str, Address]:
    """Deploy ``AgentMarket``; return name → address.

    ``deployer`` sends the deployment (the caller builds it, as the deploy path of
    :mod:`rexos.deployment` does for its other contracts); ``owner`` (default: the
    deployer) may later move the shares, within the bounds the contract fixes
    (pool ≤ 20 %, treasury ≤ 10 %).
    """
    if not 0 <= pool_bps <= MAX_POOL_BPS:
        raise ConfigError(f"market pool share {pool_bps} bps outside [0, {MAX_POOL_BPS}]")
    if not 0 <= treasury_bps <= MAX_TREASURY_BPS:
        raise ConfigError(
            f"market treasury share {treasury_bps} bps outside [0, {MAX_TREASURY_BPS}]"
        )
    progress("deploying AgentMarket")
    market = deployer.deploy(
        "AgentMarket",
        rex,
        staked,
        treasury,
        owner or deployer.address,
        pool_bps,
        treasury_bps,
    )
    return {"AgentMarket": Address(market.address)}
