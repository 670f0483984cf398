"""RSS and Atom documents into :class:`NewsItem`: the only module that imports feedparser.

The document is handed to feedparser as a stream, never as ``bytes`` or ``str``: given those,
feedparser first tries them as a URL or a local file name, so a feed whose body is
``/etc/passwd`` would be read from the disk. Titles and summaries become plain text.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import time
from typing import Any
from urllib.parse import urlsplit

import feedparser

from rexos.news.errors import NewsError
from rexos.news.items import NewsItem
from rexos.news.text import SNIPPET_CHARS, TITLE_CHARS, plain_text

__all__ = ["MAX_ENTRIES", "parse_feed"]

MAX_ENTRIES = 200
"""Most entries read from one feed."""


def parse_feed(
    data: bytes, source: str, content_type: str = "application/xml"
) -> tuple[str, list[NewsItem]]:
    """The feed's title and its items; :class:`NewsError` when ``data`` is no feed at all.

    feedparser's loose parser recovers what it can from a feed that is not well-formed XML;
    a document with no RSS or Atom root (HTML, JSON, garbage) is an error.
    """
    parsed: Any = feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-location": source, "content-type": content_type},
    )
    if not parsed.get("version") and not parsed.entries:
        why = parsed.get("bozo_exception")
        detail = f" ({type(why).__name__}: {why})" if why is not None else ""
        raise NewsError(f"feed {source}: not an RSS or Atom feed{detail}")
    feed_title = plain_text(str(parsed.feed.get("title") or ""), TITLE_CHARS) or source
    items = [_item(entry, source, feed_title) for entry in parsed.entries[:MAX_ENTRIES]]
    return feed_title, [i for i in items if i.title or i.summary]


def _item(entry: Any, source: str, feed_title: str) -> NewsItem:
    summary = entry.get("summary") or ""
    if not summary and entry.get("content"):
        summary = entry["content"][0].get("value") or ""
    return NewsItem(
        title=plain_text(str(entry.get("title") or ""), TITLE_CHARS),
        link=_http_link(entry.get("link")),
        published=_when(entry.get("published_parsed") or entry.get("updated_parsed")),
        summary=plain_text(str(summary), SNIPPET_CHARS),
        source=source,
        feed_title=feed_title,
    )


def _http_link(link: object) -> str | None:
    if not isinstance(link, str):
        return None
    link = link.strip()
    parts = urlsplit(link)
    return link if parts.scheme in ("http", "https") and parts.netloc else None


def _when(parsed: object) -> dt.datetime | None:
    if not isinstance(parsed, time.struct_time):
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC)
