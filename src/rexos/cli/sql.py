"""``rexos sql QUESTION`` and ``rexos index``: the Database agent on the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from rexos.agents.database import (
    DEFAULT_MAX_ROWS,
    LLM,
    IndexProgress,
    IndexReport,
    QueryResult,
    ask,
    index_chain,
    index_path,
)
from rexos.cli.console import err, out
from rexos.cli.context import CliContext
from rexos.llm import greedy, load_model

__all__ = ["index", "register", "sql"]


def _path(c: CliContext) -> Path:
    return index_path(c.settings.home, int(c.manifest().chain_id))


def _index(c: CliContext, from_block: int | None, quiet: bool) -> IndexReport:
    def progress(p: IndexProgress) -> None:
        if not quiet:
            err.print(f"indexed blocks {p.from_block}-{p.to_block} of {p.head}: {p.rows} events")

    return index_chain(
        c.chain().web3, c.manifest(), _path(c), from_block=from_block, progress=progress
    )


def _llm(c: CliContext, model_id: str | None) -> LLM | None:
    if model_id is None:
        return None
    model = load_model(model_id, c.settings)
    return lambda prompt: model.complete(prompt, greedy()).text


def _show(result: QueryResult) -> None:
    out.print(f"[dim]{result.sql}[/]", soft_wrap=True)
    table = Table(*result.columns)
    for row in result.json_rows():
        table.add_row(*("" if v is None else str(v) for v in row))
    out.print(table)
    out.print(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}")


def sql(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="A question about the chain, or a SELECT.")],
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"sql", "columns", "rows"} as JSON.')
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
    ] = DEFAULT_MAX_ROWS,
) -> None:
    """Answer a question from the indexed chain data with one read-only SQL query."""
    c: CliContext = ctx.obj
    path = _path(c)
    if reindex or not path.is_file():
        _index(c, 0 if reindex else None, quiet=as_json)
    who = c.address_of(me) if me is not None else None
    result = ask(path, question, me=who, llm=_llm(c, model), max_rows=max_rows)
    if as_json:
        typer.echo(json.dumps(result.to_json(), indent=1))
    else:
        _show(result)


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
