"""Rules for claims: the staking rewards of sREX, or the community airdrop.

A claim intent is ``{"what": "rewards"}`` or ``{"what": "airdrop"}``, never a guess
between them. A command that mentions an airdrop in any phrasing ("get my airdrop", "I
want the airdrop tokens") is read by :data:`AIRDROP` before any funds rule can read it as
a staking claim; only question-shaped queries over the indexed chain data ("how many
wallets claimed the airdrop") go past it. Any other object of "claim" is a question:
vested REX (released per bucket, not claimed by the holder), or anything else ("claim my
nft", "claim the bridge refund").
"""

from __future__ import annotations

import re

from rexos.orchestrator.intent.reads import QUESTION_START
from rexos.orchestrator.intent.result import JsonValue
from rexos.orchestrator.intent.rule import Rule, trigger
from rexos.orchestrator.intent.slots import Context, Unclear

__all__ = ["AIRDROP", "CLAIM", "NO_AIRDROP", "NO_AIRDROP_USE"]

Args = dict[str, JsonValue]

NO_AIRDROP = (
    "There is no airdrop to claim on this deployment yet (an operator publishes one with "
    "`rexos airdrop build`); claim staking rewards with 'claim my rewards'."
)
NO_AIRDROP_USE = (
    "Airdropped REX is claimed first ('claim the airdrop'); then it is REX like any other: "
    "say what to do with an amount of REX."
)
NO_VESTED = (
    "RexOS does not claim vested REX: a vesting bucket's REX is released to its "
    "beneficiary with `rexos vesting release BUCKET` (claim staking rewards with "
    "'claim my rewards')."
)

_AIRDROP_WORD = r"\bair[\s-]?drop(?:s|ped)?\b"
_REWARDS = {"rewards", "reward", "yield"}
_QUALIFIERS = {"staking", "stake", "staked", "rex", "$rex", "srex", "$srex"}
_NOISE = {"my", "the", "all", "of", "tokens", "token", "pending", "earned", "accrued"}
_VESTED = {"vested", "vesting", "unlocked", "unvested"}


_CLAIM_VERB = re.compile(
    r"^(?:(?:please|pls|i\s+want\s+to|i\s+wanna|can\s+you|can\s+i)\s+)?"
    r"(?:claim|get|collect|redeem|receive|grab|take|withdraw|gimme|give\s+me|i\s+want|send\s+me"
    r"|where(?:'s|\s+is|\s+are)|i\s+(?:heard|hear)\b.*\bclaim)\b",
    re.IGNORECASE,
)
"""How a command that asks for the airdrop starts; any other use of an airdrop ("swap my
airdrop tokens", "stake my airdrop") is refused, not read as a claim."""


def _airdrop(match: re.Match[str], ctx: Context) -> Args:
    words = {w.strip(",.!?").lower() for w in match[0].split()}
    if not _CLAIM_VERB.search(match[0]):
        raise Unclear(NO_AIRDROP_USE, "what")
    if words & {"staking", "stake", "staked"} or ("and" in words and _REWARDS & words):
        raise Unclear(
            "One claim at a time: your staking rewards ('claim my rewards') or the airdrop "
            "('claim the airdrop')?",
            "what",
        )
    return {"what": "airdrop"}


AIRDROP = Rule("claim", trigger(rf"(?!{QUESTION_START}).*{_AIRDROP_WORD}.*"), _airdrop)


def _claim(match: re.Match[str], ctx: Context) -> Args:
    typed = [w.strip(",") for w in match["rest"].split()]
    typed = [w for w in typed if w and w.lower() not in _NOISE]
    words = {w.lower() for w in typed}
    if _VESTED & words:
        raise Unclear(NO_VESTED, "what")
    others = [w for w in typed if w.lower() not in _REWARDS | _QUALIFIERS]
    if others:
        raise Unclear(
            f"RexOS can only claim staking rewards, not '{' '.join(others)}': "
            "say 'claim my rewards' to claim them.",
            "what",
        )
    if not _REWARDS & words:
        raise Unclear(
            "What do you want to claim? RexOS can claim your staking rewards: "
            "say 'claim my rewards'.",
            "what",
        )
    return {"what": "rewards"}


CLAIM = Rule("claim", trigger(r"claim\b\s*(?P<rest>.*)"), _claim)
