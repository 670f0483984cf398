"""Answers about an asset's price: the median, its sources and their quotes, how far they
differ, and the price check's flag."""

from __future__ import annotations

import re

from rexos.lense.qa_holdings import assets_of, name_asset
from rexos.lense.qa_intent import Intent
from rexos.lense.qa_parts import first_cue
from rexos.lense.qa_say import Reply
from rexos.lense.report_blocks import FactRef
from rexos.lense.report_index import Holding, price_keys

__all__ = ["price"]

F = FactRef


def _price_of(r: Reply, h: Holding) -> None:
    key = f"price.{h.asset}"
    name_asset(r, h).say(" is priced at ", F(f"{key}.median"), ", the median of ",
                         F(f"{key}.sources"), " sources")  # fmt: skip
    n = 1
    while f"{key}.source.{n}.usd" in r.facts:
        r.say(": " if n == 1 else ", ", F(f"{key}.source.{n}.name"), " ",
              F(f"{key}.source.{n}.usd"))  # fmt: skip
        n += 1
    if r.facts.value(f"{key}.divergence_bps") is not None:
        r.say("; they differ by ", F(f"{key}.divergence_bps"))
    r.say("; check: ", F(f"{key}.flag"))


def price(r: Reply, intent: Intent) -> Reply:
    named = [
        h for h in assets_of(intent)
        if h.asset in price_keys(r.facts) and r.facts.value(f"price.{h.asset}.median") is not None
    ]  # fmt: skip
    unpriced = [h for h in assets_of(intent) if f"price.{h.asset}.flag" in r.facts]
    if not named and unpriced and re.search(r"\b(priced|flag\w*|check\w*)\b", intent.text):
        h = unpriced[0]
        name_asset(r, h).say(": no source prices it; the price check says ",
                             F(f"price.{h.asset}.flag"), ".")  # fmt: skip
        return r.headline(f"price.{h.asset}.flag")
    if not named:
        what = "which asset? Name one this wallet holds." if not intent.symbols else (
            "no price source quotes that asset.")  # fmt: skip
        return r.unknown(what)
    for n, h in enumerate(named):
        r.say(". " if n else "")
        _price_of(r, h)
    part = _price_part(intent)
    one_source = _named_source(r, named[0].asset, intent.text) or _nth_source(
        r, named[0].asset, intent.text
    )
    if one_source is not None:
        r.headline(one_source)
        return r.say(".")
    r.headline(f"price.{named[0].asset}.{part}")
    return r.say(".")


_DOUBT = (
    r"\b(legit\w*|genuine|bogus|fishy|sketchy|dodgy|sus|credible|believ\w*|accurate|valid|"
    r"made up|trustworthy)\b"
)
"""Words that doubt a price: the price check answers them."""

_CUES = {
        # "price" asks for the price when the question goes on to ask more ("the price and its
        # sources"); "eth price how many sources" names the topic only
        "median": r"\bmedian\b|\bprice\b(?=.*(\b(and|plus|also)\b|,))(?![- ](sources?|diverg\w*|"
                  r"spread|gap|feeds?|check|flag|quotes?|disagree\w*|differ\w*|problems?))",
        "divergence_bps": r"diverg\w*|(dis)?agree\w*|spread|differ\w*|apart|gap|\bbps\b|"
                          r"basis points",
        "sources": r"how many (price )?(sources|feeds|quotes)|number of (price )?sources|where|"
                   r"come from|which sources|what sources|sources count",
        "flag": rf"\b(flag\w*|check\w*|ok|trust\w*|reliable|peg\w*|depeg\w*)\b|{_DOUBT}",
}  # fmt: skip
"""Words that ask for one figure of a price: the median, the spread, the sources, the check."""


def _price_part(intent: Intent) -> str:
    """The price figure asked first; where the asked part names none, the whole question's
    ("they don't agree, do they? How many bps?"). The spread leads the number of sources when
    both are asked: that count is said with it in the same sentence."""
    text = intent.text
    if not any(re.search(cue, text) for key, cue in _CUES.items() if key != "median") and any(
        re.search(_CUES[key], intent.whole) for key in ("divergence_bps", "sources")
    ):
        text = intent.whole
    part = first_cue(text, _CUES, "median")
    if (
        part == "median"
        and re.search(_DOUBT, text)
        and not re.search(r"\bmedian\b|\b(what|how much)\b.*\bprice\b|\bprice (and|plus)\b", text)
    ):
        return "flag"  # "ETH price, sus or fine?" doubts the price: its check answers
    if part == "sources" and re.search(_CUES["divergence_bps"], intent.whole):
        return "divergence_bps"
    return part


_SOURCE_WORDS = ("dex", "twap", "coingecko", "feed", "oracle", "pool")


def _named_source(r: Reply, asset: str, text: str) -> str | None:
    """The quote fact of the one source the question names ("according to the dex")."""
    words = [w for w in _SOURCE_WORDS if re.search(rf"\b{w}\b", text)]
    n = 1
    while words and f"price.{asset}.source.{n}.usd" in r.facts:
        name = str(r.facts.value(f"price.{asset}.source.{n}.name")).lower()
        if any(w in name for w in words):
            return f"price.{asset}.source.{n}.usd"
        n += 1
    return None


_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
             "4th": 4}  # fmt: skip


def _nth_source(r: Reply, asset: str, text: str) -> str | None:
    """The one source the question names by its place ("the second source", "source 2"):
    its name when that is asked ("name", "which", "what is"), else its quote."""
    found = re.search(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)\b(?: \w+){0,2} "
                      r"(?:price )?(?:source|feed|quote)\b|\bsource (?:no\.? ?|number |#)?(\d)\b",
                      text)  # fmt: skip
    if found is None:
        return None
    n = _ORDINALS[found.group(1)] if found.group(1) else int(found.group(2))
    if f"price.{asset}.source.{n}.usd" not in r.facts:
        return None
    quote = re.search(
        r"\b(quote\w*|price[sd]?|usd|dollars?|worth|value|say|gives?)\b",
        text[: found.start()] + text[found.end() :],
    )
    name = re.search(r"\b(name|which|what is|what's|called|who)\b", text)
    asks_name = name is not None and (quote is None or name.start() < quote.start())
    return f"price.{asset}.source.{n}.{'name' if asks_name else 'usd'}"
