"""``rexos news`` and ``rexos search QUERY``: crypto news from RSS/Atom feeds, web search
through SearxNG.

Everything shown is third-party text: printed as plain text (never as Rich markup), each item
with the URL it came from.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from rexos.bounds import MAX_QUERY_CHARS
from rexos.cli.console import err, out
from rexos.cli.context import CliContext

if TYPE_CHECKING:
    from rexos.news import NewsDigest
    from rexos.search import SearchResults

__all__ = ["news", "register", "search"]


def _show_news(digest: NewsDigest) -> None:
    if not digest.items:
        out.print("No news items.")
    for item in digest.items:
        when = item.published.strftime("%Y-%m-%d %H:%M UTC") if item.published else "undated"
        out.print(Text(item.title or "(no title)", style="bold"), soft_wrap=True)
        out.print(Text(f"  {when} · {item.feed_title}", style="dim"), soft_wrap=True)
        out.print(Text(f"  {item.link or item.source}"), soft_wrap=True)
        if item.summary:
            out.print(Text(f"  {item.summary}"), soft_wrap=True)
        out.print()


def news(
    ctx: typer.Context,
    feed: Annotated[
        list[str] | None,
        typer.Option("--feed", help="RSS/Atom feed URL; repeatable (default: $REXOS_NEWS_FEEDS)."),
    ] = None,
    query: Annotated[
        str | None,
        typer.Option("--query", help="Only items whose title or summary holds every word."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="Most items.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the items as JSON.")] = False,
) -> None:
    """The newest crypto-news items of RSS/Atom feeds, duplicates merged, with their sources."""
    from rexos.news import NewsError, NewsReader

    c: CliContext = ctx.obj
    feeds = feed or list(c.settings.news_feeds)
    digest = NewsReader().latest(feeds, limit=limit, query=query)
    if len(digest.failures) == len(dict.fromkeys(feeds)):
        raise NewsError("; ".join(f.error for f in digest.failures))
    for failure in digest.failures:
        err.print(Text(f"warning: {failure.error}"), soft_wrap=True)
    if as_json:
        typer.echo(json.dumps(digest.to_json(), indent=1))
    else:
        _show_news(digest)


def _show_results(found: SearchResults) -> None:
    if not found.results:
        out.print(Text(f"No results for {found.query!r}."), soft_wrap=True)
    for n, r in enumerate(found.results, 1):
        out.print(Text(f"{n}. {r.title or '(no title)'}", style="bold"), soft_wrap=True)
        out.print(Text(f"   {r.url}"), soft_wrap=True)
        if r.content:
            out.print(Text(f"   {r.content}"), soft_wrap=True)
        out.print(Text(f"   via {r.engine}", style="dim"), soft_wrap=True)
    if found.unresponsive:
        err.print(Text(f"warning: no answer from {', '.join(found.unresponsive)}"), soft_wrap=True)


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help=f"What to look for (≤ {MAX_QUERY_CHARS} chars).")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=50, help="Most results.")] = 10,
    categories: Annotated[
        str | None,
        typer.Option("--categories", help="SearxNG categories, comma-separated (general, news)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Search the web through a SearxNG instance ($REXOS_SEARX_URL): titles, URLs, snippets."""
    from rexos.search import SearxClient

    c: CliContext = ctx.obj
    found = SearxClient(c.settings.searx_url).search(query, limit=limit, categories=categories)
    if as_json:
        typer.echo(json.dumps(found.to_json(), indent=1))
    else:
        _show_results(found)


def register(app: typer.Typer) -> None:
    """Attach ``news`` and ``search`` to the top-level app."""
    app.command("news")(news)
    app.command("search")(search)
