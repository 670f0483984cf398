"""Web search through a SearxNG instance (``REXOS_SEARX_URL``), results as plain text.

Every result carries its URL; titles and snippets are third-party text, made plain and
capped but never rewritten, and tools that return them are declared ``untrusted``.
"""

from rexos.search.searx import (
    MAX_QUERY_CHARS,
    SearchError,
    SearchResult,
    SearchResults,
    SearxClient,
)

__all__ = ["MAX_QUERY_CHARS", "SearchError", "SearchResult", "SearchResults", "SearxClient"]
