"""``rexos ask``: send a prompt to DPrompt, wait for the answer, say how final it is."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated

import typer

from rexos.cli.console import confirm, out, rex
from rexos.cli.context import CliContext
from rexos.cli.options import PassphraseEnv, PassphraseFile, WalletOpt
from rexos.errors import UsageError
from rexos.types import Address, parse_units

if TYPE_CHECKING:
    from pathlib import Path

    from rexos.dprompt import Client, RequestView

__all__ = ["ask", "register"]

POLL_SECONDS = 1.0


def _precheck(client: Client, model: str, prompt: str, max_fee: int | None) -> int:
    """Reject what ``Client.ask`` would reject before any deposit; return the max fee."""
    from rexos.dprompt import model_key
    from rexos.dprompt._base import ZERO_ADDRESS, read

    active, max_bytes = read(client.models.functions.requestLimits(model_key(model)), "model")
    if not active:
        raise UsageError(f"unknown model {model!r}: not registered or deactivated")
    size = len(prompt.encode("utf-8"))
    if size > max_bytes:
        raise UsageError(f"prompt too long for {model}: {size} bytes, at most {max_bytes}")
    provider, price = client.quote(model)
    if provider == ZERO_ADDRESS:
        from rexos.dprompt.client import no_provider_error

        raise no_provider_error(model)
    if max_fee is None:  # whichever active provider the mined request draws, its price fits
        return max(price, client.price_ceiling(model))
    if price > max_fee:
        raise UsageError(
            f"fee below price: {provider} asks {rex(price)} for {model}, "
            f"--max-fee is {rex(max_fee)}"
        )
    return max_fee


def _ensure_credit(client: Client, address: Address, needed: int, yes: bool) -> int:
    """How much REX to deposit so the credit covers ``needed``; asks for consent first."""
    have = client.credit(address)
    if have >= needed:
        return 0
    shortfall = needed - have
    out.print(
        f"Your RequestBook credit is {rex(have)}; this request may cost up to {rex(needed)}: "
        f"{rex(shortfall)} will be deposited from your wallet."
    )
    confirm(
        "Deposit and ask?",
        yes,
        "the request needs a credit deposit: rerun with --yes to accept it",
    )
    return shortfall


def _wait(client: Client, view: RequestView, timeout: float) -> RequestView:
    """Poll the request until it is no longer open or ``timeout`` seconds have passed."""
    end = time.monotonic() + timeout
    while view.status == "open" and time.monotonic() < end:
        time.sleep(min(POLL_SECONDS, max(0.0, end - time.monotonic())))
        view = client.get(view.id)
    return view


def ask(
    ctx: typer.Context,
    prompt: Annotated[
        str, typer.Argument(help="The prompt text (UTF-8; the model caps its size).")
    ],
    wallet: WalletOpt,
    model: Annotated[
        str, typer.Option("--model", "-m", help="Registered model id to ask.")
    ] = "gemma-3-270m",
    max_fee: Annotated[
        str | None,
        typer.Option(
            help="Most REX you will pay (default: the highest price of the model's active"
            " providers; you pay the drawn provider's price).",
            show_default=False,
        ),
    ] = None,
    wait: Annotated[
        bool, typer.Option("--wait/--no-wait", help="Wait for the answer, or print the id only.")
    ] = True,
    timeout: Annotated[
        float, typer.Option(help="Seconds to wait for an answer before giving the id.", min=0)
    ] = 120.0,
    pay_with: Annotated[
        str | None,
        typer.Option(
            "--pay-with",
            help="Buy the request at the DPrompt desk instead of paying from your credit: its"
            " USD price (`rexos dprompt desk`) in USDC, USDT, DAI, REX or"
            " points, or 'voucher' to spend what the desk keeps for you.",
            show_default=False,
        ),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            "-y",
            help="Deposit missing credit and confirm the transactions without asking.",
        ),
    ] = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Ask a DPrompt model; a staked provider answers and you pay its fee from your credit,
    or, with --pay-with, buy the request in USD at the DPrompt desk.

    Missing credit is deposited first (with your consent). The answer can be
    challenged until its window ends; after that it is final.
    """
    from rexos.cli.dprompt import client_of, finality, model_name
    from rexos.cli.opml_prompt import prompt_for, shown_answer

    c: CliContext = ctx.obj
    prompt = prompt_for(model, prompt)
    cap = parse_units(max_fee) if max_fee is not None else None
    if pay_with is not None:
        view = _bought(c, pay_with, model, prompt, cap, wallet, yes, passphrase_file,
                       passphrase_env)  # fmt: skip
        client = client_of(c)
    else:
        client = client_of(c)
        needed = _precheck(client, model, prompt, cap)
        deposit = _ensure_credit(client, c.keystore.get(wallet).address, needed, yes)
        signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
        if deposit:
            client.deposit(signer, deposit)
        view = client.ask(signer, model, prompt, needed)
        out.print(f"Request {view.id} sent to {model}: fee {rex(view.fee)} held in escrow.")
    if wait:
        view = _wait(client, view, timeout)
    if view.status == "open":
        if wait:
            out.print(f"No answer within {timeout:g} s.")
        out.print(f"Request id: {view.id}. Check it later with `rexos dprompt show {view.id}`.")
        return
    if view.output is not None:
        out.print(f"[bold]Answer[/] ({model_name(c, view.model_id)}):")
        out.print(shown_answer(model, view.output), markup=False)
        out.print(f"Answered by {view.responder}; fee {rex(view.fee)}.")
    out.print(f"Status: {finality(view, client.now())}.")


def _bought(
    c: CliContext,
    pay_with: str,
    model: str,
    prompt: str,
    cap: int | None,
    wallet: str,
    yes: bool,
    passphrase_file: Path | None,
    passphrase_env: str | None,
) -> RequestView:
    """Buy the request at the DPrompt desk (quoted and checked before anything is signed)."""
    from rexos.cli.dprompt_desk import desk_method, desk_of
    from rexos.cli.fees import desk_quote

    desk = desk_of(c)
    method, symbol = desk_method(pay_with)
    address = c.keystore.get(wallet).address
    plan = desk.plan(address, model, prompt, method, cap or 0)
    if plan.method == "voucher":
        price = f"from your voucher of {rex(plan.budget)}"
    else:
        price = desk_quote(desk, plan.method, symbol, plan.units)
    out.print(f"Buying one {model} request at the DPrompt desk, {price}.")
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    asked = desk.ask(
        signer, model, prompt, method, symbol=symbol or "USDC", max_fee=cap or 0, plan=plan
    )
    view, served = asked.request, asked.served
    out.print(
        f"Request {view.id} sent to {model}: the desk pays the provider's fee of "
        f"{rex(asked.fee)}; {rex(served.to_voucher)} of its {rex(served.budget)} went to your "
        f"voucher (now {rex(desk.voucher(address))})."
    )
    return view


def register(app: typer.Typer) -> None:
    """Attach ``rexos ask`` to the top-level app."""
    app.command()(ask)
