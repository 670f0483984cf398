"""``rexos quote`` and ``rexos swap``: the best split on the devnet's venues, then execute it.

A swap goes quote → show (route, price impact, fees, min-out, gap to the best
possible) → confirm → re-read the pools → simulate → send → receipt. If the pools
moved since the quote so far that the confirmed minimum cannot be met, nothing
is sent. With ``--service-fee`` (off by default) the SmartWallet's service fee
(the FeeRouter's ``smartwallet.swap_fee``) is quoted with the swap and paid, through
the same gateway, once the swap has gone through.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from rexos.cli.console import confirm, out
from rexos.cli.context import CliContext
from rexos.cli.options import PassphraseEnv, PassphraseFile, WalletOpt
from rexos.errors import DexError, InsufficientBalance, UsageError
from rexos.types import display_units, format_units, parse_units

if TYPE_CHECKING:
    from web3 import Web3

    from rexos.cli.fees import ServiceFee
    from rexos.dex import PoolWatcher, SwapQuote, TokenRegistry
    from rexos.dex.onchain import TokenInfo

__all__ = ["quote", "register", "swap"]

TokenArg = Annotated[str, typer.Argument(help="Token symbol, e.g. WETH, USDC, REX.")]
AmountArg = Annotated[str, typer.Argument(help="Exact amount to sell, in whole tokens.")]
SlippageOpt = Annotated[
    str, typer.Option(help="Most the output may fall below the quote, e.g. 0.5% (default).")
]


def _slippage_bps(text: str) -> int:
    try:
        value = Decimal(text.strip().removesuffix("%"))
    except InvalidOperation:
        raise UsageError(f"--slippage must be a percentage like 0.5%, got {text!r}") from None
    if not value.is_finite() or not 0 <= value < 100:
        raise UsageError(f"--slippage must be between 0% and 100%, got {text!r}")
    return int(value * 100)


def _gas_cost(web3: Web3, watcher: PoolWatcher, tokens: TokenRegistry, buy: TokenInfo) -> int:
    """What one more fill's gas costs, in base units of ``buy`` (0 when no WETH price)."""
    from rexos.dex.gas import fill_gas_cost

    gas_price = int(web3.eth.gas_price)
    return fill_gas_cost(watcher.pools, gas_price, tokens.symbol("WETH").address, buy.address)


def _best(
    c: CliContext, sell: str, buy: str, amount: str, slippage: str
) -> tuple[SwapQuote, TokenRegistry, dict[str, str]]:
    from rexos.dex import PoolWatcher, TokenRegistry, find_route, quote_swap

    manifest = c.manifest()
    tokens = TokenRegistry.from_manifest(manifest)
    tin, tout = tokens.symbol(sell), tokens.symbol(buy)
    if tin.address == tout.address:
        raise UsageError(f"cannot swap {tin.symbol} for itself")
    wei = parse_units(amount, tin.decimals)
    bps = _slippage_bps(slippage)
    web3 = c.chain().web3
    watcher = PoolWatcher(web3, manifest)
    route = find_route(
        watcher.pools,
        tin.address,
        tout.address,
        wei,
        gas_cost_per_fill=_gas_cost(web3, watcher, tokens, tout),
    )
    q = quote_swap(route, watcher.pools, slippage_bps=bps, block=watcher.block)
    return q, tokens, watcher.venue


def _show(q: SwapQuote, tokens: TokenRegistry, venues: dict[str, str]) -> None:
    r = q.route
    tout = tokens.address(r.buy)

    def amt(token: str, value: int) -> str:
        info = tokens.address(token)
        return f"{format_units(value, info.decimals, 6)} {info.symbol}"

    table = Table(title=f"Swap {amt(r.sell, r.amount_in)} → {tout.symbol}", title_justify="left")
    for column in ("#", "venue", "pool", "fee", "sells", "buys"):
        table.add_column(column, justify="right" if column in ("fee", "sells", "buys") else "left")
    for n, f in enumerate(q.fills, 1):
        table.add_row(
            str(n),
            venues.get(f.pool, "?"),
            f.pool[:10] + "…",
            f"{f.fee_bps} bps",
            amt(f.token_in, f.amount_in),
            amt(f.token_out, f.amount_out),
        )
    out.print(table)
    single = r.best_single_out
    gain = Decimal((r.amount_out - single) * 10_000) / Decimal(single) if single else Decimal(0)
    out.print(f"you get          {amt(r.buy, r.amount_out)}")
    out.print(f"at least         {amt(r.buy, q.min_out)} (slippage {q.slippage_bps / 100:g} %)")
    out.print(f"price impact     {q.price_impact_bps} bps (these steps' size effect; fees apart)")
    out.print(f"best one pool    {amt(r.buy, single)}: this split gets {gain:+.2f} bps more")
    out.print(f"best possible    ≤ {amt(r.buy, r.upper_bound_out)}: within {r.gap_bps} bps")


def quote(
    ctx: typer.Context,
    sell: TokenArg,
    buy: TokenArg,
    amount: AmountArg,
    slippage: SlippageOpt = "0.5%",
) -> None:
    """Quote the best split of a swap over the devnet's venues (nothing is sent)."""
    q, tokens, venues = _best(ctx.obj, sell, buy, amount, slippage)
    _show(q, tokens, venues)


def swap(
    ctx: typer.Context,
    sell: TokenArg,
    buy: TokenArg,
    amount: AmountArg,
    wallet: WalletOpt,
    slippage: SlippageOpt = "0.5%",
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Swap and confirm its transactions without asking.")
    ] = False,
    max_age: Annotated[
        int,
        typer.Option(min=0, help="Re-quote before sending if the quote is this many blocks old."),
    ] = 2,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
    service_fee: Annotated[
        str | None,
        typer.Option(
            "--service-fee",
            help="Also pay the SmartWallet service fee, in REX (discounted) or a stablecoin "
            "such as USDC; off by default.",
        ),
    ] = None,
) -> None:
    """Swap an exact amount at the best split: quote, confirm, simulate, send."""
    from web3 import Web3

    from rexos.chain import load_artifact
    from rexos.dex import SwapExecutor

    c: CliContext = ctx.obj
    q, tokens, venues = _best(c, sell, buy, amount, slippage)
    owner = c.keystore.get(wallet).address
    web3 = c.chain().web3
    token = web3.eth.contract(
        address=Web3.to_checksum_address(q.route.sell), abi=load_artifact("DevToken").abi
    )
    balance = int(token.functions.balanceOf(owner).call())
    tin = tokens.address(q.route.sell)
    if balance < q.route.amount_in:
        raise InsufficientBalance(
            f"{wallet} holds {display_units(balance, tin.decimals)} {tin.symbol}, "
            f"less than {display_units(q.route.amount_in, tin.decimals)}"
        )
    _show(q, tokens, venues)
    fee = _service_fee(c, service_fee) if service_fee else None
    confirm("Swap?", yes, "rerun with --yes to swap without a prompt")
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    head = int(web3.eth.block_number)
    if q.block is not None and head - q.block > max_age:
        fresh, _, _ = _best(c, sell, buy, amount, slippage)
        if fresh.route.amount_out < q.min_out:
            raise DexError(
                "the pools moved since the quote: the output would fall below the confirmed "
                "minimum; nothing was sent, quote again"
            )
        q = replace(fresh, min_out=max(fresh.min_out, q.min_out))  # keep what was confirmed
    executor = SwapExecutor(signer, c.manifest().address("RexRouter"))
    result = executor.execute(q)
    tout = tokens.address(q.route.buy)
    out.print(
        f"Swapped: received {format_units(result.amount_out, tout.decimals, 6)} {tout.symbol} "
        f"(block {result.receipt.block_number}, gas {result.gas_used:,})."
    )
    if fee is not None:
        paid, receipt = fee.pay(signer)
        out.print(f"Paid the service fee: {fee.text(paid)} (block {receipt.block_number}).")


_SWAP_FEE = "smartwallet.swap_fee"


def _service_fee(c: CliContext, choice: str) -> ServiceFee:
    """Quote the service fee before anything is signed (one line, nothing sent, when it
    cannot be paid)."""
    from rexos.cli.fees import service_fee

    fee = service_fee(c, _SWAP_FEE, choice)
    out.print(f"Service fee: {fee.text()}, paid after the swap.")
    return fee


def register(app: typer.Typer) -> None:
    app.command("quote")(quote)
    app.command("swap")(swap)
