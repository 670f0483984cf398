"""``rexos dprompt desk | reclaim | desk-fund``: DPrompt requests bought in USD at the desk.

``rexos ask --pay-with`` buys one request through the FeeRouter (a stablecoin, REX at the
discount, AI points, or the voucher the desk keeps for you); these commands show the desk,
turn a refunded desk request into voucher, and let its operator top up the float. Every
transaction is signed through the Wallet agent's gateway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from rexos.cli.console import out, rex
from rexos.cli.context import CliContext
from rexos.cli.options import AmountArg, PassphraseEnv, PassphraseFile, WalletOpt, YesOpt
from rexos.types import parse_units

if TYPE_CHECKING:
    from collections.abc import Callable

    from rexos.dprompt.desk import Desk
    from rexos.economy.desk import DeskClient, DeskMethod

__all__ = ["desk_method", "desk_of", "fund_command", "register"]


def desk_of(c: CliContext) -> Desk:
    """The deployment's DPrompt desk; one line when it has none."""
    from rexos.cli.dprompt import client_of
    from rexos.cli.fees import fee_client
    from rexos.dprompt.desk import Desk

    return Desk(client_of(c), fee_client(c))


def desk_method(text: str) -> tuple[DeskMethod, str]:
    """``--pay-with`` read: ``voucher``, ``points``, ``REX`` or a stablecoin's symbol."""
    from rexos.cli.fees import pay_method

    if text.strip().lower() == "voucher":
        return "voucher", ""
    return pay_method(text)


def show(
    ctx: typer.Context,
    who: Annotated[
        str | None, typer.Argument(help="Wallet name or address whose voucher to show.")
    ] = None,
) -> None:
    """The desk that sells DPrompt requests in USD: price, what it spends, its float, and
    a wallet's voucher."""
    from rexos.cli.fees import usd

    c: CliContext = ctx.obj
    desk = desk_of(c)
    service = desk.fees.service("dprompt.request")
    out.print(
        f"A DPrompt request's budget costs {usd(service.price_usd)} a cent, "
        f"{rex(desk.budget(100))} a dollar at the TWAP (a stablecoin or AI points; REX buys "
        "as much REX as it pays); `rexos ask --pay-with` buys enough for the model's dearest "
        "provider. What the provider's fee leaves becomes your voucher."
    )
    out.print(f"Float {rex(desk.float())}; free for new requests {rex(desk.free_float())}.")
    if who is not None:
        address = c.address_of(who)
        out.print(f"{address}: voucher {rex(desk.voucher(address))}.")


def reclaim(
    ctx: typer.Context,
    request_id: Annotated[int, typer.Argument(help="Id of a request bought at the desk.")],
    wallet: WalletOpt,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Turn a desk request nobody answered (or whose answer was overturned) into voucher
    for its payer; refunds it first when its time is up (anyone may send either)."""
    c: CliContext = ctx.obj
    desk = desk_of(c)
    view = desk.client.get(request_id)
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    payer = desk.payer_of(request_id)
    if view.status == "open" and payer is not None:
        view = desk.client.refund(signer, view)
    added = desk.reclaim(signer, view)
    out.print(
        f"Request {request_id}'s fee of {rex(added)} is now voucher of {payer}: "
        f"{rex(desk.voucher(payer) if payer else 0)} in all (`rexos ask --pay-with voucher`)."
    )


def fund_command(desk_of: Callable[[CliContext], DeskClient], doc: str) -> Callable[..., None]:
    """A ``desk-fund`` command for the desk ``desk_of`` gives (``doc``: its help)."""

    def desk_fund(
        ctx: typer.Context,
        amount: AmountArg,
        wallet: WalletOpt,
        yes: YesOpt = False,
        passphrase_file: PassphraseFile = None,
        passphrase_env: PassphraseEnv = None,
    ) -> None:
        c: CliContext = ctx.obj
        wei = parse_units(amount)
        desk = desk_of(c)
        signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
        desk.fund(signer, wei)
        out.print(f"Funded the {desk.name} with {rex(wei)}; float now {rex(desk.float())}.")

    desk_fund.__doc__ = doc
    return desk_fund


def register(app: typer.Typer) -> None:
    """Attach the desk's commands to ``rexos dprompt``."""
    app.command("desk")(show)
    app.command("reclaim")(reclaim)
    fund = fund_command(
        desk_of, "Add REX to the desk's float, which pays the providers of the requests it sells."
    )
    app.command("desk-fund", context_settings={"ignore_unknown_options": True})(fund)
