"""The Agent Market pages: every listing, and one listing with its versions' totals.

What they show is read from the ``AgentMarket`` contract through a :class:`MarketReader`
(:class:`rexos.market.MarketClient` is one): ids, spec hashes, owners and operators,
prices and settled value in REX (token units, rounded down for people; the chain keeps
wei), and each version's rating weighted by what its raters paid. Buying, settling and
rating sign transactions, so they stay CLI actions; the pages name the commands.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rexos.market.views import ListingView, VersionView
from rexos.types import format_units
from rexos.web.html import Html, join, render, tag
from rexos.web.layout import page

__all__ = [
    "MarketReader",
    "listing_page",
    "market_listings",
    "market_page",
    "no_market_page",
    "rating",
    "rex",
]


class MarketReader(Protocol):
    """The reads the pages need (what :class:`rexos.market.MarketClient` offers)."""

    def listings(self) -> list[ListingView]: ...

    def listing(self, listing_id: int) -> ListingView: ...

    def versions(self, listing_id: int) -> list[bytes]: ...

    def version(self, spec_hash: str | bytes) -> VersionView: ...


def market_listings(reader: MarketReader) -> list[tuple[ListingView, VersionView]]:
    """Every listing with its latest version."""
    return [(x, reader.version(reader.versions(x.listing_id)[-1])) for x in reader.listings()]


def rex(wei: int) -> str:
    """REX wei for people: token units, four decimals rounded down."""
    return f"{format_units(wei, 18, 4)} REX"


def rating(version: VersionView) -> str:
    """The price-weighted average score to two decimals (rounded down) with the number of
    ratings, or ``no rating``."""
    numerator, weight = version.average_score
    if weight == 0:
        return "no rating"
    hundredths = numerator * 100 // weight
    count = f"{version.ratings} rating" + ("s" if version.ratings != 1 else "")
    return f"{hundredths // 100}.{hundredths % 100:02d} / 5 ({count})"


def _hash(value: bytes) -> Html:
    return tag("code", "0x" + value.hex(), class_="hash")


def _head(*names: str) -> Html:
    return tag("thead", tag("tr", join(tag("th", n, scope="col") for n in names)))


def market_page(rows: Sequence[tuple[ListingView, VersionView]], csrf: str) -> str:
    """The listings page: each listing with its latest version, price, totals and rating."""
    if not rows:
        body: Html = tag("p", "No agent is listed yet: publish one with "
                              "`rexos market publish SPEC.yaml --wallet NAME`.",
                         data_testid="no-listings")  # fmt: skip
    else:
        lines = []
        for listing, latest in rows:
            ident = str(listing.listing_id)
            lines.append(tag("tr", join([
                tag("td", tag("a", ident, href=f"/market/{ident}")),
                tag("td", _hash(latest.spec_hash)),
                tag("td", tag("code", listing.owner, class_="hash")),
                tag("td", rex(listing.price), class_="amount"),
                tag("td", str(listing.versions)),
                tag("td", rex(listing.settled_value), class_="amount"),
                tag("td", rating(latest)),
                tag("td", "open" if listing.listed else "delisted"),
            ]), data_listing=ident))  # fmt: skip
        body = tag("table", join([
            _head("Id", "Latest spec hash", "Owner", "Price per use", "Versions", "Settled",
                  "Rating (price-weighted)", "State"),
            tag("tbody", join(lines)),
        ]), class_="market")  # fmt: skip
    main = render("market.html", listings=body, count=str(len(rows)))
    return page("Agent Market", main, current="market", csrf=csrf)


def listing_page(listing: ListingView, versions: Sequence[VersionView], csrf: str) -> str:
    """One listing: owner, operator, price, totals, and each version's jobs, value, rating."""
    lines = [tag("tr", join([
        tag("td", str(v.index)), tag("td", _hash(v.spec_hash)), tag("td", str(v.jobs)),
        tag("td", str(v.settled)), tag("td", rex(v.settled_value), class_="amount"),
        tag("td", rating(v)),
    ]), data_version=str(v.index)) for v in versions]  # fmt: skip
    table = tag("table", join([
        _head("Version", "Spec hash", "Jobs", "Settled jobs", "Settled value",
              "Rating (price-weighted)"),
        tag("tbody", join(lines)),
    ]), class_="versions")  # fmt: skip
    ident = str(listing.listing_id)
    state = "open to new jobs" if listing.listed else "delisted (open jobs can still settle)"
    main = render(
        "market_listing.html",
        id=ident,
        state=state,
        owner=listing.owner,
        operator=listing.operator,
        price=rex(listing.price),
        settled=rex(listing.settled_value),
        due=rex(listing.developer_due),
        versions=table,
        buy=f"rexos market buy {ident} --wallet YOUR_WALLET",
    )
    return page(f"Agent Market · listing {ident}", main, current="market", csrf=csrf)


def no_market_page(message: str, csrf: str) -> str:
    """The market page when there is no market to read (``message`` says why)."""
    main = tag("article", join([tag("h1", "Agent Market"),
                                tag("p", message, class_="error", role="alert")]))  # fmt: skip
    return page("Agent Market", main, current="market", csrf=csrf)
