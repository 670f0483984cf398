"""``rexos`` — the RexOS command line.

Every ``RexosError`` becomes one line on stderr and exit status 2. Every command but
``--help`` and ``--version`` starts by making the data directory private (created 0700,
or an existing one narrowed to 0700).

Importing this module imports no heavy SDK (web3, DuckDB, httpx, …): the command modules
import those inside their commands. The few modules whose option declarations still name a
constant of a heavy package are registered lazily (:class:`LazyCommand`): imported only
when their command runs or shows its own help.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from rexos import __version__
from rexos.cli import (
    ask,
    bot,
    bridge,
    chat,
    demo,
    devnet,
    dprompt,
    economy,
    intent,
    mcp,
    policy,
    provider,
    provider_run,
    relayer,
    route,
    staking,
    swap,
    ticker,
    vesting,
    wallet,
)
from rexos.cli.console import print_error
from rexos.cli.context import CliContext
from rexos.errors import RexosError

if TYPE_CHECKING:
    from typer._click import Command, Context  # Typer's own Click

__all__ = ["LazyCommand", "app", "run"]


class LazyCommand(TyperCommand):
    """A command of ``rexos`` listed by name and summary; its module is imported only when
    the command runs or shows its own help."""

    def __init__(self, name: str, module: str, summary: str) -> None:
        super().__init__(name, help=summary)
        self.module = module

    def resolve(self) -> Command:
        """The real command: its module registered on a Typer the way ``rexos`` does it."""
        cli_module = importlib.import_module(self.module)
        holder = typer.Typer(rich_markup_mode="rich")
        if hasattr(cli_module, "register"):
            cli_module.register(holder)
        else:
            holder.add_typer(cli_module.app, name=self.name)
        return typer.main.get_group(holder).commands[str(self.name)]

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Context | None = None,
        **extra: Any,
    ) -> Context:
        return self.resolve().make_context(info_name, args, parent, **extra)


_LAZY: list[tuple[str | None, int, bool, LazyCommand]] = []
"""``(the entry it follows, eager entries of its kind before it, is a group, command)``."""


class _Group(TyperGroup):
    """``rexos``'s own group: the lazy commands take their places among the others."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        entries = list(self.commands.items())
        for anchor, _, group, command in _LAZY:
            if command.name in self.commands:  # registered for real (a test may do so)
                continue
            names = [name for name, _ in entries]
            if anchor in names:
                at = names.index(anchor) + 1
            else:
                groups = [i for i, (_, c) in enumerate(entries) if isinstance(c, TyperGroup)]
                at = (groups[0] if groups else len(entries)) if group else 0
            entries.insert(at, (str(command.name), command))
        self.commands = dict(entries)


def _lazy(name: str, module: str, summary: str, *, group: bool = False) -> None:
    """Declare ``name``, a command of ``module`` (or its ``app``, if ``group``), here."""
    eager = [i.name for i in (app.registered_groups if group else app.registered_commands)]
    anchor = eager[-1] if eager else None
    for _, seen, kind, command in _LAZY:  # declared since the last eager entry: follow it
        if kind == group and seen == len(eager):
            anchor = command.name
    _LAZY.append((anchor, len(eager), group, LazyCommand(name, module, summary)))


app = typer.Typer(
    cls=_Group,
    name="rexos",
    help="RexOS: an AI-agent operating system for on-chain users.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


_HELP_ONLY: ContextVar[bool] = ContextVar("rexos_help_only", default=False)
"""Set by :func:`run` when the arguments ask for help: the data directory is left alone."""


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


app.add_typer(wallet.app, name="wallet")
app.add_typer(vesting.app, name="vesting")
app.add_typer(economy.app, name="economy")
app.add_typer(devnet.app, name="devnet")
app.add_typer(dprompt.app, name="dprompt")
provider.app.command("run")(provider_run.run)
app.add_typer(provider.app, name="provider")
app.add_typer(relayer.app, name="relayer")
_lazy(
    "perps",
    "rexos.cli.perps",
    "Compare perpetual-futures venues: fees, funding and slippage for one size.",
    group=True,
)
app.add_typer(ticker.app, name="ticker")
app.add_typer(bot.app, name="bot")
ask.register(app)
staking.register(app)
route.register(app)
swap.register(app)
bridge.register(app)
mcp.register(app)
policy.register(app)
intent.register(app)
# their option declarations name constants of heavy packages (DuckDB, httpx, web3 below them)
_lazy(
    "sql",
    "rexos.cli.sql",
    "Answer a question from the indexed chain data with one read-only SQL query.",
)
_lazy(
    "index",
    "rexos.cli.sql",
    "Index the selected chain's events into $REXOS_HOME/index/<chain_id>.duckdb.",
)
_lazy(
    "chart",
    "rexos.cli.chart",
    "Chart a token's USD price over time, or a portfolio by token, as SVG or PNG.",
)
_lazy(
    "history",
    "rexos.cli.explorer",
    "An address's transfers, newest first: from the local index (`rexos index`), or with"
    " --etherscan from an Etherscan-compatible explorer API.",
)
_lazy(
    "news",
    "rexos.cli.news",
    "The newest crypto-news items of RSS/Atom feeds, duplicates merged, with their sources.",
)
_lazy(
    "search",
    "rexos.cli.news",
    "Search the web through a SearxNG instance ($REXOS_SEARX_URL): titles, URLs, snippets.",
)
chat.register(app)
demo.register(app)


def run(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    args = sys.argv[1:] if argv is None else argv
    help_only = _HELP_ONLY.set(_asks_for_help(args))
    try:
        app(args=args, standalone_mode=False)
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
