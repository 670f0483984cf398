"""``rexos points [WHO]``: AI points earned in sREX, spent on AI services, available now, and
the published rates (what one use of each service costs in points)."""

from __future__ import annotations

from typing import Annotated

import typer

from rexos.cli.console import out
from rexos.cli.context import CliContext
from rexos.errors import UsageError
from rexos.types import format_units

__all__ = ["points", "register"]

WalletName = Annotated[
    str | None, typer.Option("--wallet", "-w", help="Wallet name (instead of the argument).")
]
WhoArg = Annotated[
    str | None, typer.Argument(help="Wallet name or address (default: the --wallet option).")
]


def points(ctx: typer.Context, who: WhoArg = None, wallet: WalletName = None) -> None:
    """Show AI points: earned (time-weighted sREX), spent on AI services, available, and what
    each service costs in points."""
    from rexos.cli.fees import usd
    from rexos.economy.fees import FeeClient
    from rexos.economy.points import read_points

    c: CliContext = ctx.obj
    target = who or wallet
    if target is None:
        raise UsageError("name a wallet or an address")
    address = c.address_of(target)
    manifest = c.manifest()
    web3 = c.chain().web3
    if "FeeRouter" not in manifest.contracts:
        earned = c.economy().position(address).points
        out.print(f"{address}: {format_units(earned, 18, 4)} AI points earned")
        out.print("This deployment has no FeeRouter: points cannot be spent here.")
        return
    view = read_points(web3, manifest, address)
    out.print(f"[bold]{address}[/]")
    out.print(f"  earned     {format_units(view.earned, 18, 4)} AI points")
    out.print(f"  spent      {format_units(view.spent, 18, 4)} AI points")
    out.print(f"  available  {format_units(view.available, 18, 4)} AI points")
    client = FeeClient(web3, manifest)
    rate = client.terms().points_per_usd
    out.print(f"Rate: {format_units(rate, 18, 4)} points a USD. One use costs:")
    for name in client.service_names():
        service = client.service(name)
        if service.accepts_points:
            cost = client.quote(name, "points")
            each = " a cent of budget" if client.desk_of(name) else ""
            out.print(
                f"  {name:<22} {format_units(cost, 18)} points ({usd(service.price_usd)}){each}"
            )


def register(app: typer.Typer) -> None:
    """Attach ``rexos points`` to the top-level app."""
    app.command("points")(points)
