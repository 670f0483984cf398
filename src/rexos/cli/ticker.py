"""``rexos ticker extract | import | show`` — the Ticker agent: token mentions in text.

The database is the shipped token-list snapshot, the lists imported into
``$REXOS_HOME/tokenlists/``, any ``--tokenlist`` given, and the tokens of every deployment
manifest in the data directory (no devnet is no error). A keystore wallet's name is an
ordinary word: a token only as a ``$`` cashtag or next to a cue.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from rexos.cli.console import out
from rexos.cli.context import CliContext
from rexos.cli.group import Group
from rexos.config import Settings
from rexos.errors import UsageError

if TYPE_CHECKING:
    from rexos.agents.ticker import DevnetEntry, Mention, TickerDB, TokenListLibrary

__all__ = ["app", "build_db"]

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="Find token mentions in text and resolve them.",
    no_args_is_help=True,
)

TokenListOpt = Annotated[
    list[str] | None,
    typer.Option("--tokenlist", help="Extra token list (file or URL); repeatable."),
]
ChainOpt = Annotated[
    int | None,
    typer.Option("--chain", help="Preferred chain id (default: the devnet's, else 1)."),
]


def _library(settings: Settings) -> TokenListLibrary:
    from rexos.agents.ticker import TokenListLibrary

    return TokenListLibrary(settings.home / "tokenlists")


def _devnet_entries(settings: Settings) -> list[DevnetEntry]:
    from rexos.agents.ticker import manifest_entries
    from rexos.chain.manifest import load_manifest
    from rexos.dex.deploy import DEV_TOKENS, REX

    decimals = {t.symbol: t.decimals for t in (*DEV_TOKENS, REX)}
    names = {t.symbol: t.name.removesuffix(" (dev)") for t in (*DEV_TOKENS, REX)}
    entries: list[DevnetEntry] = []
    # every deployment made here: anvil's 31337/31338 and the embedded node's own chain id
    folder = settings.deployments_dir
    found = sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []
    for chain_id in (int(stem) for stem in found if stem.isdigit()):
        manifest = load_manifest(folder, chain_id)
        entries.extend(manifest_entries(manifest, decimals, names))
    return entries


def build_db(settings: Settings, extra: list[str] | None = None) -> TickerDB:
    """The devnet's tokens, the snapshot, the imported lists, then ``extra`` lists."""
    from rexos.agents.ticker import TickerDB, TokenList, load_snapshot, load_token_list

    lists: list[TokenList] = [load_snapshot(), *_library(settings).load()]
    lists.extend(load_token_list(source) for source in extra or [])
    return TickerDB.build(lists, _devnet_entries(settings))


def _show(mentions: tuple[Mention, ...]) -> None:
    table = Table(title="Token mentions", title_justify="left")
    for column in ("text", "symbol", "chain", "address", "decimals", "confidence", "why"):
        # an address is never cut short: it is what the user copies
        table.add_column(
            column, no_wrap=column == "address", min_width=42 if column == "address" else None
        )
    for m in mentions:
        why = m.candidates[0].reason if m.candidates else "not in the ticker database"
        if m.address is None and m.candidates:
            why = f"ambiguous: {len(m.candidates)} candidates; first: {why}"
        table.add_row(
            m.text,
            m.symbol or "?",
            str(m.chain_id) if m.chain_id is not None else "?",
            m.address or "?",
            str(m.decimals) if m.decimals is not None else "?",
            f"{m.confidence:.2f}",
            why,
        )
    out.print(table)


@app.command("extract")
def extract(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Free text to read token mentions from.")],
    chain: ChainOpt = None,
    tokenlist: TokenListOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the mentions as JSON.")] = False,
) -> None:
    """Find token mentions ($cashtags, symbols, names, addresses, misspellings) and resolve
    each to a chain, address and decimals; ambiguous ones list ranked candidates."""
    from rexos.agents.ticker import TickerExtractor

    c: CliContext = ctx.obj
    wallets = [w.name for w in c.keystore.list()]  # "send 5 USDC to bob": bob is a wallet
    extractor = TickerExtractor(build_db(c.settings, tokenlist), ordinary=wallets)
    result = extractor.extract(text, chain_id=chain)
    if as_json:
        typer.echo(json.dumps(result.to_json(), indent=1))
    elif not result.mentions:
        out.print("no token mentions found")
    else:
        _show(result.mentions)


@app.command("import")
def import_(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="Token list file or http(s) URL.")],
) -> None:
    """Check a token list (Token Lists standard) and keep a copy for later extractions."""
    c: CliContext = ctx.obj
    path, token_list = _library(c.settings).add(source)
    skipped = f", {token_list.skipped} skipped" if token_list.skipped else ""
    out.print(
        f"Imported [bold]{token_list.name}[/] {token_list.version_text}: "
        f"{len(token_list.tokens)} tokens{skipped} → {path}"
    )


@app.command("show")
def show(
    ctx: typer.Context,
    symbol: Annotated[str, typer.Argument(help="Token symbol, e.g. USDC.")],
    tokenlist: TokenListOpt = None,
) -> None:
    """Every token the database lists under SYMBOL, on every chain."""
    c: CliContext = ctx.obj
    db = build_db(c.settings, tokenlist)
    tokens = sorted(
        db.by_symbol(symbol.removeprefix("$")), key=lambda t: (not t.devnet, t.chain_id)
    )
    if not tokens:
        raise UsageError(f"no token with symbol {symbol!r} in the ticker database")
    table = Table(title=f"{symbol.upper()}: {len(tokens)} tokens", title_justify="left")
    for column in ("chain", "address", "symbol", "name", "decimals", "source"):
        table.add_column(
            column, no_wrap=column == "address", min_width=42 if column == "address" else None
        )
    for t in tokens:
        source = "devnet" if t.devnet else "token list"
        table.add_row(str(t.chain_id), t.address, t.symbol, t.name, str(t.decimals), source)
    out.print(table)
