"""Deploy the ``FeeRouter`` and register the default services.

:func:`rexos.deployment.deploy_all` deploys it after the DEX, naming the two Uniswap V3 pools
whose oracles price REX (REX/WETH and WETH/USDC on the devnet). The defaults below are the
published prices and rates; ``genesis["fees"]`` (:func:`fee_facts`) records them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from web3 import Web3

from rexos.chain.artifacts import load_artifact
from rexos.chain.tx import Transactor
from rexos.errors import ConfigError
from rexos.types import Address

__all__ = [
    "DEFAULT_CARDINALITY",
    "DEFAULT_DESK_FLOAT",
    "DEFAULT_POINTS_PER_USD",
    "DEFAULT_REX_DISCOUNT_BPS",
    "DEFAULT_SERVICES",
    "DEFAULT_TWAP_WINDOW",
    "FEE_CONTRACTS",
    "MAX_DISCOUNT_BPS",
    "MAX_POOL_BPS",
    "MAX_TREASURY_BPS",
    "MIN_TWAP_WINDOW",
    "PayeeKind",
    "ServiceSpec",
    "deploy_fee_router",
    "fee_facts",
    "service_id",
]

FEE_CONTRACTS = ("FeeRouter", "DPromptDesk", "MarketDesk")
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


PayeeKind = Literal["at payment", "treasury", "DPromptDesk", "MarketDesk"]
"""Who a service pays: named at each payment, the treasury, or a desk (a contract that opens
what was paid for in the same transaction)."""


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """A service as registered: name, USD price, its payee, its sREX pool and treasury
    shares, and whether points pay for it. The payee is ``"at payment"`` (an agent's
    developer, named by each payer), ``"treasury"`` (the protocol's own services), or a desk
    that opens what was paid for in the same transaction, through ``payAndCall``:
    ``"DPromptDesk"`` posts a DPrompt request, ``"MarketDesk"`` opens an Agent Market job."""

    name: str
    price_usd: Decimal
    payee: PayeeKind
    pool_bps: int
    treasury_bps: int
    accepts_points: bool

    @property
    def price_wad(self) -> int:
        """The price in USD with 18 decimals."""
        return int(self.price_usd * 10**18)


DEFAULT_SERVICES = (
    ServiceSpec("dprompt.request", Decimal("0.01"), "DPromptDesk", 0, 0, True),
    ServiceSpec("market.job", Decimal("0.01"), "MarketDesk", 0, 0, True),
    ServiceSpec("lense.report", Decimal("0.50"), "treasury", 1_000, 500, True),
    ServiceSpec("studio.agent_run", Decimal("0.20"), "at payment", 1_000, 500, True),
    ServiceSpec("smartwallet.swap_fee", Decimal("0.25"), "treasury", 2_000, 1_000, False),
)
"""The default services. DPrompt requests and Agent Market jobs are bought by the cent of
budget (a payment covers as many cents as the provider's or developer's REX price may take)
from their desks, which open them at once. Neither takes
shares here: the book and the market split the provider's or developer's price with the sREX
pool and the treasury when the work is settled. Local agent runs pay the developer (named at
payment); Lense reports and the SmartWallet swap fee are the protocol's own and pay the
treasury."""

DEFAULT_DESK_FLOAT = 10_000 * 10**18
"""REX wei the deployer puts in each desk's float on a devnet (where it holds REX)."""

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
    request_book: Address,
    market: Address,
    stablecoins: Sequence[Address],
    services: Sequence[ServiceSpec] = DEFAULT_SERVICES,
    rex_discount_bps: int = DEFAULT_REX_DISCOUNT_BPS,
    twap_window: int = DEFAULT_TWAP_WINDOW,
    points_per_usd: int = DEFAULT_POINTS_PER_USD,
    cardinality: int = DEFAULT_CARDINALITY,
    desk_float: int = 0,
    progress: Callable[[str], None] = _quiet,
) -> dict[str, Address]:
    """Deploy ``FeeRouter`` (owned by the deployer), the ``DPromptDesk`` over
    ``request_book`` and the ``MarketDesk`` over ``market`` (owned by the treasury, each with
    ``desk_float`` REX wei of the deployer's in its float), accept ``stablecoins``, register
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
    desks = {}
    for desk_name, book in (("DPromptDesk", request_book), ("MarketDesk", market)):
        served = next((s.name for s in services if s.payee == desk_name), None)
        if served is None:
            continue
        progress(f"deploying {desk_name}")
        desks[desk_name] = desk = deployer.deploy(
            desk_name, router.address, book, rex, treasury, service_id(served)
        )
        if desk_float:
            token: Any = deployer.web3.eth.contract(address=rex, abi=load_artifact("RexToken").abi)
            deployer.send(token.functions.approve(desk.address, desk_float), action="approve REX")
            deployer.send(desk.functions.fund(desk_float), action=f"fund the {desk_name}'s float")
    payees = {"at payment": _ZERO, "treasury": treasury}
    payees |= {name: desk.address for name, desk in desks.items()}
    fn = router.functions
    for token in stablecoins:
        deployer.send(fn.setStablecoin(token, True), action="accept a stablecoin")
    for s in services:
        call = fn.setService(
            service_id(s.name),
            payees[s.payee],
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
    return {"FeeRouter": Address(router.address)} | {
        name: Address(desk.address) for name, desk in desks.items()
    }


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
                "payee": s.payee,
            }
            for s in services
        },
        "rex_discount_bps": rex_discount_bps,
        "twap_window_s": twap_window,
        "points_per_usd": str(points_per_usd),
    }
