"""``rexos route``: the best split for a swap over pools from a file, with its certificate."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from rexos.cli.console import out
from rexos.errors import InvalidAmount, UsageError

if TYPE_CHECKING:
    from rexos.dex.router import Route

__all__ = ["register", "route"]

PoolsOpt = Annotated[
    Path, typer.Option("--pools", help="Pools file (JSON; see `docs/reference/pools-file.md`).")
]
TokenOpt = Annotated[str, typer.Option(help="Token id as written in the pools file.")]


def _base_units(text: str) -> int:
    digits = text.strip()
    if not digits.isascii() or not digits.isdigit():
        raise InvalidAmount(f"--amount-in must be a whole number of base units, got {text!r}")
    amount = int(digits)
    if amount <= 0:
        raise InvalidAmount("--amount-in must be positive")
    return amount


def _bps(part: int, whole: int) -> str:
    return f"{Decimal(part * 10_000) / Decimal(whole):+.2f} bps" if whole else "n/a"


def _show(r: Route) -> None:
    table = Table(title=f"Route: {r.amount_in} {r.sell} → {r.buy}", title_justify="left")
    for column in ("#", "pool", "sells", "amount in", "buys", "amount out"):
        table.add_column(column, justify="right" if "amount" in column else "left")
    for n, f in enumerate(r.fills, 1):
        table.add_row(str(n), f.pool, f.token_in, str(f.amount_in), f.token_out, str(f.amount_out))
    out.print(table)
    out.print(f"output            {r.amount_out} {r.buy}")
    gain = _bps(r.amount_out - r.best_single_out, r.best_single_out)
    out.print(f"best single path  {r.best_single_out} (this route: {gain})")
    out.print(f"upper bound       {r.upper_bound_out}: within {r.gap_bps} bps of the best possible")
    out.print(f"solved in         {r.solve_ms:.1f} ms")


def route(
    pools: PoolsOpt,
    sell: TokenOpt,
    buy: TokenOpt,
    amount_in: Annotated[str, typer.Option(help="Exact input, in base units of the sell token.")],
    max_hops: Annotated[
        int | None,
        typer.Option(min=1, max=6, help="Pools per path at most (default: any, the whole graph)."),
    ] = None,
    gas_cost: Annotated[
        str, typer.Option(help="What one more fill costs in gas, in buy-token base units.")
    ] = "0",
    as_json: Annotated[bool, typer.Option("--json", help="Print the route as JSON.")] = False,
) -> None:
    """Split an exact-input swap optimally over the pools of a file (multi-hop, mixed fees).

    The fills replayed in order with the exact pool maths give `amount_out` to the wei;
    `upper_bound_out` is a dual bound no route over these pools can beat.
    """
    from rexos.dex.pools_file import load_pools
    from rexos.dex.router import find_route

    amount = _base_units(amount_in)
    if not gas_cost.strip().isdigit():
        raise UsageError(f"--gas-cost must be a whole number of base units, got {gas_cost!r}")
    loaded = load_pools(pools)
    known = {t for p in loaded for t in p.tokens}
    for flag, token in (("--sell", sell), ("--buy", buy)):
        if token not in known:
            raise UsageError(f"{flag}: unknown token {token!r}: no pool in {pools} trades it")
    result = find_route(
        loaded, sell, buy, amount, max_hops=max_hops, gas_cost_per_fill=int(gas_cost)
    )
    if as_json:
        typer.echo(json.dumps(result.to_json(), indent=1))
    else:
        _show(result)


def register(app: typer.Typer) -> None:
    app.command("route")(route)
