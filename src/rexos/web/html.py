"""Safe HTML strings: everything is escaped unless it is already :class:`Html`.

Pages are built from templates (``rexos/web/templates/*.html``, ``$name`` placeholders)
and values. A value that is plain ``str`` (a token name, a news title, a question) is
escaped where it is placed; only :class:`Html` made by this module, or by a renderer that
escapes third-party text itself (the Lense report), goes in as it is.
"""

from __future__ import annotations

import html
import string
from collections.abc import Iterable
from functools import cache
from importlib import resources

__all__ = ["Html", "attrs", "escape", "join", "render", "row_table", "tag"]


class Html(str):
    """Markup that is safe to place as it is."""

    __slots__ = ()


def escape(value: object) -> Html:
    """``value`` as safe markup: :class:`Html` unchanged, anything else escaped (quotes too)."""
    if isinstance(value, Html):
        return value
    return Html(html.escape(str(value), quote=True))


def join(parts: Iterable[object], sep: str = "") -> Html:
    """``parts`` (each escaped unless :class:`Html`) one after the other."""
    return Html(sep.join(escape(p) for p in parts))


def attrs(values: dict[str, object | None]) -> Html:
    """`` name="value"`` pairs (escaped); ``None`` and ``False`` left out, ``True`` bare."""
    out: list[str] = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        out.append(f" {name}" if value is True else f' {name}="{escape(value)}"')
    return Html("".join(out))


def tag(name: str, content: object = "", **values: object | None) -> Html:
    """``<name attrs>content</name>``; a trailing ``_`` in an attribute name is dropped
    (``class_``), other ``_`` become ``-`` (``aria_live``)."""
    named = {k.rstrip("_").replace("_", "-"): v for k, v in values.items()}
    return Html(f"<{name}{attrs(named)}>{escape(content)}</{name}>")


@cache
def _template(name: str) -> string.Template:
    text = resources.files("rexos.web").joinpath("templates", name).read_text(encoding="utf-8")
    return string.Template(text)


def render(name: str, **values: object) -> Html:
    """The template ``name`` with each ``$key`` replaced by ``values[key]`` (escaped unless
    :class:`Html`); a missing value is a ``KeyError``."""
    return Html(_template(name).substitute({k: escape(v) for k, v in values.items()}))


def row_table(rows: Iterable[tuple[object, object]]) -> Html:
    """A two-column table of ``(label, value)`` rows, each label a row header."""
    body = join(tag("tr", join([tag("th", k, scope="row"), tag("td", v)])) for k, v in rows)
    return tag("table", tag("tbody", body))
