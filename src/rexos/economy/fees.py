"""Client of the ``FeeRouter``: services priced in USD, quotes in a stablecoin, REX or AI
points, the TWAP price of REX, and the payment calls.

Every quote is read from the contract, so what is shown is what is charged; a payment is
pre-checked (service, payee, points, oracle) so the common mistakes raise one clear
:mod:`rexos.errors` error before any transaction is built. Amounts are integers in base
units (USD with 18 decimals, REX wei, points with 18 decimals).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction

from rexos.chain.artifacts import load_artifact
from rexos.chain.manifest import Manifest
from rexos.chain.tx import Receipt, Transactor, reverts_as
from rexos.economy.fee_deploy import service_id
from rexos.economy.tick_math import rex_for_usd
from rexos.errors import InsufficientBalance, TransactionReverted, UsageError
from rexos.types import Address

__all__ = [
    "MAX_UNITS",
    "REX_DRIFT_BPS",
    "FeeClient",
    "FeeTerms",
    "PayMethod",
    "ServiceView",
    "TwapPrice",
]

PayMethod = Literal["stable", "rex", "points"]
"""How a service is paid."""
_METHODS: tuple[PayMethod, ...] = ("stable", "rex", "points")
"""The methods in the order of the contract's ``Method`` enum."""

MAX_UNITS = 1_000_000
"""The contract's bound on the uses one ``payAndCall`` pays for."""

REX_DRIFT_BPS = 50
"""How far above its quote a REX payment may go by default (0.5 %)."""

_ZERO = "0x" + "00" * 20
_WAD = 10**18
_TOO_YOUNG = "FeeRouter: ORACLE_TOO_YOUNG"


@dataclass(frozen=True, slots=True)
class ServiceView:
    """A registered service: its payee (``None``: named at each payment), price and shares."""

    name: str
    payee: Address | None
    price_wad: int
    pool_bps: int
    treasury_bps: int
    accepts_points: bool

    @property
    def price_usd(self) -> Decimal:
        return Decimal(self.price_wad) / _WAD


@dataclass(frozen=True, slots=True)
class FeeTerms:
    """The published terms: REX discount, TWAP window and points rate (per USD, 18 decimals)."""

    rex_discount_bps: int
    twap_window: int
    points_per_usd: int


@dataclass(frozen=True, slots=True)
class TwapPrice:
    """The mean ticks of the two pools over the window and the REX price they give."""

    rex_tick: int
    usd_tick: int
    window: int
    rex_per_usd: int
    """REX wei one USD buys at the TWAP (no discount)."""

    @property
    def usd_per_rex(self) -> Decimal:
        return Decimal(_WAD) / Decimal(self.rex_per_usd)


def _read(fn: Any, what: str) -> Any:
    with reverts_as(f"read {what}"):
        return fn.call()


class FeeClient:
    """The ``FeeRouter`` of one deployment."""

    def __init__(self, web3: Web3, manifest: Manifest) -> None:
        self.web3 = web3
        self.manifest = manifest
        self.router = self._bind("FeeRouter", manifest.address("FeeRouter"))
        self.rex = self._bind("RexToken", manifest.address("RexToken"))

    def _bind(self, name: str, address: str) -> Contract:
        return self.web3.eth.contract(
            address=Web3.to_checksum_address(address), abi=load_artifact(name).abi
        )

    # ------------------------------------------------------------ reads

    def service_names(self) -> list[str]:
        """The services the deployment published (``genesis["fees"]``)."""
        return sorted(self.manifest.genesis.get("fees", {}).get("services", {}))

    def desk_of(self, name: str) -> str | None:
        """The desk (manifest contract name) a service pays, as the deployment published it
        (``None``: the treasury or a payee named at payment)."""
        payee = self.manifest.genesis.get("fees", {}).get("services", {}).get(name, {}).get("payee")
        return str(payee) if payee in self.manifest.contracts else None

    def service(self, name: str) -> ServiceView:
        """The service called ``name``; a :class:`UsageError` when none is registered."""
        raw = _read(self.router.functions.serviceOf(service_id(name)), f"the {name} service")
        payee, price, pool_bps, treasury_bps, points = raw
        if price == 0:
            known = ", ".join(self.service_names()) or "none"
            raise UsageError(f"no service {name!r} on this deployment (known: {known})")
        return ServiceView(
            name,
            None if payee == _ZERO else Address(payee),
            int(price),
            int(pool_bps),
            int(treasury_bps),
            bool(points),
        )

    def terms(self) -> FeeTerms:
        """The REX discount, the TWAP window and the points rate."""
        fn = self.router.functions
        return FeeTerms(
            int(_read(fn.rexDiscountBps(), "the REX discount")),
            int(_read(fn.twapWindow(), "the TWAP window")),
            int(_read(fn.pointsPerUsd(), "the points rate")),
        )

    def stablecoin(self, symbol: str) -> tuple[Address, int]:
        """Address and decimals of an accepted stablecoin named by its devnet symbol."""
        key = f"DevToken:{symbol.upper()}"
        if key not in self.manifest.contracts:
            raise UsageError(f"no token {symbol!r} on this deployment")
        address = self.manifest.contracts[key]
        accepted, decimals = _read(self.router.functions.stablecoinOf(address), "a stablecoin")
        if not accepted:
            raise UsageError(f"{symbol.upper()} is not a stablecoin the FeeRouter accepts")
        return address, int(decimals)

    def twap(self) -> TwapPrice:
        """The TWAP read: both pools' mean ticks and REX per USD; a :class:`UsageError`
        while the pools' oracles cannot cover the window yet."""
        fn = self.router.functions
        with self._oracle():
            rex_tick, usd_tick = _read(fn.twapTicks(), "the TWAP ticks")
            rex_per_usd = int(_read(fn.rexForUsd(_WAD), "the REX price"))
        window = int(_read(fn.twapWindow(), "the TWAP window"))
        return TwapPrice(int(rex_tick), int(usd_tick), window, rex_per_usd)

    def rex_for_usd_offchain(self, usd_wad: int, twap: TwapPrice) -> int:
        """What ``rexForUsd(usd_wad)`` returns at ``twap``'s ticks, computed here (the same
        integers; a check that the chain and this module agree)."""
        rex_pool = self._bind("UniswapV3Pool", _read(self.router.functions.rexPool(), "pool"))
        usd_pool = self._bind("UniswapV3Pool", _read(self.router.functions.usdPool(), "pool"))
        rex = self.rex.address
        bridge = _read(rex_pool.functions.token1(), "token1")
        if bridge == rex:
            bridge = _read(rex_pool.functions.token0(), "token0")
        usd_token = self._bind("DevToken", _read(self.router.functions.usdToken(), "usd"))
        return rex_for_usd(
            usd_wad,
            usd_tick=twap.usd_tick,
            rex_tick=twap.rex_tick,
            usd_decimals=int(_read(usd_token.functions.decimals(), "decimals")),
            bridge_is_token0=_read(usd_pool.functions.token0(), "token0") == bridge,
            rex_is_token0=_read(rex_pool.functions.token0(), "token0") == rex,
        )

    def quote(self, name: str, method: PayMethod, symbol: str = "USDC") -> int:
        """Base units one use of ``name`` costs paid by ``method`` (``symbol``: the
        stablecoin)."""
        sid, fn = service_id(name), self.router.functions
        service = self.service(name)
        if method == "stable":
            token, _ = self.stablecoin(symbol)
            return int(_read(fn.quoteStable(sid, token), "a stablecoin quote"))
        if method == "rex":
            with self._oracle():
                return int(_read(fn.quoteRex(sid), "a REX quote"))
        if not service.accepts_points:
            raise UsageError(f"AI points do not pay for {name}")
        return int(_read(fn.quotePoints(sid), "a points quote"))

    def quote_units(self, name: str, method: PayMethod, units: int, symbol: str = "USDC") -> int:
        """Base units ``units`` uses of ``name`` cost through ``payAndCall``, computed as the
        contract does: the whole USD value converted once, rounded up."""
        if units == 1:
            return self.quote(name, method, symbol)
        if not 1 <= units <= MAX_UNITS:
            raise UsageError(f"{units} uses: a payment covers 1 to {MAX_UNITS:,}")
        service = self.service(name)
        usd = service.price_wad * units
        if method == "stable":
            decimals = int(self.stablecoin(symbol)[1])
            return int(-(-usd * 10**decimals // _WAD))
        if method == "rex":
            bps = 10_000 - self.terms().rex_discount_bps
            return self.rex_value(-(-usd * bps // 10_000))
        if not service.accepts_points:
            raise UsageError(f"AI points do not pay for {name}")
        return -(-usd * self.terms().points_per_usd // _WAD)

    def rex_value(self, usd_wad: int) -> int:
        """REX wei worth ``usd_wad`` (USD, 18 decimals) at the contract's TWAP, no discount."""
        with self._oracle():
            return int(_read(self.router.functions.rexForUsd(usd_wad), "the REX price"))

    # ------------------------------------------------------------ payments

    def pay_call(
        self,
        name: str,
        method: PayMethod,
        max_amount: int,
        *,
        payee: Address | None = None,
        ref: bytes = bytes(32),
        symbol: str = "USDC",
        data: bytes | None = None,
        units: int = 1,
    ) -> ContractFunction:
        """The ``payStable``/``payRex``/``payPoints`` call for one use of ``name``; with
        ``data``, the ``payAndCall`` for ``units`` uses that hands ``data`` to the service's
        payee contract."""
        service = self.service(name)
        if data is not None:
            return self._pay_and_call(name, service, method, units, max_amount, ref, symbol, data)
        desk = self.desk_of(name)
        if desk is not None:
            raise UsageError(
                f"{name} is bought through its desk ({desk}), which opens what it pays for in "
                "the same payment: a plain payment would buy nothing"
            )
        if service.payee is None and payee is None:
            raise UsageError(f"{name} pays a provider named at payment: give the payee")
        if service.payee is not None and payee not in (None, service.payee):
            raise UsageError(f"{name} always pays {service.payee}")
        if len(ref) != 32:
            raise UsageError("a payment reference is 32 bytes")
        to, sid, fn = payee or _ZERO, service_id(name), self.router.functions
        if method == "stable":
            token, _ = self.stablecoin(symbol)
            return fn.payStable(sid, token, max_amount, to, ref)
        if method == "rex":
            return fn.payRex(sid, max_amount, to, ref)
        return fn.payPoints(sid, max_amount, to, ref)

    def _pay_and_call(
        self,
        name: str,
        service: ServiceView,
        method: PayMethod,
        units: int,
        max_amount: int,
        ref: bytes,
        symbol: str,
        data: bytes,
    ) -> ContractFunction:
        if service.payee is None:
            raise UsageError(f"{name} pays a payee named at payment: it serves no call")
        if len(ref) != 32:
            raise UsageError("a payment reference is 32 bytes")
        token = self.stablecoin(symbol)[0] if method == "stable" else _ZERO
        code = _METHODS.index(method)
        return self.router.functions.payAndCall(
            service_id(name), code, token, units, max_amount, ref, data
        )

    def pay(
        self,
        signer: Transactor,
        name: str,
        method: PayMethod,
        *,
        payee: Address | None = None,
        ref: bytes = bytes(32),
        symbol: str = "USDC",
        max_amount: int | None = None,
        data: bytes | None = None,
        units: int = 1,
    ) -> tuple[int, Receipt]:
        """Pay one use of ``name`` from ``signer`` (approving the router first if needed);
        returns what was charged (the ``Paid`` event's amount) and the receipt. With
        ``data`` the payment goes through ``payAndCall``: the service's payee contract
        serves it in the same transaction (its events are in the receipt).
        ``max_amount`` defaults to the quote, and for REX to the quote plus
        :data:`REX_DRIFT_BPS`: the mean tick moves a little each second while a recent price
        change is inside the window."""
        amount = self.quote_units(name, method, units, symbol)
        if max_amount is not None:
            ceiling = max_amount
        elif method == "rex":
            ceiling = amount + amount * REX_DRIFT_BPS // 10_000
        else:
            ceiling = amount
        call = self.pay_call(
            name, method, ceiling, payee=payee, ref=ref, symbol=symbol, data=data, units=units
        )
        if method == "points":  # (the call is built first: a bad payee is refused unsent)
            available = int(
                _read(self.router.functions.pointsAvailable(signer.address), "your points")
            )
            if available < amount:
                raise InsufficientBalance(
                    f"{name} costs {Decimal(amount) / _WAD} points; "
                    f"{Decimal(available) / _WAD} are available"
                )
        else:
            token = self.rex
            if method == "stable":
                token = self._bind("DevToken", self.stablecoin(symbol)[0])
            self._approve(signer, token, ceiling)
        with self._oracle():
            receipt = signer.send(call, action=f"pay for {name}")
        (event,) = receipt.events(self.router, "Paid")
        return int(event["amount"]), receipt

    def _approve(self, signer: Transactor, token: Contract, amount: int) -> None:
        held = int(_read(token.functions.balanceOf(signer.address), "a balance"))
        if held < amount:
            raise InsufficientBalance(f"the payment needs {amount} base units; you hold {held}")
        spender = self.router.address
        allowance = int(_read(token.functions.allowance(signer.address, spender), "allowance"))
        if allowance < amount:
            signer.send(token.functions.approve(spender, amount), action="approve the FeeRouter")

    @contextmanager
    def _oracle(self) -> Iterator[None]:
        """Turn the oracle's revert into one line that says what to do."""
        try:
            yield
        except TransactionReverted as exc:
            if exc.reason != _TOO_YOUNG:
                raise
            window = int(_read(self.router.functions.twapWindow(), "the TWAP window"))
            raise UsageError(
                f"REX cannot pay yet: the REX pools' price oracle does not cover the {window} s "
                "TWAP window (a pool's oldest observation is younger); pay in a stablecoin or "
                "with points, or try again later"
            ) from exc
