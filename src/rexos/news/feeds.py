"""Read several RSS/Atom feeds: fetch each over HTTP, parse, merge, filter."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rexos.errors import UsageError
from rexos.news.errors import NewsError
from rexos.news.items import NewsItem, merge_items
from rexos.news.parse import parse_feed
from rexos.outside_http import OutsideHttp, Transport, check_http_url

__all__ = ["FeedFailure", "NewsDigest", "NewsReader"]

_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9"


@dataclass(frozen=True, slots=True)
class FeedFailure:
    """A feed that could not be read, and why."""

    feed: str
    error: str


@dataclass(frozen=True, slots=True)
class NewsDigest:
    """Merged items of several feeds, newest first, and the feeds that failed."""

    items: tuple[NewsItem, ...]
    failures: tuple[FeedFailure, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "items": [i.to_json() for i in self.items],
            "failures": [{"feed": f.feed, "error": f.error} for f in self.failures],
        }


class NewsReader:
    """Fetches feeds with a timeout and retries; ``transport`` replaces the network in tests."""

    def __init__(
        self,
        *,
        timeout_s: float = 10.0,
        max_retries: int = 2,
        backoff_s: float = 0.5,
        transport: Transport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = OutsideHttp(
            "news",
            NewsError,
            timeout_s=timeout_s,
            max_retries=max(0, max_retries),
            backoff_s=backoff_s,
            accept=_ACCEPT,
            follow_redirects=True,
            transport=transport,
            sleep=sleep,
        )

    def feed(self, url: str) -> list[NewsItem]:
        """The items of one feed, in the feed's order; :class:`NewsError` on any failure."""
        url = check_http_url(url, "a feed")
        fetched = self._http.request("GET", url, source=f"feed {url}")
        _, items = parse_feed(fetched.body, url, fetched.content_type or "application/xml")
        return items

    def latest(
        self, feeds: Sequence[str], *, limit: int = 20, query: str | None = None
    ) -> NewsDigest:
        """The newest ``limit`` distinct items of ``feeds`` (the first feed wins a duplicate).

        ``query`` keeps the items whose title or summary contains every one of its words
        (case-insensitive). A feed that fails is listed in ``failures``; the others still count.
        """
        if not feeds:
            raise UsageError("no news feeds given")
        if limit < 1:
            raise UsageError(f"limit must be at least 1, got {limit}")
        items: list[NewsItem] = []
        failures: list[FeedFailure] = []
        for url in dict.fromkeys(feeds):
            try:
                items.extend(self.feed(url))
            except NewsError as exc:
                failures.append(FeedFailure(url, str(exc)))
        if query is not None:
            words = query.casefold().split()
            items = [
                i for i in items if all(w in f"{i.title} {i.summary}".casefold() for w in words)
            ]
        return NewsDigest(tuple(merge_items(items, limit)), tuple(failures))
