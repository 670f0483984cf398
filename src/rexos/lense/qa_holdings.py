"""Answers about what the wallet holds: net worth, positions, counts, chains, prices."""

from __future__ import annotations

import re

from rexos.lense.qa_intent import Intent
from rexos.lense.qa_parts import first_cue
from rexos.lense.qa_say import Reply
from rexos.lense.report_blocks import FactRef
from rexos.lense.report_index import Holding, chain_ids, decimal_of, holdings

__all__ = [
    "UNPRICED",
    "address",
    "as_of",
    "assets_of",
    "biggest",
    "chains",
    "count",
    "counted",
    "disputed",
    "holding",
    "listing",
    "name_asset",
    "net_worth",
    "smallest",
]

F = FactRef


def name_asset(r: Reply, h: Holding) -> Reply:
    """``REX on devnet`` (``sREX stake on devnet`` for a position that is not a balance)."""
    r.fact(h.id("symbol"))
    if h.kind != "balance":
        r.say(" ", F(h.id("kind")))
    return r.say(" on ", F(h.id("chain")))


def assets_of(intent: Intent) -> list[Holding]:
    """One named holding per asset key (balances first), in the order found."""
    seen: dict[str, Holding] = {}
    for h in sorted(intent.holdings, key=lambda h: h.kind != "balance"):
        seen.setdefault(h.asset, h)
    return list(seen.values())


def _chain_value(r: Reply, chain: str, text: str) -> Reply | None:
    if re.search(_SHARE, _ask(text)):
        return r.unknown("the report gives each chain's value, not its share of net worth.")
    for chain_id in chain_ids(r.facts):
        if r.facts.value(f"chain.{chain_id}.name") == chain and f"chain.{chain_id}.usd" in r.facts:
            r.say("Your counted holdings on ", F(f"chain.{chain_id}.name"), " are worth ",
                  F(f"chain.{chain_id}.usd"), ".")  # fmt: skip
            return r.headline(f"chain.{chain_id}.usd")
    return None


def net_worth(r: Reply, intent: Intent) -> Reply:
    if intent.chain is not None:
        on_chain = _chain_value(r, intent.chain, intent.text)
        if on_chain is not None:
            return on_chain
    r.say("Your net worth is ", F("net_worth.usd"), ", over ", F("holdings.count"),
          " holdings found").headline("net_worth.usd")  # fmt: skip
    r.say("; left out of it: ", F("holdings.spam_count"), " spam and ",
          F("net_worth.excluded_count"), " with a disputed price")  # fmt: skip
    if r.facts.value("holdings.unpriced_count"):
        r.say(", and ", F("holdings.unpriced_count"), " without a price")
    return r.say(".")


def _position(r: Reply, h: Holding) -> Reply:
    name_asset(r, h)
    if h.kind != "balance" and h.id("venue") in r.facts:
        r.say(" at ", F(h.id("venue")))
    r.say(": ", F(h.id("amount")), " worth ", F(h.id("usd")))
    if r.facts.value(h.id("share_pct")) is not None:
        r.say(", ", F(h.id("share_pct")), " of net worth")
    return r


def _compared(r: Reply, intent: Intent, others: list[Holding]) -> None:
    """Where two or more assets are named and compared, the others' values too (each cited)."""
    if len(set(intent.symbols)) < 2:
        return
    for n, h in enumerate(others):
        r.say("; against " if n == 0 else "; ")
        _position(r, h)


def _counted(r: Reply, intent: Intent) -> list[Holding]:
    """Counted holdings (on the named chain); among the named ones when two or more assets
    are named ("which is bigger, REX or ETH?")."""
    among = {h.key for h in intent.holdings} if len(set(intent.symbols)) >= 2 else None
    return [
        h for h in holdings(r.facts)
        if h.counted == "yes" and (intent.chain is None or h.chain == intent.chain)
        and (among is None or h.key in among)
    ]  # fmt: skip


def biggest(r: Reply, intent: Intent) -> Reply:
    counted = _counted(r, intent)
    if not counted:
        return r.unknown("no holding here has a counted value.")
    top = counted[0]
    r.say("Of those you name, the biggest is " if len(set(intent.symbols)) >= 2
          else "Your biggest position is ")  # fmt: skip
    _position(r, top).headline(top.id(_position_part(intent)))
    r.cite(top.id("usd"))
    _compared(r, intent, counted[1:])
    if intent.chain is None and r.facts.value("risk.concentration.top_symbol") == top.symbol:
        r.cite("risk.concentration.top_symbol")
        if r.facts.render(top.id("share_pct")) == r.facts.render(
            "risk.concentration.top_share_pct"
        ):
            r.cite("risk.concentration.top_share_pct")
    return r.say(".")


_SHARE = (
    r"\b(share(?! of (the |my |this |that )?([\w$-]+ ){0,4}pool)|percent\w*|pct|portion|"
    r"fraction|proportion|ratio|weight\w*|allocation)\b|%|"
    r"\bhow (big|large) a (slice|chunk|piece)\b|"
    r"\b(what|which|how big a|how large a) part of\b|\bpart of (my |the )?(portfolio|wallet|total|"
    r"net ?worth|_)\b"
)
"""Words that ask for a share of net worth ("my part of it" in a pool is a value)."""
_USD = r"\b(worth|value|usd|dollars?|how (big|large))\b|\$(?![a-z])"


def _ask(text: str) -> str:
    """``text`` without phrases that only look like a figure's cue word ("net worth")."""
    return re.sub(r"\bnet ?worth\b|\bworth (the )?(most|least|more|less)\b|\bmost valu\w*|"
                  r"\bby (usd |dollars? |\$ ?)?(value|exposure|size|worth)\b",
                  "_", text)  # fmt: skip


def _unnamed(r: Reply, text: str) -> str:
    """``text`` without the held tokens' names: a name's words ("USD Coin Rewards") are not
    cue words ("usd", "rewards")."""
    names = {str(r.facts.value(h.id("name")) or "").lower() for h in holdings(r.facts)}
    for name in sorted((n for n in names if len(n) >= 3), key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", "_", text)
    return text


def _position_part(intent: Intent) -> str:
    """What about the biggest or smallest position is asked first: its share, value or name
    ("which is the smallest, and what is it worth?" asks which first)."""
    return first_cue(_ask(intent.text), {
        "share_pct": _SHARE,
        "usd": _USD,
        "symbol": r"\b(which|who|name|identify|symbol|ticker)\b|"
        r"\bwhat (token|coin|asset|holding|one)s?\b",
    }, "symbol")  # fmt: skip


def smallest(r: Reply, intent: Intent) -> Reply:
    counted = _counted(r, intent)
    if not counted:
        return r.unknown("no holding here has a counted value.")
    last = counted[-1]
    r.say("Of those you name, the smallest is " if len(set(intent.symbols)) >= 2
          else "Your smallest counted position is ")  # fmt: skip
    _position(r, last).headline(last.id(_position_part(intent)))
    r.cite(last.id("usd"))
    _compared(r, intent, counted[:-1])
    return r.say(".")


_WHOLE_WALLET = """
money value crypto cash usd dollars dollar tokens token coins coin assets asset holdings
funds capital stuff everything in of is it total worth altogether the my all do does have
are was am
"""
_GENERIC = frozenset(_WHOLE_WALLET.split())
"""Words after "how much"/"how many" that ask about the whole wallet, not a named asset."""


def holding(r: Reply, intent: Intent) -> Reply:
    if not intent.symbols:
        named = re.search(r"\bhow (much|many) (of )?(my )?([a-z][\w-]*) (do|does|did|have|i)\b",
                          intent.text)  # fmt: skip
        if named and named.group(4) not in _GENERIC:
            return r.unknown("this wallet holds nothing by that name.")
        return net_worth(r, intent)
    if not intent.holdings:
        return r.unknown("this wallet holds nothing by that name", " on that chain." if
                         intent.chain else ".")  # fmt: skip
    r.say("You hold ")
    for n, h in enumerate(intent.holdings):
        r.say("; " if n else "")
        _position(r, h)
        if h.counted != "yes":
            r.say(" (not counted: ", F(h.id("counted")), ")")
    first = intent.holdings[0]
    cues = {
        "counted": r"\b(counted|includ(ed|es?)|left out|excluded|"
        r"counts? (toward|towards|in|into))\b",
        "share_pct": rf"{_SHARE}|\bhow much of (my |the )?(portfolio|wallet|_|total)",
        "usd": _USD,
        "amount": r"\b(how many(?! (percent|pct))|amount|units|balance|quantity)\b|"
        r"\bhow much\b(?! of\b)(?!.*(\b(worth|value|usd|dollars?|cost|percent\w*|pct|share|"
        r"portion|part|slice|fraction)\b|%))",
    }
    if r.facts.value(first.id("venue")) is not None:
        cues["venue"] = (
            r"\b(where|venue|protocol|platform|staked (at|with|in|on)|(which|what) pool|"
            r"pool (is it|am i)|provid\w* liquidity (to|in|into|for))\b"
        )
    cues["name"] = r"\b((full|token'?s?|proper|complete) name|what is .* called|called)\b"
    cues["kind"] = (
        r"\b(what|which) (kind|type|sort) of (position|holding)\b|\bposition (kind|type)\b"
    )
    part = first_cue(_ask(_unnamed(r, intent.text)), cues, "amount")
    if part == "venue":
        r.say("; staked at " if first.kind == "stake" else "; at ", F(first.id("venue")))
    elif part in ("name", "kind"):
        r.say(
            "; its ", "token name is " if part == "name" else "position kind is ", F(first.id(part))
        )
    r.headline(first.id(part))
    return r.say(".")


UNPRICED = (
    r"\b((without|lack\w*|miss\w*|no|ha(s|ve) no|need\w*) (a |any )?(price|quote)s?|unpriced|"
    r"not priced|(price|quote)s? (is |are )?(missing|lacking|unknown|absent))\b"
)
"""Words that ask about holdings no source prices."""


def count(r: Reply, intent: Intent) -> Reply:
    if re.search(UNPRICED, intent.text):
        r.say("Holdings without a price: ", F("holdings.unpriced_count"), ". ")
        r.headline("holdings.unpriced_count")
        unpriced = [h for h in holdings(r.facts) if h.counted == "unpriced"]
        for n, h in enumerate(unpriced):
            name_asset(r, h).say(", " if n + 1 < len(unpriced) else ". ")
        if unpriced and re.search(r"\b(which|what)\b", intent.text):
            r.headline(unpriced[0].id("symbol"))
    return r.say(
        "Discovery found ", F("holdings.count"), " holdings: ", F("holdings.spam_count"),
        " marked spam, ", F("holdings.unpriced_count"), " without a price and ",
        F("net_worth.excluded_count"), " with a disputed price.",
    ).headline("holdings.count" if r.headline_id is None else r.headline_id)  # fmt: skip


def listing(r: Reply, intent: Intent) -> Reply:
    r.say("Discovery found ", F("holdings.count"), " holdings").headline("holdings.count")
    shown = [h for h in holdings(r.facts) if intent.chain is None or h.chain == intent.chain]
    if intent.chain is not None and shown:
        r.say("; on ", F(shown[0].id("chain"))).headline(shown[0].id("symbol"))
    for n, h in enumerate(shown):
        r.say(": " if n == 0 else "; ")
        name_asset(r, h).say(" ", F(h.id("amount")))
        if h.counted == "yes":
            r.say(" worth ", F(h.id("usd")))
        else:
            r.say(" (not counted: ", F(h.id("counted")), ")")
    return r.say(".")


def _chain_id(h: Holding) -> str:
    """The chain id a holding key starts with (``31338`` of ``31338:0xB7f8…``)."""
    return h.key.split(":", 1)[0]


def chains(r: Reply, intent: Intent) -> Reply:
    if intent.holdings:
        block = re.search(r"\bblocks?\b", intent.text)
        for n, h in enumerate(intent.holdings):
            r.say("; " if n else "", F(h.id("symbol")), " is on ", F(h.id("chain")))
            if block and f"chain.{_chain_id(h)}.block" in r.facts:
                r.say(", read at block ", F(f"chain.{_chain_id(h)}.block"))
        first = intent.holdings[0]
        at_block = f"chain.{_chain_id(first)}.block"
        return r.headline(at_block if block and at_block in r.facts else first.id("chain")).say(".")
    found = chain_ids(r.facts)
    if not found:
        return r.unknown("the report read no chain.")
    ranks = re.search(r"\b(most|more|biggest|largest|highest|least|less|smallest|lowest)\b",
                      intent.text)  # fmt: skip
    if ranks:
        low = ranks.group(1) in ("least", "less", "smallest", "lowest")
        found.sort(key=lambda c: decimal_of(r.facts, f"chain.{c}.usd") or 0, reverse=not low)
    elif intent.chain is not None:
        found = [c for c in found if r.facts.value(f"chain.{c}.name") == intent.chain] or found
    r.say("The wallet was read on ")
    for n, chain in enumerate(found):
        r.say("; " if n else "", F(f"chain.{chain}.name"), " at block ",
              F(f"chain.{chain}.block"))  # fmt: skip
        if f"chain.{chain}.usd" in r.facts:
            r.say(", holding ", F(f"chain.{chain}.usd"), " counted")
    part = "block" if re.search(r"\bblocks?\b", intent.text) else "name"
    if intent.chain is not None and part == "name" and not ranks:
        part = "usd"
    r.headline(f"chain.{found[0]}.{part}")
    return r.say(".")


def disputed(r: Reply, intent: Intent) -> Reply:
    flagged = [
        h for h in holdings(r.facts)
        if r.facts.value(f"price.{h.asset}.flag") in ("disputed", "diverging")
        and (not intent.symbols or h.symbol in intent.symbols)
    ]  # fmt: skip
    r.say("Holdings with a disputed price: ", F("risk.disputed.count")).headline(
        "risk.disputed.count"
    )
    r.say("; left out of net worth for it: ", F("net_worth.excluded_count"))
    if re.search(r"how many", intent.text) and re.search(r"net ?worth|left out", intent.text):
        r.headline("net_worth.excluded_count")
    disputed_ones = [h for h in flagged if h.counted == "disputed"]
    if disputed_ones and re.search(r"\b(which|what)\b", intent.text):
        r.headline(disputed_ones[0].id("symbol"))
    for h in flagged:
        r.say(". ")
        name_asset(r, h).say(": sources differ by ", F(f"price.{h.asset}.divergence_bps"))
        r.say(", ", F(f"price.{h.asset}.flag"))
        if h.counted != "yes":
            r.say(", left out of net worth (counted: ", F(h.id("counted")), ")")
    return r.say(". Spam holdings, also not counted: ", F("holdings.spam_count"), ".")


def as_of(r: Reply, intent: Intent) -> Reply:
    previous = re.search(r"\b(previous|last|earlier|prior|older) report\b", intent.text)
    if previous and "change.previous_as_of" not in r.facts:
        return r.unknown("this report holds no previous report to compare with.")
    r.say("The report was built at ", F("report.as_of")).headline("report.as_of")
    if "change.previous_as_of" in r.facts:
        r.say("; the previous one at ", F("change.previous_as_of"))
        if re.search(r"\b(previous|last|earlier|prior) report\b", intent.text):
            r.headline("change.previous_as_of")
    for chain in chain_ids(r.facts):
        r.say("; ", F(f"chain.{chain}.name"), " read at block ", F(f"chain.{chain}.block"))
    return r.say(".")


def address(r: Reply, intent: Intent) -> Reply:
    return r.say("The report is on wallet ", F("wallet.address"), ".").headline("wallet.address")


def counted(r: Reply, intent: Intent) -> Reply:
    """Whether the named holdings count toward net worth, and why not."""
    if not intent.holdings:
        return r.unknown("this wallet holds nothing by that name.")
    for n, h in enumerate(intent.holdings):
        r.say(". " if n else "")
        name_asset(r, h).say(" counted in net worth: ", F(h.id("counted")))
        if h.counted == "disputed":
            r.say("; its price sources differ by ", F(f"price.{h.asset}.divergence_bps"),
                  ", so the price check says ", F(f"price.{h.asset}.flag"))  # fmt: skip
        elif h.counted == "spam":
            r.say("; it is marked spam: ", F(h.id("spam_rules")))
        elif h.counted == "unpriced":
            r.say("; no source prices it: ", F(f"price.{h.asset}.flag"))
    return r.headline(intent.holdings[0].id("counted")).say(".")
