"""``rexos chart TEXT``: the Chart agent on the command line.

``TEXT`` is read by the intent grammar ("REX price over the last 30 days", "chart my
portfolio by token"); prices come from the swaps in the Database agent's index (brought
up to date first), holdings from the chain. The chart is written as SVG or PNG by the
file name given to ``--out``; ``--json`` prints the Vega-Lite document and the ChartSpec.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rexos.bounds import MAX_CHART_DAYS
from rexos.cli.console import out as console
from rexos.cli.context import CliContext
from rexos.errors import UsageError

if TYPE_CHECKING:
    from rexos.agents.chart import ChartKind, ChartRequest, ChartResult

__all__ = ["chart", "read_text", "register"]

_VERB = re.compile(r"^\s*(?:chart|plot|graph|show)\b", re.IGNORECASE)
_BY_TOKEN = re.compile(
    r"\s+(?:by|per)\s+(?:token|asset|coin|holding)s?(?=\s|$)|\s+breakdown(?=\s|$)", re.IGNORECASE
)
_FORMATS = (".svg", ".png")
_KINDS: dict[str, ChartKind] = {"line": "line", "bar": "bar", "area": "area"}
_EXAMPLES = "try 'REX price over the last 30 days' or 'my portfolio by token'"


def read_text(text: str) -> tuple[str, int | None]:
    """``(subject, days)`` of a chart request in words; a one-line :class:`UsageError` if
    the text is not one. A request without a verb ("REX price over the last 30 days") reads
    as if it began with "chart"; "my portfolio" charts the portfolio by token."""
    from rexos.agents.chart import PORTFOLIO
    from rexos.orchestrator.intent import Clarification, Intent, parse

    cleaned = _BY_TOKEN.sub("", text.strip())
    result = parse(cleaned)
    if isinstance(result, Intent):
        if result.intent == "portfolio":
            return PORTFOLIO, None
        if result.intent == "price":
            result = parse(f"chart {cleaned}")
        elif result.intent != "chart":
            raise UsageError(f"{text!r} reads as a {result.intent} request, not a chart")
    elif not _VERB.match(cleaned):
        result = parse(f"chart {cleaned}")
    if isinstance(result, Clarification):
        raise UsageError(f"{result.question} ({_EXAMPLES})")
    subject, days = result.args.get("subject"), result.args.get("days")
    if result.intent != "chart" or not isinstance(subject, str):
        raise UsageError(f"not a chart request: {text!r} ({_EXAMPLES})")
    return subject, days if isinstance(days, int) else None


def _owner(c: CliContext, who: str | None) -> str:
    if who is not None:
        return c.address_of(who)
    wallets = c.keystore.list()
    if len(wallets) == 1:
        return wallets[0].address
    raise UsageError("whose portfolio? pass --as WALLET_OR_ADDRESS")


def _request(
    c: CliContext, text: str, days: int | None, kind: ChartKind | None, who: str | None
) -> ChartRequest:
    from pydantic import ValidationError

    from rexos.agents.chart import PORTFOLIO, ChartRequest

    subject, said_days = read_text(text)
    portfolio = subject == PORTFOLIO
    try:
        return ChartRequest(
            subject=subject,
            days=None if portfolio else days or said_days,
            kind=kind,
            address=_owner(c, who) if portfolio else None,
        )
    except ValidationError as exc:
        problems = "; ".join(e["msg"] for e in exc.errors())
        raise UsageError(f"not a chart request: {problems}") from None


def _summary(result: ChartResult) -> str:
    spec = result.spec
    ys = [p.y for p in spec.points]
    if spec.kind == "bar":
        total = sum(ys, Decimal(0))
        top = spec.points[0]
        return (
            f"{spec.title}: {len(ys)} token{'s' if len(ys) != 1 else ''} worth ${total:,.2f}, "
            f"largest {top.x} (${top.y:,.2f})"
        )
    return (
        f"{spec.title}: {len(ys)} point{'s' if len(ys) != 1 else ''}, "
        f"low ${min(ys):,f}, high ${max(ys):,f}, last ${ys[-1]:,f}"
    )


def chart(
    ctx: typer.Context,
    text: Annotated[
        str, typer.Argument(help="What to chart, e.g. 'REX price over the last 30 days'.")
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the chart to FILE.svg or FILE.png.", show_default=False),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help='Print {"spec": <Vega-Lite>, "chart": <ChartSpec>, "out"}.'),
    ] = False,
    days: Annotated[
        int | None,
        typer.Option("--days", min=1, max=MAX_CHART_DAYS, help="Days of history (default: 30)."),
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="Mark: line or area (prices), bar (portfolio).")
    ] = None,
    who: Annotated[
        str | None,
        typer.Option("--as", help="Wallet name or address whose portfolio (default: the only)."),
    ] = None,
    scale: Annotated[
        float, typer.Option("--scale", min=0.1, max=10, help="PNG size factor.")
    ] = 1.0,
) -> None:
    """Chart a token's USD price over time, or a portfolio by token, as SVG or PNG."""
    from rexos.agents.chart import IndexedSources, make_chart
    from rexos.agents.database import index_path

    c: CliContext = ctx.obj
    if out is not None and out.suffix.lower() not in _FORMATS:
        raise UsageError(f"--out must end in .svg or .png, got {out.name!r}")
    if kind is not None and kind not in _KINDS:
        raise UsageError(f"--kind must be line, bar or area, got {kind!r}")
    request = _request(c, text, days, None if kind is None else _KINDS[kind], who)
    manifest = c.manifest()
    sources = IndexedSources(
        c.chain().web3, manifest, index_path(c.settings.home, int(manifest.chain_id))
    )
    result = make_chart(request, sources)
    if out is not None:
        if out.suffix.lower() == ".png":
            out.write_bytes(result.png(scale))
        else:
            out.write_text(result.svg, encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(result.to_json(None if out is None else str(out)), indent=1))
        return
    where = f" → {out}" if out is not None else " (save it with --out FILE.svg|.png)"
    console.print(_summary(result) + where, soft_wrap=True, markup=False)


def register(app: typer.Typer) -> None:
    """Attach ``chart`` to the top-level app."""
    app.command("chart")(chart)
