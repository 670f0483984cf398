"""``rexos provider register | status | withdraw``: serve DPrompt models for fees."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from rexos.cli.console import out, rex
from rexos.cli.context import CliContext
from rexos.cli.group import Group
from rexos.cli.options import PassphraseEnv, PassphraseFile, WalletOpt, YesOpt
from rexos.errors import UsageError
from rexos.types import parse_units

if TYPE_CHECKING:
    from rexos.dprompt import ProviderClient

__all__ = ["app"]

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="DPrompt providers: stake REX, serve models at a price, unbond and withdraw.",
    no_args_is_help=True,
)
_AMOUNTS = {"ignore_unknown_options": True}  # so "-5" reaches the amount parser

WhoArg = Annotated[
    str | None, typer.Argument(help="Wallet name or address (default: the --wallet option).")
]
WalletName = Annotated[
    str | None, typer.Option("--wallet", "-w", help="Wallet name (instead of the argument).")
]


def _client(c: CliContext) -> ProviderClient:
    from rexos.dprompt import ProviderClient

    return ProviderClient(c.chain().web3, c.manifest())


@app.command("register", context_settings=_AMOUNTS)
def register(
    ctx: typer.Context,
    model: Annotated[
        list[str],
        typer.Option("--model", "-m", help="Model id to serve, e.g. gemma-3-270m (repeatable)."),
    ],
    price: Annotated[str, typer.Option(help="Fee per request in REX, e.g. 0.5.")],
    stake: Annotated[str, typer.Option(help="REX to bond; at least the registry's minimum.")],
    wallet: WalletOpt,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Bond a stake and serve models at a price; requests for them are then sampled to you.

    Answer within the response timeout to earn the fee. The stake can be
    slashed when a dispute committee overturns one of your answers.
    """
    c: CliContext = ctx.obj
    price_wei = parse_units(price)
    stake_wei = parse_units(stake)
    client = _client(c)
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    receipt = client.register(signer, model, price_wei, stake_wei)
    out.print(
        f"Registered {signer.address} as a provider of {', '.join(model)} at {rex(price_wei)} "
        f"a request, {rex(stake_wei)} bonded (block {receipt.block_number})."
    )


@app.command("status")
def status(ctx: typer.Context, who: WhoArg = None, wallet: WalletName = None) -> None:
    """Show a provider: models, price, stake bonded and unbonding, answers and slashes."""
    from rexos.cli.dprompt import model_name, utc

    c: CliContext = ctx.obj
    target = who or wallet
    if target is None:
        raise UsageError("name a wallet or an address")
    client = _client(c)
    s = client.status(c.address_of(target))
    out.print(f"[bold]{s.address}[/]")
    if not s.registered:
        out.print("  not a registered provider")
    out.print(f"  models      {', '.join(model_name(c, m) for m in s.models) or '-'}")
    out.print(f"  price       {rex(s.price)} a request")
    out.print(f"  bonded      {rex(s.bonded)}")
    if s.unbonding:
        ready = "now" if client.now() + 1 >= s.unbonding_ready else utc(s.unbonding_ready)
        out.print(f"  unbonding   {rex(s.unbonding)}, withdrawable {ready}")
    else:
        out.print("  unbonding   none")
    out.print(f"  answered    {s.answered}")
    out.print(f"  timed out   {s.timed_out}")
    out.print(f"  slashed     {s.slashed}")


@app.command("withdraw", context_settings=_AMOUNTS)
def withdraw(
    ctx: typer.Context,
    wallet: WalletOpt,
    amount: Annotated[
        str | None,
        typer.Option(help="Start unbonding this much REX of bonded stake.", show_default=False),
    ] = None,
    complete: Annotated[
        bool,
        typer.Option("--complete", help="Take back the unbonded stake once its period is over."),
    ] = False,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Take stake back in two steps: --amount starts unbonding, --complete withdraws it.

    Unbonding stake stays slashable until the registry's unbonding period ends.
    """
    from rexos.cli.dprompt import utc

    c: CliContext = ctx.obj
    if (amount is None) == (not complete):
        raise UsageError("give exactly one of --amount AMOUNT (start unbonding) or --complete")
    wei = parse_units(amount) if amount is not None else 0
    client = _client(c)
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    if amount is not None:
        client.request_withdrawal(signer, wei)
        s = client.status(signer.address)
        out.print(
            f"Unbonding {rex(wei)}: withdraw it with `rexos provider withdraw --complete` "
            f"from {utc(s.unbonding_ready)}."
        )
        return
    unbonding = client.status(signer.address).unbonding
    receipt = client.withdraw(signer)
    out.print(f"Withdrew {rex(unbonding)} of stake in block {receipt.block_number}.")
