"""The page layout every web page of RexOS shares: header navigation, main, footer.

A page is :func:`page` around its own main content. The footer says that what the pages
show is information, not advice, and which version served them; with a session it holds
the log-out button (a POST carrying the session's CSRF token).
"""

from __future__ import annotations

from dataclasses import dataclass

from rexos import __version__
from rexos.web.html import Html, join, render, tag

__all__ = ["NAV", "NavItem", "hidden_csrf", "page"]


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    href: str
    key: str
    """What a page passes as ``current`` to be marked as the page the user is on."""


NAV: tuple[NavItem, ...] = (
    NavItem("Lense", "/lense", "lense"),
    NavItem("Studio", "/studio", "studio"),
    NavItem("Market", "/market", "market"),
    NavItem("Airdrop", "/airdrop", "airdrop"),
)
"""The header's links, in order; a new page adds its item here."""


def hidden_csrf(csrf: str) -> Html:
    """The hidden form field that carries the session's CSRF token in every POST."""
    return Html(f'<input type="hidden" name="csrf" value="{join([csrf])}">')


def _nav(current: str) -> Html:
    items = []
    for item in NAV:
        here = "page" if item.key == current else None
        items.append(tag("li", tag("a", item.label, href=item.href, aria_current=here)))
    return join(items)


def _account(csrf: str | None) -> Html:
    if csrf is None:
        return Html("")
    button = Html('<button type="submit" class="outline secondary">Log out</button>')
    form = tag("form", join([hidden_csrf(csrf), button]), method="post", action="/logout",
               class_="logout")  # fmt: skip
    return form


def page(title: str, main: Html, *, current: str = "", csrf: str | None = None) -> str:
    """A whole HTML document: ``main`` inside the layout, titled ``title`` (escaped);
    ``csrf`` (a logged-in session's token) adds the log-out button."""
    return str(render("layout.html", title=title, nav=_nav(current), main=main,
                      version=__version__, account=_account(csrf)))  # fmt: skip
