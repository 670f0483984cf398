"""The grammar: an ordered table of rules, one or more per intent; the first whose
trigger matches owns the command.

Precedence, first to last, and why:

1. ``ask`` and ``query`` with an explicit prefix (``ask dprompt``, ``sql:``) take
   free text, so they come before anything that could read a verb inside it.
2. Any other command that mentions an airdrop ("claim my airdrop", "get the
   airdrop tokens") is refused: RexOS has no airdrop yet, and no funds rule may read
   it as something else (a staking claim). A question-shaped query ("how many
   wallets claimed the airdrop") still reads the indexed data.
3. Commands that move funds, each led by its verb: ``unstake`` (before ``stake``),
   ``stake``, ``claim``, ``swap``/``trade``/``convert``/``exchange``, ``sell``,
   ``buy``, ``send``/``transfer``/``pay``, ``bridge``, then perps (``compare perps``,
   ``long``, ``short``).
4. Reads: ``chart`` (before portfolio: "chart my portfolio" is a chart), ``points``
   (points, rewards, the staking position), ``performance`` (how the portfolio did over a
   period; before portfolio, which is its value now), ``portfolio``, ``balance`` (before
   price: "how much ETH do I have"), ``price``.
5. Question-shaped ``query`` ("how many …", "which wallet …") last, so a price or
   balance question is never sent to SQL.

Once a rule owns the command, a missing or unreadable slot is a
:class:`~rexos.orchestrator.intent.result.Clarification` written by that rule;
a command no rule owns gets a general one.

Arguments per intent (every key always present; optional ones may be null)::

    swap      amount, side ("sell": amount is spent | "buy": amount is received), sell, buy
    send      amount, token, to (checksummed 0x address or wallet name), to_kind
    stake     amount, token (default REX)          unstake  amount, token (default REX)
    claim     what ("rewards": staking rewards, the only claim; see :mod:`.claims`)
    bridge    amount, token, from_chain (null: the current chain), to_chain
    perp      action ("compare" | "open"), market, side ("long" | "short"), size
    price     token, quote (null: USD), amount (null: one token)
    balance   token (null: every token)             portfolio  (none)
    points    (none)                                performance  days (null: since indexed)
    chart     subject (a symbol or "portfolio"), days (null: the chart's default)
    query     question                              ask        prompt

Amounts are ``{"kind": "exact" | "usd" | "fraction", "value": "<decimal>"}`` with
``"denominator"`` for shares like a third (see :mod:`.amounts`).
"""

from __future__ import annotations

from dataclasses import replace

from rexos.orchestrator.intent.claims import AIRDROP, CLAIM
from rexos.orchestrator.intent.funds import BRIDGE, BUY, SELL, SEND, STAKE, SWAP, UNSTAKE
from rexos.orchestrator.intent.perp import PERP
from rexos.orchestrator.intent.reads import (
    ASK,
    BALANCE,
    CHART,
    PERFORMANCE,
    POINTS,
    PORTFOLIO,
    PRICE,
    QUERY,
    SQL,
)
from rexos.orchestrator.intent.result import Clarification, Intent
from rexos.orchestrator.intent.rule import Rule
from rexos.orchestrator.intent.slots import Context, Unclear

__all__ = ["RULES", "owner", "parse_command"]

RULES: tuple[Rule, ...] = (
    ASK,
    SQL,
    AIRDROP,
    UNSTAKE,
    STAKE,
    CLAIM,
    SWAP,
    SELL,
    BUY,
    SEND,
    BRIDGE,
    PERP,
    CHART,
    POINTS,
    PERFORMANCE,
    PORTFOLIO,
    BALANCE,
    PRICE,
    QUERY,
)
_EXAMPLES = "'swap 1 ETH to USDC', 'send 5 USDC to alice', 'price of ETH' or 'ask dprompt …'"


def owner(text: str) -> Rule | None:
    """The first rule whose trigger claims ``text`` (whitespace already collapsed)."""
    return next((rule for rule in RULES if rule.claim(text)), None)


def parse_command(text: str, ctx: Context) -> Intent | Clarification:
    """One command (no step separators) → its intent or the question to ask."""
    clean = " ".join(text.split())
    if not clean.strip(".!?,;: "):
        return Clarification(f"What would you like to do? For example {_EXAMPLES}.", ["intent"])
    for rule in RULES:
        match = rule.claim(clean)
        if match is None:
            continue
        try:
            return Intent(rule.intent, rule.read(match, ctx))
        except Unclear as unclear:
            return replace(unclear.clarification, intent=rule.intent)
    return Clarification(f"I didn't understand '{clean}'. Try {_EXAMPLES}.", ["intent"])
