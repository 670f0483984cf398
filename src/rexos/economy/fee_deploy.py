"""Deploy the ``FeeRouter`` and register the default services.

:func:`rexos.deployment.deploy_all` deploys it after the DEX, naming the two Uniswap V3 pools
whose oracles price REX (REX/WETH and WETH/USDC on the devnet). The defaults below are the
published prices and rates; ``genesis["fees"]`` (:func:`fee_facts`) records them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from web3 import Web3

from rexos.chain.artifacts import load_artifact
from rexos.chain.tx import Transactor
from rexos.errors import ConfigError
from rexos.types import Address

__all__ = [
    "DEFAULT_CARDINALITY",
    "DEFAULT_POINTS_PER_USD",
    "DEFAULT_REX_DISCOUNT_BPS",
    "DEFAULT_SERVICES",
    "DEFAULT_TWAP_WINDOW",
    "FEE_CONTRACTS",
    "MAX_DISCOUNT_BPS",
    "MAX_POOL_BPS",
    "MAX_TREASURY_BPS",
    "MIN_TWAP_WINDOW",
    "ServiceSpec",
    "deploy_fee_router",
    "fee_facts",
    "service_id",
]

FEE_CONTRACTS = ("FeeRouter",)
"""Manifest keys of the contracts :func:`deploy_fee_router` deploys."""

MAX_POOL_BPS = 3_000
"""The contract's bound on a service's sREX pool share."""
MAX_TREASURY_BPS = 2_000
"""The contract's bound on a service's treasury share."""
MAX_DISCOUNT_BPS = 5_000
"""The contract's bound on the REX discount."""
MIN_TWAP_WINDOW = 600
"""The contract's shortest TWAP window, seconds."""

DEFAULT_REX_DISCOUNT_BPS = 2_000
"""Paying in REX costs 20 % less."""
DEFAULT_TWAP_WINDOW = 600
"""The devnet averages the last 10 minutes (the contract's floor; a production chain should
average longer, e.g. 30 minutes)."""
DEFAULT_POINTS_PER_USD = 1_000 * 10**18
"""1,000 points buy one USD of AI services (1,000 sREX held one day earn 1,000 points)."""
DEFAULT_CARDINALITY = 100
"""Oracle observations each priced pool keeps, so the window is covered between swaps."""


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """A service as registered: name, USD price, whether its payee is given at each payment
    (a DPrompt provider, an agent's developer) or is the treasury (the protocol's own
    services), its sREX pool and treasury shares, and whether points pay for it."""

    name: str
    price_usd: Decimal
    payee_at_payment: bool
    pool_bps: int
    treasury_bps: int
    accepts_points: bool

    @property
    def price_wad(self) -> int:
        """The price in USD with 18 decimals."""
        return int(self.price_usd * 10**18)


DEFAULT_SERVICES = (
    ServiceSpec("dprompt.request", Decimal("0.10"), True, 1_000, 500, True),
    ServiceSpec("lense.report", Decimal("0.50"), False, 1_000, 500, True),
    ServiceSpec("studio.agent_run", Decimal("0.20"), True, 1_000, 500, True),
    ServiceSpec("smartwallet.swap_fee", Decimal("0.25"), False, 2_000, 1_000, False),
)
"""The default services: DPrompt requests pay the provider and agent runs the developer
(named at payment); Lense reports and the SmartWallet swap fee are the protocol's own and
pay the treasury."""

_ZERO = "0x" + "00" * 20


def service_id(name: str) -> bytes:
    """A service's on-chain id: ``keccak256`` of its name."""
    if not name:
        raise ConfigError("a service needs a name")
    return bytes(Web3.keccak(text=name))


def _quiet(_: str) -> None:
    """Default progress callback: say nothing."""


def deploy_fee_router(
    deployer: Transactor,
    *,
    rex: Address,
    staked: Address,
    treasury: Address,
    rex_pool: Address,
    usd_pool: Address,
    stablecoins: Sequence[Address],
    services: Sequence[ServiceSpec] = DEFAULT_SERVICES,
    rex_discount_bps: int = DEFAULT_REX_DISCOUNT_BPS,
    twap_window: int = DEFAULT_TWAP_WINDOW,
    points_per_usd: int = DEFAULT_POINTS_PER_USD,
    cardinality: int = DEFAULT_CARDINALITY,
    progress: Callable[[str], None] = _quiet,
) -> dict[str, Address]:
    """Deploy ``FeeRouter`` (owned by the deployer), accept ``stablecoins``, register
    ``services`` and raise both pools' oracle cardinality; return name → address."""
    for s in services:
        if not (0 <= s.pool_bps <= MAX_POOL_BPS and 0 <= s.treasury_bps <= MAX_TREASURY_BPS):
            raise ConfigError(f"service {s.name}: shares outside the contract's bounds")
    if not 0 <= rex_discount_bps <= MAX_DISCOUNT_BPS:
        raise ConfigError(f"REX discount {rex_discount_bps} bps outside [0, {MAX_DISCOUNT_BPS}]")
    if twap_window < MIN_TWAP_WINDOW:
        raise ConfigError(f"TWAP window {twap_window} s is below the floor {MIN_TWAP_WINDOW} s")
    progress("deploying FeeRouter")
    router = deployer.deploy(
        "FeeRouter",
        rex,
        staked,
        treasury,
        deployer.address,
        rex_pool,
        usd_pool,
        rex_discount_bps,
        twap_window,
        points_per_usd,
    )
    fn = router.functions
    for token in stablecoins:
        deployer.send(fn.setStablecoin(token, True), action="accept a stablecoin")
    for s in services:
        call = fn.setService(
            service_id(s.name),
            _ZERO if s.payee_at_payment else treasury,
            s.price_wad,
            s.pool_bps,
            s.treasury_bps,
            s.accepts_points,
        )
        deployer.send(call, action=f"register the {s.name} service")
    pool_abi = load_artifact("UniswapV3Pool").abi
    for pool in (rex_pool, usd_pool):
        oracle: Any = deployer.web3.eth.contract(address=pool, abi=pool_abi)
        call = oracle.functions.increaseObservationCardinalityNext(cardinality)
        deployer.send(call, action="raise a priced pool's oracle cardinality")
    return {"FeeRouter": Address(router.address)}


def fee_facts(
    services: Sequence[ServiceSpec] = DEFAULT_SERVICES,
    *,
    rex_discount_bps: int = DEFAULT_REX_DISCOUNT_BPS,
    twap_window: int = DEFAULT_TWAP_WINDOW,
    points_per_usd: int = DEFAULT_POINTS_PER_USD,
) -> dict[str, Any]:
    """The published prices and rates, for the manifest's ``genesis["fees"]``."""
    return {
        "services": {
            s.name: {
                "price_usd": str(s.price_usd),
                "pool_bps": s.pool_bps,
                "treasury_bps": s.treasury_bps,
                "points": s.accepts_points,
                "payee": "at payment" if s.payee_at_payment else "treasury",
            }
            for s in services
        },
        "rex_discount_bps": rex_discount_bps,
        "twap_window_s": twap_window,
        "points_per_usd": str(points_per_usd),
    }
