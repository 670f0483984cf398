"""``rexos`` — the RexOS command line.

Every ``RexosError`` becomes one line on stderr and exit status 2. Every command but
``--help`` and ``--version`` starts by making the data directory private (created 0700,
or an existing one narrowed to 0700), then passes the compliance gate
(:mod:`rexos.cli.compliance`): a service barred for the user is refused before it starts.

Importing this module imports no heavy SDK (web3, DuckDB, httpx, …): the command modules
import those inside their commands, and the bounds their options show come from
:mod:`rexos.bounds`, so ``rexos --help`` and every ``rexos <command> --help`` start at once.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from rexos import __version__
from rexos.cli import (
    airdrop,
    ask,
    bot,
    bridge,
    chart,
    chat,
    compliance,
    demo,
    devnet,
    dprompt,
    dprompt_desk,
    economy,
    explorer,
    fees,
    intent,
    lense,
    market,
    market_desk,
    mcp,
    news,
    perps,
    policy,
    provider,
    provider_run,
    relayer,
    route,
    social,
    sql,
    staking,
    studio,
    swap,
    ticker,
    vesting,
    wallet,
)
from rexos.cli.console import print_error
from rexos.cli.context import CliContext
from rexos.cli.group import Group, coerce_plainly
from rexos.errors import RexosError

if TYPE_CHECKING:
    pass  # Typer's own Click

__all__ = ["app", "run"]


class _Group(Group):
    """``rexos``'s own group: each command is listed with its summary on one line (rich
    markup keeps a docstring's line breaks, which cut the listing's sentences apart)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for command in self.commands.values():
            if command.help and not command.short_help:
                command.short_help = " ".join(command.help.split("\n\n")[0].split())
        for param in self.params:
            coerce_plainly(param, _ROOT_OPTIONS.get(param.name or ""))


_ROOT_OPTIONS: dict[str, type[Path] | type[str] | type[bool]] = {
    "home": Path,
    "rpc": str,
    "version": bool,
}
"""The root's options, coerced without pydantic (see :mod:`rexos.cli.group`)."""


app = typer.Typer(
    cls=_Group,
    name="rexos",
    help="RexOS: an AI-agent operating system for on-chain users.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: the rich renderer alone took 0.1 s to import
)


_HELP_ONLY: ContextVar[bool] = ContextVar("rexos_help_only", default=False)
"""Set by :func:`run` when the arguments ask for help: the data directory is left alone."""

_ARGS: ContextVar[tuple[str, ...] | None] = ContextVar("rexos_args", default=None)
"""Set by :func:`run`: the command line, so the root callback knows the whole command."""


def _asks_for_help(args: Sequence[str]) -> bool:
    """Whether ``--help`` is among ``args`` (before a ``--``, after which all is data)."""
    options = args[: list(args).index("--")] if "--" in args else args
    return "--help" in options


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rexos {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(help="Data directory (default $REXOS_HOME or ~/.rexos).", show_default=False),
    ] = None,
    rpc: Annotated[
        str | None,
        typer.Option(help="JSON-RPC URL to use instead of the local devnet ($REXOS_RPC_URL)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Wallets, the REX economy, DPrompt answers and swaps on a devnet or any EVM chain."""
    ctx.obj = CliContext().with_overrides(home, rpc)
    if not _HELP_ONLY.get():
        ctx.obj.settings.ensure_home()
        path = compliance.command_path(ctx.command, _ARGS.get(), ctx.invoked_subcommand)
        compliance.require_command(ctx.obj.settings, path)  # before the command does any work


app.add_typer(wallet.app, name="wallet")
app.add_typer(vesting.app, name="vesting")
app.add_typer(economy.app, name="economy")
app.add_typer(devnet.app, name="devnet")
dprompt_desk.register(dprompt.app)
app.add_typer(dprompt.app, name="dprompt")
provider.app.command("run")(provider_run.run)
app.add_typer(provider.app, name="provider")
app.add_typer(relayer.app, name="relayer")
app.add_typer(perps.app, name="perps")
app.add_typer(ticker.app, name="ticker")
app.add_typer(bot.app, name="bot")
app.add_typer(social.app, name="social")
app.add_typer(lense.app, name="lense")
market_desk.register(market.app)
app.add_typer(market.app, name="market")
app.add_typer(studio.app, name="studio")
app.add_typer(airdrop.app, name="airdrop")
ask.register(app)
staking.register(app)
route.register(app)
swap.register(app)
bridge.register(app)
mcp.register(app)
policy.register(app)
intent.register(app)
sql.register(app)
chart.register(app)
explorer.register(app)
news.register(app)
chat.register(app)
demo.register(app)
compliance.register(app)
fees.register(app)


def run(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    args = sys.argv[1:] if argv is None else argv
    help_only = _HELP_ONLY.set(_asks_for_help(args))
    given = _ARGS.set(tuple(args))
    try:
        code = app(args=args, standalone_mode=False)
    except RexosError as exc:
        print_error(str(exc))
        sys.exit(2)
    except typer.Abort:
        print_error("aborted")
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.TyperException as exc:
        _usage_error(exc)
    finally:
        _HELP_ONLY.reset(help_only)
        _ARGS.reset(given)
    if isinstance(code, int) and code:  # a command's ``typer.Exit(code)`` comes back here
        sys.exit(code)


def _usage_error(exc: typer.TyperException) -> NoReturn:
    """Typer's own usage errors: help when nothing was asked, else one line."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    if type(exc).__name__ == "NoArgsIsHelpError":
        sys.stdout.write(message + "\n")
        sys.exit(0)
    command = getattr(getattr(exc, "ctx", None), "command_path", "rexos")
    print_error(f"{message} (see `{command} --help`)")
    sys.exit(2)


if __name__ == "__main__":
    run()
