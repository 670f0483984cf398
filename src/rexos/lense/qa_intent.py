"""What a question asks: its kind, and the assets (and chain) it names, read against facts.

Kinds are recognised by stated word rules, first match wins (order in :data:`RULES`). The
assets are the held or priced symbols the question names (``$REX`` or ``rex``), settled by
the facts, so a word names an asset only if this wallet has one by that symbol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rexos.lense.facts import FactSet
from rexos.lense.qa_parts import parts_of
from rexos.lense.qa_spoken import spoken
from rexos.lense.qa_words import clean
from rexos.lense.report_index import Holding, chain_ids, holdings

__all__ = ["RULES", "Intent", "Kind", "read_intent", "read_intents"]

Kind = Literal[
    "spam", "approvals", "changes", "why_move", "news", "sentiment", "disputed", "price",
    "pnl", "risk", "biggest", "smallest", "chains", "count", "holding", "net_worth",
    "performance", "movers", "as_of", "address", "list", "advice", "no_data", "unknown",
]  # fmt: skip

_MOVE = (
    r"\b(perform\w*|gain\w*|los[est]\w*|drop\w*|fell|fall\w*|rose|ris\w*|up|down|"
    r"moved?|declin\w*|increas\w*|decreas\w*|mak\w* me|made me|earn\w*)\b"
)

RULES: tuple[tuple[Kind, str], ...] = (
    ("advice", r"\b(should i(?! be (concerned|worried|afraid|scared|nervous|alarmed))|shall i|"
               r"would you (buy|sell|hold|invest|recommend|do|advise)|"
               r"(i|we) (must|need to|have to|ought to|gotta) "
               r"(sell|buy|hold|dump|exit|swap)|"
               r"do you recommend|recommend\w*|good time|"
               r"is it (a )?(good|wise|smart)|worth buying|buy more|sell now|"
               r"(your|any|some|financial|investment) advice|advice (on|about)|"
               r"advise me (to|whether|if)|tell me (to|if (i|we) should|whether (i|we) should|"
               r"whether to)|what do you (advise|suggest)|"
               r"good (buy|investment|idea|entry)|(best|good|right) (\w+ ){0,2}to (buy|sell|ape|"
               r"invest)\b|(a|the) (buy|sell)\b|undervalued|overvalued|"
               r"will \w+( \w+)? (go|be|reach|hit|rise|fall|drop|pump|dump|moon)|predict\w*|"
               r"(going to|gonna) (go|be|reach|hit|rise|fall|drop|pump|dump|moon|crash)|"
               r"wen (moon|lambo|pump)|forecast\w*|next (week|month|year)|end of the year|"
               r"price target|in the future|good (long[- ]term )?(hold|bet)|long[- ]term hold|"
               r"tomorrow|will (\w+ )?(cost|be worth|trade|be priced)|"
               r"moon\w*|pump\w*|dump\w*|ape\w*|fomo\w*|hodl\w*|btfd|dca|buy the dip|"
               r"(buy|grab|add|stack|load up on|load|get) (more|some more|the dip)|"
               r"by (the )?(eo[dwmy]|end of (the )?(day|week|month|year))|eo[wmy]|"
               r"year[- ]end|end[- ]of[- ](the[- ])?year|project(ed|ion|ions)?|"
               r"(or|better) wait|expected (value|price|return)|"
               r"(buy|sell|ape|hold|add|dump|exit|stake|unstake) (\w+ )?or (nah|not)\b|"
               r"to \$?\d+(\.\d+)? ?k|(hit|reach|see|break) \$?\d[\d,.]*k?|"
               r"where is \$?\w+ (going|heading|headed)|"
               r"(heading|headed|going) (next|from here)|from now|estimat\w*|"
               r"(a|one|two|\d+) (weeks?|months?|years?) (out|ahead)|"
               r"over ?priced|under ?priced|(too )?(cheap|expensive)|"
               r"fair(ly)? (value|valued|priced)|what if|"
               r"if \$?\w+ (doubles|triples|halves|goes to|hits|reaches|drops|falls|crashes|moons)|"
               r"(safe|ok|okay|fine|wise|smart) to (keep|hold|leave|revoke|sell|buy))\b"),
    ("no_data", r"\b(gas|fees?|tax\w*|when did i (buy|sell|get)|purchase date|bought|"
                r"deposit\w*|withdr[ae]w\w*|since i (created|opened|started|made)|"
                r"transaction history|"
                r"weather|ago|(last|past|previous|prior) (year|twelve months)|a year|years|"
                r"(highest|lowest|peak|record|most|least|max\w*|min\w*)\b.*\bever|"
                r"who (is|'s|are) behind|who (owns|controls|operates)|"
                r"(safer|riskier|more (risky|dangerous|secure)|less (risky|safe)) than|"
                r"\d+[- ]?(year|yr)s?|yearly|annual\w*|ytd|"
                r"ap[ry]|yield\w*|interest rate|market ?cap\w*|mcap|volume|tvl|"
                r"(circulating|total|max) supply|health factor|liquidat\w*|impermanent loss|"
                r"found(er|ers|ed)|who (made|created|runs)|whitepaper|roadmap|nfts?|"
                r"(last|past|previous|one|an|1) hour|hourly|\d+ ?(minutes?|mins?)|"
                r"in (eur|euros?|gbp|pounds?|yen|jpy|cad|aud|chf|inr|rupees?|yuan|cny|rubles?)|"
                r"mainnet|on (ethereum|arbitrum|optimism|polygon|base|bsc|solana|avalanche)|"
                r"all[- ]time|interest|sharpe|sortino|volatil\w*|drawdown|correlat\w*|"
                r"standard deviation|issuer|issued by|who issued|"
                r"(entry|purchase|buy|buying|average) price|at what price (did|do|have|had) (i|we)|"
                r"(how much|how many|when) \$?\w+ did i (buy|purchase)|did i (buy|purchase)|"
                r"(which|what) exchanges?|followers|subscribers|(number of|how many) holders|"
                r"(?!(1|7|24|30)[- ]?(d|days?|h|hrs?|hours?)\b)\d+[- ]?(d|days?|h|hrs?|hours?)|"
                r"(?!1[- ]?(w|weeks?|months?)\b)\d+[- ]?(w|weeks?|months?)|"
                r"(ninety|sixty|fourteen|two|three|six) (days?|weeks?|months?)|"
                r"how many times|(did|have) i (trade|traded|swap|swapped|transact\w*)|"
                r"number of (trades|swaps|transactions)|expir\w*|this year|this quarter|"
                r"ath|atl|funding|open interest|perps?|perpetuals?|leverage\w*|margin|"
                r"how many (people|holders?|wallets?|addresses|users)( \w+)? (hold|own|have)|"
                r"how many holders|people (hold|own)|"
                r"(when|what date|which date|what day|how long|how soon)\b.*\b(unstak\w*|"
                r"unlock\w*|unbond\w*|redeem\w*|redeemable|claimable|withdrawable|matur\w*)|"
                r"lock[- ]?up|cool[- ]?down|unbonding)\b"),
    ("spam", r"\b(spam|scam\w*|fake|phishing|junk|garbage|copy|copycat|knock-?off|clone|(shady|"
             r"sketchy|dodgy) (\w+ )?(tokens?|"
             r"coins?|assets?|holdings?|stuff|things?)|rug\w*|honeypots?|homoglyph|suspicious|"
             r"airdrop\w*|flagged|look-?alike|impersonat\w*|rules? (that )?fired|pos(ing|es) as|"
             r"pretend\w* to be|mimic\w*|spoof\w*)\b"),
    ("changes", r"\b(what('?s| has)? changed|changes since|disappear\w*|vanish\w*|"
                r"(what|whatever) (became|happened) (of|to)|(no|any) ?longer|anymore|"
                r"where (did|has|have|is|are) (my |the )?\$?\w+ (go|gone|went)|"
                r"since (the |my )?(last|previous)|"
                r"since last|what'?s new|different from|new holdings?|"
                r"holdings? (added|removed)|changed|than (last|the last|before|previous)|"
                r"than (at |in )?(the )?(last|previous|prior|earlier) (report|one|time)|"
                r"compared (to|with) (last|the last|before|previous)|vs\.? last|last time|"
                r"(vs\.?|versus|compared (to|with)|from) (the )?(last|previous|prior|earlier) "
                r"(report|one)|"
                r"(relative to|against|versus) (the )?(last|previous|prior|earlier) (report|one)|"
                r"(was|were) in my wallet (last time|before)|"
                r"since \d{4}-\d\d-\d\d)\b|"
                r"\b(is|was) \$?\w+ (a )?new\b|\b(which|what) (assets?|tokens?|holdings?|coins?) "
                r"(is|are) new\b|\bnew (assets?|tokens?|coins?)\b"),
    ("approvals", r"\b(approv\w*|allowances?|revoke\w*|spenders?|"
                  r"(allowed|able|permitted|can|could|may) (to )?(spend|take|move|use)|"
                  r"spend (my|your|the|our) |permission|spending (rights?|power|access|limits?)|"
                  r"granted|unlimited)\b"),
    ("why_move", r"\b(explain what happened|what happened (over|in|during|this|last|the))\b|"
                 r"\bwhy\b.*\b(down|up|drop\w*|fell|fall\w*|los[est]\w*|gain\w*|ris(e|es|en|ing)|"
                 r"rose|red|green|decline\w*|increase\w*|decrease\w*)\b|"
                 r"\b(what|which)\b.*\b(dragg\w*|pull\w*|push\w*|hurt|caus\w*)\b|"
                 r"\bwhat (made|drove|drives|is driving)\b.*\b(up|down|drop\w*|fell|fall\w*|"
                 r"ris(e|es|en|ing)|rose|gain\w*|los[est]\w*|change)\b|"
                 r"\bexplain (the|this|my|that) (drop|fall|rise|gain|loss|decline|dip)\b|"
                 r"\b(reason (for|behind)|behind) (the|my|this|that) (drop|fall|rise|gain|loss|"
                 r"decline|dip)\b|"
                 r"\b(down|up|lost|dropped|fell|gained|rose|red|shrank|shrunk)\b[^?.]*\b(why|"
                 r"the reason)\b|"
                 r"\bhow come\b.*\b(down|up|red|green|drop\w*|fell|los[est]\w*|gain\w*)\b|"
                 r"\baccount for (the|this|my|that) (drop|fall|rise|gain|loss|decline|dip)\b|"
                 r"\breason (my|the) .* (went|go|gone|is) (up|down)\b"),
    ("movers", rf"\b(which|what)\b.*(\b(best|worst|most|least)\b.*{_MOVE}|{_MOVE}.*"
               r"\b(best|worst|most|least)\b)|\b(best|worst)[- ]perform\w*|"
               r"\btop (gainer|loser)s?\b|\b(best|worst) (coin|token|asset|holding)s? (this|last|"
               r"over|in|of|so far)\b|"
               r"\b(biggest|top) (winner|loser)s?\b|"
               r"\b(which|what)\b.*\b(hardest|sharpest|steepest)\b|\b(best|worst|top|"
               r"biggest) (mover|perform\w*)s?\b|"
               r"\b(biggest|largest) (gainer|loser|drop|mover)s?\b|"
               r"\b(which|what)\b.*\b(biggest|largest|most|worst|heaviest) (loss|losses|gains?|"
               r"drop|fall|rise)\b|"
               r"\b(which|what)\b.*\b(did|was|is|has|went) (the )?(best|worst)\b"),
    ("news", r"\b(articles?|stor(y|ies)|posts?|headlines?|news|items? (about|on|mention\w*|"
             r"nam\w*))\b.*\b(published|publication|source|domain|outlet|site|website|dated?|"
             r"when|link|url)\b|\b(source|publication|published|link|url)\b.*\b(of|for) the "
             r"(articles?|stor(y|ies)|posts?|headlines?|items?)\b|"
             r"\b(published|publication|publisher|outlet|domain|which site|"
             r"what site)\b|\b(link|url)s?\b.*\b(articles?|stor(y|ies)|posts?|headlines?|news|"
             r"items?)\b"),
    ("address", r"\b(wallet address|my address|which address|what address|whose wallet|"
                r"address|addr)\b|"
                r"\b(which|what) wallet\b.*\b(report|for)\b|\breport (is )?(for|about)\b"),
    ("as_of", r"\b(when was|when is|when's|report time|as[- ]of|how old|how recent|generated|"
              r"last updated|what time|report from|date of|timestamp|(report|data) (date|time)|"
              r"dated|when (was|is|were) (this|the) (report|data)|"
              r"when (were|was) (the |these |my |this )?(numbers|figures?|data|prices?|balances?|"
              r"values?) (pulled|taken|fetched|"
              r"read|captured|collected|updated|refreshed)|"
              r"(report|data|figures?) (is |are |was |were )?(made|created|built|produced|"
              r"generated) (on|at) (which|what)|"
              r"report (was )?(created|made|built|produced|run|generated))\b"),
    ("disputed", r"\b(disputed?|diverg\w*|disagree\w*|excluded|left out|not counted|"
                 r"price (problems?|issues?|disputes?|conflicts?|troubles?)|conflict\w*|contested|"
                 r"mismatch\w*|unreliable|shaky|(do not|don't|dont|can't|cant|cannot) agree|"
                 r"kicked out|left off|"
                 r"uncounted|counted(?! (holdings?|positions?|assets?|tokens?|ones|for))|"
                 r"includ(ed|es?)|counts? (toward|towards|in|into)|"
                 r"missing from)\b|"
                 r"\b(isn'?t|not|is|are)\b.*\b(in|part of) (my |the )?net ?worth\b|"
                 r"\b(isn'?t|not)\b.*\b(in|part of) (my |the )?total\b"),
    ("net_worth", r"\b(net ?worth|netwroth|networth)\b"),
    ("sentiment", r"\b(sentiment|mood|feel\w*|bullish|bearish|opinion|tone)\b|"
                  r"\bhow (positive|negative|good|bad)\b|"
                  r"\b(like|liking|likes|love|loving|hate|hating|hyped|hype) (\$?\w+ )?or not\b|"
                  r"\b(people|they|others|everyone|folks|the crowd|the market) (think|thinks|"
                  r"thinking) (of|about)\b|\b(vibes?|buzz)\b|"
                  r"\b(were|are|was|is) (positive|negative|neutral)\b|"
                  r"\b(well|badly|highly|poorly) (thought of|regarded)\b|\breputation\b|"
                  r"\b(people|folks|investors|traders|everyone|the market) (like|likes|love|loves|"
                  r"hate|hates|dislike|dislikes)\b|"
                  r"\bhow many (positive|negative|neutral)\b|"
                  r"\b(is|are|was|were) (the )?(news|coverage|press|headlines?|articles?|posts?)\b"
                  r"[^?.]*\b(positive|negative|upbeat|bullish|bearish)\b"),
    ("news", r"\b(news|headlines?|posts?|articles?|stories|story|mention\w*|coverage|"
             r"(write|wrote|written|reported|published|blogged|tweeted|posted) (about|on)|"
             r"(people|folks|investors|traders|everyone|anyone) (write|wrote|post|posted|say)|"
             r"(say|says|said|saying) about|what (do|does|did|are|is) (?!you\b)\w+( \w+)? (say|"
             r"saying)|"
             r"(people|they|others|everyone|anyone|media|twitter|press|sources) (are )?"
             r"(say|says|said|saying))\b"),
    ("price", r"\b(price[sd]?|pirce|prcie|proce|px|quotes?|sources?|oracles?|trading at|"
              r"per token|come from|twap|dex spot|coingecko|feed|peg\w*|depeg\w*|"
              r"(going|selling|goes|sells|trading) for|changing hands at|spot|"
              r"\bwhat (?!did\b)(\$?\w+ ){1,3}costs?\b(?! (me|us)\b)(?! basis)|"
              r"(still )?worth (one|a|1|\$1) (dollars?|usd|bucks?)|"
              r"(still )?at (one|a|1|\$1) dollars?)\b|"
              r"\b(1|one|a single|each)\s+(?!(is|are|was|has)\b)\$?\w+\s+((token|coin|unit)s?\s+)?"
              r"(worth|cost)\b|"
              r"\bhow much (is|are|does|do) (an? |one |1 |a single )\$?\w+( token| coin)?"
              r"( on \S+)?\s*\??$|"
              r"\bhow much (for|costs?) (an? |one |1 |a single )\$?\w+\b|"
              r"\bhow much (does |do |is )?(an? |one |1 )?\$?\w+( token| coin)? (costs?|sells? for|"
              r"trades? at|trading at)\b"),
    ("pnl", r"\b(pnl|p&l|p/l|profit\w*|booked|cashed|pocketed|loss(es)?|unreali[sz]ed|"
            r"reali[sz]ed|cost basis|"
            r"break ?even|made|lost|(make|made|making|lose|lost|losing) money|earn\w*|"
            r"up or down on|lose|losing|on paper|in (the )?(green|red)|in profit|underwater|"
            r"(pay|paid|spend|spent) (for|on)|cost me|(did|have) (i|we) (make|made|earn|earned|"
            r"lose))\b"),
    ("risk", r"\b(risk\w*|safe\w*|danger\w*|exposed|exposure|concentrat\w*|diversif\w*|"
             r"red flags?|warnings?|problems?|issues?|worr\w*)\b|"
             r"\b(in|on) (one|a single|just one|only one) (token|coin|asset|holding|position|place|"
             r"basket)\b|"
             r"\btoo (big|much|large|heavy) (a )?(part|share|portion|chunk|slice)\b"),
    ("biggest", r"\b(biggest|largest|top|main|most valuable|heaviest|highest|worth the most|"
                r"bigger|larger|more valuable|worth more|"
                r"most (of my|value)|number one (holding|position|asset|token|coin)|carries)\b|"
                r"\b(which|what) (token|coin|asset|holding)s?\b.*\bmost\b|"
                r"\b(hold|have|own|got) (the )?most (of|money)\b|\bthe most money\b|"
                r"\b(forms?|is) (the )?(most|bulk|majority) of\b"),
    ("smallest", r"\b(smallest|least valuable|lowest|tiniest|worth the least|smaller|"
                 r"less valuable|worth less|least (money|value|valued|important|usd|dollars?)|"
                 r"littlest|"
                 r"bottom (holding|position|asset|token|coin)|minimum (holding|position)|"
                 r"(hold|have|own|got) (the )?least (of|money)|bottom of my (holdings|wallet|"
                 r"portfolio))\b"),
    ("chains", r"\b((block)?chains?|networks?|blocks?)\b"),
    ("count", r"\b(how many|number of|count (my |the |all |of )*)\b.*\b(holdings?|tokens?|assets?|"
              r"positions?|coins?|things|different|line items)\b|"
              r"\b(holdings?|tokens?|assets?|positions?) count\b"),
    ("performance", r"\b(perform\w*|this week|today|this month|24 ?h\w*|7 ?d(ays?)?|"
                    r"30 ?d(ays?)?|(seven|thirty) days?|week|month|day|weekly|daily|monthly|"
                    r"yesterday|(has|have|did) \$?\w+ moved?|"
                    r"change[sd]?|(how much|how far) (am i |are we |is it |is (my )?\$?\w+ )?"
                    r"(up|down)|"
                    r"(up|down) (over|in|this|for) (the )?((last|past) )?(week|month|day|\d|seven|"
                    r"thirty)|"
                    r"how did .* do|up or down|doing)\b"),
    ("net_worth", r"\b(total value|portfolio|wallet worth|worth in total|how much .*worth|total|"
                  r"value|worth|sum (of|in)|aggregate|combined|altogether|all together|overall|"
                  r"the whole thing|all of it|how much money (do|is|have))\b"),
    ("list", r"\b(list|show) (me )?(all )?(my |the )?(holdings|tokens|assets|positions|wallet|"
             r"coins|everything)\b|"
             r"\bwhat (do|does) (i|my wallet) (hold|own|have)\b|"
             r"\b(which|what) (tokens|assets|holdings|coins) (do )?i ((actually|really|still|"
             r"even) )?(have|hold|own|got)\b|"
             r"\ball my (holdings|tokens|assets)\b|\bwhat (am i|are we) holding\b|"
             r"\bwhat all do (i|we) (hold|own|have)\b|"
             r"\b(names?|symbols?) of (all )?(my |the )?(tokens|coins|assets|holdings)\b|"
             r"\bwhat (stuff|things|coins|tokens) do (i|we) (have|hold|own)\b|"
             r"\b(which|what) (tokens|coins|assets) (are in|form) (my|the) (portfolio|wallet)\b"),
    ("holding", r"\b(hold|holding|own|have|balance|how much|how many|position|amount)\b|"
                r"\b((full|token'?s?|proper|complete) name|name of (the|my|this|that) \$?\w+|"
                r"called|(kind|type|sort) of (position|holding)|"
                r"(which|what) (pool|venue|protocol)|where('?s| is| are) (my|the) \w+|"
                r"(is|are) there (any|some))\b"),
)  # fmt: skip
"""(kind, pattern) in the order they are tried."""

_WORD = re.compile(r"\$?[A-Za-z][A-Za-z0-9.\-]*")


@dataclass(frozen=True, slots=True)
class Intent:
    """A question's kind, the holdings of the assets it names, and a chain if it names one."""

    kind: Kind
    symbols: tuple[str, ...]
    holdings: tuple[Holding, ...]
    chain: str | None
    window: Literal["24h", "7d", "30d"]
    text: str = ""
    """The question, lower-cased, spaces collapsed."""
    unheld: tuple[str, ...] = ()
    """Words that look like a token symbol (``BTC``, ``$DOGE``) that this wallet does not hold."""
    whole: str = ""
    """The whole question (``text`` is the part of it that the kind was read from: what it
    asks first, whose words say which figure is asked)."""
    guessed: bool = False
    """No rule matched: the kind is ``unknown``, or ``holding`` only because an asset is named."""


_WINDOWS: tuple[tuple[Literal["24h", "7d", "30d"], str], ...] = (
    ("30d", r"\b(month|monthly|30 ?d(ays?)?|(30|thirty)[- ]days?)\b"),
    ("7d", r"\b(week|weekly|7 ?d(ays?)?|(7|seven)[- ]days?)\b"),
    ("24h", r"\b(today|yesterday|24 ?h(ours?)?|(24|twenty[- ]four)[- ]hours?|day|daily)\b"),
)


def _window(text: str) -> Literal["24h", "7d", "30d"]:
    """The time window the question names first ("24h and 7d change" asks the day's first);
    the week when it names none."""
    found = [
        (m.start(), n) for n, (_, words) in enumerate(_WINDOWS) if (m := re.search(words, text))
    ]
    return _WINDOWS[min(found)[1]][0] if found else "7d"


def _chains(facts: FactSet, text: str) -> list[str]:
    """The chain names ``text`` writes ("devnet b" is ``devnet-b``), in the order written."""
    names = sorted(
        (str(facts.value(f"chain.{c}.name")) for c in chain_ids(facts)), key=len, reverse=True
    )
    found: list[tuple[int, str]] = []
    for name in names:
        spelled = r"[- ]?".join(re.escape(part) for part in name.lower().split("-"))
        pattern = rf"(?<![\w-]){spelled}(?![\w-])"
        match = re.search(pattern, text)
        if match:
            found.append((match.start(), name))
            text = re.sub(pattern, lambda m: " " * len(m.group()), text)
    return [name for _, name in sorted(found)]


_MOVED_SLANG = (
    (re.compile(r"\b(why (is|are) \S+ )(pumping|mooning)\b"), r"\1rising"),
    (re.compile(r"\b(why (is|are) \S+ )(dumping|tanking|crashing)\b"), r"\1dropping"),
    (re.compile(r"\b(pumping|mooning)\b(?= (the )?(most|hardest)\b)"), "rising"),
    (re.compile(r"\b(dumping|tanking|crashing)\b(?= (the )?(most|hardest)\b)"), "dropping"),
    (re.compile(r"\b(did|has|have|had) (\$?[\w.-]+ )(pump|moon)(ed)?\b"), r"\1 \2rise"),
    (re.compile(r"\b(did|has|have|had) (\$?[\w.-]+ )(dump|crash|tank)(ed)?\b"), r"\1 \2drop"),
    (re.compile(r"\b(pumped|mooned)\b"), "rose"),
    (re.compile(r"\b(dumped|crashed|tanked)\b"), "dropped"),
)
"""Slang for a past move ("how much did MEME pump this week?"), or one under way that a
question asks the cause or the leader of ("why is X pumping", "what's dumping the most"): a
change, not a prediction."""


_GOT_MORE = re.compile(
    r"\b(did|have|has|had) (i|we|you|it|the wallet|my wallet) ((?:really|actually|just|truly) )?"
    r"(get|got|gotten|receive|received) more\b"
)
"""A past "did I get more REX?" asks what changed, not whether to buy more."""


def _moved_slang(text: str) -> str:
    text = _GOT_MORE.sub(r"\1 \2 \3gain more", text)
    for pattern, plain in _MOVED_SLANG:
        text = pattern.sub(plain, text)
    return text


_WRAPPERS = r"(?<!wrapped )(?<!staked )(?<!liquid )"
"""Words that make another token of a name ("wrapped ether" is not ether), unless the whole
phrase is a held token's name (matched first, longest names first)."""


def _by_name(facts: FactSet, question: str) -> tuple[list[str], str]:
    """Symbols of the holdings whose token name the question writes ("wrapped ether"), and
    the question with those names blanked (longest names first)."""
    text = re.sub(r"\bethereum\b(?! mainnet)", "ether", question.lower())
    names: list[tuple[str, str]] = []
    for h in holdings(facts):
        name = str(facts.value(h.id("name")) or "").lower()
        for variant in {name, re.sub(r"\s*\(.*?\)", "", name).strip()}:
            if len(variant) >= 3:
                names.append((variant, h.symbol))
    found: list[str] = []
    for name, symbol in sorted(names, key=lambda n: len(n[0]), reverse=True):
        pattern = rf"{_WRAPPERS}(?<![\w-]){re.escape(name)}s?(?![\w-])"
        if re.search(pattern, text):
            text = re.sub(pattern, " ", text)
            if symbol not in found:
                found.append(symbol)
    return found, text


def _symbols(facts: FactSet, question: str) -> tuple[str, ...]:
    """Held symbols the question names (by symbol or token name), in the order it names them."""
    held = {h.symbol.upper(): h.symbol for h in holdings(facts)}
    found, rest = _by_name(facts, question)
    by_symbol: list[str] = []
    for word in _WORD.findall(rest if found else question):
        bare = word.lstrip("$").rstrip(".-").upper()
        if bare in held and held[bare] not in by_symbol:
            if not word.startswith("$") and bare.lower() in _COMMON and word.islower():
                continue
            by_symbol.append(held[bare])
    return tuple(dict.fromkeys([*by_symbol, *found]))


_NOT_SYMBOLS = frozenset({
    "I", "PNL", "USD", "APR", "APY", "TVL", "NFT", "FIFO", "TWAP", "DEX", "OK", "AND", "OR",
    "WHAT", "MY", "IS", "THE", "A", "ME", "IT", "AM", "DO", "HOW", "WHY", "AI", "UTC", "LP",
    "PP", "BPS", "ETF", "CEX", "US", "USA", "UK", "EU", "PM", "ID", "FAQ", "TL", "DR",
})  # fmt: skip


def _unheld(facts: FactSet, question: str, held: tuple[str, ...]) -> tuple[str, ...]:
    """Capitalised or cashtag words shaped like a symbol that name nothing held."""
    upper = {s.upper() for s in held} | {h.symbol.upper() for h in holdings(facts)}
    found = []
    for word in _WORD.findall(question):
        bare = word.lstrip("$").rstrip(".-")
        looks = (
            word.startswith("$")
            or (bare.isupper() and 2 <= len(bare) <= 10)
            or re.fullmatch(r"[a-z][A-Z][A-Z0-9]{1,8}", bare) is not None  # sREX, wBTC, stETH
            or re.fullmatch(r"[a-z]{2}[A-Z]{3,8}", bare) is not None
        )
        if (
            looks
            and bare.upper() not in upper
            and bare.upper().replace(".", "") not in _NOT_SYMBOLS
        ):
            found.append(bare.upper())
    return tuple(dict.fromkeys(found))


_WELL_KNOWN = (
    "bitcoin", "btc", "solana", "dogecoin", "doge", "cardano", "ripple", "xrp", "polkadot",
    "chainlink", "avalanche", "avax", "tether", "usdt", "arbitrum", "optimism", "polygon",
    "matic", "litecoin", "ltc", "shiba", "tron", "trx", "bnb", "dai", "uniswap", "aave",
    "monero", "xmr", "toncoin", "pepe", "wbtc", "steth",
)  # fmt: skip
"""Well-known assets named in lower case ("news about bitcoin"): not held unless the facts
hold them."""

_KIND_WORDS = {
    "lp": r"\b(lp|liquidity)\b",
    "stake": r"\b(stake[ds]?|staking)\b",
    "vesting": r"\b(vest\w*)\b",
    "rewards": r"\b(rewards?|unclaimed)\b",
    "points": r"\bpoints\b",
}
"""Words that name a kind of position (``my LP position``)."""

_COMMON = frozenset({"a", "i", "my", "me", "on", "in", "is", "it", "the", "one", "all", "up"})
"""Words that name an asset only as a cashtag or in capitals."""


_AND = re.compile(r"\s*(?:,\s*|\s)(?:and|&|plus)\s+", re.IGNORECASE)


def _pair(part: tuple[str, bool], held: frozenset[str]) -> list[tuple[str, bool]]:
    """``part`` split at an "and" whose two sides ask different kinds ("risk level and net
    worth"); as it is when a side has no kind of its own or both ask the same kind."""
    text, asked = part
    for joint in _AND.finditer(text):
        left, right = text[: joint.start()], text[joint.end() :]
        kinds = {_rule_kind(clean(side.lower(), held)) for side in (left, right)}
        if len(kinds) == 2 and "unknown" not in kinds:
            return [(left, asked), *_pair((right, asked), held)]
    return [part]


def _rule_kind(text: str) -> Kind:
    for name, pattern in RULES:
        if re.search(pattern, text):
            return name
    return "unknown"


_PAST = (
    r"\b(what|how much|how many)\b.*\b(was|were|did i (have|hold|own))\b.*"
    r"\b(last|previous|prior|yesterday|before|earlier|at the time)\b"
)
"""A value at an earlier time ("what was my net worth last week"): the report holds changes
since the last report, not the earlier values themselves."""
_MOVED = (
    r"\b(chang\w*|perform\w*|mov\w*|gain\w*|los[est]\w*|up|down|drop\w*|rose|fell|differ\w*|"
    r"added|removed|new|gone|appeared|disappeared)\b"
)


_STILL = re.compile(
    r"\b(chang\w*|mov\w*|perform\w*|do|did|doing|done|up|down|gain\w*|los[est]\w*|drop\w*|"
    r"fell|fall\w*|rose|ris\w*|went|go|goes|going|24 ?h\w*|daily|day)\b"
)
_NOW = re.compile(
    r"\s*\b(today|right now|(?<!from )now|currently|at the moment|at present|these days)\b"
)


def _present(text: str) -> str:
    """``text`` without words that only say "at present" ("what is it worth today?") when
    nothing in it asks how something moved ("how did ETH do today?" keeps its "today")."""
    if re.search(r"\b(worth|value|price[sd]?|costs?|balance|how (much|many)|hold|own|have)\b",
                 text) and not _STILL.search(_NOW.sub(" ", text)):  # fmt: skip
        return _NOW.sub("", text)
    return text


_TOPIC = re.compile(
    r"\b((?:articles?|items?|posts?|stor(?:y|ies)|headlines?|pieces?|news)) (?:about|on|"
    r"regarding|concerning|saying|that says|which says|titled|headlined)\b.*?"
    r"(?=\b(?:published|posted|dated|written|released|from|sentiment|tone|link|url|source)\b|$)"
)


def _untopical(text: str) -> str:
    """``text`` without the words that describe a news item's topic ("the article about sREX
    deposits"): third-party subjects, not what the question asks (not a deposit history)."""
    return _TOPIC.sub(lambda m: m.group(1) + " ", text)


def _topical_kind(text: str) -> Kind:
    """The kind of ``text``; a news item's topic never makes it advice or absent data."""
    kind = _rule_kind(text)
    if kind in ("advice", "no_data"):
        untopical = _rule_kind(_untopical(text))
        return kind if untopical == "unknown" else untopical
    return kind


def read_intent(facts: FactSet, question: str) -> Intent:
    """The kind of ``question`` and the assets, chain and time window it names."""
    return read_intents(facts, question)[0]


_BACK = re.compile(r"\b(that|this|it|those|these|them|which one)\b")
_BARE_WHY = re.compile(r"^\W*(but |and |so )?(why|how come|what caused it|the reason)\W*$")
"""A bare "why??" after a statement asks the cause of what the statement says."""
_SINCE_THEN = re.compile(r"\bsince (then|that (time|date|report|one))\b")
_EARLIER_REPORT = re.compile(r"\b(previous|last|prior|earlier|older) report\b")


def _refer_back(parts: list[tuple[str, str]], kinds: list[Kind], asked: list[bool]) -> set[int]:
    """Read parts that point back at an earlier one (in place); the indices of those that
    lead. "…one of my coins is disputed. Which coin is that?" asks the statement's kind; "When
    was the previous report built, and how much did X change since then?" asks the change
    since that report, the first part only says which time ("since then" leads)."""
    leads: set[int] = set()
    for n in range(1, len(parts)):  # "Portfolio red this week. Why??" asks why it fell
        raw, text = parts[n]
        earlier = [m for m in range(n) if kinds[m] != "unknown"]
        if kinds[n] == "unknown" and earlier and _BARE_WHY.match(text):
            parts[n] = (raw, f"{parts[earlier[-1]][1]}, {text}")
            kinds[n] = _rule_kind(parts[n][1])
            leads.add(n)
        elif kinds[n] == "unknown" and asked[n] and earlier and _BACK.search(text):
            kinds[n] = kinds[earlier[-1]]
        elif _SINCE_THEN.search(text) and any(_EARLIER_REPORT.search(t) for _, t in parts[:n]):
            text = _SINCE_THEN.sub("since the previous report", text)
            parts[n] = (raw, text)
            kinds[n] = _rule_kind(text)
            leads.add(n)
    return leads


def read_intents(facts: FactSet, question: str) -> list[Intent]:
    """What ``question`` asks first (its headline), then each further thing it asks.

    A question that asks for advice or data no fact holds anywhere is that kind; otherwise
    the kind is read from the first part that has one ("Why did my portfolio drop? Which
    token most?" asks why first). Assets come from that part, or the whole question when
    the part names none; the chain and time window from the whole question.
    """
    held = frozenset(h.symbol.lower() for h in holdings(facts))
    whole = " ".join(spoken(facts, question).split())
    text = _present(_moved_slang(clean(whole.lower(), held)))
    split = [two for part in parts_of(whole) or [(whole, True)] for two in _pair(part, held)]
    parts = [(p, _present(_moved_slang(clean(p.lower(), held)))) for p, _ in split]
    kinds = [_topical_kind(t) for _, t in parts]
    if any(asked for _, asked in split):  # a statement's "long ago" or "I bought" is context
        kinds = [
            "unknown" if k in ("advice", "no_data") and not split[n][1] else k
            for n, k in enumerate(kinds)
        ]
    leads = _refer_back(parts, kinds, [asked for _, asked in split])
    asked_text = " ".join(t for (_, t), (_, asked) in zip(parts, split, strict=True) if asked)
    scope = _untopical(asked_text if len(parts) > 1 and asked_text else text)
    kind = _rule_kind(scope)
    if (
        re.search(_PAST, scope)
        and not re.search(_MOVED, scope)
        and not re.search(r"\b(what|which) (date|day|time)\b|\bwhen\b", scope)
    ):
        kind = "no_data"
    specific = any(k not in ("unknown", "holding") for k in kinds)

    def weak(n: int) -> bool:
        """A part whose only cue is "have"/"how much" and that names no asset ("Do I have
        any?") when another part says what it is about ("…check my approvals.")."""
        return specific and kinds[n] == "holding" and not _symbols(facts, parts[n][0])

    ranked = sorted(
        range(len(parts)),
        key=lambda n: (kinds[n] == "unknown" or weak(n), not split[n][1], n not in leads, n),
    )
    first = ranked[0]
    if kind not in ("advice", "no_data") and kinds[first] != "unknown":
        kind = kinds[first]
    head = _intent(facts, kind, parts[first], (whole, text), held)
    more = [
        _intent(facts, kinds[n], parts[n], (whole, text), held)
        for n in range(len(parts))
        if n != first and kinds[n] not in ("unknown", "holding", kind)
        and (split[n][1] or n > first or not split[first][1])  # a remark before asks nothing
    ]  # fmt: skip
    return [head, *more]


def _named(facts: FactSet, question: str, text: str) -> tuple[tuple[str, ...], set[str]]:
    wrapped = re.findall(r"\b(w(?:eth|btc))\b", text)
    symbols = _symbols(facts, question if not wrapped else text)
    kinds = {kind for kind, words in _KIND_WORDS.items() if re.search(words, text)}
    if not symbols and re.search(r"\b(pool|pools|pooled)\b", text):
        kinds.add("lp")  # "my pool" is the liquidity position; "the pool's price" names a token
    elif len(symbols) >= 2 and re.search(r"\b(pool|pools|pooled|lp)\b", text):
        pairs = [str(facts.value(h.id("name")) or "").upper() for h in holdings(facts)
                 if h.kind == "lp"]  # fmt: skip
        if any(all(re.search(rf"\b{re.escape(s.upper())}\b", p) for s in symbols) for p in pairs):
            kinds.add("lp")  # "the REX and WETH pool" is the REX-WETH liquidity position
    return symbols, kinds


_HOMOGLYPHS = str.maketrans("АВСЕНІЈКМОРЅТХУаесіорѕху", "ABCEHIJKMOPSTXYaeciopsxy")
"""Cyrillic letters that look Latin (a look-alike token's symbol is spelled with them)."""

_LOOKS_LIKE = re.compile(
    r"\$?([a-z][\w.]*?)[- ](?:looking|lookalike|look-alike|like)\b|"
    r"\b(?:fake|copycat|knock-?off|clone|imitation|look-?alike|phony|counterfeit|bogus) "
    r"\$?([a-z][\w.]*)"
)
"""Words for a token that only looks like a held one ("the USDC-looking thing")."""


def _look_alikes(facts: FactSet, text: str) -> tuple[Holding, ...]:
    """Spam holdings that look like the token the question names as a look-alike: the same
    symbol in look-alike letters, or a held token's name with more words ("USD Coin Rewards")."""
    words = {w for pair in _LOOKS_LIKE.findall(text) for w in pair if w}
    if not words:
        return ()
    every = holdings(facts)
    names = {h.symbol.lower(): str(facts.value(h.id("name")) or "").lower() for h in every
             if h.counted != "spam"}  # fmt: skip
    found = []
    for h in every:
        if h.counted != "spam":
            continue
        folded = h.symbol.translate(_HOMOGLYPHS).lower()
        name = str(facts.value(h.id("name")) or "").lower()
        for w in words:
            if folded == w or (names.get(w) and name.startswith(names[w]) and name != names[w]):
                found.append(h)
                break
    return tuple(found)


def _intent(
    facts: FactSet,
    kind: Kind,
    part: tuple[str, str],
    whole: tuple[str, str],
    held: frozenset[str],
) -> Intent:
    symbols, kinds = _named(facts, *part)
    if not symbols and not kinds and not _unheld(facts, part[0], ()):
        symbols, kinds = _named(facts, *whole)
    question, whole_text = whole
    wrapped = re.findall(r"\b(w(?:eth|btc))\b", whole_text)
    chains = _chains(facts, whole_text)
    chain = chains[0] if len(chains) == 1 else None
    on_chain = [h for h in holdings(facts) if chain is None or h.chain == chain]
    on_chain.sort(key=lambda h: chains.index(h.chain) if h.chain in chains else len(chains))
    if re.search(r"\bbridged\b", whole_text):
        bridged = [h for h in on_chain if "bridged" in str(facts.value(h.id("name"))).lower()]
        on_chain = bridged or on_chain
    of_kind = tuple(h for h in on_chain if h.kind in kinds)
    named = of_kind or tuple(h for h in on_chain if h.symbol in symbols)
    look_alikes = _look_alikes(facts, part[1]) or _look_alikes(facts, whole[1])
    if look_alikes:
        named, symbols = look_alikes, tuple(dict.fromkeys(h.symbol for h in look_alikes))
    if of_kind:
        symbols = tuple(dict.fromkeys(h.symbol for h in of_kind))
    guessed = kind == "unknown"
    if guessed and symbols:
        kind = "holding"
    unheld = _unheld(facts, question, symbols) + tuple(w.upper() for w in wrapped if w not in held)
    unheld += tuple(w for w in _WELL_KNOWN if re.search(rf"\b{w}\b", whole_text) and w not in held)
    rewards = [h for h in on_chain if h.kind == "rewards"]
    if (
        "rewards" in kinds
        and not rewards
        and re.search(
            r"\b(earn\w*|accru\w*|receiv\w*|got|"
            r"so far|to date|total|paid)\b",
            part[1],
        )
    ):
        unheld += ("rewards",)  # "staking rewards earned": no rewards fact, not the stake itself
        symbols, named = (), ()
    elif kinds and not named and not symbols:
        unheld += tuple(sorted(kinds))  # "my points", "my vesting": no such position here
    elif kinds and not of_kind and re.search(r"\b(staked|staking|lp|liquidity|vest\w*)\b",
                                             part[1]):  # fmt: skip
        unheld += tuple(sorted(kinds))  # "staked REX" where REX is only a balance: not held
        symbols, named = (), ()
    return Intent(
        kind, symbols, named, chain, _window(whole_text), part[1], unheld, whole_text, guessed
    )
