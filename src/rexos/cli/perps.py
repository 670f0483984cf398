"""``rexos perps compare``: where a perpetual position is cheapest to open and hold.

Asks every venue (Binance, Bybit and OKX through ccxt; Hyperliquid and dYdX
over HTTP), prices fees, funding over the holding period and depth-based
slippage for the size, and recommends one venue with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from rexos.bounds import PERP_VENUES
from rexos.cli.console import out
from rexos.cli.group import Group

if TYPE_CHECKING:
    from rexos.perps import Comparison, PerpSource

__all__ = ["app", "compare_cmd", "sources"]

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    name="perps",
    help="Compare perpetual-futures venues: fees, funding and slippage for one size.",
    no_args_is_help=True,
)


def sources(names: Sequence[str] | None) -> list[PerpSource]:
    """The venue sources to ask; tests replace this with recorded ones."""
    from rexos.perps import live_sources

    return live_sources(names)


def _venue_names(text: str | None) -> list[str]:
    from rexos.perps import venue_ids

    if text is None:
        return venue_ids()
    return venue_ids(n.strip().lower() for n in text.split(",") if n.strip())


def _show(result: Comparison) -> None:
    from rexos.perps.explain import usd

    r = result.request
    title = (
        f"{r.base} {r.side} {result.size.normalize():f} held {r.holding_hours.normalize():f} h"
        f" ({'open and close' if r.round_trip else 'open only'})"
    )
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("venue", no_wrap=True, min_width=11)
    table.add_column("kind")
    for column in ("fee", "funding", "slippage", "total", "bps"):
        table.add_column(column, justify="right")
    for n, c in enumerate(result.ranked, 1):
        table.add_row(
            str(n),
            c.venue,
            c.market.kind,
            usd(c.fee_usd),
            usd(c.funding_usd),
            usd(c.slippage_usd),
            usd(c.total_usd),
            f"{c.total_bps:.2f}",
        )
    skipped: list[tuple[str, str, str]] = [(t.venue, t.market.kind, t.reason) for t in result.thin]
    skipped += [(u.venue, "", f"unavailable: {u.reason}") for u in result.unavailable]
    for venue, kind, _ in skipped:
        table.add_row("-", venue, kind, "", "", "", "n/a", "")
    out.print(table)
    for venue, _, reason in skipped:
        out.print(f"{venue}: {reason}", soft_wrap=True)
    out.print(result.explanation, soft_wrap=True)


@app.command("compare")
def compare_cmd(
    market: Annotated[str, typer.Argument(help="Market: BTC, BTC-PERP, BTC/USDT:USDT, ...")],
    size: Annotated[str, typer.Argument(help="Size in base units (2.5) or USD notional ($50000).")],
    side: Annotated[str, typer.Option(help="long or short.")] = "long",
    hours: Annotated[str, typer.Option(help="How long the position is held, in hours.")] = "24",
    venues: Annotated[
        str | None,
        typer.Option(help=f"Comma-separated venue ids (default: {','.join(PERP_VENUES)})."),
    ] = None,
    round_trip: Annotated[
        bool,
        typer.Option("--round-trip/--entry-only", help="Count closing the position too."),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
) -> None:
    """Rank venues by what the position costs: taker fees, funding and slippage."""
    from rexos.perps import PerpRequest, compare

    request = PerpRequest.parse(market, size, side=side, hours=hours, round_trip=round_trip)
    result = compare(request, sources(_venue_names(venues)))
    if as_json:
        typer.echo(json.dumps(result.to_json(), indent=1))
    else:
        _show(result)
