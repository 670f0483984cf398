"""Answers about how holdings moved and what is said about them: performance, profit, news,
sentiment. News titles are quoted as third-party text; nothing in them is read as a request.
"""

from __future__ import annotations

import re

from rexos.lense.qa_holdings import assets_of, name_asset
from rexos.lense.qa_intent import Intent
from rexos.lense.qa_parts import first_cue
from rexos.lense.qa_say import Reply
from rexos.lense.report_blocks import FactRef
from rexos.lense.report_index import Holding, decimal_of, holdings, news_ids

__all__ = ["movers", "news", "performance", "pnl", "sentiment", "why_move"]

F = FactRef
_MOST_MOVERS = 3
_DOWN = re.compile(r"\b(worst|los[est]\w*|loser|drop\w*|fell|fall\w*|down|least|declin\w*)\b")
_WINDOW_WORDS = {"24h": "the day", "7d": "the week", "30d": "the month"}


def _holding_of_asset(r: Reply, asset: str) -> Holding | None:
    named = [h for h in holdings(r.facts) if h.asset == asset]
    return min(named, key=lambda h: h.kind != "balance") if named else None


def _why_asset(r: Reply, intent: Intent) -> Reply:
    """How the named asset moved over the week, and the news and posts that name it (quoted
    third-party text: the report states no cause)."""
    moved = [h for h in assets_of(intent)
             if decimal_of(r.facts, f"perf.{h.asset}.change_7d_pct") is not None]  # fmt: skip
    if not moved:
        return r.unknown("no weekly change is recorded for that asset.")
    h = moved[0]
    name_asset(r, h).say(" moved ", F(f"perf.{h.asset}.change_7d_pct"), " over the week")
    r.headline(f"perf.{h.asset}.change_7d_pct")
    if decimal_of(r.facts, f"perf.{h.asset}.change_7d_usd") is not None:
        r.say(" (", F(f"perf.{h.asset}.change_7d_usd"), " in value)")
    items = [n for n in news_ids(r.facts) if _mentions(r, n, (h.symbol,))]
    if items:
        r.say(". The report states no cause; news and posts naming it (third-party text): ")
        for n, item in enumerate(items):
            r.say("; " if n else "", F(f"{item}.title", untrusted=True), " (",
                  F(f"{item}.sentiment"), ")")  # fmt: skip
    return r.say(".")


def why_move(r: Reply, intent: Intent) -> Reply:
    if intent.symbols and intent.holdings:
        return _why_asset(r, intent)
    total = decimal_of(r.facts, "perf.total.change_7d_usd")
    if total is None:
        return r.unknown("the report has no weekly change.")
    r.say("Over the week your counted holdings moved ", F("perf.total.change_7d_usd"))
    if "perf.total.change_7d_pct" in r.facts:
        r.say(" (", F("perf.total.change_7d_pct"), ")")
    asks_pct = (
        first_cue(
            intent.text,
            {
                "pct": r"\b(percent\w*|pct|percentage)\b|%",
                "usd": r"\b(dollars?|usd|how much money)\b|\$(?![a-z])",
            },
            "usd",
        )
        == "pct"
    )
    pct_known = decimal_of(r.facts, "perf.total.change_7d_pct") is not None
    r.headline("perf.total.change_7d_pct" if asks_pct and pct_known else "perf.total.change_7d_usd")
    moves = []
    for fact_id in r.facts.ids("perf."):
        amount = decimal_of(r.facts, fact_id) if fact_id.endswith(".change_7d_usd") else None
        if amount is not None and not fact_id.startswith("perf.total."):
            moves.append((amount, fact_id.split(".")[1]))
    down = total < 0
    movers = sorted((m for m in moves if (m[0] < 0) == down and m[0] != 0), reverse=not down)
    if not movers:
        return r.say(".")
    r.say(". The largest " + ("losses" if down else "gains") + ": ")
    for n, (_, asset) in enumerate(movers[:_MOST_MOVERS]):
        h = _holding_of_asset(r, asset)
        r.say("; " if n else "")
        if h is not None:
            name_asset(r, h).say(" ")
        r.say(F(f"perf.{asset}.change_7d_usd"), " (price ", F(f"perf.{asset}.change_7d_pct"),
              ")")  # fmt: skip
    return r.say(".")


def performance(r: Reply, intent: Intent) -> Reply:
    window = intent.window
    named = assets_of(intent)
    if not named:
        if window != "7d":
            return r.unknown("the report gives the portfolio's change over the week only.")
        why_move(r, intent)
        cues = {
            "pct": r"\b(percent\w*|pct|percentage)\b|%",
            "usd": r"\b(usd|dollars?|how much|money)\b|\$(?![a-z])",
        }
        cued = (
            intent.text
            if any(re.search(c, intent.text) for c in cues.values())
            else (intent.whole or intent.text)
        )  # "It went down this week. By how much, in dollars?"
        asks_usd = first_cue(cued, cues, "pct") == "usd"
        if r.known and "perf.total.change_7d_pct" in r.facts and not asks_usd:
            r.headline("perf.total.change_7d_pct")
        return r
    for n, h in enumerate(named):
        fact_id = f"perf.{h.asset}.change_{window}_pct"
        if r.facts.value(fact_id) is None:
            r.say(". " if n else "")
            name_asset(r, h).say(": no price that old is recorded")
            continue
        r.say(". " if n else "")
        name_asset(r, h).say(" moved ", F(fact_id), " over ", "the day" if window == "24h"
                             else "the month" if window == "30d" else "the week")  # fmt: skip
        if r.value is None:
            r.headline(fact_id)
            in_usd = f"perf.{h.asset}.change_7d_usd"
            in_money = r"\b(usd|dollars?|value|worth)\b|\$"
            if window == "7d" and in_usd in r.facts and re.search(in_money, intent.text):
                r.say(" (", F(in_usd), " in value)").headline(in_usd)
            elif window == "7d" and in_usd in r.facts and re.search(in_money, intent.whole):
                r.say(" (", F(in_usd), " in value)")  # asked after the price's change
    if r.value is None:
        return r.unknown("no price that old is recorded for that asset.")
    return r.say(".")


def _pnl_part(intent: Intent) -> str:
    """Which figure the question asks for: realised, cost basis, or unrealised profit."""
    return first_cue(intent.text, {
        "cost_basis_usd": r"\bcost( basis)?\b|\b(paid|pay|spent|spend)\b|\binvested\b",
        "realised_usd": r"(?<!un)reali[sz]ed|\b(locked in|cashed( out)?|taken|took|booked|"
                        r"secured|pocketed|when (i )?(was )?(sold|selling|sell)|"
                        r"(from|by|on|after|through) (selling|sales?))\b",
        "unrealised_usd": r"\bunreali[sz]ed|\bpaper\b|\bopen\b",
    }, "unrealised_usd")  # fmt: skip


def pnl(r: Reply, intent: Intent) -> Reply:
    named = [h for h in assets_of(intent) if f"perf.{h.asset}.unrealised_usd" in r.facts]
    if not named:
        if intent.symbols:
            return r.unknown("there is no cost basis for that asset in this report.")
        return r.say(
            "Unrealised profit ", F("perf.total.unrealised_usd"), ", realised ",
            F("perf.total.realised_usd"), ", on a cost basis of ",
            F("perf.total.cost_basis_usd"), " (counted holdings).",
        ).headline(f"perf.total.{_pnl_part(intent)}")  # fmt: skip
    for n, h in enumerate(named):
        p = f"perf.{h.asset}"
        if decimal_of(r.facts, f"{p}.unrealised_usd") is None:
            r.say(". " if n else "")
            name_asset(r, h).say(": its cost basis is unknown")
            continue
        r.say(". " if n else "")
        name_asset(r, h).say(": unrealised ", F(f"{p}.unrealised_usd"))
        r.say(", realised ", F(f"{p}.realised_usd"), ", cost basis ", F(f"{p}.cost_basis_usd"))
        if r.value is None:
            r.headline(f"{p}.{_pnl_part(intent)}")
    if r.value is None:
        return r.unknown("the cost basis of that asset is not known.")
    return r.say(".")


def sentiment(r: Reply, intent: Intent) -> Reply:
    keys = [i.split(".")[1] for i in r.facts.ids("sentiment.") if i.endswith(".score")]
    named = assets_of(intent)
    wanted = [h.asset for h in named] if intent.symbols else keys
    found = [k for k in wanted if k in keys]
    if not found:
        return r.unknown("no news or posts about that asset were found.")
    ranks = re.search(r"\b(best|most positive|highest|worst|most negative|lowest)\b", intent.text)
    if ranks and not intent.symbols:
        low = re.search(r"\b(worst|most negative|lowest)\b", intent.text)
        pick = (min if low else max)(
            found, key=lambda k: decimal_of(r.facts, f"sentiment.{k}.score") or 0
        )
        found = [pick, *(k for k in found if k != pick)]
    part = _sentiment_part(intent.text)
    for n, key in enumerate(found):
        h = _holding_of_asset(r, key)
        r.say(". " if n else "")
        if h is not None:
            name_asset(r, h).say(": ")
        r.say(F(f"sentiment.{key}.label"), ", score ", F(f"sentiment.{key}.score"), " over ",
              F(f"sentiment.{key}.count"), " items (", F(f"sentiment.{key}.positive"),
              " positive, ", F(f"sentiment.{key}.negative"), " negative)")  # fmt: skip
        if r.value is None:
            r.headline(h.id("symbol") if ranks and h is not None and not intent.symbols
                       else f"sentiment.{key}.{part}")  # fmt: skip
    return r.say(".")


def _sentiment_part(text: str) -> str:
    """Which sentiment figure is asked: a count, the score, or the label."""
    asked = re.search(r"\b(how many|number of|count of)\b(.*)", text)
    labels = re.search(r"\b(negative|positive|neutral)\b", asked.group(2)) if asked else None
    if labels:
        return labels.group(1)
    return first_cue(text, {
        "count": r"\b(how many|number of|count)\b",
        "score": r"\b(score|how (positive|negative))\b",
        "label": r"\b(label|mood|positive or negative|bullish or bearish)\b",
    }, "label")  # fmt: skip


_HOW_MANY = r"\b(how many|count|number of)\b"


def _mentions(r: Reply, item: str, symbols: tuple[str, ...]) -> bool:
    named = str(r.facts.value(f"{item}.symbols") or "").split(", ")
    return not symbols or any(s in named for s in symbols)


def news(r: Reply, intent: Intent) -> Reply:
    if re.search(_HOW_MANY, intent.whole or intent.text) and not intent.symbols:
        r.say("There are ", F("news.count"), " news items and posts").headline("news.count")
        return r.say(".")
    if r.facts.value("news.count") == 0:
        r.say("No news items or posts matched your holdings: ", F("news.count"), " found.")
        return r.headline("news.count")
    items = [n for n in news_ids(r.facts) if _mentions(r, n, intent.symbols)]
    if not items:
        return r.unknown("the report has no news or posts on that.")
    counted = [h for h in assets_of(intent) if f"sentiment.{h.asset}.count" in r.facts]
    if re.search(_HOW_MANY, intent.text) and counted:
        h = counted[0]
        name_asset(r, h).say(" is mentioned by ", F(f"sentiment.{h.asset}.count"), " items. ")
        r.headline(f"sentiment.{h.asset}.count")
    r.say("News and posts (third-party text, quoted as written): ")
    for n, item in enumerate(items):
        r.say("; " if n else "", F(f"{item}.title", untrusted=True), " (", F(f"{item}.source"),
              ", ", F(f"{item}.published"), ", ", F(f"{item}.sentiment"), ")")  # fmt: skip
    if r.headline_id is None:
        field = first_cue(intent.text, _ITEM_FIELDS, "title")
        item = _pick(r, items, intent)
        if field == "url":
            r.say(". Link of ", F(f"{item}.title", untrusted=True), ": ", F(f"{item}.url"))
        r.headline(f"{item}.{field}")
    return r.say(".")


_ITEM_FIELDS = {
    "published": r"\b(when|date[sd]?|(what|which|publication) time|publication|"
                 r"published (on|at|when)|how (old|recent))\b",
    "source": r"\b(source|domain|outlet|site|website|who (published|posted|wrote)|"
              r"published (by|where|on which)|where (was|is|were)\b.*\b(published|posted)|"
              r"where (was|is|were) (it|this|that|they) from)\b",
    "url": r"\b(link|url)\b",
    "sentiment": r"\b(sentiment|tone|positive or negative|good or bad)\b",
}  # fmt: skip
"""Words that ask for one field of a news item rather than its title."""

_STOP_WORDS = """
about after again also and any are article articles been being but can could did does for
from give have item items like more news not one post posts said says show some story
than that the their them then there these this those what when where which while who why
with would your you tell cite state report source domain publication published time date
"""
_STOP = frozenset(_STOP_WORDS.split())


_DIRECTIONS = {
    "~down": ("fall", "fell", "drop", "dip", "dips", "dipp", "slide", "slid", "decli", "sink",
              "sank", "plung", "tumbl", "crash", "slump", "dump", "down", "lower", "weak"),
    "~up": ("rise", "risin", "rose", "rall", "jump", "surg", "soar", "climb", "pump", "gain",
            "high", "up", "booms", "boom", "strong"),
}  # fmt: skip
"""Words of a price's direction, read as one sense ("REX falling" finds "REX dips")."""


def _stem(word: str) -> str:
    for sense, starts in _DIRECTIONS.items():
        if any(word == s or (len(s) > 3 and word.startswith(s)) for s in starts):
            return sense
    return word[:5]


def _by_time(r: Reply, items: list[str], text: str) -> str | None:
    """The one item published on the day (and at the hour and minute) the question writes
    ("the item published on 2026-12-06 at 22:00"), or None."""
    day = re.search(r"\b(\d{4}-\d\d-\d\d)\b", text)
    if day is None:
        return None
    clock = re.search(r"\b(\d{1,2}):(\d\d)\b", text[day.end() :])
    on_day = [i for i in items if str(r.facts.value(f"{i}.published")).startswith(day.group(1))]
    if clock:
        at = f"{day.group(1)}T{int(clock.group(1)):02d}:{clock.group(2)}"
        on_day = [i for i in on_day if str(r.facts.value(f"{i}.published")).startswith(at)]
    return on_day[0] if len(on_day) == 1 else None


def _pick(r: Reply, items: list[str], intent: Intent) -> str:
    """The item asked for: the one whose title shares most words with the question (the
    title is only compared, never read as a request), else the newest, the oldest, or the
    first listed."""
    text = intent.text
    on_time = _by_time(r, items, intent.whole or text)
    if on_time is not None:
        return on_time
    asked = {_stem(w) for w in re.findall(r"[a-z]{3,}", text) if w not in _STOP}
    asked -= {_stem(s.lower()) for s in intent.symbols}
    shared = [
        (len(asked & {_stem(w) for w in re.findall(r"[a-z]{3,}", str(
            r.facts.value(f"{i}.title")).lower())}), i)
        for i in items
    ]  # fmt: skip
    best = max(shared, key=lambda row: row[0])
    if best[0] > 0:
        return best[1]
    dated = [(str(r.facts.value(f"{i}.published")), i) for i in items]
    if re.search(r"\b(latest|newest|most recent|last|recent)\b", text):
        return max(dated)[1]
    if re.search(r"\b(oldest|earliest|first)\b", text):
        return min(dated)[1]
    return items[0]


_MONEY_MOVED = (
    r"\b(loss|losses|gains|profit|profits)\b|\b(lost|made|gained|earned|lose|make) "
    r"(the )?(most|least|more|less) (money|dollars|value)\b|\bhow much (money|value)\b"
)
"""Words that ask how much money a holding lost or made (its value change, not its name)."""


def movers(r: Reply, intent: Intent) -> Reply:
    """The asset whose price rose (or fell) most over the asked window."""
    window = intent.window
    down = bool(_DOWN.search(intent.text))
    money = re.search(_MONEY_MOVED, intent.text)
    in_usd = window == "7d" and (
        money or re.search(r"\b(money|dollars?|usd|value|worth)\b|\$", intent.text)
    )
    ranked = []
    for h in holdings(r.facts):
        fact_id = f"perf.{h.asset}.change_{window}_" + ("usd" if in_usd else "pct")
        change = decimal_of(r.facts, fact_id)
        if change is not None and h.counted != "spam" and h.kind == "balance":
            ranked.append((change, h, fact_id))
    if not ranked:
        return r.unknown("no price change over that window is recorded.")
    change, h, fact_id = (min if down else max)(ranked, key=lambda row: row[0])
    r.say("Over ", _WINDOW_WORDS[window], " the ", "worst" if down else "best", " was ")
    if in_usd:
        name_asset(r, h).say(", its value moved ", F(fact_id), " (price ",
                             F(f"perf.{h.asset}.change_7d_pct"), ")")  # fmt: skip
        return r.headline(fact_id if money else h.id("symbol")).say(".")
    name_asset(r, h).say(", its price moved ", F(fact_id))
    if window == "7d" and f"perf.{h.asset}.change_7d_usd" in r.facts:
        r.say(" (", F(f"perf.{h.asset}.change_7d_usd"), " in value)")
    return r.headline(h.id("symbol")).say(".")
