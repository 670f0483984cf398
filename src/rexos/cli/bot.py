"""``rexos bot``: rule-based trading strategies, run unattended through the Wallet agent.

``add dca|limit|tpsl`` stores a strategy, ``list`` shows them (paused ones with the reason),
``remove`` and ``resume`` change their status, and ``run`` ticks the scheduler at the chain's
time. The bot never confirms anything: it sends only what the wallet policy allows without a
confirmation (``confirm_above_usd`` in policy.yaml); a trade that would need one, or that the
policy refuses, pauses its strategy until you fix the cause and ``resume`` it.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from rexos.cli.console import err, out
from rexos.cli.context import CliContext
from rexos.cli.group import Group
from rexos.cli.options import PassphraseEnv, PassphraseFile, WalletOpt
from rexos.errors import RpcUnavailable, UsageError
from rexos.locks import exclusive

if TYPE_CHECKING:
    from rexos.bot import Event, StoredStrategy

__all__ = ["app"]

UNATTENDED = (
    "The bot sends only what your wallet policy allows without a confirmation "
    "(confirm_above_usd in policy.yaml); a trade that would need one, or that the policy "
    "refuses, pauses its strategy instead."
)

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="Trading bot: DCA, limit and take-profit/stop-loss strategies, traded unattended "
    "through the Wallet agent within your policy.",
    no_args_is_help=True,
)
add_app = typer.Typer(
    cls=Group, rich_markup_mode=None, help="Add a strategy for a wallet.", no_args_is_help=True
)
app.add_typer(add_app, name="add")

TokenArg = Annotated[str, typer.Argument(help="Token symbol of the deployment, e.g. WETH.")]
IdArg = Annotated[str, typer.Argument(help="Strategy id, as `rexos bot list` shows it.")]
SlippageOpt = Annotated[
    str, typer.Option(help="Most a trade's output may fall below its quote, e.g. 0.5%.")
]


def _bps(text: str) -> int:
    try:
        value = Decimal(text.strip().removesuffix("%")) * 100
    except InvalidOperation:
        raise UsageError(f"--slippage must be a percentage like 0.5%, got {text!r}") from None
    if not value.is_finite() or value != value.to_integral_value() or not 0 <= value <= 1000:
        raise UsageError(f"--slippage must be 0% to 10% in steps of 0.01%, got {text!r}")
    return int(value)


def _add(c: CliContext, wallet: str, fields: dict[str, Any]) -> None:
    from rexos.bot import open_bot_store, parse_strategy, schedule
    from rexos.plugins.bot_venue import unattended_warning

    strategy = parse_strategy({k: v for k, v in fields.items() if v is not None})
    owner = c.address_of(wallet)
    web3, manifest = c.chain().web3, c.manifest()
    store = open_bot_store(c.settings.home)
    stored = schedule(store, web3, manifest, owner, strategy)
    out.print(f"Added {strategy.kind} [bold]{stored.id}[/] for {owner}: {strategy.describe()}.",
              soft_wrap=True)  # fmt: skip
    warning = unattended_warning(c.settings.home, web3, manifest, strategy)
    if warning is not None:
        out.print(f"[yellow]warning:[/] {warning}.", soft_wrap=True)
    out.print(f"Run it with: rexos bot run -w {wallet}", soft_wrap=True)


@add_app.command("dca")
def add_dca(
    ctx: typer.Context,
    sell: TokenArg,
    buy: TokenArg,
    amount: Annotated[str, typer.Argument(help="Whole tokens of SELL sold per trade.")],
    wallet: WalletOpt,
    interval: Annotated[str, typer.Option(help="Time between trades: 30m, 1h, 1d, 1w.")],
    count: Annotated[int | None, typer.Option(help="Stop after this many trades.")] = None,
    budget: Annotated[
        str | None,
        typer.Option(help="Stop once this much SELL is sold (the last trade sells the rest)."),
    ] = None,
    slippage: SlippageOpt = "0.5%",
) -> None:
    """Dollar-cost average: sell AMOUNT of SELL for BUY every interval (the first trade at the
    next tick), up to --count trades or --budget sold."""
    _add(ctx.obj, wallet, {"kind": "dca", "sell": sell, "buy": buy, "amount": amount,
                           "interval": interval, "count": count, "budget": budget,
                           "slippage_bps": _bps(slippage)})  # fmt: skip


@add_app.command("limit")
def add_limit(
    ctx: typer.Context,
    side: Annotated[str, typer.Argument(help="sell (at or above the price) or buy (at or below).")],
    token: TokenArg,
    quote: Annotated[str, typer.Argument(help="Token the price is in, e.g. USDC.")],
    amount: Annotated[
        str, typer.Argument(help="Whole tokens sold: TOKEN when selling, QUOTE when buying.")
    ],
    wallet: WalletOpt,
    price: Annotated[str, typer.Option(help="Level: QUOTE per whole TOKEN.")],
    slippage: SlippageOpt = "0.5%",
) -> None:
    """Trade once when the DEX-implied price of TOKEN in QUOTE reaches --price."""
    _add(ctx.obj, wallet, {"kind": "limit", "side": side.strip().lower(), "token": token,
                           "quote": quote, "amount": amount, "price": price,
                           "slippage_bps": _bps(slippage)})  # fmt: skip


@add_app.command("tpsl")
def add_tpsl(
    ctx: typer.Context,
    token: TokenArg,
    quote: Annotated[str, typer.Argument(help="Token received, and the price is in, e.g. USDC.")],
    amount: Annotated[str, typer.Argument(help="Whole TOKEN of the position to sell.")],
    wallet: WalletOpt,
    take_profit: Annotated[
        str | None, typer.Option(help="Sell when 1 TOKEN is worth at least this QUOTE.")
    ] = None,
    stop_loss: Annotated[
        str | None, typer.Option(help="Sell when 1 TOKEN is worth at most this QUOTE.")
    ] = None,
    slippage: SlippageOpt = "0.5%",
) -> None:
    """Sell a position once, at the take-profit or the stop-loss level, whichever comes first."""
    _add(ctx.obj, wallet, {"kind": "tpsl", "token": token, "quote": quote, "amount": amount,
                           "take_profit": take_profit, "stop_loss": stop_loss,
                           "slippage_bps": _bps(slippage)})  # fmt: skip


def _when(timestamp: int | None) -> str:
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _next(s: StoredStrategy) -> str:
    if s.status == "paused":
        return "paused (see below)"
    if s.status != "active":
        return ""
    due = s.to_json()["next_at"]
    return f"chain time {_when(due)}" if due is not None else "when the price reaches it"


@app.command("list")
def list_(
    ctx: typer.Context,
    wallet: Annotated[
        str | None, typer.Option("--wallet", "-w", help="Only this wallet's (name or address).")
    ] = None,
    include_removed: Annotated[bool, typer.Option("--all", help="Show removed ones too.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The strategies in this data directory, their trades and status."""
    from rexos.bot import BotStore

    c: CliContext = ctx.obj
    owner = None if wallet is None else c.address_of(wallet)
    path = BotStore.path_in(c.settings.home)
    found = BotStore(path).strategies(owner, removed=include_removed) if path.is_file() else []
    if as_json:
        typer.echo(json.dumps([s.to_json() for s in found], indent=1))
        return
    if not found:
        out.print("No bot strategies. Add one: rexos bot add dca|limit|tpsl ... -w WALLET")
        return
    table = Table("id", "kind", "status", "strategy", "trades", "sold", "next")
    for s in found:
        table.add_row(s.id, s.strategy.kind, s.status, s.strategy.describe(),
                      str(s.progress.fires), f"{s.progress.spent.normalize():f} {s.strategy.sold}",
                      _next(s))  # fmt: skip
    out.print(table)
    for s in found:
        if s.status == "paused":
            out.print(f"{s.id} paused: {s.reason}. Fix it, then `rexos bot resume {s.id}`.",
                      soft_wrap=True)  # fmt: skip
    out.print(UNATTENDED, soft_wrap=True)


@app.command("remove")
def remove(ctx: typer.Context, sid: IdArg) -> None:
    """Stop a strategy for good; its past trades stay recorded."""
    from rexos.bot import open_bot_store

    c: CliContext = ctx.obj
    store = open_bot_store(c.settings.home)
    store.require(sid)
    store.remove(sid)
    out.print(f"Removed {sid}.")


@app.command("resume")
def resume(ctx: typer.Context, sid: IdArg) -> None:
    """Make a paused strategy active again, once you have fixed what paused it."""
    from rexos.bot import open_bot_store

    c: CliContext = ctx.obj
    store = open_bot_store(c.settings.home)
    resumed = store.resume(sid)
    out.print(f"Resumed {resumed.id}: {resumed.strategy.describe()}.", soft_wrap=True)


def _show(event: Event) -> None:
    if event.kind == "paused":
        out.print(f"{event.strategy_id} paused: {event.message}. Fix it, then "
                  f"`rexos bot resume {event.strategy_id}`.", soft_wrap=True)  # fmt: skip
        return
    done = " Done: that was its last trade." if event.done else ""
    out.print(f"{event.strategy_id} {event.message}.{done}", soft_wrap=True)


@app.command("run")
def run(
    ctx: typer.Context,
    wallet: WalletOpt,
    once: Annotated[bool, typer.Option("--once", help="Tick once, then exit.")] = False,
    interval: Annotated[
        int, typer.Option(min=1, help="Seconds between ticks (wall clock) when not --once.")
    ] = 60,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """Tick the scheduler: trade the wallet's strategies that are due at the chain's time.

    One bot per data directory: a second `bot run` on it is refused (it would trade twice)."""
    c: CliContext = ctx.obj
    with exclusive(c.settings.home / "run" / "bot.lock", f"rexos bot run on {c.settings.home}"):
        _run(c, wallet, once, interval, passphrase_file, passphrase_env)


def _run(
    c: CliContext,
    wallet: str,
    once: bool,
    interval: int,
    passphrase_file: Path | None,
    passphrase_env: str | None,
) -> None:
    from rexos.plugins.bot_venue import open_scheduler

    account = c.signer(wallet, passphrase_file, passphrase_env)
    scheduler, _ = open_scheduler(c.settings.home, c.chain().web3, c.manifest(), account)
    active = scheduler.store.active(scheduler.owner, scheduler.chain_id)
    plural = "strategy" if len(active) == 1 else "strategies"
    out.print(
        f"Bot for {scheduler.owner} on chain {scheduler.chain_id}: {len(active)} active {plural}. "
        + UNATTENDED,
        soft_wrap=True,
    )
    try:
        while True:
            try:
                events = scheduler.tick()
            except RpcUnavailable as exc:
                if once:
                    raise
                err.print(f"warning: {exc}; trying again in {interval} s", soft_wrap=True)
                events = []
            for event in events:
                _show(event)
            if once:
                if not events:
                    out.print("Nothing was due.")
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        out.print("Stopped.")
