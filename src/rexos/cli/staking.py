"""``rexos stake | unstake | claim | points | position`` (``points`` is
:func:`rexos.cli.points.points`: earned, spent and available)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from rexos.cli.console import confirm, out, rex
from rexos.cli.context import CliContext
from rexos.cli.options import AmountArg, PassphraseEnv, PassphraseFile, WalletOpt, YesOpt
from rexos.cli.points import points
from rexos.errors import UsageError
from rexos.types import format_units, parse_units

if TYPE_CHECKING:
    from rexos.economy.onchain import Position

__all__ = ["register"]

WalletName = Annotated[
    str | None, typer.Option("--wallet", "-w", help="Wallet name (instead of the argument).")
]
WhoArg = Annotated[
    str | None, typer.Argument(help="Wallet name or address (default: the --wallet option).")
]


def stake(
    ctx: typer.Context,
    amount: AmountArg,
    wallet: WalletOpt,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Stake REX for sREX (1:1); sREX earns staking rewards and AI points.

    The approval and the stake go through the Wallet agent's policy, each confirmed.
    """
    c: CliContext = ctx.obj
    wei = parse_units(amount)
    economy = c.economy()
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    receipt = economy.stake(signer, wei)
    position = economy.position(signer.address)
    out.print(f"Staked {rex(wei)} in block {receipt.block_number} (gas {receipt.gas_used:,}).")
    out.print(f"Now staked: {format_units(position.staked, 18, 4)} sREX.")


def unstake(
    ctx: typer.Context,
    amount: AmountArg,
    wallet: WalletOpt,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Accept the deduction and confirm without asking.")
    ] = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Unstake sREX for REX, minus the deduction for a young holding (half burned)."""
    from rexos.economy.preview import preview_unstake

    c: CliContext = ctx.obj
    wei = parse_units(amount)
    economy = c.economy()
    address = c.keystore.get(wallet).address
    preview = preview_unstake(economy, address, wei)
    out.print(
        f"Unstaking now costs {rex(preview.deduction)} ({preview.rate_bps / 100:g} % at a holding "
        f"age of {preview.age_days:.1f} days): {rex(preview.burned)} burned, "
        f"{rex(preview.to_pool)} to the reward pool; you receive {rex(preview.received)}."
    )
    if preview.deduction:
        confirm(
            "Unstake anyway?", yes, "the unstake has a deduction: rerun with --yes to accept it"
        )
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    outcome = economy.unstake(signer, wei)
    out.print(
        f"Unstaked {format_units(outcome.amount, 18, 4)} sREX: received {rex(outcome.received)}, "
        f"deduction {rex(outcome.deduction)} of which {rex(outcome.burned)} burned "
        f"(block {outcome.receipt.block_number})."
    )


def claim(
    ctx: typer.Context,
    wallet: WalletOpt,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Claim the staking rewards accrued so far (through the Wallet agent's policy)."""
    c: CliContext = ctx.obj
    economy = c.economy()
    signer = c.gateway(wallet, passphrase_file, passphrase_env, yes)
    amount, receipt = economy.claim(signer)
    out.print(f"Claimed {rex(amount)} in block {receipt.block_number}.")


def _position(c: CliContext, who: str | None, wallet: str | None) -> Position:
    target = who or wallet
    if target is None:
        raise UsageError("name a wallet or an address")
    return c.economy().position(c.address_of(target))


def position(ctx: typer.Context, who: WhoArg = None, wallet: WalletName = None) -> None:
    """Show a staking position: sREX, holding age, rewards, points, deduction now."""
    p = _position(ctx.obj, who, wallet)
    out.print(f"[bold]{p.address}[/]")
    out.print(f"  staked         {format_units(p.staked, 18, 4)} sREX")
    out.print(f"  holding age    {p.holding_age / 86400:.2f} days")
    out.print(f"  deduction now  {p.deduction_bps / 100:g} %")
    out.print(f"  rewards        {rex(p.earned)} claimable")
    out.print(f"  AI points      {format_units(p.points, 18, 4)}")
    out.print(f"  wallet         {rex(p.rex_balance)}")


def register(app: typer.Typer) -> None:
    """Attach the staking commands to the top-level app."""
    amounts = {"ignore_unknown_options": True}  # so "-5" reaches the amount parser
    app.command(context_settings=amounts)(stake)
    app.command(context_settings=amounts)(unstake)
    for read_only in (claim, points, position):
        app.command()(read_only)
