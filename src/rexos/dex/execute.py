"""Executing a route through RexRouter: quote → approve → simulate → send → receipt.

:func:`quote_swap` turns a :class:`~rexos.dex.router.Route` into what the user sees before
anything is signed (expected and minimum output, price impact against the pools' spot
prices, each fill with its fee) and the router's steps. :class:`SwapExecutor` approves the
router if needed, simulates the swap with ``eth_call``, sends it through the
:class:`~rexos.chain.tx.Transactor` and reads the delivered amount from the receipt.

The router pulls the route's ``amount_in`` of the sold token from the sender once; every step
spends the router's own balance. A step that sells all the router then holds of its token
(the last one selling it, in a route whose fills leave nothing behind) carries 0 ("all the
router holds"), so the exact outputs of earlier steps chain without rounding; the others
carry their exact amount. Routes may visit a pool more than once and run arbitrage loops
through any token (:func:`~rexos.dex.fills.executable`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from web3 import Web3

from rexos.chain.artifacts import load_artifact
from rexos.chain.tx import Receipt, Transactor, reverts_as
from rexos.dex.fills import balances
from rexos.dex.pool import Pool
from rexos.dex.router import Route
from rexos.dex.stable import StablePool
from rexos.dex.v2 import BPS, V2Pool
from rexos.dex.v3 import V3Pool
from rexos.errors import DexError, UsageError
from rexos.types import Address

__all__ = [
    "KIND_STABLE",
    "KIND_V2",
    "KIND_V3",
    "FillView",
    "SwapExecutor",
    "SwapQuote",
    "SwapResult",
    "quote_swap",
    "router_steps",
    "spot_output",
]

KIND_V2 = 0
"""``RexRouter.Kind.V2``."""
KIND_STABLE = 1
"""``RexRouter.Kind.STABLE``."""
KIND_V3 = 2
"""``RexRouter.Kind.V3``."""
_NO_FACTORY = "0x0000000000000000000000000000000000000000"
DEFAULT_TTL_S = 300
"""Seconds from the latest block to the default deadline."""

Step = tuple[int, str, str, str, int, int, int, str, int]
"""``RexRouter.Step``: kind, pool, tokenIn, tokenOut, fee (V2 bps, V3 millionths), i, j,
factory (V3), amountIn (0 = all held)."""


@dataclass(frozen=True, slots=True)
class FillView:
    """One fill as the user sees it: pool, tokens, amounts and the pool's fee in bps."""

    pool: str
    token_in: str
    token_out: str
    amount_in: int
    amount_out: int
    fee_bps: Decimal


@dataclass(frozen=True, slots=True)
class SwapQuote:
    """A route ready to execute: what the user should see, and the router's steps."""

    route: Route
    min_out: int
    slippage_bps: int
    spot_out: int
    """What the same steps would deliver at the pools' spot prices (:func:`spot_output`)."""
    price_impact_bps: Decimal
    """How far the output falls short of :attr:`spot_out` (the plan's size effect, loops
    included; fees apart)."""
    fills: tuple[FillView, ...]
    steps: tuple[Step, ...]
    block: int | None = None
    """The block of the pool state the route was found on, if known."""

    @property
    def expected_out(self) -> int:
        """The route's exact output at the quoted pool state."""
        return self.route.amount_out


@dataclass(frozen=True, slots=True)
class SwapResult:
    """A mined swap: the receipt, what the recipient got and what the simulation said."""

    receipt: Receipt
    amount_out: int
    simulated_out: int
    approval: Receipt | None

    @property
    def gas_used(self) -> int:
        """Gas of the swap transaction (not the approval)."""
        return self.receipt.gas_used


def _by_id(pools: Mapping[str, Pool] | Sequence[Pool]) -> Mapping[str, Pool]:
    return pools if isinstance(pools, Mapping) else {p.id: p for p in pools}


def router_steps(route: Route, pools: Mapping[str, Pool] | Sequence[Pool]) -> list[Step]:
    """RexRouter steps for the route's fills, in order (V2, StableSwap and V3 pools; a V3
    pool must name its factory, as pools read from a chain do).

    ``DexError`` if a fill sells more than the fills before it left the router (starting
    from the route's ``amount_in`` of the sold token): RexRouter would revert.
    """
    if not route.fills or balances(route.fills, route.sell, route.amount_in) is None:
        raise DexError(
            "RexRouter cannot run this route as planned (a step sells more than the router "
            "holds at that point): re-quote"
        )
    by_id = _by_id(pools)
    last_seller = {f.token_in: n for n, f in enumerate(route.fills)}
    held: dict[str, int] = {route.sell: route.amount_in}
    steps: list[Step] = []
    for n, fill in enumerate(route.fills):
        pool = by_id.get(fill.pool)
        everything = last_seller[fill.token_in] == n and fill.amount_in == held[fill.token_in]
        amount = 0 if everything else fill.amount_in
        held[fill.token_in] -= fill.amount_in
        held[fill.token_out] = held.get(fill.token_out, 0) + fill.amount_out
        head = (fill.pool, fill.token_in, fill.token_out)
        if isinstance(pool, V2Pool):
            steps.append((KIND_V2, *head, pool.fee_bps, 0, 0, _NO_FACTORY, amount))
        elif isinstance(pool, StablePool):
            i, j = pool.tokens.index(fill.token_in), pool.tokens.index(fill.token_out)
            steps.append((KIND_STABLE, *head, 0, i, j, _NO_FACTORY, amount))
        elif isinstance(pool, V3Pool) and pool.factory is not None:
            steps.append((KIND_V3, *head, pool.fee, 0, 0, pool.factory, amount))
        else:
            raise DexError(
                f"RexRouter cannot trade on pool {fill.pool}: V2, StableSwap and V3 pools "
                "read from a factory only"
            )
    return steps


def _spot_rate(pool: Pool, token_in: str, token_out: str, probe: int) -> Fraction:
    """Output per unit of input for an infinitesimal trade, fee included."""
    if isinstance(pool, V2Pool):
        reserve_in, reserve_out = pool.reserves(token_in)
        return Fraction(reserve_out * (BPS - pool.fee_bps), reserve_in * BPS)
    out, _ = pool.swap(token_in, token_out, probe)
    return Fraction(out, probe)


def _fee_bps(pool: Pool) -> Decimal:
    if isinstance(pool, V2Pool):
        return Decimal(pool.fee_bps)
    if isinstance(pool, StablePool):
        return Decimal(pool.fee) / 10**6
    if isinstance(pool, V3Pool):
        return Decimal(pool.fee) / 100
    return Decimal(0)


def spot_output(route: Route, pools: Mapping[str, Pool] | Sequence[Pool]) -> int:
    """What ``route``'s steps would deliver if every pool traded at its spot rate (fees
    included, no size effect).

    The steps run in order on the router's balance, as RexRouter runs them: each takes the
    same share of what the router holds of its token at that moment as it takes in the real
    swap, and pays that at its pool's spot rate. A loop (a token sold again after it came
    back, the sold or the bought token included) is followed step by step, so its gain is
    counted once per pass, as executed; for a route without loops this is the output of the
    same split at spot prices.
    """
    by_id = _by_id(pools)
    actual: dict[str, int] = {route.sell: route.amount_in}
    spot: dict[str, Fraction] = {route.sell: Fraction(route.amount_in)}
    for fill in route.fills:
        before = actual.get(fill.token_in, 0)
        if not 0 < fill.amount_in <= before:
            raise DexError(f"the route sells {fill.amount_in} of {fill.token_in} holding {before}")
        sold = spot.get(fill.token_in, Fraction(0)) * fill.amount_in / before
        probe = max(fill.amount_in // 10_000, 1)
        rate = _spot_rate(by_id[fill.pool], fill.token_in, fill.token_out, probe)
        actual[fill.token_in] = before - fill.amount_in
        actual[fill.token_out] = actual.get(fill.token_out, 0) + fill.amount_out
        spot[fill.token_in] -= sold
        spot[fill.token_out] = spot.get(fill.token_out, Fraction(0)) + sold * rate
    return int(spot.get(route.buy, Fraction(0)))


def quote_swap(
    route: Route,
    pools: Mapping[str, Pool] | Sequence[Pool],
    *,
    slippage_bps: int = 50,
    block: int | None = None,
) -> SwapQuote:
    """What executing ``route`` on ``pools`` (the state it was found on) shows the user.

    ``min_out`` is the output less ``slippage_bps``; the price impact compares the output
    with :func:`spot_output` (the same steps at the pools' spot prices, fees included, so
    it is the size effect of this plan, arbitrage loops included).
    ``block`` (e.g. :attr:`~rexos.dex.onchain.PoolWatcher.block`) lets
    :meth:`SwapExecutor.execute` refuse a stale quote; without it, the oldest block the
    route's pools were read at (when they carry one).
    """
    if not 0 <= slippage_bps < BPS:
        raise UsageError(f"slippage must be in [0, 10000) bps, got {slippage_bps}")
    by_id = _by_id(pools)
    steps = router_steps(route, by_id)
    views = [
        FillView(
            f.pool, f.token_in, f.token_out, f.amount_in, f.amount_out, _fee_bps(by_id[f.pool])
        )
        for f in route.fills
    ]
    if block is None:
        blocks = [
            b for f in route.fills if (b := getattr(by_id[f.pool], "block", None)) is not None
        ]
        block = min(blocks) if len(blocks) == len(route.fills) and blocks else None
    spot_out = spot_output(route, by_id)
    impact = Decimal(0)
    if spot_out > route.amount_out:
        impact = Decimal(spot_out - route.amount_out) * BPS / Decimal(spot_out)
    return SwapQuote(
        route=route,
        min_out=route.amount_out * (BPS - slippage_bps) // BPS,
        slippage_bps=slippage_bps,
        spot_out=spot_out,
        price_impact_bps=impact.quantize(Decimal("0.01")),
        fills=tuple(views),
        steps=tuple(steps),
        block=block,
    )


class SwapExecutor:
    """Sends quoted swaps through one RexRouter for the transactor's account."""

    def __init__(self, transactor: Transactor, router: str) -> None:
        self._tx = transactor
        web3 = transactor.web3
        self.router = web3.eth.contract(
            address=Web3.to_checksum_address(router), abi=load_artifact("RexRouter").abi
        )
        self._erc20_abi = load_artifact("DevToken").abi

    def _token(self, address: str) -> Any:
        web3 = self._tx.web3
        return web3.eth.contract(address=Web3.to_checksum_address(address), abi=self._erc20_abi)

    def approve_if_needed(self, token: str, amount: int) -> Receipt | None:
        """Approve the router for exactly ``amount`` of ``token`` unless it already may spend it."""
        contract = self._token(token)
        with reverts_as("read the router allowance"):
            allowed = int(
                contract.functions.allowance(self._tx.address, self.router.address).call()
            )
        if allowed >= amount:
            return None
        return self._tx.send(
            contract.functions.approve(self.router.address, amount), action="approve the router"
        )

    def deadline(self, ttl_s: int = DEFAULT_TTL_S) -> int:
        """The latest block's timestamp plus ``ttl_s``."""
        with reverts_as("read the latest block"):
            return int(self._tx.web3.eth.get_block("latest")["timestamp"]) + ttl_s

    def _call(self, quote: SwapQuote, recipient: str | None, deadline: int) -> Any:
        route = quote.route
        to = Web3.to_checksum_address(recipient) if recipient else self._tx.address
        return self.router.functions.swap(
            [list(step) for step in quote.steps],
            route.sell,
            route.amount_in,
            route.buy,
            quote.min_out,
            to,
            deadline,
        )

    def _check_age(self, quote: SwapQuote, max_age_blocks: int) -> None:
        if quote.block is None:
            raise UsageError("the quote does not say which block it was made at")
        with reverts_as("read the latest block"):
            head = int(self._tx.web3.eth.block_number)
        if head - quote.block > max_age_blocks:
            raise DexError(
                f"the quote is {head - quote.block} blocks old (at most {max_age_blocks}): "
                "quote again"
            )

    def simulate(self, quote: SwapQuote, *, recipient: str | None = None, deadline: int) -> int:
        """``eth_call`` the swap from the account; the output it would deliver.

        Raises :class:`~rexos.errors.TransactionReverted` with the router's reason
        (``"RexRouter: SLIPPAGE"``, ``"RexRouter: EXPIRED"``, an allowance error …).
        """
        with reverts_as("simulate the swap"):
            out = self._call(quote, recipient, deadline).call({"from": self._tx.address})
        return int(out)

    def execute(
        self,
        quote: SwapQuote,
        *,
        recipient: str | None = None,
        deadline: int | None = None,
        ttl_s: int = DEFAULT_TTL_S,
        max_age_blocks: int | None = None,
    ) -> SwapResult:
        """Approve if needed, simulate, send; what the recipient received, from the receipt.

        With ``max_age_blocks``, a quote whose :attr:`SwapQuote.block` is further behind the
        head raises :class:`~rexos.errors.DexError` before anything is sent: quote again.
        """
        route = quote.route
        if max_age_blocks is not None:
            self._check_age(quote, max_age_blocks)
        approval = self.approve_if_needed(route.sell, route.amount_in)
        when = self.deadline(ttl_s) if deadline is None else deadline
        simulated = self.simulate(quote, recipient=recipient, deadline=when)
        receipt = self._tx.send(self._call(quote, recipient, when), action="swap")
        to = Address(Web3.to_checksum_address(recipient)) if recipient else self._tx.address
        transfers = receipt.events(self._token(route.buy), "Transfer")
        received = sum(int(e["value"]) for e in transfers if e["to"] == to)
        return SwapResult(receipt, received, simulated, approval)
