"""The lexicon baseline: hand-written crypto and finance words with integer weights.

Written for RexOS from common knowledge of how markets talk (no outside lexicon was copied).
A text's score is the sum of the weights of its normalised words (``sentiment_text.words``)
and of a few two-word phrases whose meaning differs from their parts (a short squeeze is
good for holders, a bull trap bad): a phrase's weight replaces its words'. A word a negator
governs (``not_bullish``) counts with the opposite sign. The label is the sign of the sum
outside a neutral band: ``positive`` above :data:`BAND`, ``negative`` below ``-BAND``, else
``neutral``.
"""

from __future__ import annotations

from rexos.lense.sentiment_set import Label
from rexos.lense.sentiment_text import MAX_CHARS, words

__all__ = ["BAND", "LEXICON", "PHRASES", "lexicon_label", "lexicon_score", "polarity"]

BAND = 0
"""Sums in ``[-BAND, BAND]`` are neutral."""


def _table(*rows: tuple[int, str]) -> dict[str, int]:
    table: dict[str, int] = {}
    for weight, spec in rows:
        for word in spec.split():
            if word in table:
                raise ValueError(f"{word!r} is listed twice")
            table[word] = weight
    return table


LEXICON = _table(
    (3, "soar soars soared soaring surge surges surged surging skyrocket skyrockets moon"
        " mooning rocket ath lfg wagmi bullish squeeze squeezed reimbursed reimburses"
        " reimbursement recovered repays repaid parabolic"),
    (2, "rally rallies rallied rallying jump jumps jumped gain gains gained climbs climb"
        " climbed rebound rebounds rebounded bounce bounces bounced recover recovers recovery"
        " reclaims reclaim breakout inflows inflow adoption partnership partners approves"
        " approved approval wins won dismissed dismisses buyback buybacks burn burns burned"
        " deflationary undervalued accumulate accumulating bulls bull green chart_up"
        " outperform outperforms upgrade upgraded ships shipped launches launched milestone"
        " boost boosts lifts higher highest record tops rises rose rising pump pumping pumps"
        " gem strong strength profit profits delivered flawlessly conviction rewarded hodl"
        " hodling diamond listing listed integrates integration doubles doubled grows growth"
        " expands resilient thriving rewards reopens restored restores"),
    (1, "up high good great best love win buy bought buying holding support supports adds"
        " added launch live finally cheaper faster popping leads juicy confident optimistic"
        " improves improved upside beats grinning stronger"),
    (-3, "crash crashes crashed crashing plunge plunges plunged plummets plummeted collapse"
         " collapses collapsed hack hacked hacks exploit exploited exploits drained drain"
         " drains stolen stole theft rug rugged rugpull ponzi scam scammed fraud insolvent"
         " insolvency bankrupt bankruptcy rekt ngmi depeg depegs depegged capitulation"
         " capitulate capitulates freefall wiped bloodbath"),
    (-2, "tumble tumbles tumbled slump slumps slumped slide slides slid sink sinks sank"
         " drop drops dropped fall falls fell bleed bleeds bleeding selloff dump dumps dumped"
         " dumping lawsuit sued sues fined charges delist delisted delisting delists outage"
         " halt halted halts paused pauses frozen freeze freezes froze liquidated liquidation"
         " liquidations cascade fud bearish bears bear panic fear fears loss losses lose loses"
         " lost outflows outflow ban bans banned crackdown seize seized seizes warns bug"
         " vulnerability failed fails failing fail weak weakest worst terrible brutal pain"
         " toast dead skull clown chart_down bad debt suspends suspended suspend shuts"
         " compromised breach manipulation probe subpoena lows slashing slashed attack"
         " attacker broken botched stuck trapped worried worries concern concerns red dips"
         " slips shrinks lagging underwater"),
    (-1, "down low dip sell selling sold unlock unlocks risk risks delay delays delayed lower"
         " falling drags shambles cooked unusable mess nowhere pressure"),
)  # fmt: skip
"""Single words and their weights."""
PHRASES = _table(
    (3, "short_squeeze shorts_liquidated shorts_wiped bear_trap all_time_high"),
    (2, "buy_the_dip dip_bought dip_buyers new_high new_highs proof_of_reserves"
        " fully_backed in_full"),
    (-3, "bull_trap longs_liquidated longs_wiped rug_pull exit_scam"),
    (-2, "sell_the_news sell_off dead_cat all_time_low new_low new_lows bad_debt"
         " class_action"),
)  # fmt: skip
"""Phrases (words joined by ``_``, read over consecutive normalised words)."""
_LONGEST = max(phrase.count("_") + 1 for phrase in PHRASES)


def _weight(word: str) -> int:
    if word.startswith("not_"):
        return -LEXICON.get(word.removeprefix("not_"), 0)
    return LEXICON.get(word, 0)


def polarity(seen: list[str]) -> list[int]:
    """The weight of each lexicon hit in ``seen`` (normalised words), in order."""
    hits: list[int] = []
    i = 0
    while i < len(seen):
        for n in range(_LONGEST, 1, -1):
            bare = [w.removeprefix("not_") for w in seen[i : i + n]]
            phrase = "_".join(bare)
            if len(bare) == n and phrase in PHRASES:
                negated = seen[i].startswith("not_")
                hits.append(-PHRASES[phrase] if negated else PHRASES[phrase])
                i += n
                break
        else:
            weight = _weight(seen[i])
            if weight:
                hits.append(weight)
            i += 1
    return hits


def lexicon_score(text: str) -> int:
    """The sum of the lexicon weights of ``text`` (cut to ``MAX_CHARS`` characters)."""
    return sum(polarity(words(text[:MAX_CHARS])))


def lexicon_label(text: str) -> Label:
    """``positive`` above the band, ``negative`` below it, else ``neutral``."""
    total = lexicon_score(text)
    return "positive" if total > BAND else "negative" if total < -BAND else "neutral"
