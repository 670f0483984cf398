"""``rexos wallet new | import | list | balance`` — encrypted keystore wallets."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from rexos.cli.console import out
from rexos.cli.context import CliContext
from rexos.cli.group import Group
from rexos.cli.options import PassphraseEnv, PassphraseFile
from rexos.types import display_units

__all__ = ["app"]

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="Create, import and inspect keystore wallets.",
    no_args_is_help=True,
)

NameArg = Annotated[str, typer.Argument(help="Wallet name: lowercase letters, digits, - and _.")]


@app.command("new")
def new(
    ctx: typer.Context,
    name: NameArg,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Create a wallet with a fresh key, encrypted with a passphrase (Web3 Secret Storage)."""
    from rexos.chain.keystore import PassphraseSource

    c: CliContext = ctx.obj
    c.keystore.check_new_name(name)
    source = PassphraseSource(file=passphrase_file, env=passphrase_env, confirm=True)
    info = c.keystore.create(name, source.get(f"new passphrase for wallet '{name}'"))
    out.print(f"Created wallet [bold]{info.name}[/] {info.address}")
    out.print(f"Keystore file: {info.path}")


@app.command("import")
def import_(
    ctx: typer.Context,
    name: NameArg,
    key_file: Annotated[
        typer.FileText,
        typer.Option(help="File holding the hex private key ('-' reads standard input)."),
    ],
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Import a private key into an encrypted keystore wallet. The key is never echoed."""
    from rexos.chain.keystore import PassphraseSource

    c: CliContext = ctx.obj
    c.keystore.check_new_name(name)
    key = key_file.readline().strip()
    source = PassphraseSource(file=passphrase_file, env=passphrase_env, confirm=True)
    info = c.keystore.import_key(name, key, source.get(f"new passphrase for wallet '{name}'"))
    out.print(f"Imported wallet [bold]{info.name}[/] {info.address}")


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """List the wallets in the data directory."""
    c: CliContext = ctx.obj
    wallets = c.keystore.list()
    if not wallets:
        out.print(f"No wallets in {c.settings.keystore_dir}. Create one: rexos wallet new NAME")
        return
    table = Table("name", "address")
    for info in wallets:
        table.add_row(info.name, info.address)
    out.print(table)


@app.command("balance")
def balance(
    ctx: typer.Context,
    who: Annotated[str, typer.Argument(help="Wallet name or address.")],
) -> None:
    """Show ETH, REX and staked sREX of a wallet or address."""
    c: CliContext = ctx.obj
    address = c.address_of(who)
    economy = c.economy()
    eth = int(economy.web3.eth.get_balance(address))
    position = economy.position(address)
    table = Table("asset", "balance", title=address)
    table.add_row("ETH", display_units(eth, 18, 6))
    table.add_row("REX", display_units(position.rex_balance))
    table.add_row("sREX (staked)", display_units(position.staked))
    table.add_row("rewards claimable", display_units(position.earned))
    out.print(table)
    out.print("[dim]Rounded down for display (ETH to 6 decimals, the rest to 4).[/]")
