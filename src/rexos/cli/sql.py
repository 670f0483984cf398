"""``rexos sql QUESTION`` and ``rexos index``: the Database agent on the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from rexos.bounds import MAX_SQL_ROWS
from rexos.cli.console import err, out
from rexos.cli.context import CliContext

if TYPE_CHECKING:
    from rexos.agents.database import LLM, IndexReport, QueryResult
    from rexos.agents.database.agent import AmountUnit

__all__ = ["index", "register", "sql"]


def _path(c: CliContext) -> Path:
    from rexos.agents.database import index_path

    return index_path(c.settings.home, int(c.manifest().chain_id))


def _index(c: CliContext, from_block: int | None, quiet: bool) -> IndexReport:
    from rexos.agents.database import IndexProgress, index_chain

    def progress(p: IndexProgress) -> None:
        if not quiet:
            err.print(f"indexed blocks {p.from_block}-{p.to_block} of {p.head}: {p.rows} events")

    return index_chain(
        c.chain().web3, c.manifest(), _path(c), from_block=from_block, progress=progress
    )


def _llm(c: CliContext, model_id: str | None) -> LLM | None:
    from rexos.llm import greedy, load_model

    if model_id is None:
        return None
    model = load_model(model_id, c.settings)
    return lambda prompt: model.complete(prompt, greedy()).text


def _show(result: QueryResult, units: tuple[tuple[AmountUnit | None, ...], ...]) -> None:
    from rexos.agents.database.agent import display_rows

    out.print(f"[dim]{result.sql}[/]", soft_wrap=True)
    table = Table(*result.columns)
    for row in display_rows(result, units):
        table.add_row(*row)
    out.print(table)
    out.print(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}")
    if any(u is not None for row in units for u in row):
        note = "Amounts in token units, rounded down to 4 decimals; --json gives exact base units."
        out.print(f"[dim]{note}[/]", soft_wrap=True)


def sql(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="A question about the chain, or a SELECT.")],
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help='Print {"sql", "columns", "rows"} as JSON (amounts exact, base units).'
        ),
    ] = False,
    reindex: Annotated[
        bool, typer.Option("--reindex", help="Re-read the chain from block 0 first.")
    ] = False,
    me: Annotated[
        str | None, typer.Option("--as", help="Wallet name or address that 'my' refers to.")
    ] = None,
    model: Annotated[
        str | None,
        typer.Option("--model", help="Model id for questions no template matches (default: none)."),
    ] = None,
    max_rows: Annotated[
        int, typer.Option("--max-rows", min=1, help="Most rows returned.")
    ] = MAX_SQL_ROWS,
) -> None:
    """Answer a question from the indexed chain data with one read-only SQL query.

    The index is first brought to the chain's head (from its cursor: only new blocks are
    read). A wallet name from the keystore or an address in the question stands for that
    address. Amounts are shown in token units; --json keeps exact base units."""
    from rexos.agents.database import ask
    from rexos.agents.database.agent import amount_units

    c: CliContext = ctx.obj
    path = _path(c)
    _index(c, 0 if reindex else None, quiet=as_json)  # to the head, from the cursor
    who = c.address_of(me) if me is not None else None
    names = {w.name: str(w.address) for w in c.keystore.list()}
    result = ask(path, question, me=who, names=names, llm=_llm(c, model), max_rows=max_rows)
    units = amount_units(path, result)
    if as_json:
        typer.echo(json.dumps(result.to_json(), indent=1))
        if any(u is not None for row in units for u in row):
            err.print("note: JSON rows keep amounts as integers in the token's base units")
    else:
        _show(result, units)


def index(
    ctx: typer.Context,
    from_block: Annotated[
        int | None,
        typer.Option("--from-block", min=0, help="Re-read from this block (default: the cursor)."),
    ] = None,
) -> None:
    """Index the selected chain's events into $REXOS_HOME/index/<chain_id>.duckdb."""
    c: CliContext = ctx.obj
    report = _index(c, from_block, quiet=False)
    counts = ", ".join(f"{n} {t}" for t, n in sorted(report.events.items())) or "no events"
    out.print(
        f"Indexed blocks {report.from_block}-{report.to_block} of chain {report.chain_id} "
        f"({counts}) into {report.path}."
    )


def register(app: typer.Typer) -> None:
    """Attach ``sql`` and ``index`` to the top-level app."""
    app.command("sql")(sql)
    app.command("index")(index)
