"""The market desk from the CLI: ``rexos market buy --pay-with``, ``rexos market desk |
settle-up | desk-fund``, and rating a job bought there.

``market.job`` is sold by the cent of budget through the FeeRouter (a stablecoin, REX at the
discount, AI points, or the voucher the desk keeps for you); the desk opens the job in the
same transaction. Every transaction is signed through the Wallet agent's gateway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from rexos.cli.console import out, rex
from rexos.cli.context import CliContext
from rexos.cli.dprompt_desk import fund_command
from rexos.cli.options import PassphraseEnv, PassphraseFile, WalletOpt, YesOpt

if TYPE_CHECKING:
    from pathlib import Path

    from rexos.market.desk import MarketDesk
    from rexos.market.views import JobView
    from rexos.types import Address

__all__ = ["buy_at_desk", "desk_jobs", "is_desk_job", "market_desk", "rate_at_desk", "register"]


def market_desk(c: CliContext) -> MarketDesk:
    """The deployment's market desk; one line when it has none."""
    from rexos.cli.fees import fee_client
    from rexos.cli.market import market_client
    from rexos.market.desk import MarketDesk

    return MarketDesk(market_client(c), fee_client(c))


def buy_at_desk(
    c: CliContext,
    pay_with: str,
    spec_hash: bytes,
    ceiling: int,
    expiry: int,
    wallet: str,
    auth: tuple[Path | None, str | None, bool],
) -> int:
    """Buy one job at the market desk (quoted before anything is signed); its id."""
    from rexos.cli.dprompt_desk import desk_method
    from rexos.cli.fees import desk_quote

    desk = market_desk(c)
    method, symbol = desk_method(pay_with)
    if method == "voucher":
        price = f"{rex(ceiling)} from your voucher"
    else:
        price = desk_quote(desk, method, symbol, desk.units_for(ceiling, method))
    out.print(f"Buying a job holding up to {rex(ceiling)} at the market desk, {price}.")
    signer = c.gateway(wallet, *auth)
    bought = desk.buy(signer, spec_hash, ceiling, expiry, method, symbol=symbol or "USDC")
    served = bought.served
    out.print(
        f"{rex(served.to_voucher)} of the {rex(served.budget)} bought went to your voucher; "
        "what the operator does not charge follows after `rexos market settle-up "
        f"{bought.job_id}` (voucher now {rex(desk.voucher(signer.address))})."
    )
    return bought.job_id


def desk_jobs(c: CliContext, payer: Address) -> list[JobView]:
    """The jobs ``payer`` bought at the market desk (none on a deployment without one)."""
    if "MarketDesk" not in c.manifest().contracts:
        return []
    return market_desk(c).jobs_of(payer)


def is_desk_job(c: CliContext, buyer: str) -> bool:
    """Whether a job's buyer is the deployment's market desk."""
    manifest = c.manifest()
    return "MarketDesk" in manifest.contracts and manifest.address("MarketDesk") == buyer


def rate_at_desk(
    c: CliContext,
    job_id: int,
    score: int,
    wallet: str,
    auth: tuple[Path | None, str | None, bool],
) -> None:
    """Rate a job bought at the desk, as its payer."""
    desk = market_desk(c)
    desk.rate(c.gateway(wallet, *auth), job_id, score)


def show(
    ctx: typer.Context,
    who: Annotated[
        str | None, typer.Argument(help="Wallet name or address whose voucher to show.")
    ] = None,
) -> None:
    """The desk that sells Agent Market jobs in USD: its price, float and a wallet's voucher."""
    from rexos.cli.fees import usd

    c: CliContext = ctx.obj
    desk = market_desk(c)
    service = desk.fees.service("market.job")
    out.print(
        f"A job's budget costs {usd(service.price_usd)} a cent, {rex(desk.budget(100))} a "
        "dollar at the TWAP (a stablecoin or AI points; REX buys as much REX as it pays; "
        "`rexos market buy --pay-with`). What a job does not spend becomes your voucher."
    )
    out.print(f"Float {rex(desk.float())}; free for new jobs {rex(desk.free_float())}.")
    if who is not None:
        address = c.address_of(who)
        out.print(f"{address}: voucher {rex(desk.voucher(address))}.")


def settle_up(
    ctx: typer.Context,
    job: Annotated[str, typer.Argument(help="Job id of a job bought at the desk.")],
    wallet: WalletOpt,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """After a desk job is settled or refunded, turn what the market gave back into its
    payer's voucher (anyone may)."""
    from rexos.cli.market import parse_job_id

    c: CliContext = ctx.obj
    job_id = parse_job_id(job)
    desk = market_desk(c)
    payer = desk.payer_of(job_id)
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    added = desk.settle_up(signer, job_id)
    held = desk.voucher(payer) if payer else 0
    out.print(f"Job {job_id} gave back {rex(added)} to {payer}'s voucher, now {rex(held)}.")


def register(app: typer.Typer) -> None:
    """Attach the desk's commands to ``rexos market``."""
    app.command("desk")(show)
    app.command("settle-up")(settle_up)
    fund = fund_command(
        market_desk, "Add REX to the market desk's float, which holds the jobs it sells."
    )
    app.command("desk-fund", context_settings={"ignore_unknown_options": True})(fund)
