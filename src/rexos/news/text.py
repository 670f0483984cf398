"""Third-party markup made plain: tags and scripts dropped, entities decoded, length capped.

Feed summaries, titles and search snippets are written by strangers. They are kept as data,
word for word, but never as markup: no tag, script, style or invisible control character
survives, and every string has a length cap so one item cannot flood a prompt or a screen.
"""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser

__all__ = ["SNIPPET_CHARS", "TITLE_CHARS", "plain_text"]

TITLE_CHARS = 300
"""Longest title kept (characters)."""

SNIPPET_CHARS = 1000
"""Longest summary or snippet kept (characters)."""

_HIDDEN = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "head"})
_BREAKS = frozenset({"br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"})


class _Text(HTMLParser):
    """Collects the text of a fragment; the content of hidden elements is dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def plain_text(markup: str, limit: int = SNIPPET_CHARS) -> str:
    """The visible text of an HTML fragment on one line, at most ``limit`` characters.

    Entities are decoded, whitespace runs become one space, control and format characters
    (zero-width, bidirectional overrides) are removed. Longer text is cut and ends with "…".
    """
    parser = _Text()
    parser.feed(markup)
    parser.close()
    text = "".join(
        " " if ch.isspace() else ch
        for ch in "".join(parser.parts)
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf")
    )
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + "…"
