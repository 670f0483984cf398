"""The Lense page: a wallet's report inside the layout, and a question form beside it.

The report's HTML comes from :meth:`rexos.lense.build.LenseReport.html`, which escapes
every third-party text it shows (token names, news titles); it is placed as it is, and the
page's Content-Security-Policy (no inline script) keeps anything that slipped through
inert. The answer to a question is rendered by the server (the form works without
JavaScript) with the facts it cites: id, value, source and time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rexos.web.html import Html, escape, join, render, tag
from rexos.web.layout import hidden_csrf, page

__all__ = [
    "SUGGESTIONS",
    "AnswerView",
    "Cited",
    "address_page",
    "error_page",
    "lense_page",
    "login_page",
    "report_body",
]

SUGGESTIONS = (
    "What's my biggest position?",
    "How risky is my wallet?",
    "Why is my portfolio down this week?",
)
"""Questions offered as one-click buttons under the form."""


@dataclass(frozen=True, slots=True)
class Cited:
    """A fact an answer rests on."""

    id: str
    value: str
    source: str
    as_of: str


@dataclass(frozen=True, slots=True)
class AnswerView:
    question: str
    text: str
    known: bool
    cited: tuple[Cited, ...] = field(default_factory=tuple)
    value: str | None = None
    """The answer's one figure (as the facts' JSON writes it), when it has one."""
    kind: str = "unknown"
    """What the question was about (``holding``, ``risk``, ...)."""
    narrative: str | None = None
    """A model's wording of the cited facts, when a model is configured."""


_BODY = re.compile(r"<body[^>]*>(.*)</body\s*>", re.IGNORECASE | re.DOTALL)


def report_body(report_html: str) -> Html:
    """The part of a report to place in the page: the inside of its ``<body>`` when it is a
    whole document, else all of it."""
    found = _BODY.search(report_html)
    return Html(found.group(1) if found else report_html)


def _suggestions(address: str, csrf: str) -> Html:
    forms = []
    for question in SUGGESTIONS:
        fields = join([hidden_csrf(csrf),
                       Html(f'<input type="hidden" name="question" value="{escape(question)}">'),
                       tag("button", question, type="submit", class_="outline")])  # fmt: skip
        forms.append(tag("form", fields, method="post", action=f"/lense/{address}/ask",
                         data_enhance="answer"))  # fmt: skip
    return join(forms)


def _item(fact: Cited) -> Html:
    where = tag("small", f"{fact.source} · {fact.as_of}")
    return tag("li", join([tag("strong", fact.value), Html(" "), tag("code", fact.id),
                           Html("<br>"), where]))  # fmt: skip


def _answer(answer: AnswerView | None) -> Html:
    if answer is None:
        return Html("")
    parts = [tag("p", answer.question, class_="question"),
             tag("p", answer.text, class_="text" if answer.known else "text unknown",
                 data_testid="answer-text")]  # fmt: skip
    if answer.narrative:
        parts.append(tag("p", answer.narrative, class_="narrative"))
    if answer.cited:
        items = tag("ul", join(_item(c) for c in answer.cited), class_="cited")
        summary = tag("summary", f"Cited facts ({len(answer.cited)})")
        parts.append(tag("details", join([summary, items]), open=True))
    return tag("article", join(parts), class_="answer")


def lense_page(
    address: str,
    report_html: str,
    csrf: str,
    *,
    answer: AnswerView | None = None,
    question: str = "",
) -> str:
    """The Lense page of ``address``: its report, the question form (``question`` filled
    in) and ``answer`` when one was asked."""
    main = render(
        "lense.html",
        address=address,
        report=report_body(report_html),
        csrf=csrf,
        question=question,
        suggestions=_suggestions(address, csrf),
        answer=_answer(answer),
    )
    return page(f"Lense {address[:6]}…{address[-4:]}", main, current="lense", csrf=csrf)


def address_page(csrf: str, *, error: str | None = None, value: str = "") -> str:
    """The Lense page without a wallet: a form asking for an address (``error`` above it)."""
    notice = tag("p", error, class_="error", role="alert") if error else Html("")
    form = Html(
        '<form method="get" action="/lense" role="search">'
        '<label for="address">Wallet address</label><fieldset role="group">'
        f'<input id="address" name="address" placeholder="0x…" value="{escape(value)}" '
        'autocomplete="off" spellcheck="false" required>'
        '<button type="submit">Open report</button></fieldset></form>'
    )
    main = tag("article", join([tag("h1", "Lense"), notice, form]))
    return page("Lense", main, current="lense", csrf=csrf)


def error_page(title: str, message: str, csrf: str | None = None) -> str:
    """A page that says what went wrong, in one line."""
    main = tag("article", join([tag("h1", title), tag("p", message, class_="error")]))
    return page(title, main, csrf=csrf)


def login_page(next_path: str, message: str | None = None) -> str:
    """The log-in form: paste the API token (``next_path``: where to go after)."""
    notice = tag("p", message, class_="error", role="alert") if message else Html("")
    return page("Log in", render("login.html", next=next_path, message=notice))
