"""``rexos social search QUERY`` and ``rexos social feed ACCOUNT``: public Bluesky posts.

Everything shown is third-party text: printed as plain text (never as Rich markup), each post
with its URL. ``--token SYM`` keeps the posts whose text mentions one of the symbols (read by
the Ticker agent over the token lists and the devnet's tokens) and shows the words that did.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.text import Text

from rexos.bounds import MAX_QUERY_CHARS, MAX_SOCIAL_POSTS
from rexos.cli.console import out
from rexos.cli.context import CliContext
from rexos.cli.group import Group

if TYPE_CHECKING:
    from rexos.plugins.mentions import HeldMention
    from rexos.social import SocialPost

__all__ = ["app"]

app = typer.Typer(
    cls=Group,
    rich_markup_mode=None,
    help="Public social posts (Bluesky), matched to tokens.",
    no_args_is_help=True,
)

LimitOpt = Annotated[
    int, typer.Option("--limit", min=1, max=MAX_SOCIAL_POSTS, help="Most posts asked for.")
]
TokenOpt = Annotated[
    list[str] | None,
    typer.Option("--token", help="Only posts that mention this token symbol; repeatable."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the posts as JSON.")]


def _show(rows: list[tuple[SocialPost, tuple[HeldMention, ...]]], asked: str) -> None:
    if not rows:
        out.print(Text(f"No posts for {asked!r}."), soft_wrap=True)
    for post, mentions in rows:
        when = post.created_at.strftime("%Y-%m-%d %H:%M UTC") if post.created_at else "undated"
        name = f"{post.author_name} (@{post.author})" if post.author_name else f"@{post.author}"
        out.print(Text(name, style="bold"), soft_wrap=True)
        counts = " · ".join(
            f"{n} {what}"
            for n, what in ((post.likes, "likes"), (post.reposts, "reposts"))
            if n is not None
        )
        out.print(Text(f"  {when}" + (f" · {counts}" if counts else ""), style="dim"))
        out.print(Text(f"  {post.text}"), soft_wrap=True)
        out.print(Text(f"  {post.url}"), soft_wrap=True)
        if mentions:
            said = ", ".join(f"{m.text!r} → {m.symbol}" for m in mentions)
            out.print(Text(f"  mentions: {said}", style="dim"), soft_wrap=True)
        out.print()


def _report(
    c: CliContext, posts: tuple[SocialPost, ...], tokens: list[str] | None
) -> list[tuple[SocialPost, tuple[HeldMention, ...]]]:
    if not tokens:
        return [(post, ()) for post in posts]
    from rexos.agents.ticker import TickerExtractor
    from rexos.cli.ticker import build_db
    from rexos.plugins.builtin.social import token_matches

    ticker = TickerExtractor(build_db(c.settings))
    return [(m.item, m.mentions) for m in token_matches(posts, tokens, ticker)]


def _print(
    rows: list[tuple[SocialPost, tuple[HeldMention, ...]]], asked: str, as_json: bool
) -> None:
    if as_json:
        doc = {
            "asked": asked,
            "posts": [
                {**post.to_json(), "mentions": [m.to_json() for m in mentions]}
                for post, mentions in rows
            ],
        }
        typer.echo(json.dumps(doc, indent=1, ensure_ascii=False))
    else:
        _show(rows, asked)


@app.command("search")
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help=f"What to look for (≤ {MAX_QUERY_CHARS} chars).")],
    limit: LimitOpt = 25,
    sort: Annotated[
        str, typer.Option("--sort", help="latest (newest first) or top (most engaged).")
    ] = "latest",
    token: TokenOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Search public Bluesky posts ($REXOS_BLUESKY_URL; logs in with $REXOS_BLUESKY_HANDLE and
    $REXOS_BLUESKY_APP_PASSWORD where set): author, time, text, URL, likes and reposts."""
    from rexos.errors import UsageError
    from rexos.plugins.builtin.social import client

    if sort not in ("latest", "top"):
        raise UsageError(f"--sort is latest or top, got {sort!r}")
    order: Literal["latest", "top"] = "top" if sort == "top" else "latest"
    c: CliContext = ctx.obj
    found = client(c.settings).search(query, limit=limit, sort=order)
    _print(_report(c, found.posts, token), found.asked, as_json)


@app.command("feed")
def feed(
    ctx: typer.Context,
    account: Annotated[str, typer.Argument(help="A Bluesky handle (alice.bsky.social) or DID.")],
    limit: LimitOpt = 25,
    token: TokenOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """An account's newest public posts and reposts (no login needed)."""
    from rexos.plugins.builtin.social import client

    c: CliContext = ctx.obj
    found = client(c.settings).author_feed(account, limit=limit)
    _print(_report(c, found.posts, token), found.asked, as_json)
