"""One plain paragraph saying why the cheapest venue wins."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from rexos.perps.cost import InsufficientDepth, VenueCost

__all__ = ["Term", "dominant_term", "explain"]

Term = Literal["funding", "fees", "slippage"]


def usd(value: Decimal) -> str:
    """``$1,234.56``, with the sign in front when negative."""
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


def pct(rate: Decimal) -> str:
    """A rate as a percentage with four decimals: ``0.0100%``."""
    return f"{rate * 100:.4f}%"


def term_gaps(winner: VenueCost, other: VenueCost) -> dict[Term, Decimal]:
    """How much more each term costs on ``other`` than on ``winner`` (positive: winner saves)."""
    return {
        "funding": other.funding_usd - winner.funding_usd,
        "fees": other.fee_usd - winner.fee_usd,
        "slippage": other.slippage_usd - winner.slippage_usd,
    }


def dominant_term(winner: VenueCost, other: VenueCost) -> Term:
    """The term in which ``winner`` saves the most against ``other`` (ties: funding, fees)."""
    gaps = term_gaps(winner, other)
    return max(gaps, key=lambda term: gaps[term])


def _detail(term: Term, w: VenueCost, r: VenueCost, gap: Decimal) -> str:
    if term == "funding":
        payer = "longs pay" if w.side == "long" else "shorts receive"
        return (
            f"funding: {pct(w.market.funding_rate)} per "
            f"{w.market.funding_interval_hours.normalize():f} h on {w.venue} against "
            f"{pct(r.market.funding_rate)} per {r.market.funding_interval_hours.normalize():f} h "
            f"on {r.venue} ({payer} positive funding) comes to {usd(w.funding_usd)} against "
            f"{usd(r.funding_usd)} over {w.holding_hours.normalize():f} h, {usd(gap)} less"
        )
    if term == "fees":
        return (
            f"fees: a {pct(w.market.taker_fee_rate)} taker fee on {w.venue} against "
            f"{pct(r.market.taker_fee_rate)} on {r.venue}, {usd(gap)} less"
        )
    return (
        f"slippage: {w.venue}'s book fills the order {w.open.slippage_bps:.2f} bps from mid "
        f"against {r.open.slippage_bps:.2f} bps on {r.venue}, {usd(gap)} less in all"
    )


def explain(
    ranked: Sequence[VenueCost],
    thin: Sequence[InsufficientDepth] = (),
    unavailable: Sequence[tuple[str, str]] = (),
) -> str:
    """Why ``ranked[0]`` wins, against the runner-up; names the venues left out."""
    skipped = [f"{t.venue} ({t.reason})" for t in thin]
    skipped += [f"{venue} (unavailable: {reason})" for venue, reason in unavailable]
    tail = f" Not priced: {'; '.join(skipped)}." if skipped else ""
    if not ranked:
        return "No venue can fill this order." + tail
    w = ranked[0]
    held = f"held {w.holding_hours.normalize():f} h"
    what = f"a {w.size.normalize():f} {w.market.base} {w.side} {held}"
    head = (
        f"Recommend {w.venue}: {what} costs about {usd(w.total_usd)} there "
        f"({w.total_bps:.2f} bps of notional)"
    )
    if len(ranked) == 1:
        return head + ", and it is the only venue that could price it." + tail
    r = ranked[1]
    gap = r.total_usd - w.total_usd
    if gap == 0:
        return head + f", the same as {r.venue}; the tie is broken by name." + tail
    gaps = term_gaps(w, r)
    term = dominant_term(w, r)
    text = (
        head + f", {usd(gap)} less than the runner-up {r.venue} ({usd(r.total_usd)}). "
        f"Most of the difference is {_detail(term, w, r, gaps[term])}."
    )
    worse = [f"{t} ({usd(-g)})" for t, g in gaps.items() if g < 0]
    if worse:
        joined = " and ".join(worse)
        text += f" {w.venue} is dearer on {joined}, which the savings outweigh."
    return text + tail
