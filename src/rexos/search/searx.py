"""A SearxNG client: ``GET /search?q=…&format=json``.

Documented answer shape: ``{"query", "results": [{"url", "title", "content", "engine",
"engines", ...}], "unresponsive_engines": [[engine, reason], ...], ...}``. The instance must
list ``json`` under ``search.formats`` in its ``settings.yml``; otherwise it answers 403.
Titles and snippets are third-party text: made plain and capped, kept word for word.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from rexos import bounds
from rexos.errors import RexosError, UsageError
from rexos.jsonread import JsonReader
from rexos.news import SNIPPET_CHARS, TITLE_CHARS, plain_text
from rexos.outside_http import OutsideHttp, Transport, check_http_url

__all__ = ["MAX_QUERY_CHARS", "SearchError", "SearchResult", "SearchResults", "SearxClient"]

MAX_QUERY_CHARS = bounds.MAX_QUERY_CHARS
"""Longest query sent."""


class SearchError(RexosError):
    """The search engine could not be reached or answered something unusable."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One hit: page title, its http(s) URL, the snippet, and the engine that found it."""

    title: str
    url: str
    content: str
    engine: str

    def to_json(self) -> dict[str, str]:
        return {
            "title": self.title,
            "url": self.url,
            "content": self.content,
            "engine": self.engine,
        }


@dataclass(frozen=True, slots=True)
class SearchResults:
    """What the instance found for ``query``; ``unresponsive`` names engines that failed."""

    query: str
    results: tuple[SearchResult, ...]
    unresponsive: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "query": self.query,
            "results": [r.to_json() for r in self.results],
            "unresponsive": list(self.unresponsive),
        }


class SearxClient:
    """Searches one SearxNG instance with a timeout and retries on 429/5xx."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8888",
        *,
        timeout_s: float = 10.0,
        max_retries: int = 2,
        backoff_s: float = 0.5,
        transport: Transport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = check_http_url(base_url, "the SearxNG URL").rstrip("/")
        self._http = OutsideHttp(
            "SearxNG",
            SearchError,
            timeout_s=timeout_s,
            max_retries=max(0, max_retries),
            backoff_s=backoff_s,
            follow_redirects=True,
            transport=transport,
            sleep=sleep,
            hints={403: "does the instance list json under search.formats in settings.yml?"},
        )

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        categories: str | None = None,
        language: str | None = None,
    ) -> SearchResults:
        """The first ``limit`` distinct results for ``query`` (results with no http(s) URL
        are dropped)."""
        query = " ".join(query.split())
        if not query:
            raise UsageError("the search query is empty")
        if len(query) > MAX_QUERY_CHARS:
            raise UsageError(f"the search query is longer than {MAX_QUERY_CHARS} characters")
        if limit < 1:
            raise UsageError(f"limit must be at least 1, got {limit}")
        params = {"q": query, "format": "json"}
        if categories:
            params["categories"] = categories
        if language:
            params["language"] = language
        body: Any = self._http.request_json("GET", f"{self.base_url}/search", params=params)
        return _results(query, body, limit)


def _results(query: str, body: Any, limit: int) -> SearchResults:
    read = JsonReader("SearxNG", SearchError)
    rows = read.array(read.field(body, "results"), "results")
    seen: set[str] = set()
    results: list[SearchResult] = []
    for n, row in enumerate(rows):
        if len(results) >= limit:
            break
        url = read.field(row, "url")
        if not isinstance(url, str):
            raise read.fail(f"results.{n}.url is not a string")
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or url in seen:
            continue
        seen.add(url)
        results.append(
            SearchResult(
                title=plain_text(_text(row, "title"), TITLE_CHARS),
                url=url,
                content=plain_text(_text(row, "content"), SNIPPET_CHARS),
                engine=plain_text(_text(row, "engine"), 60),
            )
        )
    unresponsive = body.get("unresponsive_engines") or []
    names = tuple(plain_text(str(e[0]), 60) for e in unresponsive if isinstance(e, list) and e)
    return SearchResults(query, tuple(results), names)


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return value if isinstance(value, str) else ""
