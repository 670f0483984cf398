"""``rexos economy schedule`` — the 5-year supply simulation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from rexos.cli.console import out
from rexos.cli.group import Group
from rexos.errors import ConfigError
from rexos.types import format_units

__all__ = ["app"]

app = typer.Typer(
    cls=Group, rich_markup_mode=None, help="Token-economy tools.", no_args_is_help=True
)


@app.command("schedule")
def schedule(
    chart: Annotated[
        Path | None, typer.Option(help="Write a chart here (.png or .svg).", show_default=False)
    ] = None,
    csv: Annotated[
        Path | None, typer.Option(help="Write the monthly table here (.csv).", show_default=False)
    ] = None,
    genesis: Annotated[
        Path | None, typer.Option(help="Genesis TOML file (default: the packaged one).")
    ] = None,
) -> None:
    """Simulate circulating supply by bucket, unlocks, burn and reward-pool runway over 5 years."""
    from rexos.economy.genesis import load_genesis
    from rexos.economy.supply import simulate_supply, write_chart, write_csv

    if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
        raise ConfigError(f"--chart must end in .png or .svg, got {chart.name!r}")
    rows = simulate_supply(load_genesis(genesis))
    table = Table(
        "month",
        "circulating",
        "unlocked this month",
        "burned (cum.)",
        "reward pool",
        "runway (months)",
    )
    for row in rows:
        if row.month % 6 == 0:
            table.add_row(
                str(row.month),
                format_units(row.circulating, 18, 0),
                format_units(row.monthly_unlock, 18, 0),
                format_units(row.cumulative_burned, 18, 0),
                format_units(row.pool_holdings, 18, 0),
                "-" if row.runway_months is None else f"{row.runway_months:.1f}",
            )
    out.print(table)
    if csv is not None:
        write_csv(rows, csv)
        out.print(f"Wrote {csv}")
    if chart is not None:
        write_chart(rows, chart)
        out.print(f"Wrote {chart}")
