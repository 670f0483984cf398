"""The Agent Market pages: amounts in REX for people, the price-weighted rating, escaping,
and the routes without a market to read (a real market is read in tests/browser)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from rexos.api.app import create_app
from rexos.api.guard import GuardPolicy
from rexos.api.web_session import WebSessions
from rexos.market.views import ListingView, VersionView
from rexos.types import parse_address
from rexos.web.market_page import listing_page, market_page, no_market_page, rating, rex
from tests.unit.api.fake_lense import WALLET, FakeLense

OWNER = parse_address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
OPERATOR = parse_address("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
EVIL = "<script>alert('x')</script>\"&"
PORT = 8793
BASE = f"http://127.0.0.1:{PORT}"


def _version(index: int, *, ratings: int = 0, weight: int = 0, score: int = 0) -> VersionView:
    return VersionView(bytes([index + 1]) * 32, 7, index, jobs=3, settled=2,
                       settled_value=2 * 10**18 + 5, ratings=ratings, rating_weight=weight,
                       weighted_score=score)  # fmt: skip


LISTING = ListingView(7, OWNER, OPERATOR, price=1_500_000_000_000_000_000, versions=2,
                      listed=True, settled_value=12_345_678_900_000_000_000_000,
                      developer_due=10**18 // 3)  # fmt: skip


def test_amounts_are_rex_token_units_rounded_down() -> None:
    assert rex(1_500_000_000_000_000_000) == "1.5000 REX"
    assert rex(12_345_678_900_000_000_000_000) == "12,345.6789 REX"
    assert rex(10**18 // 3) == "0.3333 REX"
    assert rex(0) == "0.0000 REX"


def test_the_rating_is_weighted_by_what_raters_paid() -> None:
    assert rating(_version(0)) == "no rating"
    # one rater paid 3 REX and gave 5, another paid 1 REX and gave 1: (15 + 1) / 4 = 4
    paid = 10**18
    assert (
        rating(_version(0, ratings=2, weight=4 * paid, score=16 * paid)) == "4.00 / 5 (2 ratings)"
    )
    assert rating(_version(0, ratings=1, weight=3, score=14)) == "4.66 / 5 (1 rating)"


def test_the_listings_page_shows_each_listing_and_its_latest_version() -> None:
    latest = _version(1, ratings=1, weight=3, score=15)
    html = market_page([(LISTING, latest)], "c1")
    row = re.search(r'<tr data-listing="7">(.*?)</tr>', html, re.DOTALL)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.DOTALL)
    assert cells == [
        '<a href="/market/7">7</a>',
        f'<code class="hash">0x{"02" * 32}</code>',
        f'<code class="hash">{OWNER}</code>',
        "1.5000 REX",
        "2",
        "12,345.6789 REX",
        "5.00 / 5 (1 rating)",
        "open",
    ]
    assert 'name="csrf" value="c1"' in html  # the log-out form
    empty = market_page([], "c1")
    assert 'data-testid="no-listings"' in empty and "rexos market publish" in empty


def test_a_listing_page_shows_every_versions_totals() -> None:
    versions = [_version(0), _version(1, ratings=2, weight=10, score=35)]
    html = listing_page(LISTING, versions, "c1")
    for v in versions:
        row = re.search(rf'<tr data-version="{v.index}">(.*?)</tr>', html, re.DOTALL)
        assert row is not None
        assert f"0x{v.spec_hash.hex()}" in row.group(1) and "2.0000 REX" in row.group(1)
    assert "3.50 / 5 (2 ratings)" in html and "no rating" in html
    assert 'data-testid="price">1.5000 REX<' in html
    assert OPERATOR in html and "0.3333 REX" in html
    assert "rexos market buy 7 --wallet YOUR_WALLET" in html
    delisted = listing_page(ListingView(7, OWNER, OPERATOR, 1, 1, False, 0, 0), [], "c1")
    assert "delisted (open jobs can still settle)" in delisted


def test_a_message_is_escaped() -> None:
    html = no_market_page(EVIL, EVIL)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&quot;&amp;" in html


@pytest.fixture
def client() -> Iterator[TestClient]:
    sessions = WebSessions(PORT)
    app = create_app(None, GuardPolicy.build("m" * 43, PORT), lense=FakeLense(), web=sessions,
                     home=WALLET)  # fmt: skip
    with TestClient(app, base_url=BASE, follow_redirects=False) as c:
        assert c.get("/market").headers["location"] == "/login?next=/market"
        assert c.get(f"/login?code={sessions.new_code()}").status_code == 303
        yield c


def test_without_a_market_the_pages_say_so(client: TestClient) -> None:
    got = client.get("/market")
    assert got.status_code == 503 and "This server reads no Agent Market" in got.text
    assert client.get("/market/1").status_code == 503
