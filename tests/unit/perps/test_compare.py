"""Ranking, the explanation and how failing venues are reported."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rexos.errors import PerpsError, UsageError
from rexos.perps import (
    MarketNotListed,
    PerpMarketData,
    PerpRequest,
    compare,
    dominant_term,
    explain,
    rank,
)

from ._support import book_market, priced_cost

D = Decimal


class Fixed:
    def __init__(self, name: str, answer: PerpMarketData | Exception) -> None:
        self.name = name
        self.answer = answer

    def market_data(self, base: str) -> PerpMarketData:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_rank_cheapest_first_ties_by_name() -> None:
    a = priced_cost(book_market(venue="b", taker="0.001"))
    b = priced_cost(book_market(venue="a", taker="0.001"))
    c = priced_cost(book_market(venue="c", taker="0.0001"))
    assert [x.venue for x in rank([a, b, c])] == ["c", "a", "b"]


def test_explanation_names_the_dominant_term_against_the_runner_up() -> None:
    # same books; "cheapfund" pays 0.06 less funding over 24 h (rate 0 vs 0.0001 per 8 h),
    # "cheapfee" saves 0.2 in fees (taker 0.0005 vs 0.001 on 400 notional)
    base = priced_cost(book_market(venue="base"))
    fund = priced_cost(book_market(venue="cheapfund", funding="0"))
    fee = priced_cost(book_market(venue="cheapfee", taker="0.0005"))
    ranked = rank([base, fund, fee])
    assert [c.venue for c in ranked] == ["cheapfee", "cheapfund", "base"]
    assert dominant_term(ranked[0], ranked[1]) == "fees"
    text = explain(ranked)
    assert text.startswith("Recommend cheapfee: a 2 BTC long held 24 h costs about $6.26")
    assert "$0.14 less than the runner-up cheapfund ($6.40)" in text
    assert "Most of the difference is fees: a 0.0500% taker fee on cheapfee" in text
    assert "cheapfee is dearer on funding ($0.06)" in text
    assert dominant_term(fund, base) == "funding"


def test_compare_reports_failures_and_thin_books_and_still_ranks() -> None:
    sources = [
        Fixed("good", book_market(venue="good")),
        Fixed("thin", book_market(venue="thin", asks=(("101", "0.5"),))),
        Fixed("down", PerpsError("down: HTTP 503 from /x after 3 tries")),
        Fixed("nolist", MarketNotListed("nolist", "BTC")),
    ]
    result = compare(PerpRequest("BTC", "long", size=D(2)), sources)
    assert result.winner is not None and result.winner.venue == "good"
    assert [t.venue for t in result.thin] == ["thin"]
    assert [(u.venue, u.not_listed) for u in result.unavailable] == [
        ("down", False),
        ("nolist", True),
    ]
    assert "only venue" in result.explanation
    assert "thin (insufficient depth: 0.5 BTC on the asks, 2 needed)" in result.explanation
    assert "down (unavailable: down: HTTP 503" in result.explanation
    doc = result.to_json()
    assert doc["recommendation"] == "good"
    assert doc["ranked"][0]["total_usd"] == "6.46"
    assert doc["insufficient_depth"][0]["venue"] == "thin"


def test_notional_becomes_one_size_at_the_median_mark() -> None:
    sources = [
        Fixed("a", book_market(venue="a", mark="100")),
        Fixed("b", book_market(venue="b", mark="99")),
        Fixed("c", book_market(venue="c", mark="101")),
    ]
    result = compare(PerpRequest("BTC", "short", notional_usd=D(150)), sources)
    assert result.reference_price == D(100)
    assert result.size == D("1.5")
    assert {c.size for c in result.ranked} == {D("1.5")}


def test_no_venue_lists_the_market_is_a_usage_error() -> None:
    sources = [Fixed("a", MarketNotListed("a", "FOO")), Fixed("b", MarketNotListed("b", "FOO"))]
    with pytest.raises(UsageError, match="unknown market FOO"):
        compare(PerpRequest("FOO", "long", size=D(1)), sources)


def test_every_venue_failing_is_one_perps_error() -> None:
    sources = [Fixed("a", PerpsError("a: timed out")), Fixed("b", MarketNotListed("b", "BTC"))]
    with pytest.raises(PerpsError, match="no venue answered: a: timed out; b: no BTC"):
        compare(PerpRequest("BTC", "long", size=D(1)), sources)


def test_nothing_fills_gives_no_winner() -> None:
    result = compare(PerpRequest("BTC", "long", size=D(10)), [Fixed("a", book_market(venue="a"))])
    assert result.winner is None
    assert result.explanation.startswith("No venue can fill this order.")
