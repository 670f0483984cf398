"""Questions answered from a report's facts, with the facts cited.

:func:`answer` recognises the question's kind by stated word rules
(:mod:`rexos.lense.qa_intent`), computes the answer from the facts alone and cites every fact
it uses; the answer's text can hold a number only as a cited fact's rendered value. When the
facts lack what is asked, the answer says "I don't know" (``known=False``). With an ``llm``,
a short narrative is written from the cited facts only and kept only if every number in it is
a cited fact's (:mod:`rexos.lense.qa_narrative`). Third-party text inside facts (news titles)
is quoted, never followed: the kind of answer comes from the question, never from a fact.
A question about another wallet, a time the report does not hold or another topic is not
answered (:mod:`rexos.lense.qa_scope`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from rexos.lense import qa_holdings, qa_market, qa_prices, qa_risk
from rexos.lense.facts import FactSet, FactValue
from rexos.lense.qa_intent import Intent, Kind, read_intents
from rexos.lense.qa_model import OVERRULE, QaModel, Reading, decide, load_model, prepare
from rexos.lense.qa_parts import parts_of
from rexos.lense.qa_say import Reply, untrusted_id
from rexos.lense.qa_scope import out_of_scope
from rexos.lense.qa_spoken import spoken
from rexos.lense.report_blocks import FactRef

if TYPE_CHECKING:
    from rexos.llm import Model

__all__ = ["MAX_QUESTION_CHARS", "READER", "Answer", "answer", "rule_reading"]

MAX_QUESTION_CHARS = 500

READER = True
"""Whether the learned reader (:mod:`rexos.lense.qa_model`) decides the kind with the rules."""

_UNKNOWN = (
    "I don't know: ask about net worth, holdings, prices and their sources, performance, "
    "profit, news, sentiment, risks, approvals, spam or what changed."
)

_NOT_HELD = "I don't know: this report has no holding or price of the asset you name."

_Builder = Callable[[Reply, Intent], Reply]

_BUILDERS: dict[str, _Builder] = {
    "net_worth": qa_holdings.net_worth,
    "biggest": qa_holdings.biggest,
    "smallest": qa_holdings.smallest,
    "holding": qa_holdings.holding,
    "count": qa_holdings.count,
    "chains": qa_holdings.chains,
    "price": qa_prices.price,
    "disputed": qa_holdings.disputed,
    "why_move": qa_market.why_move,
    "performance": qa_market.performance,
    "pnl": qa_market.pnl,
    "sentiment": qa_market.sentiment,
    "news": qa_market.news,
    "risk": qa_risk.risk,
    "approvals": qa_risk.approvals,
    "spam": qa_risk.spam,
    "changes": qa_risk.changes,
    "movers": qa_market.movers,
    "as_of": qa_holdings.as_of,
    "address": qa_holdings.address,
    "list": qa_holdings.listing,
    "counted": qa_holdings.counted,
    "advice": qa_risk.advice,
    "no_data": qa_risk.no_data,
}


@dataclass(frozen=True, slots=True)
class Answer:
    """The answer's text, the fact ids it cites, whether the facts held it, its value."""

    text: str
    cited: tuple[str, ...]
    known: bool
    value: FactValue
    kind: str = "unknown"
    narrative: str | None = None
    """A model's wording of the cited facts, when a model is given and its numbers check."""

    def to_json(self, facts: FactSet) -> dict[str, Any]:
        """The answer with each cited fact's rendered value, source and time."""
        value = self.value if self.value is None or isinstance(self.value, str) else str(self.value)
        return {
            "text": self.text,
            "known": self.known,
            "kind": self.kind,
            "value": value,
            "narrative": self.narrative,
            "cited": [
                {"id": i, "shown": facts.render(i), "source": facts[i].source,
                 "as_of": facts[i].as_of}
                for i in self.cited
            ],
        }  # fmt: skip


_ABOUT_AN_ASSET = frozenset({"holding", "price", "news", "sentiment", "pnl", "performance",
                             "net_worth"})  # fmt: skip


_WINDOW = (
    r"\b(this|last|past|previous) (week|month|day)\b|\b(weekly|monthly|today|daily|"
    r"24 ?h\w*|7 ?d|30 ?d|(7|seven|30|thirty|one)[- ]days?|(one|a|1)[- ]week|(one|a|1)[- ]month)\b"
)
"""Words that name a time window of a change."""

_ONE_ITEM = (
    r"\b(the|that|this|an|one) (\w+ ){0,4}(article|item|post|story|headline|piece)\b(?! count)"
)
"""A question about one news item ("the staking rewards article"), not an asset's mood."""

_PNL_WORDS = r"\b(unreali[sz]ed|reali[sz]ed|p&l|pnl|p/l|profits?|cost basis|gains?|losses)\b"
_MOOD_WORDS = (
    r"\b(sentiment|mood|feel\w*|bullish|bearish|opinion|vibes?|news|headlines?|articles?|"
    r"posts?|people|press|media|tone|coverage)\b"
)
_EARLIER_REPORT = r"\b(since|previous|prior report|last report|last time|than)\b"
_HOW_MUCH = r"\b(how much|how many|balance|amount|quantity)\b"
_SOURCE_WORDS = r"\b(dex|twap|coingecko|feed|oracle)\b"
_CHANGED = r"\b(change[sd]?|do|did|does|doing|done|mov\w*|go|went|gone|perform\w*|up|down)\b"


_POSITION_KINDS = frozenset({"stake", "lp", "vesting", "rewards", "points"})
_MORE = r"\b(more|bigger|larger|greater|higher|heavier|most|biggest|largest)\b"
_LESS = r"\b(less|fewer|smaller|lower|lighter|least|smallest|lowest)\b"
_EXPOSURE = r"\b(exposure|exposed|position size|sized?)\b"


def _compared(intent: Intent) -> Kind | None:
    """Two held assets set against each other ("more X or more Y by value?") ask which is the
    bigger or smaller of them; a superlative of "exposure" (jargon for a position's value)
    asks the biggest or smallest position, and its total in dollars the value, not the risk."""
    two = len(set(intent.symbols)) >= 2 and re.search(
        r"\b(or|vs\.?|versus|than|which|whichever|between)\b", intent.text
    )
    if intent.kind in ("holding", "net_worth", "count", "risk") and two:
        if re.search(_LESS, intent.text):
            return "smallest"
        if re.search(_MORE, intent.text):
            return "biggest"
    if intent.kind == "risk" and re.search(_EXPOSURE, intent.text):
        if re.search(r"\b(smallest|lowest|least|tiniest|bottom)\b", intent.text):
            return "smallest"
        if re.search(r"\b(biggest|largest|highest|most|top)\b", intent.text):
            return "biggest"
        if re.search(r"\b(total|overall|dollars?|usd|sum|aggregate|value|how much)\b",
                     intent.text):  # fmt: skip
            return "holding" if intent.symbols and intent.holdings else "net_worth"
    return None


def _refine(intent: Intent) -> Kind | Literal["counted"] | None:
    """A net-worth question that names an asset asks for that holding; a question about an
    asset the wallet does not hold (and none it holds) has no answer here (None)."""

    if intent.kind in _ABOUT_AN_ASSET and intent.unheld and not intent.symbols:
        return None
    if intent.kind == "count" and set(intent.unheld) & _POSITION_KINDS and not intent.symbols:
        return None  # "how many tokens have I staked?" where nothing is staked
    compared = _compared(intent)
    if compared is not None:
        return compared
    whole_wallet = r"\b(everything|all|almost|most of|so much|too much|concentrat\w*)\b"
    if intent.kind == "risk" and re.search(whole_wallet, intent.text):
        return "risk"  # "is having almost everything in REX risky?" asks the wallet's risk
    if intent.kind in ("net_worth", "count", "risk") and intent.symbols and intent.holdings:
        return "holding"
    share_of = r"\b(share|percent\w*|pct|portion|fraction|part|%) of (my |the )?(total )?net ?worth"
    if intent.kind == "net_worth" and re.search(share_of, intent.text):
        if re.search(r"\b(top|biggest|largest|main|heaviest|most)\b", intent.text):
            return "biggest"
        if re.search(r"\b(smallest|least|lowest|tiniest)\b", intent.text):
            return "smallest"
    if intent.kind == "disputed" and intent.symbols:
        agree = r"diverg|disagree|spread|(not|n't|dont) agree|conflict|mismatch|contest"
        return "price" if re.search(agree, intent.text) else "counted"
    if (
        intent.kind == "disputed"
        and re.search(r"net ?worth", intent.text)
        and not re.search(
            r"how many|which|what (tokens?|holdings?|assets?)|left out|excluded|not counted|"
            r"\b(list|whatever|anything)\b|what'?s (missing|excluded|left out)",
            intent.text,
        )
    ):
        return "net_worth"
    window_words = (
        r"\b(week|weekly|month|monthly|today|daily|24 ?h|7 ?d|30 ?d|24 ?hours?|"
        r"(7|seven|30|thirty) ?days?)\b"
    )
    if intent.kind == "pnl" and re.search(window_words, intent.text):
        return "performance"
    if (
        intent.kind == "pnl"
        and re.search(window_words, intent.whole)
        and re.search(r"\b(lost|lose|losing|gained|gain|fell|dropped|down|up)\b", intent.text)
        and not re.search(r"reali[sz]ed|cost|profit|p&?n?l|paper|sold|selling", intent.text)
    ):
        return "performance"  # "It fell this week. How much have I lost?": the week's change
    if intent.kind == "spam" and re.search(
        r"\bprice\b.*\bflag\w*|\bflag\w*\b.*\bprice\b", intent.text
    ):
        return "price"  # "why is the REX price flagged?" asks the price check
    if intent.kind == "news" and intent.symbols and re.search(r"\bprice[- ]check", intent.text):
        return "price"  # "what does the price check say about MEME?" asks the check's flag
    if (
        intent.kind == "news"
        and re.search(r"\b(good|positive|bullish) or (\w+ )?(bad|negative|bearish)\b", intent.text)
        and not re.search(_ONE_ITEM, intent.text)
    ):
        return "sentiment"  # "people say good or bad?" asks the mood, not the headlines
    if intent.kind == "sentiment" and re.search(_ONE_ITEM, intent.text):
        return "news"  # the sentiment of one article is that item's field
    if (
        intent.kind == "changes"
        and re.search(window_words, intent.text)
        and not re.search(_EARLIER_REPORT, intent.text)
    ):
        return "performance"
    if intent.kind == "news" and re.search(
        r"\bhow many\b.*\b(negative|positive|neutral)\b", intent.text
    ):
        return "sentiment"
    if (
        intent.kind == "chains"
        and intent.holdings
        and re.search(_HOW_MUCH, intent.text)
        and not re.search(r"\bblocks?\b", intent.text)
    ):
        return "holding"
    if (
        intent.kind == "news"
        and intent.symbols
        and re.search(_SOURCE_WORDS, intent.text)
        and re.search(r"\b(worth|price[sd]?|cost|quotes?|value)\b", intent.text)
    ):
        return "price"
    if (
        intent.kind in ("spam", "disputed")
        and re.search(r"\bnet ?worth\b", intent.text)
        and re.search(r"\b(excluding|without|except|minus|less|not counting|ex)\b", intent.text)
    ):
        return "net_worth"
    if intent.kind == "spam" and re.search(
        r"\b(including|incl|with|plus|counting) (the )?spam|"
        r"\bhow many\b.*\bspam (included|counted|too|as well)\b",
        intent.text,
    ):
        return "count"  # "how many coins, spam included?" counts them
    if (
        intent.kind == "address"
        and re.search(r"\b(in|at) (this|the|my) address\b", intent.text)
        and re.search(r"\b(worth|value|total|dollars|usd|how much)\b", intent.text)
    ):
        return "net_worth"  # "total dollars sitting in this address" asks the value there
    if (
        intent.kind == "price"
        and re.search(r"\bcome[sd]? from\b", intent.text)
        and not re.search(r"\b(price[sd]?|quotes?|sources?|oracles?|twap|feed|px)\b", intent.text)
    ):
        if re.search(_PNL_WORDS, intent.text):
            return "pnl"  # "where does the profit number come from?" asks the profit's facts
        if re.search(r"\b(total|net ?worth|wallet|portfolio)\b", intent.text):
            return "net_worth"
    if intent.kind == "net_worth" and re.search(
        r"^\W*(list|show) (me )?(all )?(my |the )?(holdings|tokens|assets|positions|coins|"
        r"everything)\b|\b(which|what) (tokens|coins|assets) (are in|form) (my|the) "
        r"(portfolio|wallet)\b",
        intent.text,
    ):
        return "list"  # "list my coins with their values", "which tokens are in my portfolio"
    if (
        intent.kind == "chains"
        and re.search(
            r"\b(worth|value|total|altogether|together|combined|sum|overall)\b", intent.text
        )
        and not re.search(
            r"\b(how many|which|what|list|name|count)\b( \w+)? (block)?chains?\b|"
            r"\bblocks?\b|\b(each|per|by) (block)?chain\b",
            intent.text,
        )
    ):
        return "net_worth"  # "worth in total, all the chains together" is the net worth
    if (
        intent.kind == "sentiment"
        and re.search(_PNL_WORDS, intent.text)
        and not re.search(_MOOD_WORDS, intent.text)
    ):
        return "pnl"  # "is my unrealised negative?" asks the profit, not the mood
    if (
        intent.kind == "price"
        and intent.holdings
        and re.search(r"\b(value|valued|worth)\b", intent.text)
        and not re.search(
            r"\b(per|each|one|1|a single|unit|token price|price of|quotes?|"
            r"sources?|median|at what price)\b",
            intent.text,
        )
    ):
        return "holding"  # "MEME, value as priced?" asks the holding's value at that price
    if intent.kind == "why_move" and re.search(r"\b(most|biggest|largest|worst)\b", intent.text):
        return "movers"
    if (
        intent.kind == "price"
        and re.search(_WINDOW, intent.text)
        and re.search(_CHANGED, intent.text)
    ):
        return "performance"
    unpriced = qa_holdings.UNPRICED
    if intent.kind == "price" and not intent.symbols and re.search(unpriced, intent.text):
        return "count"
    if intent.kind == "price" and not intent.symbols and "how many" in intent.text:
        return "count"
    if intent.kind == "price" and not intent.symbols:
        if re.search(r"\b(smallest|least|lowest)\b", intent.text):
            return "smallest"
        if re.search(r"\b(biggest|largest|top)\b", intent.text):
            return "biggest"
    return intent.kind


def _answer_the_rest(reply: Reply, kind: str, more: list[Intent]) -> None:
    """Add the answers to what the question asks after its headline ("…, and the 7-day
    change?"): each further part's known answer is said and cited; the headline stays."""
    done = {kind}
    for part in more:
        part_kind = _refine(part)
        if part_kind is None or part_kind in done or part_kind in ("advice", "no_data"):
            continue
        builder = _BUILDERS.get(part_kind)
        if builder is None:
            continue
        done.add(part_kind)
        extra = builder(Reply(reply.facts), part)
        if extra.known and (extra.headline_id is None or extra.value is not None):
            reply.also(extra)


NUMBER_IN = re.compile(r"\d(?:[\d,]*\d)?(?:\.\d+)?")
"""A number as an answer's text shows it (as :data:`rexos.lense.qa_score.NUMBER`)."""

_FACT_ID = re.compile(r"\b[a-z][a-z_]*(?:\.[\w:]+)+")


def _list_facts(
    reply: Reply, facts: FactSet, ids: list[str], *, unlabelled: str, sources: bool = False
) -> Reply:
    """``ids`` said one after another, each with its label (``unlabelled`` where the label has
    digits or is missing: a label is third-party text and states no number), and with
    ``sources`` its digit-free source."""
    for n, fact_id in enumerate(ids):
        label = facts[fact_id].label
        shown = f"{label}: " if label and not re.search(r"\d", label) else unlabelled
        reply.say("; " if n else "", shown, FactRef(fact_id))
        source = facts[fact_id].source
        if sources and source and not re.search(r"\d", source):
            reply.say(f" (from: {source})")
    return reply


def _named_facts(facts: FactSet, question: str) -> Answer | None:
    """A question that writes report fact ids ("Report net_worth.usd and risk.level") is
    answered with those facts, the first as the headline; third-party text (news titles,
    token names) is not answered this way."""
    ids = [i for i in dict.fromkeys(_FACT_ID.findall(question)) if i in facts]
    ids = [i for i in ids if not untrusted_id(i)]
    if not ids:
        return None
    reply = _list_facts(Reply(facts).say("From the report: "), facts, ids, unlabelled="")
    reply.headline(ids[0]).say(".")
    if reply.value is None:
        reply.unknown("the report has no value for that fact.")
    return Answer(reply.text(), tuple(reply.cited), reply.known, reply.value, "fact")


_ORIGIN = re.compile(
    r"\b(come|comes|coming|came) from\b|\bwhere\b.*\bfrom\b|\bsource of\b|"
    r"\bhow (was|is|were|are|did you|do you|does it|did it)\b.*\b(calculat\w*|comput\w*|get|got|"
    r"arriv\w*|deriv\w*|work\w* out|reach\w*|figur\w*)\b|\bderived\b|\bwhose math\b|"
    r"\bwhich fact\b|\bwhat is (this|that) (number|figure)\b|\bwhat does (this|that) "
    r"(number|figure)\b"
)
"""A skeptic asking where a number comes from ("where does that 58,707.81 come from?")."""
_QUOTED_NUMBER = re.compile(r"(?<![\w.])\$?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d{4,})(?![\w])")


def _number_origin(facts: FactSet, question: str) -> Answer | None:
    """A question asking where a number it quotes comes from is answered with the facts that
    render that number (a few at most), each with its label; third-party text is not."""
    if not _ORIGIN.search(question.lower()):
        return None
    numbers = _QUOTED_NUMBER.findall(question)
    if not numbers:
        return None
    found = [
        f.id for f in facts
        if not untrusted_id(f.id)
        and any(n in NUMBER_IN.findall(facts.render(f.id)) for n in numbers)
    ]  # fmt: skip
    if not found or len(found) > 3:
        return None
    reply = Reply(facts).say("That number is in the report: ")
    reply = _list_facts(reply, facts, found, unlabelled="a report fact: ", sources=True)
    reply.headline(found[0]).say(".")
    return Answer(reply.text(), tuple(reply.cited), reply.known, reply.value, "fact")


_POINTS_BACK = re.compile(r"\b(it|its|it's|they|them|their|those|these|that|this one|which one)\b")
"""A later part that points back at another ("…, and what are they worth?") has no answer
alone, nor has one of a word or two ("…, and when?"); alone it can only be declined."""


def _answer_a_part(
    facts: FactSet,
    question: str,
    *,
    reader: bool | None,
    model: QaModel | None,
    overrule: Mapping[str, float] | float,
) -> Answer | None:
    """A question of two or more parts where one has no answer here (a past, a network or
    data the report lacks) and another stands alone and has one: that part's answer, then
    the others' "I don't know" (any fact their reasons name is cited too). None when no part
    stands alone with an answer, or when the question is one part."""
    parts = [text for text, _ in parts_of(question)]
    if len(parts) < 2:
        return None
    answers = [answer(facts, text, reader=reader, model=model, overrule=overrule) for text in parts]
    leans = [n > 0 and bool(_POINTS_BACK.search(t.lower()) or len(t.split()) < 3)
             for n, t in enumerate(parts)]  # fmt: skip
    known = [a for a in answers if a.known]
    declined = [a for a in answers if not a.known]
    leaning = any(a.known and lean for a, lean in zip(answers, leans, strict=True))
    if len(known) != 1 or not declined or leaning:
        return None
    got = known[0]
    rest = " ".join(a.text.replace("I don't know:", "I don't know the rest:", 1) for a in declined)
    cited = tuple(dict.fromkeys([*got.cited, *(i for a in declined for i in a.cited)]))
    return Answer(f"{got.text} {rest}", cited, True, got.value, got.kind, got.narrative)


def rule_reading(facts: FactSet, question: str) -> tuple[str, Reading]:
    """The kind the word rules give ``question``, and how they read it: ``fixed`` before any
    kind is read (another wallet or time, named fact ids, an asset not held: no reader changes
    it), ``guessed`` when no rule matched, else ``read``."""
    got = answer(facts, question, reader=False)
    if got.kind in ("out_of_scope", "fact") or got.text == _NOT_HELD:
        return got.kind, "fixed"
    intent = read_intents(facts, question[:MAX_QUESTION_CHARS])[0]
    return got.kind, "guessed" if intent.guessed else "read"


def answer(
    facts: FactSet,
    question: str,
    *,
    llm: Model | None = None,
    reader: bool | None = None,
    model: QaModel | None = None,
    overrule: Mapping[str, float] | float = OVERRULE,
) -> Answer:
    """Answer ``question`` from ``facts`` alone (see the module docstring). ``reader``:
    whether the learned reader takes part (default :data:`READER`); ``model``: which reader
    (default the shipped one) and ``overrule``: where it may overrule a matched rule (see
    :func:`rexos.lense.qa_model.decide`), both to measure other readers and policies."""
    question = spoken(facts, question[:MAX_QUESTION_CHARS])
    beyond = out_of_scope(facts, question[:MAX_QUESTION_CHARS])
    if beyond is not None:
        split = _answer_a_part(facts, question, reader=reader, model=model, overrule=overrule)
        return split or Answer(f"I don't know: {beyond}", (), False, None, "out_of_scope")
    named = _named_facts(facts, question[:MAX_QUESTION_CHARS]) or _number_origin(
        facts, question[:MAX_QUESTION_CHARS]
    )
    if named:
        return named
    intent, *more = read_intents(facts, question[:MAX_QUESTION_CHARS])
    if intent.kind == "no_data":
        split = _answer_a_part(facts, question, reader=reader, model=model, overrule=overrule)
        if split is not None:
            return split
    kind: str | None = _refine(intent)
    if READER if reader is None else reader:
        reading: Reading = "guessed" if intent.guessed else "read"
        guess = (model or load_model()).best(prepare(facts, question[:MAX_QUESTION_CHARS]))
        kind = decide(kind, reading, *guess, overrule=overrule)
        if kind in _ABOUT_AN_ASSET and intent.unheld and not intent.symbols:
            kind = None  # the reader guessed a kind about an asset this wallet does not hold
    if kind is None:
        return Answer(_NOT_HELD, (), False, None, intent.kind)
    builder = _BUILDERS.get(kind)
    if builder is None:
        return Answer(_UNKNOWN, (), False, None, "unknown")
    reply = builder(Reply(facts), intent)
    if reply.known and reply.headline_id is not None and reply.value is None:
        reply.unknown("the report has no value for that.")
    if reply.known:
        _answer_the_rest(reply, kind, more)
    narrative = None
    if llm is not None and reply.known:
        from rexos.lense.qa_narrative import narrate

        narrative = narrate(llm, question[:MAX_QUESTION_CHARS], facts, reply.cited)
    return Answer(reply.text(), tuple(reply.cited), reply.known, reply.value, kind, narrative)
