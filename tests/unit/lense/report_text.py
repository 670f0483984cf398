"""Reading a report back as a person would: the text of the HTML page and of the PDF.

The PDF reader here is independent of the writer's code: it parses the document's objects,
inflates each content stream and collects the strings shown by ``Tj`` (decoding PDF string
escapes and WinAnsi), one line per ``Tj``.
"""

from __future__ import annotations

import re
import zlib
from html.parser import HTMLParser

NUMBER = re.compile(r"\d(?:[\d,]*\d)?(?:\.\d+)?")


class _Text(HTMLParser):
    """Visible text, and the text inside each ``data-fact`` element by fact id."""

    def __init__(self) -> None:
        super().__init__()
        self.outside: list[str] = []
        self.facts: list[tuple[str, str]] = []
        self._stack: list[str | None] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "title"):
            self._skip += 1
        fact = dict(attrs).get("data-fact")
        if tag in ("meta", "img", "br"):
            return
        self._stack.append(fact)
        if fact is not None:
            self.facts.append((fact, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._skip -= 1
        if tag not in ("meta", "img", "br") and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if any(f is not None for f in self._stack):
            fact_id, text = self.facts[-1]
            self.facts[-1] = (fact_id, text + data)
        else:
            self.outside.append(data)


def html_text(html: str) -> tuple[str, list[tuple[str, str]]]:
    """(the visible text outside facts, [(fact id, its text)]) of a page."""
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.outside), parser.facts


def _unescape(raw: bytes) -> str:
    out = bytearray()
    k = 0
    while k < len(raw):
        byte = raw[k]
        if byte == 0x5C:
            nxt = raw[k + 1 : k + 4]
            octal = re.match(rb"[0-7]{1,3}", nxt)
            if octal:
                out.append(int(octal.group(), 8))
                k += 1 + len(octal.group())
                continue
            out.append({ord("n"): 10, ord("r"): 13, ord("t"): 9}.get(raw[k + 1], raw[k + 1]))
            k += 2
            continue
        out.append(byte)
        k += 1
    return out.decode("cp1252", errors="replace")


def pdf_lines(pdf: bytes) -> list[str]:
    """Every ``Tj`` string of every content stream, in order."""
    lines: list[str] = []
    for match in re.finditer(rb"<<([^>]*?)/Filter /FlateDecode\s*>>\nstream\n", pdf):
        if b"/Subtype /Image" in match.group(1):
            continue
        length = int(re.search(rb"/Length (\d+)", match.group(1)).group(1))  # type: ignore[union-attr]
        data = zlib.decompress(pdf[match.end() : match.end() + length])
        for text in re.finditer(rb"\(((?:\\.|[^\\)])*)\) Tj", data):
            lines.append(_unescape(text.group(1)))
    return lines
