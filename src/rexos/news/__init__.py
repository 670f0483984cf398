"""News from RSS and Atom feeds, as plain-text items that carry their source URL.

:class:`NewsReader` fetches feeds over HTTP (timeout, retries on 429/5xx, a size cap),
:func:`parse_feed` turns a document into :class:`NewsItem` (through feedparser), and
:func:`merge_items` drops duplicates across feeds. Item text is third-party data: tags,
scripts and control characters are removed and lengths capped, but the words are kept as
written — an item that says "ignore previous instructions" is still just a news item.
"""

from rexos.news.errors import NewsError
from rexos.news.feeds import FeedFailure, NewsDigest, NewsReader
from rexos.news.items import NewsItem, merge_items
from rexos.news.parse import parse_feed
from rexos.news.text import SNIPPET_CHARS, TITLE_CHARS, plain_text

__all__ = [
    "SNIPPET_CHARS",
    "TITLE_CHARS",
    "FeedFailure",
    "NewsDigest",
    "NewsError",
    "NewsItem",
    "NewsReader",
    "merge_items",
    "parse_feed",
    "plain_text",
]
