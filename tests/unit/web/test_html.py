"""Safe HTML building: plain strings are escaped wherever they are placed."""

from __future__ import annotations

import pytest

from rexos.web.html import Html, attrs, escape, join, render, tag
from rexos.web.layout import NAV, page
from rexos.web.lense_page import AnswerView, Cited, lense_page, report_body

EVIL = "<script>alert('x')</script>\"&"


def test_plain_text_is_escaped_and_html_is_kept() -> None:
    assert escape(EVIL) == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&quot;&amp;"
    assert escape(Html("<b>ok</b>")) == "<b>ok</b>"
    assert join(["<i>", Html("<br>")]) == "&lt;i&gt;<br>"


def test_attributes_and_tags_escape_their_values() -> None:
    assert attrs({"title": EVIL, "hidden": True, "gone": None, "off": False}) == (
        ' title="&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&quot;&amp;" hidden'
    )
    assert tag("p", EVIL, class_="a", aria_live="polite") == (
        '<p class="a" aria-live="polite">&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;'
        "&quot;&amp;</p>"
    )


def test_a_template_needs_every_value() -> None:
    with pytest.raises(KeyError):
        render("login.html", next="/")


def test_the_layout_has_the_nav_the_note_and_the_version() -> None:
    from rexos import __version__

    html = page(EVIL, Html("<p>main</p>"), current="lense", csrf="c1")
    assert "<title>&lt;script&gt;" in html and "<script>alert" not in html
    assert '<a href="/lense" aria-current="page">Lense</a>' in html
    assert "Information, not advice." in html and f"RexOS {__version__}" in html
    assert 'name="csrf" value="c1"' in html and len(NAV) >= 1
    assert "Log out" not in page("t", Html(""))  # no session, no log-out button


def test_a_whole_report_document_gives_its_body() -> None:
    assert report_body("<html><body class=x>\n<h2>H</h2></BODY></html>") == "\n<h2>H</h2>"
    assert report_body("<section>s</section>") == "<section>s</section>"


def test_the_answer_shows_the_cited_facts() -> None:
    cited = (Cited("net_worth.usd", "$1.00", "sum <of> things", "2026-12-07T03:00:00Z"),)
    answer = AnswerView(EVIL, "Net worth is $1.00.", True, cited, "$1.00")
    html = lense_page("0xabc", "<p>r</p>", "tok", question=EVIL, answer=answer)
    assert "Net worth is $1.00." in html and "<code>net_worth.usd</code>" in html
    assert "sum &lt;of&gt; things" in html and "<script>alert" not in html
