"""Reading several feeds over HTTP (recorded): merge, filter, retries and failures."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import httpx
import pytest

from rexos.errors import UsageError
from rexos.news import NewsError, NewsReader

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "news"
COINDESK = "https://coindesk.test/rss"
WIRE = "https://wire.test/atom"

Answer = tuple[int, bytes] | httpx.Response | Exception


class Feeds:
    """Answers each feed URL from a list of answers (the last one repeats)."""

    def __init__(self, answers: Mapping[str, list[Answer]]) -> None:
        self.answers = {url: list(a) for url, a in answers.items()}
        self.seen: list[httpx.Request] = []
        self.waits: list[float] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        queue = self.answers[str(request.url)]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return httpx.Response(answer[0], content=answer[1])

    def reader(self, **kwargs: int) -> NewsReader:
        return NewsReader(
            transport=httpx.MockTransport(self.handler), sleep=self.waits.append, **kwargs
        )


def ok(name: str) -> list[Answer]:
    return [(200, (FIXTURES / name).read_bytes())]


def test_several_feeds_merged_newest_first() -> None:
    feeds = Feeds({COINDESK: ok("coindesk_rss.xml"), WIRE: ok("cryptonews_atom.xml")})
    digest = feeds.reader().latest([COINDESK, WIRE, COINDESK], limit=3)
    assert [r.url.host for r in feeds.seen] == ["coindesk.test", "wire.test"]  # asked once each
    assert "application/rss+xml" in feeds.seen[0].headers["accept"]
    assert [(i.title, i.source) for i in digest.items] == [
        ("Stablecoin Supply Hits a Record $230B", WIRE),
        ("Ethereum's Pectra Upgrade Goes Live on Sepolia", COINDESK),
        ("Bitcoin ETF Inflows Top $1B in a Week", COINDESK),
    ]
    assert digest.failures == ()
    doc = digest.to_json()
    assert doc["items"][0]["published"] == "2025-03-05T11:00:00+00:00"  # type: ignore[index]


def test_a_feed_url_keeps_its_query_string_and_redirects_are_followed() -> None:
    moved, final = "https://feeds.test/rss?topic=btc&lang=en", "https://cdn.test/rss.xml"
    redirect = httpx.Response(301, headers={"Location": final})
    feeds = Feeds({moved: [redirect], final: ok("coindesk_rss.xml")})
    items = feeds.reader().feed(moved)
    assert [str(r.url) for r in feeds.seen] == [moved, final]
    assert len(items) == 4 and {i.source for i in items} == {moved}


def test_query_keeps_items_holding_every_word() -> None:
    feeds = Feeds({COINDESK: ok("coindesk_rss.xml"), WIRE: ok("cryptonews_atom.xml")})
    digest = feeds.reader().latest([COINDESK, WIRE], query="PECTRA sepolia")
    assert [i.title for i in digest.items] == ["Ethereum's Pectra Upgrade Goes Live on Sepolia"]


def test_a_failing_feed_is_reported_and_the_others_still_count() -> None:
    feeds = Feeds({COINDESK: [(500, b"")], WIRE: ok("cryptonews_atom.xml")})
    digest = feeds.reader(max_retries=2).latest([COINDESK, WIRE])
    assert len(digest.items) == 3
    assert [(f.feed, f.error) for f in digest.failures] == [
        (COINDESK, f"feed {COINDESK}: HTTP 500 after 3 tries")
    ]
    assert feeds.waits == [0.5, 1.0]


def test_500_is_retried_then_succeeds() -> None:
    feeds = Feeds({COINDESK: [(503, b""), (429, b""), *ok("coindesk_rss.xml")]})
    assert len(feeds.reader().feed(COINDESK)) == 4
    assert len(feeds.seen) == 3


@pytest.mark.parametrize(
    ("answers", "error", "tries"),
    [
        ([(404, b"")], "HTTP 404$", 1),
        ([httpx.ReadTimeout("slow")], r"timed out after 10 s after 2 tries", 2),
        ([httpx.ConnectError("no route")], r"cannot reach it \(ConnectError\) after 2 tries", 2),
        ([(200, b"<html><body>login</body></html>")], "not an RSS or Atom feed", 1),
    ],
)
def test_one_feed_fails_with_one_clear_error(answers: list[Answer], error: str, tries: int) -> None:
    feeds = Feeds({COINDESK: answers})
    with pytest.raises(NewsError, match=f"^feed {COINDESK}: {error}"):
        feeds.reader(max_retries=1).feed(COINDESK)
    assert len(feeds.seen) == tries


def test_an_oversized_answer_is_refused() -> None:
    feeds = Feeds({COINDESK: [(200, b"<rss>" + b" " * 6_000_000)]})
    with pytest.raises(NewsError, match="larger than 5000000 bytes"):
        feeds.reader().feed(COINDESK)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x.test/rss", "/etc/passwd", ""])
def test_only_http_feeds(url: str) -> None:
    feeds = Feeds({})
    with pytest.raises(UsageError, match="must be an http"):
        feeds.reader().feed(url)
    assert feeds.seen == []


def test_misuse() -> None:
    with pytest.raises(UsageError, match="no news feeds"):
        Feeds({}).reader().latest([])
    with pytest.raises(UsageError, match="limit"):
        Feeds({}).reader().latest([COINDESK], limit=0)
