"""``rexos vesting status | release``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.table import Table

from rexos.cli.console import out
from rexos.cli.context import CliContext
from rexos.cli.group import Group
from rexos.cli.options import PassphraseEnv, PassphraseFile, WalletOpt, YesOpt
from rexos.types import format_units

__all__ = ["app"]

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="Token vesting buckets: what has vested, release it.",
    no_args_is_help=True,
)


def _date(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d")


@app.command("status")
def status(ctx: typer.Context) -> None:
    """Show every vesting bucket: allocation, vested, released, releasable now."""
    c: CliContext = ctx.obj
    economy = c.economy()
    table = Table("bucket", "allocation", "vested", "released", "releasable", "linear from", "end")
    for row in economy.vesting_status():
        table.add_row(
            row.bucket,
            format_units(row.allocation, 18, 0),
            format_units(row.vested, 18, 0),
            format_units(row.released, 18, 0),
            format_units(row.releasable, 18, 0),
            _date(row.start),
            _date(row.end),
        )
    out.print(table)
    out.print(f"As of block time {_date(economy.now())} (amounts in REX).")


@app.command("release")
def release(
    ctx: typer.Context,
    bucket: Annotated[str, typer.Argument(help="Bucket name, e.g. team_advisors.")],
    wallet: WalletOpt,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Release what has vested in a bucket to its beneficiary (any wallet may pay the gas)."""
    c: CliContext = ctx.obj
    economy = c.economy()
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    amount, receipt = economy.release(signer, bucket)
    out.print(
        f"Released {format_units(amount, 18, 4)} REX from {bucket} "
        f"to its beneficiary (block {receipt.block_number})."
    )
