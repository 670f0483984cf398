"""``rexos lense ADDRESS`` and ``rexos lense ask ADDRESS "QUESTION"``: a wallet's report.

``ADDRESS`` is a ``0x`` address or a keystore wallet name. The report reads every configured
chain (the devnet's two), checks prices, computes performance and risks, and says what
changed since the last report on that address (its facts are kept in the data directory,
``lense/<address>.facts.json``). Text goes to stdout in token units; ``--json`` prints the
facts with amounts in base units (and says so); ``--html``/``--pdf`` write the report with
``facts.json`` beside it. Progress goes to stderr.

Only the chains are read unless asked: ``--feed`` adds the CoinGecko-compatible price feed,
``--news`` the configured news feeds, ``--social`` a Bluesky search for the most valuable
holdings' symbols (:func:`rexos.lense.build.build_report`'s ``search_social``). A feed or
search that fails is one line on stderr; the report is built without it. News and posts are
third-party text: quoted and matched to holdings, never followed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from rexos.cli.console import err
from rexos.cli.context import CliContext
from rexos.cli.group import Group
from rexos.cli.options import PassphraseEnv, PassphraseFile, YesOpt
from rexos.errors import UsageError

if TYPE_CHECKING:
    from rexos.lense.build import SocialSearch
    from rexos.lense.report import LenseReport
    from rexos.news import NewsItem
    from rexos.social import SocialPost

__all__ = ["app"]

MAX_QUESTION_CHARS = 500


class _LenseGroup(Group):
    """``rexos lense ADDRESS …`` runs ``report``: a first argument that is no subcommand is
    the address."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["report", *args]
        parsed: list[str] = super().parse_args(ctx, args)
        return parsed


app = typer.Typer(
    cls=_LenseGroup,
    rich_markup_mode=None,
    help="Lense: a wallet's assets, checked prices, performance, news and risks as a report "
    "where every number is a fact with its source; questions answered from those facts.\n\n"
    "rexos lense ADDRESS [--html F] [--pdf F] [--json] [--fresh] [--feed] [--news] [--social]"
    "\n\n"
    'rexos lense ask ADDRESS "QUESTION"',
    no_args_is_help=True,
)

AddressArg = Annotated[str, typer.Argument(help="A 0x address or a keystore wallet name.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (amounts in base units).")]
FreshOpt = Annotated[
    bool, typer.Option("--fresh", help="Neither compare with nor keep as the last report.")
]
FeedOpt = Annotated[
    bool, typer.Option("--feed", help="Add the CoinGecko-compatible price feed (network).")
]
NewsOpt = Annotated[
    bool,
    typer.Option("--news", help="Read the configured news feeds and match them (network)."),
]
SocialOpt = Annotated[
    bool,
    typer.Option(
        "--social",
        help="Search public Bluesky posts for the most valuable holdings' symbols and match "
        "them ($REXOS_BLUESKY_URL; logs in with $REXOS_BLUESKY_HANDLE and "
        "$REXOS_BLUESKY_APP_PASSWORD where set; network).",
    ),
]
SOCIAL_POSTS_PER_SYMBOL = 25


def _progress(step: str) -> None:
    err.print(f"lense: {step}…", style="dim", soft_wrap=True)


def _news(c: CliContext) -> list[NewsItem]:
    from rexos.news import NewsReader

    _progress("reading the news feeds")
    digest = NewsReader().latest(list(c.settings.news_feeds), limit=50)
    for failure in digest.failures:
        err.print(f"lense: feed skipped: {failure.feed}: {failure.error}", soft_wrap=True)
    return list(digest.items)


def _social(c: CliContext) -> SocialSearch:
    """A Bluesky search for each symbol; a failed search is one line on stderr and ends the
    search (the posts found so far are kept)."""
    from rexos.plugins.builtin.social import client
    from rexos.social import SocialError

    bluesky = client(c.settings)

    def search(symbols: Sequence[str]) -> list[SocialPost]:
        posts: dict[str, SocialPost] = {}
        for symbol in symbols:
            try:
                found = bluesky.search(symbol, limit=SOCIAL_POSTS_PER_SYMBOL)
            except SocialError as exc:
                err.print(Text(f"lense: social posts skipped: {exc}"), soft_wrap=True)
                break
            for post in found.posts:
                posts.setdefault(post.url, post)
        return list(posts.values())

    return search


def _build(
    c: CliContext, who: str, fresh: bool, feed: bool, news: bool = False, social: bool = False
) -> tuple[str, LenseReport]:
    from rexos.lense.build import build_report
    from rexos.lense.history import load_previous, save_facts

    address = str(c.address_of(who))
    previous = None if fresh else load_previous(c.settings.home, address)
    search = _social(c) if social else None
    items = _news(c) if news else []
    report = build_report(c, address, previous=previous, feed=feed, news=items,
                          search_social=search, progress=_progress)  # fmt: skip
    if not fresh:
        save_facts(c.settings.home, address, report.facts)
    return address, report


def _check_out(path: Path | None, suffix: str) -> None:
    if path is not None and path.suffix.lower() != suffix:
        raise UsageError(f"{path} should end in {suffix}")
    if path is not None and not path.parent.is_dir():
        raise UsageError(f"no such folder: {path.parent}")


@app.command("report")
def report(
    ctx: typer.Context,
    who: AddressArg,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write the report as HTML.", show_default=False)
    ] = None,
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="Write the report as PDF.", show_default=False)
    ] = None,
    as_json: JsonOpt = False,
    fresh: FreshOpt = False,
    feed: FeedOpt = False,
    news: NewsOpt = False,
    social: SocialOpt = False,
    pay_with: Annotated[
        str | None,
        typer.Option(
            "--pay-with",
            help="Pay the report (the FeeRouter's lense.report) first, from --wallet: points, "
            "REX (at the discount, TWAP-priced) or a stablecoin symbol. Default: not charged.",
            show_default=False,
        ),
    ] = None,
    wallet: Annotated[
        str | None,
        typer.Option(
            "--wallet", "-w", help="The wallet that pays (with --pay-with).", show_default=False
        ),
    ] = None,
    yes: YesOpt = False,
    passphrase_file: PassphraseFile = None,
    passphrase_env: PassphraseEnv = None,
) -> None:
    """A wallet's report: holdings, prices and their sources, performance, news and social
    posts about the holdings, risks and what changed; information, not advice. Without
    --feed, --news or --social it reads only the chains (no outside network)."""
    _check_out(html, ".html")
    _check_out(pdf, ".pdf")
    c: CliContext = ctx.obj
    if pay_with is not None:
        if wallet is None:
            raise UsageError("--pay-with needs --wallet: the wallet that pays for the report")
        from rexos.cli.fees import service_fee

        fee = service_fee(c, "lense.report", pay_with)
        paid, _ = fee.pay(c.gateway(wallet, passphrase_file, passphrase_env, yes))
        err.print(f"lense: paid the report with {fee.text(paid)}", soft_wrap=True)
    _, built = _build(c, who, fresh, feed, news, social)
    if html is not None or pdf is not None:
        _progress("drawing the charts and writing the files")
        for path in built.write(html=html, pdf=pdf):
            err.print(f"lense: wrote {path}", soft_wrap=True)
    if as_json:
        typer.echo(json.dumps(built.to_json(), indent=1, ensure_ascii=False))
    else:
        typer.echo(built.text(), nl=False)


@app.command("ask")
def ask(
    ctx: typer.Context,
    who: AddressArg,
    question: Annotated[str, typer.Argument(help="A question about the wallet, in words.")],
    as_json: JsonOpt = False,
    fresh: FreshOpt = False,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="A model id: add its wording of the cited facts (checked: "
            "dropped if it states a number that is not a fact).",
        ),
    ] = None,
) -> None:
    """Answer a question from the report's facts, citing them ("what's my biggest
    position?", "why is my portfolio down this week?", "how risky is my wallet?")."""
    from rexos.lense.qa import answer

    text = question.strip()
    if not text:
        raise UsageError("ask a question, e.g. 'what is my net worth?'")
    if len(text) > MAX_QUESTION_CHARS:
        raise UsageError(f"a question is at most {MAX_QUESTION_CHARS} characters")
    c: CliContext = ctx.obj
    llm = None
    if model is not None:
        from rexos.llm import load_model

        llm = load_model(model, c.settings)
    _, built = _build(c, who, fresh, False)
    got = answer(built.facts, text, llm=llm)
    if as_json:
        typer.echo(json.dumps(got.to_json(built.facts), indent=1, ensure_ascii=False))
        return
    if got.narrative:
        typer.echo(got.narrative)
    typer.echo(got.text)
    for fact_id in got.cited:
        fact = built.facts[fact_id]
        typer.echo(f"  [{fact_id}] {built.facts.render(fact_id)} — {fact.source}, {fact.as_of}")
