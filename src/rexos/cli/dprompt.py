"""``rexos dprompt show | deposit | credit | challenge | finalize``.

Also the helpers the other DPrompt commands (``rexos ask``, ``rexos provider``)
share: the client of the selected deployment, model names, times, finality.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from rexos.cli.console import out, rex
from rexos.cli.context import CliContext
from rexos.cli.group import Group
from rexos.cli.options import AmountArg, PassphraseEnv, PassphraseFile, WalletOpt, YesOpt
from rexos.errors import UsageError
from rexos.types import parse_units

if TYPE_CHECKING:
    from rexos.dprompt import Client, RequestView

__all__ = [
    "app",
    "client_of",
    "finality",
    "model_name",
    "rex",
    "show_request",
    "utc",
]

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="DPrompt requests: inspect one, keep credit, challenge or settle an answer.",
    no_args_is_help=True,
)

RequestIdArg = Annotated[int, typer.Argument(help="Request id, as `rexos ask` printed it.")]
WhoArg = Annotated[
    str | None, typer.Argument(help="Wallet name or address (default: the --wallet option).")
]
WalletName = Annotated[
    str | None, typer.Option("--wallet", "-w", help="Wallet name (instead of the argument).")
]


def client_of(c: CliContext) -> Client:
    """The DPrompt client of the selected chain's deployment."""
    from rexos.dprompt import Client

    return Client(c.chain().web3, c.manifest())


def utc(ts: int) -> str:
    """A block timestamp as a UTC time."""
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def model_name(c: CliContext, key: bytes) -> str:
    """The model id behind an on-chain ``bytes32`` key (hex when the deployment lacks it)."""
    from rexos.dprompt.deploy import model_key

    models = c.manifest().genesis.get("dprompt", {}).get("models", {})
    for model_id in models:
        if model_key(str(model_id)) == key:
            return str(model_id)
    return "0x" + key.hex()


def finality(view: RequestView, now: int) -> str:
    """Where an answer stands: challengeable until when, disputed, final or refunded."""
    closes = view.responded_at + view.challenge_window
    if view.status == "answered":
        if now + 1 <= closes:
            return f"challengeable until {utc(closes)}"
        return (
            f"final (unchallenged; window closed {utc(closes)}; "
            f"settle with `rexos dprompt finalize {view.id}`)"
        )
    if view.status == "final":
        return "final"
    if view.status == "challenged":
        return "disputed: a committee is re-running the prompt"
    if view.status == "refunded":
        return "refunded: the fee went back to the requester"
    return "waiting for an answer"


_WHEN = {
    "answer": "on answer (provisional)",
    "final": "on finality",
    "both": "on answer (provisional) and on finality",
}


def show_request(c: CliContext, client: Client, view: RequestView) -> None:
    """Print every field of a request a user cares about."""
    now = client.now()
    out.print(f"[bold]request {view.id}[/]")
    out.print(f"  status      {view.status}")
    out.print(f"  model       {model_name(c, view.model_id)}")
    out.print(f"  requester   {view.requester}")
    out.print(f"  prompt      {escape(view.prompt)}")
    out.print(f"  fee         {rex(view.fee)}")
    out.print(f"  provider    {view.provider} (priority until {utc(view.deadline)})")
    if view.output is not None:
        out.print(f"  answer      {escape(view.output)}")
        out.print(f"  responder   {view.responder} at {utc(view.responded_at)}")
        out.print(f"  window end  {utc(view.responded_at + view.challenge_window)}")
    else:
        out.print(f"  window      {view.challenge_window} s after the answer")
    out.print(f"  finality    {finality(view, now)}")
    if view.callback_mode != "none":
        out.print(f"  callback    {view.callback} ({view.callback_gas_limit:,} gas)")
        out.print(f"  called      {_WHEN[view.callback_mode]}")
    if view.status == "challenged":
        d = client.dispute(view.id)
        out.print(f"  challenger  {d.challenger}, bond {rex(d.bond)}")
        out.print(f"  committee   {', '.join(d.committee)}")
        out.print(f"  commit end  {utc(d.commit_end)}; reveal end {utc(d.reveal_end)}")


@app.command("show")
def show(ctx: typer.Context, request_id: RequestIdArg) -> None:
    """Show a request: status, model, prompt, answer, responder, fee, window end, dispute."""
    c: CliContext = ctx.obj
    client = client_of(c)
    show_request(c, client, client.get(request_id))


@app.command("credit")
def credit(ctx: typer.Context, who: WhoArg = None, wallet: WalletName = None) -> None:
    """Show the REX credit a wallet holds at the RequestBook (pays fees and bonds)."""
    c: CliContext = ctx.obj
    target = who or wallet
    if target is None:
        raise UsageError("name a wallet or an address")
    address = c.address_of(target)
    out.print(f"{address}: {rex(client_of(c).credit(address))} of credit")


@app.command("deposit", context_settings={"ignore_unknown_options": True})
def deposit(
    ctx: typer.Context,
    amount: AmountArg,
    wallet: WalletOpt,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Move REX from the wallet into its RequestBook credit, which pays fees and bonds."""
    c: CliContext = ctx.obj
    wei = parse_units(amount)
    client = client_of(c)
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    receipt = client.deposit(signer, wei)
    out.print(
        f"Deposited {rex(wei)} in block {receipt.block_number}; "
        f"credit now {rex(client.credit(signer.address))}."
    )


@app.command("challenge")
def challenge(
    ctx: typer.Context,
    request_id: RequestIdArg,
    wallet: WalletOpt,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Dispute an answer within its window; the bond comes from your credit.

    A committee re-runs the prompt: if it disagrees with the answer you get
    your bond back and a share of the slash, otherwise the bond is lost. On an
    opML model the answer is checked locally, and the challenge opens the
    fraud-proof game, which this command plays for you (rerun to go on).
    """
    from rexos.cli.dprompt_challenge import challenge_opml

    c: CliContext = ctx.obj
    client = client_of(c)
    view = client.get(request_id)
    if challenge_opml(c, client, view, wallet, yes, passphrase_file, passphrase_env):
        return
    bond = client.bond(view)
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    client.challenge(signer, view)
    d = client.dispute(request_id)
    out.print(f"Challenged request {request_id} with a bond of {rex(bond)}.")
    out.print(f"Committee: {', '.join(d.committee)}; votes revealed by {utc(d.reveal_end)}.")


@app.command("finalize")
def finalize(
    ctx: typer.Context,
    request_id: RequestIdArg,
    wallet: WalletOpt,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Settle an answered request once its challenge window has closed (anyone may)."""
    c: CliContext = ctx.obj
    client = client_of(c)
    view = client.get(request_id)
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    client.finalize(signer, view)
    out.print(
        f"Request {request_id} is final: its fee of {rex(view.fee)} is paid out to the "
        "responder, the treasury and the stakers."
    )
