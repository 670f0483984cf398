"""Answers about risk: the level and what decided it, approvals, spam, what changed."""

from __future__ import annotations

import re

from rexos.lense.qa_holdings import name_asset
from rexos.lense.qa_intent import Intent
from rexos.lense.qa_parts import first_cue
from rexos.lense.qa_say import Reply
from rexos.lense.report_blocks import FactRef
from rexos.lense.report_index import Holding, holdings
from rexos.lense.report_sections import TOTAL_NAMES

__all__ = ["advice", "approvals", "changes", "no_data", "risk", "spam"]

F = FactRef
_MOST_CHANGES = 8


_LOOKALIKE = (
    r"\b(fake|look-?alike|impostor|copy|copycat|counterfeit|clone|imitat\w*|pretend\w*|"
    r"looks? like|similar to|real one|genuine|the real|impersonat\w*|pos(ing|es) as|mimic\w*|"
    r"spoof\w*)\b"
)
"""Words that ask about a token posing as another (a spam holding, not the real one)."""


def _poses_as(r: Reply, h: Holding, symbols: tuple[str, ...]) -> bool:
    """Whether the spam rules that fired on ``h`` say it looks like one of ``symbols`` (the
    rules are the report's own words, not the token's)."""
    rules = str(r.facts.value(h.id("spam_rules")) or "")
    return any(re.search(rf"\blooks like {re.escape(s)}\b", rules) for s in symbols)


_CONCENTRATION = (
    r"concentrat|diversif|spread out|\b(in|on) (one|a single|just one|only one) (token|coin|"
    r"asset|holding|position|place|basket)\b|"
    r"\btoo (big|much|large|heavy) (a )?(part|share|portion|chunk|slice)\b|"
    r"\b(how much|what (part|share|percent\w*)) .*\b(one|single|top|largest|biggest) "
    r"(token|coin|asset|holding|position)\b"
)
"""Words that ask how much of the wallet sits in its largest holding."""


def risk(r: Reply, intent: Intent) -> Reply:
    if "risk.level" not in r.facts:
        return r.unknown("the report has no risk facts.")
    r.say("Risk level: ", F("risk.level")).headline("risk.level")
    level_first = first_cue(intent.text, {
        "level": r"\brisk (level|rating|score)|\blevel of risk\b|\bhow risky\b",
        "concentration": _CONCENTRATION,
    }, "concentration") == "level"  # fmt: skip
    if (
        re.search(_CONCENTRATION, intent.text)
        and not level_first
        and (r.facts.value("risk.concentration.top_share_pct") is not None)
    ):
        r.headline("risk.concentration.top_share_pct")
    if r.facts.value("risk.concentration.top_share_pct") is not None:
        r.say(". Your largest holding, ", F("risk.concentration.top_symbol"), ", is ",
              F("risk.concentration.top_share_pct"), " of net worth")  # fmt: skip
    if "risk.disputed.count" in r.facts:
        r.say(". Holdings with a disputed price: ", F("risk.disputed.count"))
    if "risk.approvals.count" in r.facts:
        r.say(". Unlimited approvals to unknown spenders: ", F("risk.approvals.count"))
    return r.say(".")


def _approval_ids(r: Reply) -> list[str]:
    return [i for i in r.facts.ids("risk.approvals.") if len(i.split(".")) == 4]


def approvals(r: Reply, intent: Intent) -> Reply:
    if "risk.approvals.count" not in r.facts:
        return r.unknown("the report read no approvals.")
    r.say("Unlimited approvals to spenders that are not the deployment's contracts: ",
          F("risk.approvals.count")).headline("risk.approvals.count")  # fmt: skip
    shown = [
        i for i in _approval_ids(r)
        if not intent.symbols or r.facts.value(f"{i}.symbol") in intent.symbols
    ]  # fmt: skip
    for fact_id in shown:
        r.say(". ", F(f"{fact_id}.symbol"), " to ", F(f"{fact_id}.spender"), ": ", F(fact_id))
    if shown:
        first = shown[0]
        part = first_cue(intent.text, {
            ".count": r"\b(how many|number of|count|are there|is there|any|some|i have|"
                      r"(do|have) i (have|got|given))\b",
            ".spender": r"\b(who|whom|which spender|what spender|which address|to whom|"
                        r"contract|address|(name|identify|give) the spender|the spender'?s?|"
                        r"spender (address|name|is))\b",
            ".symbol": r"\b(which|what) (token|coin|asset)s?\b",
            "": r"\bhow much\b",
        }, "" if intent.symbols else ".count")  # fmt: skip
        if part != ".count":
            r.headline(f"{first}{part}")
    return r.say(".")


def spam(r: Reply, intent: Intent) -> Reply:
    marked = [h for h in holdings(r.facts) if h.counted == "spam"]
    named = [h for h in holdings(r.facts) if h.symbol in intent.symbols]
    if any(h.counted == "spam" for h in named):
        named = [h for h in named if h.counted == "spam"]
    elif marked and re.search(_LOOKALIKE, intent.whole or intent.text):
        named = [h for h in marked if _poses_as(r, h, intent.symbols)]
        if named and re.search(r"\b(which|what) (token|coin|asset|one|holding)\b", intent.text):
            name_asset(r, named[0]).say(" poses as the token you name; marked spam: ",
                                        F(named[0].id("spam")))  # fmt: skip
            return r.headline(named[0].id("symbol")).say(".")
    if named:
        for n, h in enumerate(named):
            r.say(". " if n else "")
            name_asset(r, h).say(" marked spam: ", F(h.id("spam")))
            if h.id("spam_rules") in r.facts:
                r.say("; rules that fired: ", F(h.id("spam_rules")))
        first = named[0]
        asks_rules = re.search(r"\b(rules?|why|flagged)\b", intent.text)
        part = "spam_rules" if asks_rules and first.id("spam_rules") in r.facts else "spam"
        return r.headline(first.id(part)).say(".")
    r.say("Holdings marked spam: ", F("holdings.spam_count")).headline("holdings.spam_count")
    if marked and re.search(r"\b(which|what)\b", intent.text):
        r.headline(marked[0].id("symbol"))
    if (
        marked
        and re.search(r"\b(rules?|why)\b", intent.text)
        and (marked[0].id("spam_rules") in r.facts)
    ):
        r.headline(marked[0].id("spam_rules"))
    if marked and re.search(r"\b(counted|included|net worth|total)\b", intent.text):
        r.say(". ")
        name_asset(r, marked[0]).say(" counted: ", F(marked[0].id("counted")))
        r.headline(marked[0].id("counted"))
    for h in marked:
        r.say(". ")
        name_asset(r, h).say(", ", F(h.id("amount")), ", spam: ", F(h.id("spam")))
        if h.id("spam_rules") in r.facts:
            r.say("; rules that fired: ", F(h.id("spam_rules")))
    if marked:
        r.say(". They are listed but left out of every total")
    return r.say(".")


def _names(text: str, symbol: str) -> bool:
    """Whether ``text`` (lower case) writes ``symbol`` as a word or a cashtag."""
    return bool(re.search(rf"(?<!\w)\$?{re.escape(symbol.lower())}\b", text))


def changes(r: Reply, intent: Intent) -> Reply:
    if "change.previous_as_of" not in r.facts:
        return r.unknown("there is no earlier report of this wallet to compare with.")
    r.say("Since the report of ", F("change.previous_as_of"))
    ids = [i for i in r.facts.ids("change.") if i != "change.previous_as_of"]
    totals = [i for i in ids if not i.startswith(("change.holding.", "change.added.",
                                                   "change.removed."))]  # fmt: skip
    moved = [i for i in ids if i.startswith("change.holding.") and i.endswith(".usd")]
    added = [i for i in ids if i.startswith("change.added.")]
    removed = [i for i in ids if i.startswith("change.removed.")]
    if not ids:
        return r.say(": nothing changed.")
    if "change.net_worth.usd" in r.facts:
        r.headline("change.net_worth.usd")
    total = first_cue(intent.text, {
        "change.net_worth.usd": r"\bnet ?worth\b",
        "change.perf.total.unrealised_usd": r"\bunreali[sz]ed|\bp&?n?l\b|\bprofit",
        "change.perf.total.realised_usd": r"(?<!un)reali[sz]ed",
        "change.risk.concentration.top_share_pct": r"\b(top|largest|biggest) (holding'?s? )?share|"
                                                   r"concentrat\w*",
        "change.risk.approvals.count": r"\bapprovals?\b",
    }, "")  # fmt: skip
    if total in r.facts:
        r.headline(total)
    if added and re.search(
        r"\b(new|add|added|adding|appeared|bought|gained|got|arrived)\b", intent.text
    ):
        r.headline(added[0])
    elif removed and re.search(
        r"\b(removed|gone|go|went|sold|sell|no longer|any ?longer|anymore|dropped|left|"
        r"disappeared|vanished|missing|became|happened|not there|no more|not (any )?more)\b",
        intent.whole or intent.text,
    ):
        asked = intent.whole or intent.text
        named = [i for i in removed if _names(asked, str(r.facts.value(i)))]
        r.headline((named or removed)[0])
    part = ".usd" if re.search(r"\b(worth|value|usd|dollars?)\b", intent.text) else ".amount"
    if re.search(r"\b(share|percent\w*|portion)\b", intent.text):
        part = ".share_pct"
    for h in intent.holdings:
        mine = [i for i in ids if i.startswith(f"change.holding.{h.key}.")]
        if f"change.holding.{h.key}{part}" in r.facts:
            r.headline(f"change.holding.{h.key}{part}")
            moved = [*mine, *(i for i in moved if i not in mine)]
            break
    for fact_id in totals:
        name = TOTAL_NAMES.get(fact_id.removeprefix("change."), "a total").lower()
        r.say("; ", name, ": ", F(fact_id))
    for fact_id in added:
        r.say("; new holding ", F(fact_id))
    for fact_id in removed:
        r.say("; holding gone ", F(fact_id))
    for fact_id in moved[:_MOST_CHANGES]:
        hkey = fact_id.removeprefix("change.holding.").removesuffix(".usd")
        r.say("; ", F(f"holding.{hkey}.symbol"), " on ", F(f"holding.{hkey}.chain"), " value ",
              F(fact_id))  # fmt: skip
    return r.say(".")


def advice(r: Reply, intent: Intent) -> Reply:
    return r.unknown("that asks for advice or a prediction; this report states facts only, "
                     "it is information, not advice.")  # fmt: skip


def no_data(r: Reply, intent: Intent) -> Reply:
    return r.unknown("the report holds no fact on that (no fees, purchase dates or past "
                     "values beyond the last report).")  # fmt: skip
