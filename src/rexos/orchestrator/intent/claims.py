"""Rules for claims: the one thing RexOS claims is the staking rewards of sREX.

A claim intent always means staking rewards (``{"what": "rewards"}``). Any other
object of "claim" is a question, never a staking claim: an airdrop (RexOS has none
yet), vested REX (released per bucket, not claimed by the holder), or anything else
("claim my nft", "claim the bridge refund"). A command that mentions an airdrop in
any phrasing ("get my airdrop", "I want the airdrop tokens") is answered by
:data:`AIRDROP` before any funds rule can read it; only question-shaped queries over
the indexed chain data ("how many wallets claimed the airdrop") go past it.
"""

from __future__ import annotations

import re

from rexos.orchestrator.intent.reads import QUESTION_START
from rexos.orchestrator.intent.result import JsonValue
from rexos.orchestrator.intent.rule import Rule, trigger
from rexos.orchestrator.intent.slots import Context, Unclear

__all__ = ["AIRDROP", "CLAIM", "NO_AIRDROP"]

Args = dict[str, JsonValue]

NO_AIRDROP = (
    "There is no airdrop to claim yet: RexOS cannot claim airdrops "
    "(claim staking rewards with 'claim my rewards')."
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


def _no_airdrop(match: re.Match[str], ctx: Context) -> Args:
    raise Unclear(NO_AIRDROP, "what")


AIRDROP = Rule("claim", trigger(rf"(?!{QUESTION_START}).*{_AIRDROP_WORD}.*"), _no_airdrop)


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
